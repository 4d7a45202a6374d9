"""Right/bottom padding so that any input size works with windowed or strided models."""
from typing import Tuple

import torch
import torch.nn.functional as F


def pad_to_multiple(x: torch.Tensor, multiple: int, channels_last: bool = False
                    ) -> Tuple[torch.Tensor, Tuple[int, int]]:
    """Zero-pad the spatial dims of ``x`` at the bottom/right up to a multiple of ``multiple``.

    Args:
        x: ``(N, C, H, W)`` tensor, or ``(N, H, W, C)`` when ``channels_last``.
        multiple: the size both spatial dims are rounded up to.

    Returns:
        The padded tensor and the original ``(H, W)`` so the caller can crop back.
    """
    h, w = (x.shape[1], x.shape[2]) if channels_last else (x.shape[-2], x.shape[-1])
    pad_h, pad_w = (-h) % multiple, (-w) % multiple
    if pad_h or pad_w:
        pads = (0, 0, 0, pad_w, 0, pad_h) if channels_last else (0, pad_w, 0, pad_h)
        x = F.pad(x, pads)
    return x, (h, w)


def crop_to(x: torch.Tensor, size: Tuple[int, int], channels_last: bool = False) -> torch.Tensor:
    """Undo :func:`pad_to_multiple`: keep the top-left ``size`` of the spatial dims."""
    h, w = size
    if channels_last:
        return x[:, :h, :w, :]
    return x[..., :h, :w]
