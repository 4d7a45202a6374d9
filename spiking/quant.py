"""LSQ weight quantization (Esser et al., "Learned Step Size Quantization", ICLR 2020).

As released with QSD-Transformer: signed ``bits``-bit integers ``Qn = -2^(b-1)``,
``Qp = 2^(b-1) - 1``, one learned step size per output channel, step-size gradient scaled by
``g = 1 / sqrt(numel(W) * Qp)``, rounding with a straight-through gradient, step sizes
initialised to ``2 * mean|W| / sqrt(Qp)`` on the first forward.
"""
import math
from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F


def _grad_scale(x: torch.Tensor, scale: float) -> torch.Tensor:
    """Identity forward, gradient multiplied by ``scale``."""
    return (x - x * scale).detach() + x * scale


def _round_pass(x: torch.Tensor) -> torch.Tensor:
    """Round forward, identity gradient."""
    return (x.round() - x).detach() + x


class LSQWeightQuantizer(nn.Module):
    """Fake-quantise a weight tensor with a learned per-output-channel step size.

    Args:
        num_channels: size of the weight's first dimension (one step size each).
        bits: signed integer width (>= 2; 4 by default, as QSD).
    """

    def __init__(self, num_channels: int, bits: int = 4) -> None:
        super().__init__()
        if not isinstance(bits, int) or bits < 2:
            raise ValueError(f'LSQWeightQuantizer: bits must be an int >= 2, got {bits!r}')
        self.bits = bits
        self.qn = -2 ** (bits - 1)
        self.qp = 2 ** (bits - 1) - 1
        self.alpha = nn.Parameter(torch.ones(num_channels))
        # 0 until the step sizes were initialised from the weights (checkpoints store 1)
        self.register_buffer('init_state', torch.zeros(1))
        self._checked = False  # avoids a device sync per forward once initialised

    def extra_repr(self) -> str:
        return f'channels={self.alpha.numel()}, bits={self.bits}'

    @torch.no_grad()
    def _init_alpha(self, weight: torch.Tensor) -> None:
        self.alpha.fill_(float(2 * weight.abs().mean() / math.sqrt(self.qp)))
        self.init_state.fill_(1)

    def forward(self, weight: torch.Tensor) -> torch.Tensor:
        """Return the fake-quantised ``weight`` (values ``alpha_c * k``, ``k`` in Qn..Qp)."""
        if not self._checked:
            if self.init_state.item() == 0:
                self._init_alpha(weight)
            self._checked = True
        g = 1.0 / math.sqrt(weight.numel() * self.qp)
        alpha = _grad_scale(self.alpha, g).view(-1, *([1] * (weight.dim() - 1)))
        return _round_pass(torch.clamp(weight / alpha, self.qn, self.qp)) * alpha

    def integer_weight(self, weight: torch.Tensor) -> torch.Tensor:
        """The integer codes ``k`` of ``weight`` (for export and tests)."""
        alpha = self.alpha.view(-1, *([1] * (weight.dim() - 1)))
        return torch.clamp(weight / alpha, self.qn, self.qp).round()


class LSQConv2d(nn.Conv2d):
    """``nn.Conv2d`` whose weight passes through :class:`LSQWeightQuantizer` (``bits=None``:
    full precision)."""

    def __init__(self, *args, bits: Optional[int] = 4, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.quant = None if bits is None else LSQWeightQuantizer(self.out_channels, bits)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        weight = self.weight if self.quant is None else self.quant(self.weight)
        return self._conv_forward(x, weight, self.bias)


class LSQLinear(nn.Linear):
    """``nn.Linear`` whose weight passes through :class:`LSQWeightQuantizer` (``bits=None``:
    full precision)."""

    def __init__(self, *args, bits: Optional[int] = 4, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.quant = None if bits is None else LSQWeightQuantizer(self.out_features, bits)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        weight = self.weight if self.quant is None else self.quant(self.weight)
        return F.linear(x, weight, self.bias)
