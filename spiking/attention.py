"""Q-SDSA: quantized spike-driven self-attention of QSD-Transformer.

No softmax: spike Q, K, V (multi-level neurons after quantized RepConvs + BN), linear attention
``Q (K^T V) * scale`` over channels within each head (cost ``O(N d^2)``), then an attention
neuron with output ``count / 2`` and a quantized RepConv projection. The official scale is
0.25 (Meta-SpikeFormer used 0.125).
"""
from typing import Optional

import torch
import torch.nn as nn

from .layers import QRepConv, SpikeMatMul, seq_apply
from .neuron import MultiSpikeNode


class QSDSA(nn.Module):
    """Quantized spike-driven self-attention on ``[T, B, C, H, W]`` maps.

    Args:
        dim: channels ``C`` (divisible by ``num_heads``).
        num_heads: heads.
        scale: factor on ``Q (K^T V)`` (0.25 as released).
        bits: LSQ weight bits of the RepConvs (``None``: full precision).
        levels: ``D`` of the spiking neurons.
        attn_norm: output divisor of the attention neuron (2 as released).
        decay: membrane decay of the neurons (``None``: stateless, as released).
        analog: real-valued neurons (the ANN counterpart, e.g. a distillation teacher).
    """

    def __init__(self, dim: int, num_heads: int = 8, scale: float = 0.25,
                 bits: Optional[int] = 4, levels: int = 4, attn_norm: float = 2.0,
                 decay: Optional[float] = None, analog: bool = False) -> None:
        super().__init__()
        if dim % num_heads:
            raise ValueError(f'QSDSA: dim {dim} must be divisible by num_heads {num_heads}')
        self.dim, self.num_heads, self.scale = dim, num_heads, scale

        def node(norm=None):
            return MultiSpikeNode(levels, norm=norm, decay=decay, analog=analog)

        self.head_lif = node()
        for name in ('q', 'k', 'v'):
            self.add_module(f'{name}_conv', QRepConv(dim, dim, bits))
            self.add_module(f'{name}_bn', nn.BatchNorm2d(dim))
            self.add_module(f'{name}_lif', node())
        self.kv_matmul = SpikeMatMul(norm=levels)
        self.qkv_matmul = SpikeMatMul(norm=levels)
        self.attn_lif = node(attn_norm)
        self.proj_conv = QRepConv(dim, dim, bits)
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
        kv = self.kv_matmul(k.transpose(-2, -1), v)  # [T, B, heads, d, d]
        out = self.qkv_matmul(q, kv) * self.scale  # [T, B, heads, N, d]
        out = self.attn_lif(out.transpose(-1, -2).reshape(t, b, c, h, w))
        return seq_apply(lambda z: self.proj_bn(self.proj_conv(z)), out)
