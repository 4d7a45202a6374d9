"""Spiking RoI heads of the released QSD Mask R-CNN (``det/.../roi_heads/spike_*``).

``SpikeStandardRoIHead`` pools RoIs from each time step's maps (``[T, N, C, h, w]`` RoI
features); the box and mask heads run their spiking layers on those and average over ``T``
after their last layer, so mmdet's targets, losses and post-processing stay stock.
"""
from typing import Optional, Sequence

import torch
import torch.nn as nn
from mmdet.models.roi_heads import CascadeRoIHead, StandardRoIHead
from mmdet.models.roi_heads.bbox_heads import ConvFCBBoxHead
from mmdet.models.roi_heads.mask_heads import FCNMaskHead

from ...registry import MODELS
from .common import DET_NEURON, SpikeLayer, with_time


class _BatchMajor(tuple):
    """Multi-level maps as ``[B, T, C, H, W]`` views, handed through mmdet's stock ``loss``:
    it gives the sampler each image's maps as ``lvl_feat[i]``, which on ``[T, B, ...]`` maps
    would index time (the samplers of these configs do not read them)."""


def roi_features(extractor: nn.Module, x: Sequence[torch.Tensor],
                 rois: torch.Tensor) -> torch.Tensor:
    """RoI-pool every time step of ``[T, B, C, H, W]`` maps: ``[T, num_rois, C, h, w]``."""
    x = [f.transpose(0, 1) if isinstance(x, _BatchMajor) else with_time(f)
         for f in x[:extractor.num_inputs]]
    return torch.stack([extractor([f[t] for f in x], rois) for t in range(x[0].shape[0])])


class _TimeRoIHeadMixin:
    """Training of a stock RoI head on time-carrying maps (see :class:`_BatchMajor`)."""

    def loss(self, x, rpn_results_list, batch_data_samples) -> dict:
        x = _BatchMajor(with_time(f).transpose(0, 1) for f in x)
        return super().loss(x, rpn_results_list, batch_data_samples)


@MODELS.register_module()
class SpikeStandardRoIHead(_TimeRoIHeadMixin, StandardRoIHead):
    """:class:`~mmdet.models.roi_heads.StandardRoIHead` on time-carrying maps: RoIs pooled
    per time step (as released) for spiking box/mask heads (``SharedSpike2FCBBoxHead``,
    ``SpikeFCNMaskHead``), which return time-averaged predictions. No shared head."""

    def _bbox_forward(self, x, rois: torch.Tensor) -> dict:
        bbox_feats = roi_features(self.bbox_roi_extractor, x, rois)
        cls_score, bbox_pred = self.bbox_head(bbox_feats)
        return dict(cls_score=cls_score, bbox_pred=bbox_pred, bbox_feats=bbox_feats)

    def _mask_forward(self, x, rois: Optional[torch.Tensor] = None,
                      pos_inds: Optional[torch.Tensor] = None,
                      bbox_feats: Optional[torch.Tensor] = None) -> dict:
        assert (rois is not None) ^ (pos_inds is not None and bbox_feats is not None)
        if rois is not None:
            mask_feats = roi_features(self.mask_roi_extractor, x, rois)
        else:  # shared extractor: the positive RoIs of every time step
            mask_feats = bbox_feats[:, pos_inds.bool()]
        return dict(mask_preds=self.mask_head(mask_feats), mask_feats=mask_feats)


@MODELS.register_module()
class SpikeCascadeRoIHead(_TimeRoIHeadMixin, CascadeRoIHead):
    """:class:`~mmdet.models.roi_heads.CascadeRoIHead` on time-carrying maps: every stage
    pools its RoIs per time step for spiking box/mask heads (released
    ``SpikeCascadeRoIHead``)."""

    def _bbox_forward(self, stage: int, x, rois: torch.Tensor) -> dict:
        bbox_feats = roi_features(self.bbox_roi_extractor[stage], x, rois)
        cls_score, bbox_pred = self.bbox_head[stage](bbox_feats)
        return dict(cls_score=cls_score, bbox_pred=bbox_pred, bbox_feats=bbox_feats)

    def _mask_forward(self, stage: int, x, rois: torch.Tensor) -> dict:
        mask_feats = roi_features(self.mask_roi_extractor[stage], x, rois)
        return dict(mask_preds=self.mask_head[stage](mask_feats))


@MODELS.register_module()
class SpikeConvFCBBoxHead(ConvFCBBoxHead):
    """ConvFC box head with a neuron before every shared/branch conv and fc, no ReLU after
    the fcs (the neurons rectify), predictors fed by the last real-valued fc output and
    predictions averaged over time (released ``SpikeConvFCBBoxHead``)."""

    def __init__(self, *args, neuron: Optional[dict] = None, **kwargs) -> None:
        self.neuron_cfg = DET_NEURON if neuron is None else neuron
        super().__init__(*args, **kwargs)
        if self.with_avg_pool:
            raise ValueError(f'{type(self).__name__}: with_avg_pool is not supported')
        self.relu = nn.Identity()

    def _add_conv_fc_branch(self, num_branch_convs: int, num_branch_fcs: int,
                            in_channels: int, is_shared: bool = False) -> tuple:
        convs, fcs, last_dim = super()._add_conv_fc_branch(
            num_branch_convs, num_branch_fcs, in_channels, is_shared)
        return (nn.ModuleList(SpikeLayer(m, self.neuron_cfg) for m in convs),
                nn.ModuleList(SpikeLayer(m, self.neuron_cfg) for m in fcs), last_dim)

    @staticmethod
    def _branch(convs: nn.ModuleList, fcs: nn.ModuleList, x: torch.Tensor) -> torch.Tensor:
        for conv in convs:
            x = conv(x)
        if len(fcs) and x.dim() > 3:
            x = x.flatten(2)
        for fc in fcs:
            x = fc(x)
        return x

    def forward(self, x: torch.Tensor) -> tuple:
        """``[T, N, C, h, w]`` RoI features -> time-averaged ``(cls_score, bbox_pred)``."""
        x = with_time(x)
        for conv in self.shared_convs:
            x = conv(x)
        if self.num_shared_fcs > 0:
            x = x.flatten(2)
            for fc in self.shared_fcs:
                x = fc(x)
        x_cls = self._branch(self.cls_convs, self.cls_fcs, x)
        x_reg = self._branch(self.reg_convs, self.reg_fcs, x)
        cls_score = self.fc_cls(x_cls).mean(0) if self.with_cls else None
        bbox_pred = self.fc_reg(x_reg).mean(0) if self.with_reg else None
        return cls_score, bbox_pred


@MODELS.register_module()
class SharedSpike2FCBBoxHead(SpikeConvFCBBoxHead):
    """Two shared spiking fcs (the released Mask R-CNN box head)."""

    def __init__(self, fc_out_channels: int = 1024, *args, **kwargs) -> None:
        super().__init__(0, 2, 0, 0, 0, 0, *args, fc_out_channels=fc_out_channels, **kwargs)


@MODELS.register_module()
class SharedSpike4Conv1FCBBoxHead(SpikeConvFCBBoxHead):
    """Four shared spiking convs and one spiking fc."""

    def __init__(self, fc_out_channels: int = 1024, *args, **kwargs) -> None:
        super().__init__(4, 1, 0, 0, 0, 0, *args, fc_out_channels=fc_out_channels, **kwargs)


@MODELS.register_module()
class SpikeFCNMaskHead(FCNMaskHead):
    """FCN mask head with a neuron before every conv, the deconv and the logits conv, no
    ReLU after the deconv, logits averaged over time (released ``SpikeFCNMaskHead``).

    Args:
        neuron: the neuron; default the released integer counts.
        Others as mmdet's :class:`~mmdet.models.roi_heads.mask_heads.FCNMaskHead`
        (upsampling: ``'deconv'`` or none).
    """

    def __init__(self, *args, neuron: Optional[dict] = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.upsample_method not in (None, 'deconv'):
            raise ValueError(f"SpikeFCNMaskHead: upsample type must be 'deconv' or None, got "
                             f'{self.upsample_method!r}')
        cfg = DET_NEURON if neuron is None else neuron
        self.convs = nn.ModuleList(SpikeLayer(m, cfg) for m in self.convs)
        if self.upsample is not None:
            self.upsample = SpikeLayer(self.upsample, cfg)
        self.conv_logits = SpikeLayer(self.conv_logits, cfg)
        self.relu = nn.Identity()

    def init_weights(self) -> None:
        super().init_weights()
        # the stock loop looks for weights on upsample/conv_logits, now wrappers
        for m in (self.upsample, self.conv_logits):
            if m is not None:
                nn.init.kaiming_normal_(m.layer.weight, mode='fan_out', nonlinearity='relu')
                nn.init.constant_(m.layer.bias, 0)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``[T, N, C, h, w]`` RoI features -> time-averaged mask logits ``[N, K, 2h, 2w]``."""
        return super().forward(with_time(x)).mean(0)
