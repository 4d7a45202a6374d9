"""Hungarian matching with kMaX's PQ-style product cost ``-(dice similarity x class probability)``.

mmdet's ``HungarianAssigner`` sums weighted costs and cannot express a product, so the cost is
built here and solved per image with SciPy's ``linear_sum_assignment``.
"""
from typing import NamedTuple

import torch
from scipy.optimize import linear_sum_assignment


class MatchResult(NamedTuple):
    """Matched pairs of one image: query indices, GT indices, and the detached similarities of
    each pair (used as the PQ-style loss weights)."""
    query_index: torch.Tensor
    gt_index: torch.Tensor
    dice: torch.Tensor
    class_prob: torch.Tensor


@torch.no_grad()
def mask_similarity(mask_logits: torch.Tensor, gt_masks: torch.Tensor,
                    masking_void_pixel: bool = True) -> torch.Tensor:
    """Dice similarity ``(N, M)`` between query-softmax masks and GT masks.

    Args:
        mask_logits: ``(N, HW)`` logits; probabilities are a softmax over the N queries.
        gt_masks: ``(M, HW)`` binary GT masks.
        masking_void_pixel: zero predictions on pixels no GT mask covers.
    """
    prob = mask_logits.float().softmax(dim=0)
    gt = gt_masks.float()
    if masking_void_pixel:
        prob = prob * (gt.sum(0, keepdim=True) > 0).float()
    intersection = prob @ gt.t()
    denominator = (prob.sum(-1)[:, None] + gt.sum(-1)[None, :]) / 2.0
    return intersection / (denominator + 1e-5)


@torch.no_grad()
def class_similarity(class_logits: torch.Tensor, gt_labels: torch.Tensor) -> torch.Tensor:
    """``(N, M)`` probability each query gives to each GT's class (void logit included in the
    softmax, excluded from the lookup)."""
    return class_logits.float().softmax(-1)[:, :-1][:, gt_labels]


@torch.no_grad()
def kmax_match(class_logits: torch.Tensor, mask_logits: torch.Tensor, gt_labels: torch.Tensor,
               gt_masks: torch.Tensor, masking_void_pixel: bool = True) -> MatchResult:
    """Match the queries of one image to its GT segments.

    Args:
        class_logits: ``(N, K+1)``.
        mask_logits: ``(N, H, W)`` (or ``(N, HW)``).
        gt_labels: ``(M,)`` class indices in ``[0, K)``.
        gt_masks: ``(M, H, W)`` binary masks at the prediction size.

    Returns:
        :class:`MatchResult` with ``min(N, M)`` pairs that maximise the sum of
        ``dice x class probability``.
    """
    dice = mask_similarity(mask_logits.flatten(1), gt_masks.flatten(1), masking_void_pixel)
    prob = class_similarity(class_logits, gt_labels)
    rows, cols = linear_sum_assignment((-dice * prob).cpu().numpy())
    rows = torch.as_tensor(rows, dtype=torch.long, device=class_logits.device)
    cols = torch.as_tensor(cols, dtype=torch.long, device=class_logits.device)
    return MatchResult(rows, cols, dice[rows, cols], prob[rows, cols])
