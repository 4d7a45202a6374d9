"""Spiking dense heads of the released QSD detectors: ``SpikeRPNHead`` and ``SpikeRetinaHead``
(``det/.../dense_heads/spike_{rpn,retina}_head.py``). Each level's ``[T, B, C, H, W]`` map
runs through the spiking layers; the outputs are averaged over ``T`` at the end (the released
code averages them in its patched ``AnchorHead``), so mmdet's losses and decoding stay stock.
"""
from typing import Optional, Tuple

import torch
import torch.nn as nn
from mmengine.model import bias_init_with_prob, normal_init
from mmdet.models.dense_heads import RetinaHead, RPNHead

from ...registry import MODELS
from .common import DET_NEURON, LIF_NEURON, SpikeLayer, with_time


@MODELS.register_module()
class SpikeRPNHead(RPNHead):
    """RPN head: neuron -> 3x3 conv (``num_convs`` of them), then neuron -> 1x1 conv for
    the scores and for the deltas.

    Args:
        neuron: the neuron (``common.build_neuron``); default the released integer counts.
        Others as mmdet's :class:`~mmdet.models.dense_heads.RPNHead`.
    """

    def __init__(self, in_channels: int, neuron: Optional[dict] = None, **kwargs) -> None:
        self.neuron_cfg = DET_NEURON if neuron is None else neuron
        super().__init__(in_channels, **kwargs)

    def _init_layers(self) -> None:
        super()._init_layers()
        if self.num_convs > 1:  # ConvModules (their ReLU changes nothing before a neuron)
            self.rpn_conv = nn.Sequential(
                *(SpikeLayer(m, self.neuron_cfg) for m in self.rpn_conv))
        else:
            self.rpn_conv = SpikeLayer(self.rpn_conv, self.neuron_cfg)
        self.rpn_cls = SpikeLayer(self.rpn_cls, self.neuron_cfg)
        self.rpn_reg = SpikeLayer(self.rpn_reg, self.neuron_cfg)

    def forward_single(self, x: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        """``[T, B, C, H, W]`` -> time-averaged ``(scores, deltas)``, each ``[B, *, H, W]``."""
        x = self.rpn_conv(with_time(x))  # no ReLU: the next neuron clamps at 0
        return self.rpn_cls(x).mean(0), self.rpn_reg(x).mean(0)


@MODELS.register_module()
class SpikeRetinaHead(RetinaHead):
    """RetinaNet head: ``stacked_convs`` x (neuron -> 3x3 ConvModule) per branch, then
    neuron -> 3x3 conv for the scores and for the deltas.

    Args:
        neuron: the neuron; default the released binary LIF (tau 2, detached hard reset).
            The released head applies ONE neuron to both branch outputs, so the regression
            branch starts from the membrane the classification branch left; here each branch
            has its own neuron.
        Others as mmdet's :class:`~mmdet.models.dense_heads.RetinaHead`.
    """

    def __init__(self, num_classes: int, in_channels: int, neuron: Optional[dict] = None,
                 **kwargs) -> None:
        self.neuron_cfg = LIF_NEURON if neuron is None else neuron
        super().__init__(num_classes, in_channels, **kwargs)

    def _init_layers(self) -> None:
        super()._init_layers()
        for name in ('cls_convs', 'reg_convs'):
            setattr(self, name, nn.ModuleList(
                SpikeLayer(m, self.neuron_cfg) for m in getattr(self, name)))
        self.retina_cls = SpikeLayer(self.retina_cls, self.neuron_cfg)
        self.retina_reg = SpikeLayer(self.retina_reg, self.neuron_cfg)

    def init_weights(self) -> None:
        super().init_weights()
        # the stock init_cfg's focal-loss prior names 'retina_cls', now the wrapper: its conv
        normal_init(self.retina_cls.layer, std=0.01, bias=bias_init_with_prob(0.01))

    def forward_single(self, x: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        """``[T, B, C, H, W]`` -> time-averaged ``(scores, deltas)``, each ``[B, *, H, W]``."""
        cls_feat = reg_feat = with_time(x)
        for conv in self.cls_convs:
            cls_feat = conv(cls_feat)
        for conv in self.reg_convs:
            reg_feat = conv(reg_feat)
        return self.retina_cls(cls_feat).mean(0), self.retina_reg(reg_feat).mean(0)
