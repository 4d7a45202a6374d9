"""kMaX-DeepLab in mmdet: the panoptic head, the fusion head with kMaX's inference rule, and
the detector ``mmplugins.KMaXDeepLab``.

Outputs follow mmdet's conventions (``pred_panoptic_seg.sem_seg`` with things encoded as
``class + instance_id * INSTANCE_OFFSET``, stuff as ``class``, void as ``num_classes``), so
``CocoPanopticMetric`` reads them unchanged.
"""
from typing import Dict, List, Optional, Sequence, Tuple

import torch
from mmdet.evaluation.functional import INSTANCE_OFFSET
from mmdet.models.detectors import MaskFormer
from mmdet.models.seg_heads.panoptic_fusion_heads import BasePanopticFusionHead
from mmdet.models.utils import preprocess_panoptic_gt
from mmdet.structures.mask import mask2bbox
from mmengine.config import ConfigDict
from mmengine.structures import InstanceData, PixelData

from mmplugins.registry import MODELS
from .blocks import tf_resize
from .head_base import KMaXHeadBase, padded_size


@MODELS.register_module()
class KMaXPanopticHead(KMaXHeadBase):
    """kMaX head for mmdet panoptic segmentation (``panoptic_head`` of :class:`KMaXDeepLab`).

    Args:
        num_things_classes: thing classes (labels ``[0, num_things)``).
        num_stuff_classes: stuff classes (labels after the things).
        train_cfg, test_cfg: filled in by the detector; kMaX needs no assigner config.
        **kwargs: see :class:`~mmplugins.models.kmax.head_base.KMaXHeadBase`.
    """

    def __init__(self, in_channels: Sequence[int], num_things_classes: int = 80,
                 num_stuff_classes: int = 53, train_cfg: Optional[dict] = None,
                 test_cfg: Optional[dict] = None, **kwargs) -> None:
        super().__init__(in_channels, num_things_classes + num_stuff_classes, **kwargs)
        self.num_things_classes = num_things_classes
        self.num_stuff_classes = num_stuff_classes
        self.train_cfg, self.test_cfg = train_cfg, test_cfg

    def forward(self, x: Sequence[torch.Tensor], batch_data_samples=None
                ) -> Tuple[List[torch.Tensor], List[torch.Tensor]]:
        """Per-layer class logits ``(B, N, K+1)`` and mask logits ``(B, N, h, w)`` lists."""
        predictions, _ = self.forward_predictions(x)
        return ([p['class_logits'] for p in predictions], [p['mask_logits'] for p in predictions])

    def loss(self, x: Sequence[torch.Tensor], batch_data_samples) -> Dict[str, torch.Tensor]:
        """Losses from mmdet panoptic samples (``gt_instances`` things + ``gt_sem_seg``)."""
        labels, masks, semantic = [], [], []
        for sample in batch_data_samples:
            sem = sample.gt_sem_seg.sem_seg if 'gt_sem_seg' in sample else None
            label, mask = preprocess_panoptic_gt(sample.gt_instances.labels,
                                                 sample.gt_instances.masks, sem,
                                                 self.num_things_classes, self.num_stuff_classes)
            labels.append(label)
            masks.append(mask)
            if sem is not None:
                # 255 and any other out-of-range id are void (class K).
                sem = sem[0].long()
                semantic.append(torch.where((sem >= 0) & (sem < self.num_classes), sem,
                                            torch.full_like(sem, self.num_classes)))
        if semantic and len(semantic) != len(labels):
            raise ValueError('gt_sem_seg is missing from some samples of the batch')
        gt_semantic = torch.stack(semantic) if semantic else None
        if gt_semantic is None and self.aux_semantic_head is not None:
            raise ValueError('the auxiliary semantic loss needs gt_sem_seg; load panoptic '
                             'annotations with with_seg=True or set aux_semantic=None')
        return self.loss_from_targets(x, labels, masks, gt_semantic)

    def predict(self, x: Sequence[torch.Tensor], batch_data_samples
                ) -> Tuple[torch.Tensor, torch.Tensor]:
        """Final class logits and mask logits resized to the padded batch input size."""
        predictions, _ = self.forward_predictions(x)
        size = padded_size([s.metainfo for s in batch_data_samples])
        return predictions[-1]['class_logits'], tf_resize(predictions[-1]['mask_logits'], size)


def kmax_panoptic_fusion(class_logits: torch.Tensor, mask_logits: torch.Tensor,
                         num_things_classes: int, pixel_confidence_threshold: float = 0.4,
                         class_threshold_thing: float = 0.7, class_threshold_stuff: float = 0.5,
                         overlap_threshold: float = 0.8, reorder_class_weight: float = 1.0,
                         reorder_mask_weight: float = 1.0) -> torch.Tensor:
    """kMaX's panoptic inference for one image, in mmdet's encoding.

    Masks are a softmax over queries thresholded at ``pixel_confidence_threshold``; queries are
    visited by ``class score ** a * mean mask score ** b``; a query is kept if its class score
    passes the thing/stuff threshold and more than ``overlap_threshold`` of its pixels are still
    free. Stuff of one class is merged.

    Args:
        class_logits: ``(N, K+1)``; mask_logits: ``(N, H, W)``.

    Returns:
        ``(H, W)`` int64 map: thing ``c + i * INSTANCE_OFFSET`` (i from 1), stuff ``c``, void K.
    """
    num_classes = class_logits.shape[-1] - 1
    scores, labels = class_logits.softmax(-1)[:, :-1].max(-1)
    prob = mask_logits.softmax(0)
    binary = prob > pixel_confidence_threshold
    area = binary.flatten(1).sum(1)
    mask_score = (prob * binary).flatten(1).sum(1) / area.clamp(min=1)
    order = torch.argsort(scores ** reorder_class_weight * mask_score ** reorder_mask_weight,
                          descending=True)
    is_thing = labels < num_things_classes
    confident = torch.where(is_thing, scores > class_threshold_thing,
                            scores > class_threshold_stuff)
    panoptic = torch.full(mask_logits.shape[1:], num_classes, dtype=torch.long,
                          device=mask_logits.device)
    free = torch.ones_like(binary[0])
    instance_id = 0
    # a greedy, order-dependent pass over the (few hundred) queries, as in the official code.
    for q in order[confident[order]].tolist():
        new = binary[q] & free
        if new.sum() <= area[q] * overlap_threshold:
            continue
        label = int(labels[q])
        if is_thing[q]:
            instance_id += 1
            panoptic[new] = label + instance_id * INSTANCE_OFFSET
        else:
            panoptic[new] = label
        free &= ~new
    return panoptic


@MODELS.register_module()
class KMaXFusionHead(BasePanopticFusionHead):
    """Turns kMaX query masks into mmdet panoptic (and optionally instance) results.

    ``test_cfg`` keys: ``panoptic_on`` (True), ``instance_on`` (False), ``max_per_image`` (100),
    and the thresholds of :func:`kmax_panoptic_fusion` (COCO: 0.4, 0.7, 0.5, 0.8, 1.0, 1.0;
    ADE20K: thing/stuff 0.4/0.4).
    """

    _FUSION_KEYS = ('pixel_confidence_threshold', 'class_threshold_thing', 'class_threshold_stuff',
                    'overlap_threshold', 'reorder_class_weight', 'reorder_mask_weight')

    def loss(self, **kwargs) -> dict:
        """No loss: fusion is inference only."""
        return dict()

    def _cfg(self) -> ConfigDict:
        return ConfigDict(self.test_cfg or {})

    def panoptic_postprocess(self, class_logits: torch.Tensor, mask_logits: torch.Tensor
                             ) -> PixelData:
        """:func:`kmax_panoptic_fusion` wrapped as ``PixelData(sem_seg=(1, H, W))``."""
        cfg = self._cfg()
        kwargs = {k: cfg[k] for k in self._FUSION_KEYS if k in cfg}
        pan = kmax_panoptic_fusion(class_logits, mask_logits, self.num_things_classes, **kwargs)
        return PixelData(sem_seg=pan[None].int())

    def instance_postprocess(self, class_logits: torch.Tensor, mask_logits: torch.Tensor
                             ) -> InstanceData:
        """kMaX's instance rule: top (query, thing class) pairs; masks = query-softmax > thr;
        score = class probability x mean mask probability inside the mask."""
        cfg = self._cfg()
        thr = cfg.get('pixel_confidence_threshold', 0.4)
        num_classes = class_logits.shape[1] - 1
        scores = class_logits.softmax(-1)[:, :-1].flatten()
        k = min(cfg.get('max_per_image', 100), scores.numel())
        scores, index = scores.topk(k)
        labels, queries = index % num_classes, index // num_classes
        keep = labels < self.num_things_classes
        scores, labels, queries = scores[keep], labels[keep], queries[keep]
        prob = mask_logits.softmax(0)[queries]
        masks = prob > thr
        mask_score = (prob * masks).flatten(1).sum(1) / (masks.flatten(1).sum(1) + 1e-6)
        return InstanceData(bboxes=mask2bbox(masks), labels=labels, scores=scores * mask_score,
                            masks=masks)

    def predict(self, mask_cls_results: torch.Tensor, mask_pred_results: torch.Tensor,
                batch_data_samples, rescale: bool = False, **kwargs) -> List[dict]:
        """Crop padding, optionally resize to the original image, then fuse per image."""
        cfg = self._cfg()
        if cfg.get('semantic_on', False):
            raise ValueError("KMaXFusionHead: semantic_on is not supported in mmdet; use the "
                             "mmseg head mmplugins.KMaXHead for semantic segmentation")
        results = []
        for cls, masks, sample in zip(mask_cls_results, mask_pred_results, batch_data_samples):
            meta = sample.metainfo
            h, w = meta['img_shape'][:2]
            masks = masks[:, :h, :w]
            if rescale:
                masks = tf_resize(masks[None], tuple(meta['ori_shape'][:2]))[0]
            result = dict()
            if cfg.get('panoptic_on', True):
                result['pan_results'] = self.panoptic_postprocess(cls, masks)
            if cfg.get('instance_on', False):
                result['ins_results'] = self.instance_postprocess(cls, masks)
            results.append(result)
        return results


@MODELS.register_module()
class KMaXDeepLab(MaskFormer):
    """kMaX-DeepLab panoptic segmenter: backbone -> :class:`KMaXPanopticHead` ->
    :class:`KMaXFusionHead`; the arguments of mmdet's ``MaskFormer``.

    mmdet's ``MaskFormer`` already wires a panoptic head and a fusion head the way kMaX needs
    (train/test configs passed down, ``pan_results``/``ins_results`` packed into the samples);
    this class gives the model its own name in configs and logs.
    """
