"""Manhattan self-attention (MaSA) of RMT (Fan et al., "RMT: Retentive Networks Meet Vision
Transformers", CVPR 2024), computed exactly as the official code computes it.

Per head ``h`` of ``N`` the spatial decay is
``gamma_h = 1 - 2 ** -(init_value + heads_range * h / N)``. The official code adds
``log(gamma_h) * distance`` to the attention logits *before* the softmax (the paper writes a
product with ``gamma ** distance`` after it); released weights need the code's version, so that
is what is implemented. Keys are scaled by ``head_dim ** -0.5``, then queries and
keys get a RetNet-style rotary embedding ("theta shift") whose 1-D position is the raster index
``y * W + x``. A 5x5 depthwise convolution of V (local context enhancement, ``lepe``) is added to
the attention output before ``out_proj``.

Two forms:

* full: one attention over all ``H*W`` tokens with the Manhattan decay ``|dy| + |dx|``;
* decomposed: attention along the width of every row (1-D decay ``|dx|``), then along the height
  of every column (1-D decay ``|dy|``) applied to the row-attended values.

Tensors are NHWC, as in the official code. Tables (decay masks, rotary sin/cos) are rebuilt for
every input size, so any height and width work without interpolation.
"""
from typing import NamedTuple, Tuple, Union

import torch
import torch.nn as nn
import torch.nn.functional as F

from .packed_linear import PackedLinear


class DepthwiseConvNHWC(nn.Conv2d):
    """Depthwise ``k x k`` convolution (stride 1, same padding) on an NHWC tensor."""

    def __init__(self, channels: int, kernel_size: int) -> None:
        super().__init__(channels, channels, kernel_size, 1, kernel_size // 2, groups=channels)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return super().forward(x.permute(0, 3, 1, 2)).permute(0, 2, 3, 1)


def rotate_every_two(x: torch.Tensor) -> torch.Tensor:
    """``(x0, x1, x2, x3, ...) -> (-x1, x0, -x3, x2, ...)`` on the last dimension."""
    x1 = x[..., ::2]
    x2 = x[..., 1::2]
    return torch.stack([-x2, x1], dim=-1).flatten(-2)


def theta_shift(x: torch.Tensor, sin: torch.Tensor, cos: torch.Tensor) -> torch.Tensor:
    """RetNet's rotary embedding: ``x * cos + rotate_every_two(x) * sin``."""
    return x * cos + rotate_every_two(x) * sin


class ManhattanTables(NamedTuple):
    """Per-input-size tables shared by every block of a stage.

    ``sin``/``cos``: ``(H, W, head_dim)``; ``decay``: ``(N, H*W, H*W)`` for the full form or
    the pair ``((N, H, H), (N, W, W))`` for the decomposed form (log-decay values, added to
    the logits).
    """
    sin: torch.Tensor
    cos: torch.Tensor
    decay: Union[torch.Tensor, Tuple[torch.Tensor, torch.Tensor]]


class ManhattanRelPos(nn.Module):
    """Per-head log-decay ``log(gamma_h)`` and rotary frequencies of one stage.

    Both are persistent buffers (as in the official code) so a checkpoint's values are used.

    Args:
        embed_dims: channels of the stage.
        num_heads: attention heads ``N``.
        init_value: ``gamma_h = 1 - 2 ** -(init_value + heads_range * h / N)``.
        heads_range: spread of the exponent over the heads.
    """

    def __init__(self, embed_dims: int, num_heads: int, init_value: float,
                 heads_range: float) -> None:
        super().__init__()
        if embed_dims % num_heads:
            raise ValueError(f'ManhattanRelPos: embed_dims={embed_dims} is not divisible by '
                             f'num_heads={num_heads}')
        head_dim = embed_dims // num_heads
        if head_dim % 2:
            raise ValueError(f'ManhattanRelPos: the rotary embedding needs an even head_dim '
                             f'(embed_dims / num_heads); got {head_dim}')
        self.num_heads = num_heads
        angle = 1.0 / (10000 ** torch.linspace(0, 1, head_dim // 2))
        angle = angle.unsqueeze(-1).repeat(1, 2).flatten()
        exponent = init_value + heads_range * torch.arange(num_heads, dtype=torch.float) / num_heads
        self.register_buffer('angle', angle)
        self.register_buffer('decay', torch.log(1 - 2 ** (-exponent)))

    def rotary(self, height: int, width: int) -> Tuple[torch.Tensor, torch.Tensor]:
        """``sin``/``cos`` of shape ``(H, W, head_dim)`` at raster positions ``y * W + x``."""
        index = torch.arange(height * width).to(self.decay)
        phase = index[:, None] * self.angle[None, :]
        return (torch.sin(phase).reshape(height, width, -1),
                torch.cos(phase).reshape(height, width, -1))

    def decay_1d(self, length: int) -> torch.Tensor:
        """``(N, L, L)`` log-decay ``log(gamma_h) * |i - j|``."""
        index = torch.arange(length).to(self.decay)
        return (index[:, None] - index[None, :]).abs() * self.decay[:, None, None]

    def decay_2d(self, height: int, width: int) -> torch.Tensor:
        """``(N, HW, HW)`` log-decay ``log(gamma_h) * (|dy| + |dx|)`` over raster tokens."""
        grid = torch.stack(torch.meshgrid(torch.arange(height).to(self.decay),
                                          torch.arange(width).to(self.decay), indexing='ij'),
                           dim=-1).reshape(height * width, 2)
        distance = (grid[:, None, :] - grid[None, :, :]).abs().sum(dim=-1)
        return distance * self.decay[:, None, None]

    def forward(self, height: int, width: int, decomposed: bool) -> ManhattanTables:
        """Tables for an ``height x width`` token grid (full or decomposed form)."""
        sin, cos = self.rotary(height, width)
        if decomposed:
            return ManhattanTables(sin, cos, (self.decay_1d(height), self.decay_1d(width)))
        return ManhattanTables(sin, cos, self.decay_2d(height, width))


def _attend(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, bias: torch.Tensor,
            fused: bool) -> torch.Tensor:
    """``softmax(q k^T + bias) v`` with ``k`` already scaled; ``bias`` broadcasts over batch."""
    if fused:
        # k carries the scale already, so the kernel must not scale again; the CPU flash kernel
        # takes only a 4-D mask (a 3-D one silently falls back to the slow math path). Under
        # autocast the mask is added in half precision (the explicit path adds it in fp32).
        mask = bias.to(q.dtype).expand(q.shape[0], -1, -1, -1)
        return F.scaled_dot_product_attention(q, k, v, attn_mask=mask, scale=1.0)
    return torch.softmax(q @ k.transpose(-1, -2) + bias, dim=-1) @ v


class ManhattanSelfAttention(nn.Module):
    """Manhattan self-attention on NHWC tokens (see the module docstring).

    Args:
        embed_dims: channels ``C``.
        num_heads: heads ``N`` (``C / N`` must be even for the rotary embedding).
        decomposed: width-then-height attention (early stages) instead of full attention.
        fused: use :func:`torch.nn.functional.scaled_dot_product_attention` with the decay as an
            additive mask (same values within float rounding, faster). ``False`` runs the
            explicit ``softmax(q k^T + decay) v`` matmuls of the official code.
    """

    def __init__(self, embed_dims: int, num_heads: int, decomposed: bool,
                 fused: bool = True) -> None:
        super().__init__()
        if embed_dims % num_heads:
            raise ValueError(f'ManhattanSelfAttention: embed_dims={embed_dims} is not divisible '
                             f'by num_heads={num_heads}')
        self.embed_dims = embed_dims
        self.num_heads = num_heads
        self.head_dim = embed_dims // num_heads
        self.scale = self.head_dim ** -0.5
        self.decomposed = decomposed
        self.fused = fused
        self.q_proj = PackedLinear(embed_dims, embed_dims)
        self.k_proj = PackedLinear(embed_dims, embed_dims)
        self.v_proj = PackedLinear(embed_dims, embed_dims)
        self.lepe = DepthwiseConvNHWC(embed_dims, 5)
        self.out_proj = PackedLinear(embed_dims, embed_dims)

    def forward(self, x: torch.Tensor, tables: ManhattanTables) -> torch.Tensor:
        """``x``: ``(B, H, W, C)``; ``tables``: from :class:`ManhattanRelPos` for this ``H, W``."""
        b, h, w, _ = x.shape
        n, d = self.num_heads, self.head_dim
        q = self.q_proj(x)
        k = self.k_proj(x) * self.scale
        v = self.v_proj(x)
        lepe = self.lepe(v)
        # under autocast the projections are half precision; keep the tables in the same dtype
        sin, cos = tables.sin.to(q.dtype), tables.cos.to(q.dtype)
        q = theta_shift(q.view(b, h, w, n, d).permute(0, 3, 1, 2, 4), sin, cos)  # b n h w d
        k = theta_shift(k.view(b, h, w, n, d).permute(0, 3, 1, 2, 4), sin, cos)
        v = v.view(b, h, w, n, d)
        if self.decomposed:
            out = self._decomposed(q, k, v, tables.decay)
        else:
            out = _attend(q.flatten(2, 3), k.flatten(2, 3),
                          v.permute(0, 3, 1, 2, 4).flatten(2, 3), tables.decay, self.fused)
            out = out.transpose(1, 2).reshape(b, h, w, n * d)
        return self.out_proj(out + lepe)

    def _decomposed(self, q: torch.Tensor, k: torch.Tensor, v: torch.Tensor,
                    decay: Tuple[torch.Tensor, torch.Tensor]) -> torch.Tensor:
        b, n, h, w, d = q.shape
        decay_h, decay_w = decay
        # along the width, every row is a batch entry: (b*h, n, w, d)
        rows = lambda t: t.transpose(1, 2).reshape(b * h, n, w, d)  # noqa: E731
        v = _attend(rows(q), rows(k), v.permute(0, 1, 3, 2, 4).reshape(b * h, n, w, d),
                    decay_w, self.fused)
        # then along the height of the row-attended values, every column a batch entry
        cols = lambda t: t.permute(0, 3, 1, 2, 4).reshape(b * w, n, h, d)  # noqa: E731
        v = v.view(b, h, n, w, d).permute(0, 3, 2, 1, 4).reshape(b * w, n, h, d)
        out = _attend(cols(q), cols(k), v, decay_h, self.fused)  # (b*w, n, h, d)
        return out.view(b, w, n, h, d).permute(0, 3, 1, 2, 4).reshape(b, h, w, n * d)
