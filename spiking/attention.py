"""Q-SDSA: quantized spike-driven self-attention of QSD-Transformer.

No softmax: spike Q, K, V (multi-level neurons after quantized RepConvs + BN), linear attention
``Q (K^T V) * scale`` over channels within each head (cost ``O(N d^2)``), then an attention
neuron with output ``count / 2`` and a quantized RepConv projection. The official scale is
0.25 (Meta-SpikeFormer used 0.125).

The same module, with plain 1x1 convs, a V widened ``v_ratio`` times and the attention neuron
normalised by ``D``, is the linear spike-driven attention of the Spike-Driven Transformer V3
(E-SpikeFormer) blocks the QSD release builds its 19M segmentor and Cascade Mask R-CNN from.
"""
from typing import Optional

import torch
import torch.nn as nn

from .layers import QRepConv, SpikeMatMul, seq_apply
from .neuron import MultiSpikeNode
from .quant import LSQConv2d


class QSDSA(nn.Module):
    """Quantized spike-driven self-attention on ``[T, B, C, H, W]`` maps.

    Args:
        dim: channels ``C`` (divisible by ``num_heads``).
        num_heads: heads.
        scale: factor on ``Q (K^T V)`` (0.25 as released).
        bits: LSQ weight bits of the RepConvs (``None``: full precision).
        levels: ``D`` of the spiking neurons.
        attn_norm: output divisor of the attention neuron (2 as released; ``None``: ``D``).
        decay: membrane decay of the neurons (``None``: stateless, as released).
        analog: real-valued neurons (the ANN counterpart, e.g. a distillation teacher).
        threshold: input worth one spike of every neuron (``MultiSpikeNode``; ``None``:
            ``1 / D`` as QSD, 1 in the SDT-V3 blocks).
        rep_conv: Q/K/V/projection convs are quantized RepConvs (QSD); ``False``: 1x1 convs
            (SDT-V3).
        v_ratio: V (and the projection's input) has ``v_ratio * dim`` channels (SDT-V3: 4).
        rounding: the neurons' rounding (``MultiSpikeNode``; ``'half_even'`` in SDT-V3).
    """

    def __init__(self, dim: int, num_heads: int = 8, scale: float = 0.25,
                 bits: Optional[int] = 4, levels: int = 4, attn_norm: Optional[float] = 2.0,
                 decay: Optional[float] = None, analog: bool = False,
                 threshold: Optional[float] = None, rep_conv: bool = True,
                 v_ratio: int = 1, rounding: str = 'half_up') -> None:
        super().__init__()
        if dim % num_heads:
            raise ValueError(f'QSDSA: dim {dim} must be divisible by num_heads {num_heads}')
        self.dim, self.num_heads, self.scale = dim, num_heads, scale

        def node(norm=None):
            return MultiSpikeNode(levels, norm=norm, decay=decay, analog=analog,
                                  threshold=threshold, rounding=rounding)

        def conv(cin: int, cout: int) -> nn.Module:
            if rep_conv:
                return QRepConv(cin, cout, bits)
            return LSQConv2d(cin, cout, 1, bias=False, bits=bits)

        self.head_lif = node()
        for name, width in (('q', dim), ('k', dim), ('v', dim * v_ratio)):
            self.add_module(f'{name}_conv', conv(dim, width))
            self.add_module(f'{name}_bn', nn.BatchNorm2d(width))
            self.add_module(f'{name}_lif', node())
        self.kv_matmul = SpikeMatMul(norm=levels)
        self.qkv_matmul = SpikeMatMul(norm=levels)
        self.attn_lif = node(attn_norm)
        self.proj_conv = conv(dim * v_ratio, dim)
        self.proj_bn = nn.BatchNorm2d(dim)

    def _heads(self, name: str, x: torch.Tensor) -> torch.Tensor:
        """Spike map of q/k/v as ``[T, B, heads, N, C / heads]``."""
        conv, bn, lif = (getattr(self, f'{name}_{p}') for p in ('conv', 'bn', 'lif'))
        s = lif(seq_apply(lambda z: bn(conv(z)), x))
        t, b, c, h, w = s.shape
        return s.reshape(t, b, self.num_heads, c // self.num_heads, h * w).transpose(-1, -2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        t, b, c, h, w = x.shape
        x = self.head_lif(x)
        q, k, v = self._heads('q', x), self._heads('k', x), self._heads('v', x)
        # Q (K^T V), not (Q K^T) V as SDT-V3 writes it: both orders sum the same spike-count
        # products exactly in fp32 (multiples of 1/D^3 up to N d, far below 2^24 D^3 for
        # detection and segmentation map sizes), and this one costs O(N d^2), not O(N^2 d)
        kv = self.kv_matmul(k.transpose(-2, -1), v)  # [T, B, heads, d, d_v]
        out = self.qkv_matmul(q, kv) * self.scale  # [T, B, heads, N, d_v]
        out = self.attn_lif(out.transpose(-1, -2).reshape(t, b, -1, h, w))
        return seq_apply(lambda z: self.proj_bn(self.proj_conv(z)), out)
