"""kMaX losses (DeepLab2 ``MaXDeepLabLoss`` as ported by the official PyTorch release).

Reductions follow the official code exactly, including its "mean over non-zero terms" per image;
each function documents its formula so the tests can check it on hand-made inputs.
"""
from typing import Dict, List, Optional, Sequence, Tuple

import torch
import torch.nn.functional as F

from .matcher import MatchResult, kmax_match

#: Logit added to void pixels so that sampling never picks them.
_MASKING_CONSTANT = -99999.0


def _mean_of_nonzero(loss: torch.Tensor) -> torch.Tensor:
    """Per image: sum / number of non-zero terms (at least 1); then mean over the batch."""
    loss = loss.flatten(1)
    count = (loss != 0).to(loss).sum(-1).clamp(min=1.0)
    return (loss.sum(-1) / count).mean()


def pq_class_loss(class_logits: torch.Tensor, target_classes: torch.Tensor,
                  weight: torch.Tensor, alpha: float = 0.75) -> torch.Tensor:
    """PQ-style class term: ``CE(softmax over K+1) * a * weight`` per query, with ``a = alpha``
    for real-class targets and ``1 - alpha`` for void (the last class); mean of non-zero terms.

    Args:
        class_logits: ``(B, N, K+1)``; target_classes: ``(B, N)`` (K = void); weight: ``(B, N)``.
    """
    ce = F.cross_entropy(class_logits.transpose(1, 2), target_classes, reduction='none')
    is_void = (target_classes == class_logits.shape[-1] - 1).to(ce)
    return _mean_of_nonzero(ce * (alpha * (1 - is_void) + (1 - alpha) * is_void) * weight)


def pq_dice_loss(mask_logits: torch.Tensor, target_masks: torch.Tensor,
                 void_mask: Optional[torch.Tensor], weight: torch.Tensor,
                 alpha: float = 0.75) -> torch.Tensor:
    """PQ-style mask term: ``1 - (2 sum(p m) + 1) / (sum p + sum m + 1)`` per query, with ``p`` the
    softmax over queries (void pixels zeroed), times ``weight``; ``sum_queries * alpha / N``, mean
    over the batch.

    Args:
        mask_logits, target_masks: ``(B, N, HW)``; void_mask: ``(B, HW)`` bool; weight: ``(B, N)``.
    """
    prob = mask_logits.softmax(1)
    if void_mask is not None:
        prob = prob.masked_fill(void_mask.unsqueeze(1), 0)
    dice = (2 * (prob * target_masks).sum(-1) + 1) / (prob.sum(-1) + target_masks.sum(-1) + 1)
    return ((1 - dice) * weight).sum(1).mul(alpha / mask_logits.shape[1]).mean()


def mask_id_loss(mask_logits: torch.Tensor, target_masks: torch.Tensor,
                 void_mask: torch.Tensor) -> torch.Tensor:
    """Mask-ID cross-entropy: per pixel, CE over the queries against the (soft) one-hot of its
    matched query; void pixels dropped; mean of non-zero pixel terms per image, batch mean.

    Args:
        mask_logits, target_masks: ``(B, N, HW)``; void_mask: ``(B, HW)`` bool.
    """
    ce = F.cross_entropy(mask_logits, target_masks, reduction='none')
    return _mean_of_nonzero(ce.masked_fill(void_mask, 0))


def gumbel_topk(logits: torch.Tensor, k: int) -> torch.Tensor:
    """Sample ``k`` indices without replacement from ``softmax(logits)`` (Gumbel-top-k)."""
    uniform = torch.rand_like(logits).clamp_(min=torch.finfo(logits.dtype).tiny)
    return torch.topk(logits - torch.log(-torch.log(uniform)), k, dim=-1).indices


def _sample_logits(inverse_area: torch.Tensor, void_mask: torch.Tensor,
                   temperature: float) -> torch.Tensor:
    """Sampling logits ``temperature * log(HW / area of the pixel's mask)``, void excluded."""
    return inverse_area.log() * temperature + void_mask.to(inverse_area) * _MASKING_CONSTANT


def instance_discrimination_loss(pixel_feature: torch.Tensor, target_masks: torch.Tensor,
                                 void_mask: torch.Tensor, inverse_area: torch.Tensor,
                                 sample_k: int = 4096, sample_temperature: float = 1.5,
                                 temperature: float = 0.3) -> torch.Tensor:
    """Pixel instance discrimination on ``k`` sampled pixels.

    Target: for sampled pixels ``i, j``, ``[i and j in the same mask]`` normalised over ``i`` to
    sum to 1. Prediction: cosine similarity of the (L2-normalised) pixel features / temperature.
    Loss: CE(pred row, target row), mean of non-zero terms per image, batch mean.

    Args:
        pixel_feature: ``(B, E, HW)``; target_masks: ``(B, N, HW)``; void_mask, inverse_area:
        ``(B, HW)``. ``sample_k`` is capped at HW.
    """
    k = min(sample_k, pixel_feature.shape[-1])
    index = gumbel_topk(_sample_logits(inverse_area, void_mask, sample_temperature), k)
    gt = torch.gather(target_masks, 2, index.unsqueeze(1).expand(-1, target_masks.shape[1], -1))
    feat = torch.gather(pixel_feature, 2, index.unsqueeze(1).expand(-1, pixel_feature.shape[1], -1))
    # the temperature scales one factor (B x E x k) instead of the k x k similarities
    pred_sim = torch.einsum('bck,bcj->bkj', feat / temperature, feat)
    ids = _segment_ids(gt)
    if ids is not None:
        return _mean_of_nonzero(_one_hot_insdis_ce(pred_sim, feat / temperature, feat, ids))
    gt_sim = torch.einsum('bnk,bnj->bkj', gt, gt)
    gt_sim = gt_sim / gt_sim.sum(dim=1, keepdim=True).clamp(min=1.0)
    return _mean_of_nonzero(F.cross_entropy(pred_sim, gt_sim, reduction='none'))


def _segment_ids(gt: torch.Tensor) -> Optional[torch.Tensor]:
    """``(B, k)`` index of the one mask each sampled pixel belongs to (-1: void), or ``None``
    when some pixel is shared between masks (soft targets) or a mask value is not 0/1."""
    hits = gt != 0
    if bool((hits.sum(1) > 1).any()) or bool((hits & (gt != 1)).any()):
        return None
    return torch.where(hits.any(1), gt.argmax(1), torch.full_like(gt[:, 0], -1, dtype=torch.long))


def _one_hot_insdis_ce(pred_sim: torch.Tensor, feat_scaled: torch.Tensor, feat: torch.Tensor,
                       ids: torch.Tensor) -> torch.Tensor:
    """Per pixel ``j``: the instance-discrimination CE when every pixel lies in at most one
    mask, without the ``k x k`` target: with the target uniform over the ``n_j`` sampled
    pixels of ``j``'s mask, ``CE_j = logsumexp_i(s_ij) - (1 / n_j) sum_{i in mask} s_ij``, and
    the sum is ``f_j . (sum of the mask's features) / T``; void pixels give 0."""
    b, k = ids.shape
    valid = ids >= 0
    segments = int(ids.max()) + 1 if bool(valid.any()) else 1
    onehot = F.one_hot(ids.clamp(min=0), segments).to(feat) * valid.unsqueeze(-1).to(feat)
    seg_sum = torch.einsum('bck,bks->bcs', feat_scaled, onehot)  # (B, E, S)
    seg_count = onehot.sum(1)  # (B, S)
    gather_ids = ids.clamp(min=0)
    own = torch.gather(seg_sum, 2, gather_ids.unsqueeze(1).expand(-1, feat.shape[1], -1))
    count = torch.gather(seg_count, 1, gather_ids).clamp(min=1.0)
    same_mean = (own * feat).sum(1) / count
    # logsumexp over i as CE(target i = j) + s_jj: the fused log-softmax kernels run several
    # times faster than logsumexp's backward on CPU; s_jj from the features, as the backward
    # of a k x k diagonal would fill a k x k zero tensor
    diagonal = torch.arange(k, device=ids.device).expand(b, k)
    lse = F.cross_entropy(pred_sim, diagonal, reduction='none') + (feat_scaled * feat).sum(1)
    return torch.where(valid, lse - same_mean, torch.zeros_like(same_mean))


def aux_semantic_loss(logits: torch.Tensor, gt_semantic: torch.Tensor, void_mask: torch.Tensor,
                      inverse_area: torch.Tensor, sample_k: int = 4096,
                      sample_temperature: float = 2.0) -> torch.Tensor:
    """Semantic CE over K+1 classes on ``k`` pixels sampled like the instance discrimination
    (``sample_k=0``: all pixels), void (class K) ignored; mean of non-zero terms, batch mean.

    Args:
        logits: ``(B, K+1, HW)``; gt_semantic: ``(B, HW)`` with K for void; void_mask,
        inverse_area: ``(B, HW)``.
    """
    void_class = logits.shape[1] - 1
    if sample_k > 0:
        k = min(sample_k, logits.shape[-1])
        index = gumbel_topk(_sample_logits(inverse_area, void_mask, sample_temperature), k)
        gt_semantic = torch.gather(gt_semantic, 1, index)
        logits = torch.gather(logits, 2, index.unsqueeze(1).expand(-1, logits.shape[1], -1))
    ce = F.cross_entropy(logits, gt_semantic, ignore_index=void_class, reduction='none')
    return _mean_of_nonzero(ce * (gt_semantic != void_class).to(ce))


class KMaXCriterion:
    """Matches once on the final prediction and applies every loss to every prediction.

    Args:
        num_classes: K (void is K).
        loss_weights: weights of ``cls`` (PQ class), ``dice`` (PQ mask), ``mask_id``, ``insdis``
            and ``aux_sem``; the paper's are 3.0, 3.0, 0.3, 1.0, 1.0.
        no_object_weight: floor of the PQ-style weights (official 1e-5).
        insdis_sample_k, insdis_sample_temperature, insdis_temperature: instance discrimination
            sampling (4096 pixels, 1.5) and similarity temperature (0.3).
        aux_sem_sample_k, aux_sem_sample_temperature: semantic-loss sampling (4096, 2.0).
        masking_void_pixel: zero predicted masks on void pixels in the dice term and the matching.
    """

    DEFAULT_WEIGHTS = dict(cls=3.0, dice=3.0, mask_id=0.3, insdis=1.0, aux_sem=1.0)

    def __init__(self, num_classes: int, loss_weights: Optional[Dict[str, float]] = None,
                 no_object_weight: float = 1e-5, insdis_sample_k: int = 4096,
                 insdis_sample_temperature: float = 1.5, insdis_temperature: float = 0.3,
                 aux_sem_sample_k: int = 4096, aux_sem_sample_temperature: float = 2.0,
                 masking_void_pixel: bool = True) -> None:
        weights = dict(self.DEFAULT_WEIGHTS)
        unknown = set(loss_weights or {}) - set(weights)
        if unknown:
            raise KeyError(f'unknown kMaX loss_weights {sorted(unknown)}; '
                           f'accepted: {list(weights)}')
        weights.update(loss_weights or {})
        self.num_classes = num_classes
        self.weights = weights
        self.eos = no_object_weight
        self.insdis_cfg = dict(sample_k=insdis_sample_k,
                               sample_temperature=insdis_sample_temperature,
                               temperature=insdis_temperature)
        self.aux_sem_cfg = dict(sample_k=aux_sem_sample_k,
                                sample_temperature=aux_sem_sample_temperature)
        self.masking_void_pixel = masking_void_pixel

    @torch.no_grad()
    def build_targets(self, final: Dict[str, torch.Tensor],
                      gt_labels: Sequence[torch.Tensor], gt_masks: Sequence[torch.Tensor]
                      ) -> Tuple[Dict[str, torch.Tensor], List[MatchResult]]:
        """Match on ``final`` and lay the GT out per query (shared by all predictions)."""
        mask_logits = final['mask_logits']
        b, n = mask_logits.shape[:2]
        hw = mask_logits.shape[-2] * mask_logits.shape[-1]
        matches = [kmax_match(final['class_logits'][i], mask_logits[i], gt_labels[i], gt_masks[i],
                              self.masking_void_pixel) for i in range(b)]
        masks = mask_logits.new_zeros(b, n, hw)
        classes = torch.full((b, n), self.num_classes, dtype=torch.long, device=mask_logits.device)
        cls_prob = mask_logits.new_zeros(b, n)
        for i, m in enumerate(matches):
            masks[i, m.query_index] = gt_masks[i][m.gt_index].flatten(1).to(masks)
            classes[i, m.query_index] = gt_labels[i][m.gt_index]
            cls_prob[i, m.query_index] = m.class_prob.clamp(min=self.eos).to(cls_prob)
        # overlapping GT (instance-only data) is shared between its masks.
        masks = masks / masks.sum(1, keepdim=True).clamp(min=1.0)
        void = masks.sum(1) < 1
        area = torch.einsum('bnm,bn->bm', masks, masks.sum(-1))
        inverse_area = hw / area.clamp(min=1.0)
        # unmatched queries: class weight = share of their predicted mask on void pixels.
        prob = mask_logits.flatten(2).softmax(1)
        dice = torch.einsum('bnm,bm->bn', prob, void.to(prob)) / (prob.sum(-1) + 1e-5)
        for i, m in enumerate(matches):
            dice[i, m.query_index] = m.dice.to(dice)
        targets = dict(masks=masks, classes=classes, void=void, inverse_area=inverse_area,
                       class_weight=dice.clamp(min=self.eos), mask_weight=cls_prob)
        return targets, matches

    def losses_of(self, pred: Dict[str, torch.Tensor], t: Dict[str, torch.Tensor]
                  ) -> Dict[str, torch.Tensor]:
        """Weighted PQ-style, mask-ID and instance-discrimination losses of one prediction."""
        w = self.weights
        mask_logits = pred['mask_logits'].flatten(2)
        void = t['void'] if self.masking_void_pixel else None
        losses = dict(
            loss_cls=w['cls'] * pq_class_loss(pred['class_logits'], t['classes'],
                                              t['class_weight']),
            loss_dice=w['dice'] * pq_dice_loss(mask_logits, t['masks'], void, t['mask_weight']),
            loss_mask_id=w['mask_id'] * mask_id_loss(mask_logits, t['masks'], t['void']))
        if w['insdis'] > 0:
            losses['loss_insdis'] = w['insdis'] * instance_discrimination_loss(
                pred['pixel_feature'].flatten(2), t['masks'], t['void'], t['inverse_area'],
                **self.insdis_cfg)
        return losses

    def __call__(self, predictions: Sequence[Dict[str, torch.Tensor]],
                 gt_labels: Sequence[torch.Tensor], gt_masks: Sequence[torch.Tensor],
                 aux_semantic: Optional[torch.Tensor] = None,
                 gt_semantic: Optional[torch.Tensor] = None) -> Dict[str, torch.Tensor]:
        """All losses: final ones as ``loss_*``, layer ``i`` ones as ``d{i}.loss_*``.

        Args:
            predictions: per-layer predictions then the final one (dicts with ``class_logits``
                ``(B, N, K+1)``, ``mask_logits`` ``(B, N, h, w)``, ``pixel_feature``).
            gt_labels, gt_masks: per image ``(M,)`` labels and ``(M, h, w)`` binary masks.
            aux_semantic: ``(B, K+1, h, w)`` auxiliary semantic logits, or ``None``.
            gt_semantic: ``(B, h, w)`` class map with K for void (needed with ``aux_semantic``).
        """
        final = {k: v.float() for k, v in predictions[-1].items()}
        targets, _ = self.build_targets(final, gt_labels, gt_masks)
        losses = self.losses_of(final, targets)
        for i, pred in enumerate(predictions[:-1]):
            layer = self.losses_of({k: v.float() for k, v in pred.items()}, targets)
            losses.update({f'd{i}.{k}': v for k, v in layer.items()})
        if aux_semantic is not None and self.weights['aux_sem'] > 0:
            if gt_semantic is None:
                raise ValueError('aux_semantic logits were given without gt_semantic')
            losses['loss_aux_sem'] = self.weights['aux_sem'] * aux_semantic_loss(
                aux_semantic.float().flatten(2), gt_semantic.flatten(1), targets['void'],
                targets['inverse_area'], **self.aux_sem_cfg)
        return losses
