"""Swin Transformer (Liu et al., ICCV 2021) as a dense-prediction backbone.

Follows the official detection/segmentation backbone: every block shifts its windows (odd blocks),
feature maps are padded to the window size after ``norm1`` (padded tokens are zeros and are not
masked, as in the released models), and stage ``i`` is read out *before* its patch merging through
a new LayerNorm ``norm{i}``. Window attention adds the relative position bias and the shift
mask to the logits without materialising them per window: on CPU for windows of up to 64
tokens as two batched matmuls around an in-place add and softmax (for such short sequences
this beats the fused kernel: 1.3-1.7x forward, 1.4x forward+backward at 2 threads,
``tools/compare_speed.py``), otherwise through
:func:`torch.nn.functional.scaled_dot_product_attention` with one additive bias.

Key layout (``tools/convert_checkpoint.py swin`` maps the official release files to it)::

    patch_embed.proj / patch_embed.norm / patch_embed.absolute_pos_embed
    stages.{i}.blocks.{j}.{norm1, attn.qkv, attn.proj, attn.relative_position_bias_table,
                           norm2, mlp.fc1, mlp.fc2}
    stages.{i}.downsample.{norm, reduction}          # patch merging after stage i (i < 3)
    norm{i}                                          # output norms (new; start fresh)
"""
from typing import Dict, List, Optional, Sequence, Tuple, Union

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmcv.cnn import build_norm_layer
from mmcv.cnn.bricks import DropPath
from mmengine.model.weight_init import trunc_normal_

from ...registry import MODELS
from ..layers.checkpoint import maybe_checkpoint
from ..layers import Mlp, drop_path_rates
from ..utils import crop_to, pad_to_multiple
from .base import HierarchicalBackbone
from ..layers.packed_linear import PackedLinear


def window_partition(x: torch.Tensor, window_size: int) -> torch.Tensor:
    """``(B, H, W, C)`` -> ``(B * nW, window_size**2, C)``, windows in row-major order."""
    b, h, w, c = x.shape
    x = x.view(b, h // window_size, window_size, w // window_size, window_size, c)
    return x.permute(0, 1, 3, 2, 4, 5).reshape(-1, window_size * window_size, c)


def window_reverse(windows: torch.Tensor, window_size: int, h: int, w: int) -> torch.Tensor:
    """Inverse of :func:`window_partition`: ``(B * nW, ws**2, C)`` -> ``(B, H, W, C)``."""
    c = windows.shape[-1]
    x = windows.view(-1, h // window_size, w // window_size, window_size, window_size, c)
    return x.permute(0, 1, 3, 2, 4, 5).reshape(-1, h, w, c)


def relative_position_index(window_size: int) -> torch.Tensor:
    """``(N, N)`` index into the ``((2ws-1)**2, nH)`` bias table, as in the official code."""
    coords = torch.stack(torch.meshgrid(torch.arange(window_size), torch.arange(window_size),
                                        indexing='ij')).flatten(1)
    rel = (coords[:, :, None] - coords[:, None, :]).permute(1, 2, 0) + (window_size - 1)
    return rel[..., 0] * (2 * window_size - 1) + rel[..., 1]


def shifted_window_mask(h: int, w: int, window_size: int, shift: int,
                        device: torch.device) -> torch.Tensor:
    """``(nW, N, N)`` additive mask: -100 between tokens from different regions of the shift."""
    labels = torch.zeros(h, w, device=device)
    slices = (slice(0, -window_size), slice(-window_size, -shift), slice(-shift, None))
    region = 0
    for hs in slices:
        for ws in slices:
            labels[hs, ws] = region
            region += 1
    labels = window_partition(labels[None, :, :, None], window_size).squeeze(-1)
    diff = labels[:, None, :] - labels[:, :, None]
    return torch.zeros_like(diff).masked_fill(diff != 0, -100.0)


#: windows of at most this many tokens use the explicit attention on CPU (see the docstring)
EXPLICIT_ATTENTION_MAX_TOKENS = 64


class WindowAttention(nn.Module):
    """Multi-head self-attention inside windows with a learned relative position bias.

    Args:
        dim: channels.
        num_heads: attention heads.
        window_size: side of the square window.
        qkv_bias: bias on the qkv projection.
        attn_drop: dropout on the attention weights.
        proj_drop: dropout after the output projection.
    """

    def __init__(self, dim: int, num_heads: int, window_size: int, qkv_bias: bool = True,
                 attn_drop: float = 0.0, proj_drop: float = 0.0) -> None:
        super().__init__()
        if dim % num_heads:
            raise ValueError(f'WindowAttention: dim {dim} is not divisible by num_heads '
                             f'{num_heads}')
        self.num_heads = num_heads
        self.window_size = window_size
        self.relative_position_bias_table = nn.Parameter(
            torch.zeros((2 * window_size - 1) ** 2, num_heads))
        self.register_buffer('relative_position_index', relative_position_index(window_size),
                             persistent=False)
        self.qkv = PackedLinear(dim, dim * 3, bias=qkv_bias)
        self.attn_drop = attn_drop
        self.proj = PackedLinear(dim, dim)
        self.proj_drop = nn.Dropout(proj_drop)
        trunc_normal_(self.relative_position_bias_table, std=0.02)

    def relative_position_bias(self) -> torch.Tensor:
        """``(nH, N, N)`` bias gathered from the table."""
        n = self.window_size ** 2
        bias = self.relative_position_bias_table[self.relative_position_index.view(-1)]
        return bias.view(n, n, -1).permute(2, 0, 1)

    def forward(self, x: torch.Tensor, mask: Optional[torch.Tensor] = None) -> torch.Tensor:
        """x: ``(B * nW, N, C)``; mask: ``(nW, N, N)`` additive or None."""
        bw, n, c = x.shape
        qkv = self.qkv(x).view(bw, n, 3, self.num_heads, c // self.num_heads)
        q, k, v = qkv.permute(2, 0, 3, 1, 4).unbind(0)
        bias = self.relative_position_bias().to(q.dtype)  # (nH, N, N)
        nw = 1
        if mask is not None:
            nw = mask.shape[0]
            bias = bias + mask.to(q.dtype).unsqueeze(1)  # (nW, nH, N, N)
        dropout = self.attn_drop if self.training else 0.0
        if q.device.type == 'cpu' and n <= EXPLICIT_ATTENTION_MAX_TOKENS:
            # (B, nW, nH, N, N) logits: the bias broadcasts over the images of the batch
            attn = torch.matmul(q * q.shape[-1] ** -0.5, k.transpose(-2, -1))
            attn = attn.view(bw // nw, nw, -1, n, n).add_(bias).view(bw, -1, n, n).softmax(-1)
            x = torch.matmul(F.dropout(attn, dropout, self.training), v)
        else:
            if mask is not None:
                bias = bias.unsqueeze(0).expand(bw // nw, -1, -1, -1, -1).reshape(bw, -1, n, n)
            x = F.scaled_dot_product_attention(q, k, v, attn_mask=bias, dropout_p=dropout)
        return self.proj_drop(self.proj(x.transpose(1, 2).reshape(bw, n, c)))

    def _load_from_state_dict(self, state_dict, prefix, *args, **kwargs) -> None:
        # A checkpoint trained with another window size (7 -> 12) carries a table of another
        # size: resize it bicubically as a (nH, 2W-1, 2W-1) image, as the official loaders do.
        key = prefix + 'relative_position_bias_table'
        table = state_dict.get(key)
        own = self.relative_position_bias_table
        if table is not None and table.shape != own.shape and table.shape[1] == own.shape[1]:
            old, new = round(table.shape[0] ** 0.5), 2 * self.window_size - 1
            table = table.t().reshape(1, -1, old, old)
            table = F.interpolate(table, size=(new, new), mode='bicubic', align_corners=False)
            state_dict[key] = table.reshape(-1, new * new).t()
        state_dict.pop(prefix + 'relative_position_index', None)
        super()._load_from_state_dict(state_dict, prefix, *args, **kwargs)


class SwinBlock(nn.Module):
    """Pre-norm block: (shifted) window attention then MLP, each with a residual.

    Works on channels-last maps ``(B, H, W, C)`` of any size (pads to the window size).
    """

    def __init__(self, dim: int, num_heads: int, window_size: int, shift: bool,
                 mlp_ratio: float = 4.0, qkv_bias: bool = True, drop: float = 0.0,
                 attn_drop: float = 0.0, drop_path: float = 0.0,
                 act_cfg: Optional[dict] = None, norm_cfg: Optional[dict] = None) -> None:
        super().__init__()
        norm_cfg = norm_cfg or dict(type='LN')
        self.window_size = window_size
        self.shift_size = window_size // 2 if shift else 0
        self.norm1 = build_norm_layer(norm_cfg, dim)[1]
        self.attn = WindowAttention(dim, num_heads, window_size, qkv_bias, attn_drop, drop)
        self.drop_path = DropPath(drop_path) if drop_path > 0 else nn.Identity()
        self.norm2 = build_norm_layer(norm_cfg, dim)[1]
        self.mlp = Mlp(dim, int(dim * mlp_ratio), act_cfg=act_cfg, drop=drop)
        self._mask_cache: Dict[Tuple[int, int, torch.device], torch.Tensor] = {}

    def _shift_mask(self, h: int, w: int, device: torch.device) -> torch.Tensor:
        key = (h, w, device)
        if key not in self._mask_cache:  # masks depend only on the padded size
            self._mask_cache = {key: shifted_window_mask(h, w, self.window_size,
                                                         self.shift_size, device)}
        return self._mask_cache[key]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        ws, shift = self.window_size, self.shift_size
        y, size = pad_to_multiple(self.norm1(x), ws, channels_last=True)
        hp, wp = y.shape[1], y.shape[2]
        mask = None
        if shift:
            y = torch.roll(y, (-shift, -shift), dims=(1, 2))
            mask = self._shift_mask(hp, wp, y.device)
        y = window_reverse(self.attn(window_partition(y, ws), mask), ws, hp, wp)
        if shift:
            y = torch.roll(y, (shift, shift), dims=(1, 2))
        x = x + self.drop_path(crop_to(y, size, channels_last=True))
        return x + self.drop_path(self.mlp(self.norm2(x)))


class PatchMerging(nn.Module):
    """2x2 neighbourhood concat (official order x0, x1, x2, x3) -> norm -> linear 4C -> 2C."""

    def __init__(self, dim: int, norm_cfg: Optional[dict] = None) -> None:
        super().__init__()
        self.norm = build_norm_layer(norm_cfg or dict(type='LN'), 4 * dim)[1]
        self.reduction = PackedLinear(4 * dim, 2 * dim, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x, _ = pad_to_multiple(x, 2, channels_last=True)
        b, h, w, c = x.shape
        # (B, H/2, 2(row), W/2, 2(col), C) -> order (col, row) gives x0=(0,0) x1=(1,0) x2=(0,1)
        x = x.view(b, h // 2, 2, w // 2, 2, c).permute(0, 1, 3, 4, 2, 5).reshape(
            b, h // 2, w // 2, 4 * c)
        return self.reduction(self.norm(x))


class PatchEmbed(nn.Module):
    """Non-overlapping ``patch_size`` conv, optional norm and absolute position embedding."""

    def __init__(self, in_channels: int, dim: int, patch_size: int, patch_norm: bool,
                 norm_cfg: Optional[dict], abs_pos_grid: Optional[int]) -> None:
        super().__init__()
        self.patch_size = patch_size
        self.proj = nn.Conv2d(in_channels, dim, patch_size, patch_size)
        self.norm = build_norm_layer(norm_cfg or dict(type='LN'), dim)[1] if patch_norm else None
        self.absolute_pos_embed = None
        if abs_pos_grid:
            self.absolute_pos_embed = nn.Parameter(torch.zeros(1, abs_pos_grid ** 2, dim))
            trunc_normal_(self.absolute_pos_embed, std=0.02)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``(B, 3, H, W)`` -> ``(B, H/p, W/p, C)`` (padded up to a multiple of ``p``)."""
        x, _ = pad_to_multiple(x, self.patch_size)
        x = self.proj(x).permute(0, 2, 3, 1)
        if self.norm is not None:
            x = self.norm(x)
        if self.absolute_pos_embed is not None:
            h, w = x.shape[1:3]
            grid = round(self.absolute_pos_embed.shape[1] ** 0.5)
            pos = self.absolute_pos_embed.reshape(1, grid, grid, -1).permute(0, 3, 1, 2)
            if (h, w) != (grid, grid):
                pos = F.interpolate(pos, size=(h, w), mode='bicubic', align_corners=False)
            x = x + pos.permute(0, 2, 3, 1)
        return x


class SwinStage(nn.Module):
    """``depth`` blocks alternating regular and shifted windows, then optional patch merging."""

    def __init__(self, dim: int, depth: int, num_heads: int, window_size: int,
                 drop_paths: Sequence[float], downsample: bool, with_cp: bool,
                 **block_kwargs) -> None:
        super().__init__()
        self.with_cp = with_cp
        self.blocks = nn.ModuleList(
            SwinBlock(dim, num_heads, window_size, shift=j % 2 == 1, drop_path=drop_paths[j],
                      **block_kwargs) for j in range(depth))
        self.downsample = PatchMerging(dim, block_kwargs.get('norm_cfg')) if downsample else None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for block in self.blocks:
            x = maybe_checkpoint(block, x, with_cp=self.with_cp)
        return x


@MODELS.register_module()
class SwinTransformer(HierarchicalBackbone):
    """Swin Transformer backbone.

    Args:
        arch: ``'tiny'``, ``'small'``, ``'base'``, ``'large'``, ``'base-384'``, ``'large-384'``
            or a dict with ``embed_dims``, ``depths``, ``num_heads`` (and optionally
            ``window_size``, ``pretrain_img_size``).
        in_channels: image channels.
        patch_size: stem stride.
        window_size: attention window; ``None`` takes the preset's (7, or 12 for ``*-384``).
        pretrain_img_size: size the absolute position embedding was trained at.
        mlp_ratio: MLP hidden width / channels.
        qkv_bias: bias on qkv projections.
        drop_rate / attn_drop_rate / drop_path_rate: dropout rates; drop path grows linearly
            over the blocks up to ``drop_path_rate``.
        use_abs_pos_embed: add a learned absolute position embedding after the stem.
        patch_norm: LayerNorm after the stem.
        out_indices: stages to return (0..3).
        frozen_stages: -1 none; 0 the stem; i the stem and stages 1..i.
        norm_eval: keep batch norms in eval mode (Swin has none unless ``norm_cfg`` says so).
        with_cp: gradient checkpointing per block (saves memory, same gradients).
        act_cfg / norm_cfg: activation and norm configs.
        init_cfg: ``dict(type='Pretrained', checkpoint=...)`` loads this toolkit's layout.
    """

    arch_zoo = {
        'tiny': dict(embed_dims=96, depths=(2, 2, 6, 2), num_heads=(3, 6, 12, 24)),
        'small': dict(embed_dims=96, depths=(2, 2, 18, 2), num_heads=(3, 6, 12, 24)),
        'base': dict(embed_dims=128, depths=(2, 2, 18, 2), num_heads=(4, 8, 16, 32)),
        'large': dict(embed_dims=192, depths=(2, 2, 18, 2), num_heads=(6, 12, 24, 48)),
        'base-384': dict(embed_dims=128, depths=(2, 2, 18, 2), num_heads=(4, 8, 16, 32),
                         window_size=12, pretrain_img_size=384),
        'large-384': dict(embed_dims=192, depths=(2, 2, 18, 2), num_heads=(6, 12, 24, 48),
                          window_size=12, pretrain_img_size=384),
    }
    arch_keys = ('embed_dims', 'depths', 'num_heads')
    fresh_param_prefixes = ('norm0.', 'norm1.', 'norm2.', 'norm3.')

    def __init__(self, arch: Union[str, dict] = 'tiny', in_channels: int = 3,
                 patch_size: int = 4, window_size: Optional[int] = None,
                 pretrain_img_size: Optional[int] = None, mlp_ratio: float = 4.0,
                 qkv_bias: bool = True, drop_rate: float = 0.0, attn_drop_rate: float = 0.0,
                 drop_path_rate: float = 0.1, use_abs_pos_embed: bool = False,
                 patch_norm: bool = True, out_indices: Sequence[int] = (0, 1, 2, 3),
                 frozen_stages: int = -1, norm_eval: bool = False, with_cp: bool = False,
                 act_cfg: Optional[dict] = None, norm_cfg: Optional[dict] = None,
                 init_cfg: Optional[Union[dict, List[dict]]] = None) -> None:
        super().__init__(frozen_stages=frozen_stages, norm_eval=norm_eval, init_cfg=init_cfg)
        settings = self.resolve_arch(arch)
        embed_dims = settings['embed_dims']
        depths, num_heads = tuple(settings['depths']), tuple(settings['num_heads'])
        if len(depths) != len(num_heads):
            raise ValueError(f'SwinTransformer: depths {depths} and num_heads {num_heads} '
                             'must have the same length')
        if window_size is None:
            window_size = settings.get('window_size', 7)
        if pretrain_img_size is None:
            pretrain_img_size = settings.get('pretrain_img_size', 224)
        for name, value in (('window_size', window_size), ('patch_size', patch_size)):
            if not isinstance(value, int) or value < 1:
                raise ValueError(f'SwinTransformer: {name} must be a positive int, got {value!r}')
        if use_abs_pos_embed and pretrain_img_size % patch_size:
            raise ValueError(f'SwinTransformer: pretrain_img_size {pretrain_img_size} is not a '
                             f'multiple of patch_size {patch_size}')
        self.depths = depths
        self.window_size = window_size
        num_stages = len(depths)
        channels = [embed_dims * 2 ** i for i in range(num_stages)]
        strides = [patch_size * 2 ** i for i in range(num_stages)]

        self.patch_embed = PatchEmbed(
            in_channels, embed_dims, patch_size, patch_norm, norm_cfg,
            pretrain_img_size // patch_size if use_abs_pos_embed else None)
        self.drop_after_pos = nn.Dropout(drop_rate)
        dpr = drop_path_rates(drop_path_rate, sum(depths))
        self.stages = nn.ModuleList()
        for i in range(num_stages):
            start = sum(depths[:i])
            self.stages.append(SwinStage(
                channels[i], depths[i], num_heads[i], window_size,
                drop_paths=dpr[start:start + depths[i]], downsample=i < num_stages - 1,
                with_cp=with_cp, mlp_ratio=mlp_ratio, qkv_bias=qkv_bias, drop=drop_rate,
                attn_drop=attn_drop_rate, act_cfg=act_cfg, norm_cfg=norm_cfg))
        self.set_out_indices(out_indices, channels, strides)
        self.add_output_norms(norm_cfg, channels)
        self.init_linear_and_norm_layers()
        self._freeze_stages()

    def forward_stem(self, x: torch.Tensor) -> torch.Tensor:
        return self.drop_after_pos(self.patch_embed(x))
