"""The part of kMaX shared by the mmdet panoptic head and the mmseg decode head: pixel decoder,
transformer decoder, auxiliary semantic head and criterion, plus ground-truth resampling."""
from typing import Dict, List, Optional, Sequence, Tuple, Union

import torch
import torch.nn.functional as F
from mmengine.model import BaseModule

from .losses import KMaXCriterion
from .pixel_decoder import KMaXPixelDecoder
from .semantic_head import SemanticPredictor
from .transformer_decoder import KMaXTransformerDecoder


class KMaXHeadBase(BaseModule):
    """Pixel decoder + k-means transformer decoder (+ auxiliary semantic head) + criterion.

    Args:
        in_channels: backbone channels at strides 4, 8, 16, 32.
        num_classes: K, the number of classes (void is K).
        num_queries: cluster centres (official 128).
        pixel_decoder: kwargs of :class:`KMaXPixelDecoder` (``dec_layers``, ``dec_channels``,
            ``layer_types``, ``num_heads``, ``drop_path_rate``).
        transformer_decoder: kwargs of :class:`KMaXTransformerDecoder` (``dec_layers``,
            ``query_channels``, ``base_filters``, ``num_heads``, ``ffn_channels``,
            ``pixel_head_channels``, ``embed_channels``, ``drop_path_rate``).
        aux_semantic: kwargs of :class:`SemanticPredictor` (``channels``), or ``None`` for no
            auxiliary semantic head (its loss weight must then be 0).
        loss: kwargs of :class:`KMaXCriterion` (``loss_weights``, sampling settings).
        norm_cfg: batch norm of every block (default ``SyncBN``, eps 1e-3, momentum 0.01).
        init_cfg: mmengine init config.
    """

    def __init__(self, in_channels: Sequence[int], num_classes: int, num_queries: int = 128,
                 pixel_decoder: Optional[dict] = None, transformer_decoder: Optional[dict] = None,
                 aux_semantic: Optional[dict] = dict(), loss: Optional[dict] = None,
                 norm_cfg: Optional[dict] = None, init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if isinstance(in_channels, str) or len(in_channels) != 4:
            raise ValueError('kMaX in_channels must list the backbone channels at strides '
                             f'4, 8, 16, 32 (4 ints), got {in_channels!r}')
        self.num_classes = num_classes
        self.num_queries = num_queries
        self.pixel_decoder = KMaXPixelDecoder(in_channels, norm_cfg=norm_cfg,
                                              **(pixel_decoder or {}))
        self.transformer_decoder = KMaXTransformerDecoder(
            num_classes, self.pixel_decoder.out_channels, num_queries=num_queries,
            norm_cfg=norm_cfg, **(transformer_decoder or {}))
        self.criterion = KMaXCriterion(num_classes, **(loss or {}))
        if aux_semantic is None:
            if self.criterion.weights['aux_sem'] > 0:
                raise ValueError('aux_semantic=None needs loss=dict(loss_weights=dict(aux_sem=0))')
            self.aux_semantic_head = None
        else:
            self.aux_semantic_head = SemanticPredictor(in_channels[3], in_channels[1],
                                                       in_channels[0], num_classes + 1,
                                                       norm_cfg=norm_cfg, **aux_semantic)

    def forward_predictions(self, feats: Sequence[torch.Tensor]
                            ) -> Tuple[List[Dict[str, torch.Tensor]], Optional[torch.Tensor]]:
        """Backbone features (strides 4..32) -> (per-layer and final predictions, aux semantic
        logits in training or ``None``)."""
        panoptic_feature, multi_scale = self.pixel_decoder(feats)
        predictions = self.transformer_decoder(multi_scale, panoptic_feature)
        aux = None
        if self.training and self.aux_semantic_head is not None:
            aux = self.aux_semantic_head(feats[3], feats[1], feats[0])
        return predictions, aux

    @staticmethod
    def resample_gt(gt: torch.Tensor, size: Tuple[int, int], pad_value: Union[int, float] = 0
                    ) -> torch.Tensor:
        """Nearest-pixel subsampling of a GT map ``(..., H, W)`` (at the padded input size) to the
        stride-4 prediction grid ``size``, as the official ``gt[::4, ::4]``."""
        h, w = size
        stride = max(1, round(gt.shape[-2] / h))
        need_h, need_w = h * stride, w * stride
        if gt.shape[-2] < need_h or gt.shape[-1] < need_w:
            gt = F.pad(gt, (0, max(0, need_w - gt.shape[-1]), 0, max(0, need_h - gt.shape[-2])),
                       value=pad_value)
        return gt[..., ::stride, ::stride][..., :h, :w]

    def loss_from_targets(self, feats: Sequence[torch.Tensor], gt_labels: List[torch.Tensor],
                          gt_masks: List[torch.Tensor], gt_semantic: Optional[torch.Tensor]
                          ) -> Dict[str, torch.Tensor]:
        """Losses given per-image labels ``(M,)``, masks ``(M, H, W)`` and a semantic map
        ``(B, H, W)`` with void = K, all at the padded input size."""
        predictions, aux = self.forward_predictions(feats)
        size = tuple(predictions[-1]['mask_logits'].shape[-2:])
        masks = [self.resample_gt(m.float(), size) for m in gt_masks]
        sem = None
        if gt_semantic is not None:
            sem = self.resample_gt(gt_semantic.long(), size, pad_value=self.num_classes)
        return self.criterion(predictions, gt_labels, masks, aux, sem)


def padded_size(metas: Sequence[dict]) -> Tuple[int, int]:
    """The batch input size that predictions are resized to before cropping each image."""
    meta = metas[0]
    return tuple(meta.get('batch_input_shape', meta.get('pad_shape', meta['img_shape']))[:2])
