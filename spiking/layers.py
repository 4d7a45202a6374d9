"""Quantized spike-driven building blocks: padded BN, quantized RepConv, spike matmul."""
from typing import Callable, Optional

import torch
import torch.nn as nn
import torch.nn.functional as F

from .quant import LSQConv2d


def seq_apply(fn: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor) -> torch.Tensor:
    """Apply a 4-D module or function ``fn`` to a ``[T, B, C, H, W]`` sequence with time
    folded into the batch (one call for all time steps)."""
    t, b = x.shape[:2]
    y = fn(x.flatten(0, 1))
    return y.view(t, b, *y.shape[1:])


class BNAndPad(nn.BatchNorm2d):
    """BatchNorm followed by padding with the value BN gives to a zero input.

    Padding after the norm with ``BN(0)`` (instead of zero-padding before the next conv) keeps
    ``pad -> BN -> conv`` foldable into one convolution (re-parameterisation). The pad value is
    built from running statistics and detached weights, as in the released code.
    """

    def __init__(self, num_features: int, pad_pixels: int = 1, **kwargs) -> None:
        super().__init__(num_features, **kwargs)
        self.pad_pixels = pad_pixels

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = super().forward(x)
        p = self.pad_pixels
        if p <= 0:
            return out
        scale = torch.rsqrt(self.running_var + self.eps)
        if self.affine:
            pad = self.bias.detach() - self.running_mean * self.weight.detach() * scale
        else:
            pad = -self.running_mean * scale
        pad = pad.view(1, -1, 1, 1)
        # pad, then write the border (F.pad's backward does not need its output, so the
        # in-place writes are safe; the border carries no gradient, as pad is detached)
        out = F.pad(out, [p, p, p, p])
        out[:, :, :p, :] = pad
        out[:, :, -p:, :] = pad
        out[:, :, p:-p, :p] = pad
        out[:, :, p:-p, -p:] = pad
        return out


class QRepConv(nn.Module):
    """Quantized re-parameterisable 3x3 convolution of QSD (stride 1, same size).

    ``1x1 conv -> BN(+pad 1) -> depth-wise 3x3 -> 1x1 conv -> BN``; every conv is LSQ-quantised.
    All parts are linear, so at inference the block folds into one dense 3x3 conv fed by the
    input spikes; :meth:`fused_macs` gives that conv's multiply-adds for energy accounting.
    """

    def __init__(self, in_channels: int, out_channels: int, bits: Optional[int] = 4) -> None:
        super().__init__()
        self.in_channels, self.out_channels = in_channels, out_channels
        self.pw1 = LSQConv2d(in_channels, in_channels, 1, bias=False, bits=bits)
        self.pad_bn = BNAndPad(in_channels, pad_pixels=1)
        self.dw = LSQConv2d(in_channels, in_channels, 3, groups=in_channels, bias=False,
                            bits=bits)
        self.pw2 = LSQConv2d(in_channels, out_channels, 1, bias=False, bits=bits)
        self.bn = nn.BatchNorm2d(out_channels)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.bn(self.pw2(self.dw(self.pad_bn(self.pw1(x)))))

    def fused_macs(self, inputs: torch.Tensor, output: torch.Tensor) -> int:
        """Multiply-adds of the equivalent single dense 3x3 conv."""
        return output.numel() * self.in_channels * 9


class SpikeMatMul(nn.Module):
    """``a @ b`` where ``a`` holds normalised multi-level spikes (``counts / norm``).

    A module (rather than an inline ``@``) so energy accounting can find the operation and
    read the firing rate of ``a`` (each count of ``a`` is that many accumulates).
    """

    def __init__(self, norm: float = 4.0) -> None:
        super().__init__()
        self.norm = float(norm)

    def extra_repr(self) -> str:
        return f'norm={self.norm}'

    def forward(self, a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
        device = a.device.type
        if device not in ('cpu', 'cuda') or not torch.is_autocast_enabled(device):
            return a @ b
        # fp32 under autocast: sums of spike-count products over all tokens are exact in fp32
        # (integers up to 2^24 after scaling) but not in bf16/fp16, and the next neuron rounds
        # them to counts
        dtype = torch.promote_types(torch.promote_types(a.dtype, b.dtype), torch.float32)
        with torch.autocast(device_type=device, enabled=False):
            return a.to(dtype) @ b.to(dtype)
