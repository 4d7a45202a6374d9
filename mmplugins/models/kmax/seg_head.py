"""kMaX as an mmseg decode head (``decode_head=dict(type='mmplugins.KMaXHead')``) for semantic
segmentation: one GT mask per class present, the kMaX losses, and per-class scores
``sum_q softmax(class)[q, c] * softmax_over_queries(mask)[q]`` that ``IoUMetric`` reads
unchanged."""
from typing import Dict, List, Sequence, Tuple

import torch

from mmplugins.registry import MODELS
from .blocks import tf_resize
from .head_base import KMaXHeadBase, padded_size


@MODELS.register_module()
class KMaXHead(KMaXHeadBase):
    """kMaX decode head for mmseg's ``EncoderDecoder``.

    Args:
        in_channels: backbone channels at strides 4, 8, 16, 32.
        num_classes: semantic classes.
        ignore_index: label of unlabelled pixels (void).
        align_corners: read by ``EncoderDecoder`` when it resizes the logits to the image.
        **kwargs: see :class:`~mmplugins.models.kmax.head_base.KMaXHeadBase`.
    """

    def __init__(self, in_channels: Sequence[int], num_classes: int, ignore_index: int = 255,
                 align_corners: bool = False, **kwargs) -> None:
        super().__init__(in_channels, num_classes, **kwargs)
        self.out_channels = num_classes
        self.ignore_index = ignore_index
        self.align_corners = align_corners
        self.threshold = None  # only binary heads (out_channels == 1) use one

    def forward(self, inputs: Sequence[torch.Tensor]
                ) -> Tuple[List[torch.Tensor], List[torch.Tensor]]:
        """Per-layer class logits ``(B, N, K+1)`` and mask logits ``(B, N, h, w)`` lists."""
        predictions, _ = self.forward_predictions(inputs)
        return ([p['class_logits'] for p in predictions], [p['mask_logits'] for p in predictions])

    def loss(self, inputs: Sequence[torch.Tensor], batch_data_samples, train_cfg=None
             ) -> Dict[str, torch.Tensor]:
        """Losses with one GT segment per class present in each ``gt_sem_seg``."""
        labels, masks, semantic = [], [], []
        for sample in batch_data_samples:
            sem = sample.gt_sem_seg.data[0].long()
            valid = (sem != self.ignore_index) & (sem >= 0) & (sem < self.num_classes)
            classes = torch.unique(sem[valid])
            labels.append(classes)
            masks.append(sem[None] == classes[:, None, None])
            semantic.append(torch.where(valid, sem, torch.full_like(sem, self.num_classes)))
        return self.loss_from_targets(inputs, labels, masks, torch.stack(semantic))

    def predict(self, inputs: Sequence[torch.Tensor], batch_img_metas: List[dict], test_cfg=None
                ) -> torch.Tensor:
        """``(B, K, H, W)`` class scores at the padded input size."""
        predictions, _ = self.forward_predictions(inputs)
        final = predictions[-1]
        masks = tf_resize(final['mask_logits'], padded_size(batch_img_metas)).softmax(1)
        return torch.einsum('bnc,bnhw->bchw', final['class_logits'].softmax(-1)[..., :-1], masks)
