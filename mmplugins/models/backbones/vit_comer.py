"""ViT-CoMer: a plain ViT with CNN multi-receptive-field interaction (Xia et al., CVPR 2024).

A plain ViT (patch 16, timm/DeiT key layout) runs next to a convolutional pyramid (``spm``,
strides 8/16/32 as tokens). Each of the four interactions refines the pyramid with the
multi-receptive-field feature pyramid (MRFP), injects it into the ViT tokens through multi-scale
deformable attention (CTI to ViT), runs its slice of ViT blocks, and feeds the ViT tokens back
into the pyramid (CTI to CNN); the last interaction adds extra CTI modules. Outputs are four
maps at strides 4/8/16/32, each ``embed_dims`` wide.

Module and parameter names follow the official code so its checkpoints load after
:mod:`mmplugins.converters.vit_comer`. Differences from the official code: deformable attention
runs on CPU (mmcv's PyTorch path), norms come from config dicts (BN by default instead of
hard-coded SyncBN), any input size works (padded to a multiple of 32 inside and cropped back),
and never-used parameters of the official code are not created (the converter drops them).

The official detection and segmentation copies differ; ``flavour='det'|'seg'`` picks their
behaviour and each difference can be overridden:

* ``cnn_feature_interaction`` (deformable self-attention over the pyramid inside CTI-to-CNN):
  official default False (det; every released det config turns it on) / True (seg);
* ``mrfp_ratio`` (MRFP hidden width): 0.5 (det) / the arch's ``dim_ratio`` (seg);
* ``vit_feature_per_interaction``: the ViT map added to output ``i`` is the final one (det) or
  the one after interaction ``i`` (seg).
"""
import math
from typing import Dict, List, Optional, Sequence, Tuple, Union

import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.utils.checkpoint as cp
from mmcv.cnn import build_norm_layer
from mmcv.cnn.bricks import DropPath
from torch.nn.init import normal_, trunc_normal_

from ...registry import MODELS
from ..layers.checkpoint import maybe_checkpoint
from ..layers.drop_path import drop_path_rates
from ..layers.mlp import Mlp
from ..layers.ms_deform_attn import MSDeformAttn, grid_reference_points, level_start_index
from ..utils.padding import crop_to, pad_to_multiple
from .base import DenseBackbone
from ..layers.packed_linear import PackedLinear

BoolOrList = Union[bool, Sequence[bool]]


def _layer_norm(dim: int) -> nn.LayerNorm:
    return nn.LayerNorm(dim, eps=1e-6)


def _split_levels(c: torch.Tensor, hw: Tuple[int, int]) -> List[torch.Tensor]:
    """Split pyramid tokens ``(B, 21HW/4, C)`` into the 1/8, 1/16 and 1/32 levels."""
    h, w = hw
    return list(c.split([4 * h * w, h * w, (h // 2) * (w // 2)], dim=1))


def _level_shapes(hw: Tuple[int, int]) -> List[Tuple[int, int]]:
    h, w = hw
    return [(2 * h, 2 * w), (h, w), (h // 2, w // 2)]


# Token sequences and maps share memory: a map is the channels-last view of its tokens and
# back, so the pyramid's depth-wise convs, norms and resizes run without layout copies. (A
# transpose + reshape would give batch-1 maps a batch stride of C, a layout whose BatchNorm
# backward torch 2.13 computes wrongly on CPU: docs/troubleshooting.md.)
def _to_map(tokens: torch.Tensor, h: int, w: int) -> torch.Tensor:
    return tokens.unflatten(1, (h, w)).permute(0, 3, 1, 2)


def _to_tokens(x: torch.Tensor) -> torch.Tensor:
    b, c = x.shape[:2]
    return x.permute(0, 2, 3, 1).reshape(b, -1, c)


# ------------------------------------------------------------------------------ plain ViT
class ViTAttention(nn.Module):
    """Global or windowed multi-head self-attention with timm's ``qkv``/``proj`` names.

    Windowed attention pads the *projected* q/k/v with zeros up to a multiple of the window
    and does not mask the padding, exactly as ViT-Adapter/ViT-CoMer do, so converted weights
    give the same features.
    """

    def __init__(self, dim: int, num_heads: int, qkv_bias: bool = True,
                 window_size: Optional[int] = None, attn_drop: float = 0.,
                 proj_drop: float = 0.) -> None:
        super().__init__()
        if dim % num_heads:
            raise ValueError(f'ViTAttention: dim {dim} is not divisible by num_heads {num_heads}')
        self.num_heads = num_heads
        self.window_size = window_size
        self.qkv = PackedLinear(dim, dim * 3, bias=qkv_bias)
        self.attn_drop = attn_drop
        self.proj = PackedLinear(dim, dim)
        self.proj_drop = nn.Dropout(proj_drop)

    def _attend(self, qkv: torch.Tensor) -> torch.Tensor:
        # qkv: (B', N, 3C) -> (B', N, C)
        b, n, c3 = qkv.shape
        q, k, v = qkv.reshape(b, n, 3, self.num_heads, c3 // 3 // self.num_heads
                              ).permute(2, 0, 3, 1, 4)
        out = F.scaled_dot_product_attention(
            q, k, v, dropout_p=self.attn_drop if self.training else 0.)
        return out.transpose(1, 2).reshape(b, n, c3 // 3)

    def forward(self, x: torch.Tensor, h: int, w: int) -> torch.Tensor:
        b, n, c = x.shape
        qkv = self.qkv(x)
        if self.window_size is None:
            out = self._attend(qkv)
        else:
            ws = self.window_size
            qkv = qkv.view(b, h, w, 3 * c)
            ph, pw = math.ceil(h / ws) * ws, math.ceil(w / ws) * ws
            qkv = F.pad(qkv, (0, 0, 0, pw - w, 0, ph - h))
            qkv = qkv.view(b, ph // ws, ws, pw // ws, ws, 3 * c).permute(0, 1, 3, 2, 4, 5)
            out = self._attend(qkv.reshape(-1, ws * ws, 3 * c))
            out = out.view(b, ph // ws, pw // ws, ws, ws, c).permute(0, 1, 3, 2, 4, 5)
            out = out.reshape(b, ph, pw, c)[:, :h, :w].reshape(b, n, c)
        return self.proj_drop(self.proj(out))


class ViTBlock(nn.Module):
    """Pre-norm ViT block (timm key layout) with optional layer scale (``gamma1``/``gamma2``)."""

    def __init__(self, dim: int, num_heads: int, mlp_ratio: float = 4., qkv_bias: bool = True,
                 drop: float = 0., attn_drop: float = 0., drop_path: float = 0.,
                 window_size: Optional[int] = None, layer_scale: bool = True,
                 with_cp: bool = False) -> None:
        super().__init__()
        self.with_cp = with_cp
        self.norm1 = _layer_norm(dim)
        self.attn = ViTAttention(dim, num_heads, qkv_bias, window_size, attn_drop, drop)
        self.drop_path = DropPath(drop_path) if drop_path > 0. else nn.Identity()
        self.norm2 = _layer_norm(dim)
        self.mlp = Mlp(dim, int(dim * mlp_ratio), drop=drop)
        if layer_scale:
            self.gamma1 = nn.Parameter(torch.ones(dim))
            self.gamma2 = nn.Parameter(torch.ones(dim))
        else:
            self.gamma1 = self.gamma2 = None

    def forward(self, x: torch.Tensor, h: int, w: int) -> torch.Tensor:
        def inner(x: torch.Tensor) -> torch.Tensor:
            a = self.attn(self.norm1(x), h, w)
            x = x + self.drop_path(a if self.gamma1 is None else self.gamma1 * a)
            m = self.mlp(self.norm2(x))
            return x + self.drop_path(m if self.gamma2 is None else self.gamma2 * m)

        if self.with_cp and x.requires_grad:
            return cp.checkpoint(inner, x, use_reentrant=False)
        return inner(x)


class PatchEmbed(nn.Module):
    """Non-overlapping patch projection (``patch_embed.proj``)."""

    def __init__(self, in_channels: int, dim: int, patch_size: int = 16) -> None:
        super().__init__()
        self.proj = nn.Conv2d(in_channels, dim, patch_size, patch_size)

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, int, int]:
        x = self.proj(x)
        return _to_tokens(x), x.shape[2], x.shape[3]


# ------------------------------------------------------------------- convolutional pyramid
class SpatialPriorModule(nn.Module):
    """The CNN stem (official ``CNN``): features at strides 4, 8, 16 and 32, projected to
    ``dim``; strides 8/16/32 are returned as tokens."""

    def __init__(self, inplanes: int, dim: int, in_channels: int = 3,
                 norm_cfg: Optional[dict] = None) -> None:
        super().__init__()
        norm_cfg = norm_cfg or dict(type='BN')

        def conv_bn_relu(cin: int, cout: int, stride: int) -> List[nn.Module]:
            return [nn.Conv2d(cin, cout, 3, stride, 1, bias=False),
                    build_norm_layer(norm_cfg, cout)[1], nn.ReLU(inplace=True)]

        self.stem = nn.Sequential(*conv_bn_relu(in_channels, inplanes, 2),
                                  *conv_bn_relu(inplanes, inplanes, 1),
                                  *conv_bn_relu(inplanes, inplanes, 1),
                                  nn.MaxPool2d(3, 2, 1))
        self.conv2 = nn.Sequential(*conv_bn_relu(inplanes, 2 * inplanes, 2))
        self.conv3 = nn.Sequential(*conv_bn_relu(2 * inplanes, 4 * inplanes, 2))
        self.conv4 = nn.Sequential(*conv_bn_relu(4 * inplanes, 4 * inplanes, 2))
        self.fc1 = nn.Conv2d(inplanes, dim, 1)
        self.fc2 = nn.Conv2d(2 * inplanes, dim, 1)
        self.fc3 = nn.Conv2d(4 * inplanes, dim, 1)
        self.fc4 = nn.Conv2d(4 * inplanes, dim, 1)

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, ...]:
        c1 = self.stem(x)
        c2 = self.conv2(c1)
        c3 = self.conv3(c2)
        c4 = self.conv4(c3)
        return (self.fc1(c1), _to_tokens(self.fc2(c2)), _to_tokens(self.fc3(c3)),
                _to_tokens(self.fc4(c4)))


class PyramidDWConv(nn.Module):
    """One depth-wise 3x3 conv shared by the three pyramid levels (official ``DWConv``)."""

    def __init__(self, dim: int) -> None:
        super().__init__()
        self.dwconv = nn.Conv2d(dim, dim, 3, 1, 1, groups=dim)

    def forward(self, x: torch.Tensor, hw: Tuple[int, int]) -> torch.Tensor:
        return torch.cat([_to_tokens(self.dwconv(_to_map(t, *s)))
                          for t, s in zip(_split_levels(x, hw), _level_shapes(hw))], 1)


class MultiDWConv(nn.Module):
    """Per-level depth-wise convs, half the channels 3x3 and half 5x5, then norm + GELU."""

    def __init__(self, dim: int, norm_cfg: dict) -> None:
        super().__init__()
        if dim % 2:
            raise ValueError(f'MultiDWConv: the MRFP hidden width must be even, got {dim}')
        half = dim // 2
        for level in range(3):
            setattr(self, f'dwconv{2 * level + 1}', nn.Conv2d(half, half, 3, 1, 1, groups=half))
            setattr(self, f'dwconv{2 * level + 2}', nn.Conv2d(half, half, 5, 1, 2, groups=half))
            setattr(self, f'act{level + 1}', nn.GELU())
            setattr(self, f'bn{level + 1}', build_norm_layer(norm_cfg, dim)[1])

    def forward(self, x: torch.Tensor, hw: Tuple[int, int]) -> torch.Tensor:
        outs = []
        for level, (t, s) in enumerate(zip(_split_levels(x, hw), _level_shapes(hw))):
            small, large = _to_map(t, *s).chunk(2, dim=1)
            y = torch.cat([getattr(self, f'dwconv{2 * level + 1}')(small),
                           getattr(self, f'dwconv{2 * level + 2}')(large)], 1)
            y = getattr(self, f'act{level + 1}')(getattr(self, f'bn{level + 1}')(y))
            outs.append(_to_tokens(y))
        return torch.cat(outs, 1)


class ConvFFN(nn.Module):
    """``fc1`` -> depth-wise conv (``dwconv``) -> GELU -> ``fc2`` over pyramid tokens.

    With ``multi_scale=True`` this is MRFP (per-level 3x3/5x5 convs with a norm).
    """

    def __init__(self, dim: int, hidden: int, drop: float = 0., multi_scale: bool = False,
                 norm_cfg: Optional[dict] = None) -> None:
        super().__init__()
        self.fc1 = PackedLinear(dim, hidden)
        self.dwconv = (MultiDWConv(hidden, norm_cfg or dict(type='BN')) if multi_scale
                       else PyramidDWConv(hidden))
        self.act = nn.GELU()
        self.fc2 = PackedLinear(hidden, dim)
        self.drop = nn.Dropout(drop)

    def forward(self, x: torch.Tensor, hw: Tuple[int, int]) -> torch.Tensor:
        x = self.drop(self.act(self.dwconv(self.fc1(x), hw)))
        return self.drop(self.fc2(x))


# -------------------------------------------------------------------- interaction modules
class DeformInputs:
    """Reference points and level layout of the three-level pyramid for one input size."""

    def __init__(self, hw: Tuple[int, int], device: torch.device) -> None:
        shapes = _level_shapes(hw)
        self.spatial_shapes = torch.as_tensor(shapes, dtype=torch.long, device=device)
        self.level_start_index = level_start_index(self.spatial_shapes)
        self.reference_points = grid_reference_points(shapes, device)


class PyramidSelfAttention(nn.Module):
    """Deformable self-attention over the pyramid plus ConvFFN (official
    ``MultiscaleExtractor``): ``q = q + attn(LN(q), LN(q)); q = q + FFN(LN(q))``."""

    def __init__(self, dim: int, num_heads: int, n_points: int, deform_ratio: float,
                 with_cffn: bool, cffn_ratio: float, drop: float, drop_path: float) -> None:
        super().__init__()
        self.query_norm = _layer_norm(dim)
        self.feat_norm = _layer_norm(dim)
        self.attn = MSDeformAttn(dim, num_heads, 3, n_points, deform_ratio)
        self.with_cffn = with_cffn
        if with_cffn:
            self.ffn = ConvFFN(dim, int(dim * cffn_ratio), drop)
            self.ffn_norm = _layer_norm(dim)
            self.drop_path = DropPath(drop_path) if drop_path > 0. else nn.Identity()

    def forward(self, query: torch.Tensor, feat: torch.Tensor, hw: Tuple[int, int],
                deform: DeformInputs) -> torch.Tensor:
        query = query + self.attn(self.query_norm(query), deform.reference_points,
                                  self.feat_norm(feat), deform.spatial_shapes,
                                  deform.level_start_index)
        if self.with_cffn:
            query = query + self.drop_path(self.ffn(self.ffn_norm(query), hw))
        return query


class CTIToViT(nn.Module):
    """CNN-to-ViT interaction (official ``CTI_toV``): deformable self-attention over the
    pyramid, a ConvFFN, the three levels resampled to stride 16, summed and added to the ViT
    tokens with a learnable scale ``gamma``."""

    def __init__(self, dim: int, num_heads: int, n_points: int, deform_ratio: float,
                 cffn_ratio: float, init_values: float, drop: float, drop_path: float) -> None:
        super().__init__()
        self.query_norm = _layer_norm(dim)
        self.feat_norm = _layer_norm(dim)
        self.attn = MSDeformAttn(dim, num_heads, 3, n_points, deform_ratio)
        self.gamma = nn.Parameter(init_values * torch.ones(dim))
        self.ffn = ConvFFN(dim, int(dim * cffn_ratio), drop)
        self.ffn_norm = _layer_norm(dim)
        self.drop_path = DropPath(drop_path) if drop_path > 0. else nn.Identity()

    def forward(self, x: torch.Tensor, c: torch.Tensor, hw: Tuple[int, int],
                deform: DeformInputs) -> torch.Tensor:
        h, w = hw
        # no residual around the attention: the official module replaces c here
        y = self.attn(self.query_norm(c), deform.reference_points, self.feat_norm(c),
                      deform.spatial_shapes, deform.level_start_index)
        y = y + self.drop_path(self.ffn(self.ffn_norm(y), hw))
        y8, y16, y32 = _split_levels(y, hw)
        y8 = F.interpolate(_to_map(y8, 2 * h, 2 * w), scale_factor=0.5, mode='bilinear',
                           align_corners=False)
        y32 = F.interpolate(_to_map(y32, h // 2, w // 2), scale_factor=2, mode='bilinear',
                            align_corners=False)
        return x + self.gamma * (_to_tokens(y8) + y16 + _to_tokens(y32))


class CTIToCNN(nn.Module):
    """ViT-to-CNN interaction (official ``CTI_toC`` and, with ``with_ffn``, ``Extractor_CTI``):
    add the ViT tokens to the stride-16 level, optionally a ConvFFN, and optionally the
    deformable pyramid self-attention.

    The pyramid attention receives ``LN(c)`` as query *and* residual base, and normalises it
    again inside, as the official code does.
    """

    def __init__(self, dim: int, num_heads: int, n_points: int, deform_ratio: float,
                 with_cffn: bool, cffn_ratio: float, drop: float, drop_path: float,
                 cnn_feature_interaction: bool, with_ffn: bool) -> None:
        super().__init__()
        self.with_ffn = with_ffn and with_cffn
        if self.with_ffn:
            self.ffn = ConvFFN(dim, int(dim * cffn_ratio), drop)
            self.ffn_norm = _layer_norm(dim)
            self.drop_path = DropPath(drop_path) if drop_path > 0. else nn.Identity()
        self.cnn_feature_interaction = cnn_feature_interaction
        if cnn_feature_interaction:
            self.query_norm = _layer_norm(dim)
            self.feat_norm = _layer_norm(dim)
            self.cfinter = PyramidSelfAttention(dim, num_heads, n_points, deform_ratio,
                                                with_cffn, cffn_ratio, drop, drop_path)

    def forward(self, c: torch.Tensor, x: torch.Tensor, hw: Tuple[int, int],
                deform: DeformInputs) -> torch.Tensor:
        c8, c16, c32 = _split_levels(c, hw)
        c = torch.cat([c8, c16 + x, c32], 1)
        if self.with_ffn:
            c = c + self.drop_path(self.ffn(self.ffn_norm(c), hw))
        if self.cnn_feature_interaction:
            c = self.cfinter(self.query_norm(c), self.feat_norm(c), hw, deform)
        return c


class CTIBlock(nn.Module):
    """One interaction: MRFP + CTI to ViT, a slice of ViT blocks, CTI to CNN, and (last
    interaction only) the extra CTI modules."""

    def __init__(self, dim: int, num_heads: int, n_points: int, deform_ratio: float,
                 with_cffn: bool, cffn_ratio: float, init_values: float, drop: float,
                 drop_path: float, use_cti_tov: bool, use_cti_toc: bool,
                 cnn_feature_interaction: bool, mrfp_ratio: float, extra_num: int,
                 norm_cfg: dict, with_cp: bool) -> None:
        super().__init__()
        self.with_cp = with_cp
        common = dict(dim=dim, num_heads=num_heads, n_points=n_points,
                      deform_ratio=deform_ratio, drop=drop, drop_path=drop_path)
        if use_cti_tov:
            self.mrfp = ConvFFN(dim, int(dim * mrfp_ratio), multi_scale=True,
                                norm_cfg=norm_cfg)
            self.cti_tov = CTIToViT(cffn_ratio=cffn_ratio, init_values=init_values, **common)
        else:
            self.mrfp = self.cti_tov = None
        toc = dict(common, with_cffn=with_cffn, cffn_ratio=cffn_ratio,
                   cnn_feature_interaction=cnn_feature_interaction)
        self.cti_toc = CTIToCNN(with_ffn=False, **toc) if use_cti_toc else None
        self.extra_CTIs = (nn.Sequential(*[CTIToCNN(with_ffn=True, **toc)
                                           for _ in range(extra_num)]) if extra_num else None)

    def _run(self, module: nn.Module, *args) -> torch.Tensor:
        return maybe_checkpoint(module, *args, with_cp=self.with_cp)

    def forward(self, x: torch.Tensor, c: torch.Tensor, blocks: Sequence[nn.Module],
                hw: Tuple[int, int], deform: DeformInputs
                ) -> Tuple[torch.Tensor, torch.Tensor]:
        if self.cti_tov is not None:
            c8, c16, c32 = _split_levels(self._run(self.mrfp, c, hw), hw)
            c = torch.cat([c8, c16 + x, c32], 1)
            x = self._run(self.cti_tov, x, c, hw, deform)
        for blk in blocks:
            x = blk(x, *hw)
        if self.cti_toc is not None:
            c = self._run(self.cti_toc, c, x, hw, deform)
        if self.extra_CTIs is not None:
            for cti in self.extra_CTIs:
                c = self._run(cti, c, x, hw, deform)
        return x, c


# ---------------------------------------------------------------------------- backbone
def _per_item(value: BoolOrList, n: int, name: str, item: str) -> List[bool]:
    if isinstance(value, bool):
        return [value] * n
    value = list(value)
    if len(value) != n or not all(isinstance(v, bool) for v in value):
        raise ValueError(f'ViTCoMer: {name} must be a bool or a list of {n} bools (one per '
                         f'{item}), got {value!r}')
    return value


@MODELS.register_module()
class ViTCoMer(DenseBackbone):
    """ViT-CoMer backbone.

    Args:
        arch: ``'tiny'|'small'|'base'|'large'`` (or ``t/s/b/l``) or a dict with
            ``embed_dims, depth, num_heads, deform_num_heads, deform_ratio, seg_mrfp_ratio,
            interaction_indexes``.
        flavour: ``'det'`` or ``'seg'``: defaults of the official detection / segmentation
            code for ``cnn_feature_interaction``, ``mrfp_ratio`` and
            ``vit_feature_per_interaction`` (module docstring).
        cnn_feature_interaction: pyramid self-attention in CTI to CNN (bool or per
            interaction); None: from ``flavour``.
        mrfp_ratio: MRFP hidden width / ``embed_dims``; None: from ``flavour``.
        vit_feature_per_interaction: add the ViT map after interaction ``i`` to output ``i``
            (seg) instead of the final map (det); None: from ``flavour``.
        pretrain_size: image size of the position-embedding grid (224 for DeiT, 592 for the
            DINOv2 14->16 weights); interpolated to the input at run time.
        window_attn / window_size: per-block windowed attention (bool or list) and window.
        use_cti_tov / use_cti_toc: enable the two interactions (bool or per interaction).
        use_extra_cti / extra_num: extra CTI-to-CNN modules after the last interaction.
        add_vit_feature: add the (resampled) ViT map to every output.
        norm_cfg: norm of the CNN stem, MRFP and output norms (BN, SyncBN, GN, ...).
        pretrained_scope: ``'vit'``: a checkpoint with only the ViT (converted DeiT/AugReg) may
            leave the CoMer modules fresh; ``'all'``: every weight must load (converted
            official ViT-CoMer files).
        out_indices: outputs among strides 4/8/16/32 (indices 0..3).
        frozen_stages: -1 none; 0 patch + position embedding; i: also the ViT blocks of
            interactions 1..i (the CoMer modules stay trainable).
        with_cp: gradient checkpointing of ViT blocks and interaction modules.
    """

    arch_zoo: Dict[str, dict] = {
        **dict.fromkeys(['t', 'tiny'], dict(
            embed_dims=192, depth=12, num_heads=3, deform_num_heads=6, deform_ratio=1.0,
            seg_mrfp_ratio=6.0, interaction_indexes=[[0, 2], [3, 5], [6, 8], [9, 11]])),
        **dict.fromkeys(['s', 'small'], dict(
            embed_dims=384, depth=12, num_heads=6, deform_num_heads=6, deform_ratio=1.0,
            seg_mrfp_ratio=1.5, interaction_indexes=[[0, 2], [3, 5], [6, 8], [9, 11]])),
        **dict.fromkeys(['b', 'base'], dict(
            embed_dims=768, depth=12, num_heads=12, deform_num_heads=12, deform_ratio=0.5,
            seg_mrfp_ratio=1.0, interaction_indexes=[[0, 2], [3, 5], [6, 8], [9, 11]])),
        # no official segmentation config of L on main: seg_mrfp_ratio follows B
        **dict.fromkeys(['l', 'large'], dict(
            embed_dims=1024, depth=24, num_heads=16, deform_num_heads=16, deform_ratio=0.5,
            seg_mrfp_ratio=1.0, interaction_indexes=[[0, 5], [6, 11], [12, 17], [18, 23]])),
    }
    arch_keys = ('embed_dims', 'depth', 'num_heads', 'deform_num_heads', 'deform_ratio',
                 'seg_mrfp_ratio', 'interaction_indexes')
    #: modules a ViT-only checkpoint (DeiT/AugReg) does not have
    comer_param_prefixes = ('level_embed', 'spm.', 'interactions.', 'up.', 'norm1.', 'norm2.',
                            'norm3.', 'norm4.')
    flavours = ('det', 'seg')

    def __init__(self, arch: Union[str, dict] = 'small', flavour: str = 'det',
                 in_channels: int = 3, patch_size: int = 16, pretrain_size: int = 224,
                 mlp_ratio: float = 4., qkv_bias: bool = True, layer_scale: bool = True,
                 drop_rate: float = 0., attn_drop_rate: float = 0., drop_path_rate: float = 0.,
                 window_attn: BoolOrList = False, window_size: int = 14,
                 conv_inplane: int = 64, n_points: int = 4, init_values: float = 0.,
                 with_cffn: bool = True, cffn_ratio: float = 0.25,
                 use_cti_tov: BoolOrList = True, use_cti_toc: BoolOrList = True,
                 cnn_feature_interaction: Optional[BoolOrList] = None,
                 mrfp_ratio: Optional[float] = None,
                 vit_feature_per_interaction: Optional[bool] = None,
                 use_extra_cti: bool = True, extra_num: int = 4, add_vit_feature: bool = True,
                 norm_cfg: Optional[dict] = None, pretrained_scope: str = 'vit',
                 out_indices: Sequence[int] = (0, 1, 2, 3), frozen_stages: int = -1,
                 norm_eval: bool = False, with_cp: bool = False,
                 init_cfg: Optional[Union[dict, List[dict]]] = None) -> None:
        super().__init__(frozen_stages=frozen_stages, norm_eval=norm_eval, init_cfg=init_cfg)
        if flavour not in self.flavours:
            raise ValueError(f'ViTCoMer: flavour must be one of {self.flavours}, got {flavour!r}')
        if pretrained_scope not in ('vit', 'all'):
            raise ValueError("ViTCoMer: pretrained_scope must be 'vit' or 'all', "
                             f'got {pretrained_scope!r}')
        if patch_size != 16:
            # the pyramid is built around stride-16 ViT tokens
            raise ValueError(f'ViTCoMer: patch_size must be 16, got {patch_size}')
        if not isinstance(window_size, int) or window_size < 1:
            raise ValueError(f'ViTCoMer: window_size must be a positive int, got {window_size!r}')
        if pretrain_size % patch_size:
            raise ValueError(f'ViTCoMer: pretrain_size {pretrain_size} is not a multiple of '
                             f'the patch size {patch_size}')
        a = self.resolve_arch(arch)
        dim, depth = a['embed_dims'], a['depth']
        self.embed_dims, self.depth, self.flavour = dim, depth, flavour
        self.interaction_indexes = [list(map(int, ix)) for ix in a['interaction_indexes']]
        n_inter = len(self.interaction_indexes)
        covered = [i for i0, i1 in self.interaction_indexes for i in range(i0, i1 + 1)]
        if covered != list(range(depth)):
            raise ValueError(f'ViTCoMer: interaction_indexes {self.interaction_indexes} must '
                             f'split blocks 0..{depth - 1} into consecutive [first, last] '
                             'ranges')
        if cnn_feature_interaction is None:
            cnn_feature_interaction = flavour == 'seg'
        if mrfp_ratio is None:
            mrfp_ratio = a['seg_mrfp_ratio'] if flavour == 'seg' else 0.5
        if vit_feature_per_interaction is None:
            vit_feature_per_interaction = flavour == 'seg'
        if vit_feature_per_interaction and add_vit_feature and n_inter != 4:
            raise ValueError('ViTCoMer: vit_feature_per_interaction needs exactly 4 '
                             f'interactions (one per output), got {n_inter}')
        self.vit_feature_per_interaction = vit_feature_per_interaction
        self.add_vit_feature = add_vit_feature
        self.patch_size = patch_size
        self.pos_grid = pretrain_size // patch_size
        norm_cfg = norm_cfg or dict(type='BN')
        if pretrained_scope == 'vit':
            self.fresh_param_prefixes = self.comer_param_prefixes
        windows = _per_item(window_attn, depth, 'window_attn', 'block')

        # plain ViT (no class token: the official model drops it)
        self.patch_embed = PatchEmbed(in_channels, dim, patch_size)
        self.pos_embed = nn.Parameter(torch.zeros(1, self.pos_grid ** 2, dim))
        self.pos_drop = nn.Dropout(drop_rate)
        dpr = drop_path_rates(drop_path_rate, depth)
        self.blocks = nn.Sequential(*[
            ViTBlock(dim, a['num_heads'], mlp_ratio, qkv_bias, drop_rate, attn_drop_rate,
                     dpr[i], window_size if windows[i] else None, layer_scale, with_cp)
            for i in range(depth)])

        # CoMer modules
        self.level_embed = nn.Parameter(torch.zeros(3, dim))
        self.spm = SpatialPriorModule(conv_inplane, dim, in_channels, norm_cfg)
        tov = _per_item(use_cti_tov, n_inter, 'use_cti_tov', 'interaction')
        toc = _per_item(use_cti_toc, n_inter, 'use_cti_toc', 'interaction')
        cfi = _per_item(cnn_feature_interaction, n_inter, 'cnn_feature_interaction', 'interaction')
        self.interactions = nn.Sequential(*[
            CTIBlock(dim, a['deform_num_heads'], n_points, a['deform_ratio'], with_cffn,
                     cffn_ratio, init_values, drop_rate,
                     drop_path_rate,  # the official code uses the full rate in every CTI
                     tov[i], toc[i], cfi[i], mrfp_ratio,
                     extra_num if (use_extra_cti and i == n_inter - 1) else 0,
                     norm_cfg, with_cp)
            for i in range(n_inter)])
        self.up = nn.ConvTranspose2d(dim, dim, 2, 2)
        for i in range(1, 5):
            self.add_module(f'norm{i}', build_norm_layer(norm_cfg, dim)[1])

        self.set_out_indices(out_indices, [dim] * 4, [4, 8, 16, 32])
        self._init_fresh_weights()
        self._freeze_stages()

    # ------------------------------------------------------------------------ weights
    def _init_fresh_weights(self) -> None:
        """The official initialisation (timm's ViT init and the ViT-Adapter CoMer init)."""
        def init(m: nn.Module) -> None:
            if isinstance(m, nn.Linear):
                trunc_normal_(m.weight, std=.02)
                if m.bias is not None:
                    nn.init.zeros_(m.bias)
            elif isinstance(m, (nn.LayerNorm, nn.modules.batchnorm._NormBase, nn.GroupNorm)):
                if m.weight is not None:
                    nn.init.ones_(m.weight)
                    nn.init.zeros_(m.bias)
            elif isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)) and m is not \
                    self.patch_embed.proj:
                fan_out = m.kernel_size[0] * m.kernel_size[1] * m.out_channels // m.groups
                m.weight.data.normal_(0, math.sqrt(2.0 / fan_out))
                if m.bias is not None:
                    nn.init.zeros_(m.bias)

        self.apply(init)
        for m in self.modules():
            if isinstance(m, MSDeformAttn):
                m.init_weights()
        trunc_normal_(self.pos_embed, std=.02)
        normal_(self.level_embed)

    def init_weights(self) -> None:
        """Load ``init_cfg`` (Pretrained) strictly; otherwise keep the official init."""
        if isinstance(self.init_cfg, dict) and self.init_cfg.get('type') == 'Pretrained':
            super().init_weights()
        # mmengine's generic init would re-draw the MSDA offsets and convs; the constructor
        # already applied the official scheme

    def get_layer_depth(self, param_name: str) -> Tuple[int, int]:
        """Layer id for layer-wise lr decay: embeddings 0, block i -> i + 1, CoMer modules
        (and every head) ``depth + 1`` = full learning rate, as in the official recipe."""
        num_layers = self.depth + 2
        if param_name.startswith(('pos_embed', 'patch_embed', 'cls_token')):
            return 0, num_layers
        if param_name.startswith('blocks.'):
            return int(param_name.split('.')[1]) + 1, num_layers
        return num_layers - 1, num_layers

    def stage_modules(self, index: int) -> List[nn.Module]:
        """0: patch embedding (+ ``pos_embed``); i: the ViT blocks of interaction i."""
        if index == 0:
            return [self.patch_embed]
        i0, i1 = self.interaction_indexes[index - 1]
        return [self.blocks[i] for i in range(i0, i1 + 1)]

    def _freeze_stages(self) -> None:
        super()._freeze_stages()
        if self.frozen_stages >= 0:
            self.pos_embed.requires_grad = False

    # ------------------------------------------------------------------------ forward
    def _pos_embed(self, h: int, w: int) -> torch.Tensor:
        g = self.pos_grid
        if (h, w) == (g, g):
            return self.pos_embed
        pos = self.pos_embed.reshape(1, g, g, -1).permute(0, 3, 1, 2)
        pos = F.interpolate(pos, size=(h, w), mode='bicubic', align_corners=False)
        return _to_tokens(pos)

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, ...]:
        """Return the maps of ``out_indices`` at strides 4/8/16/32 (ceil of input/stride)."""
        in_h, in_w = x.shape[-2:]
        # the pyramid needs the stride-32 grid to be exactly half the stride-16 one
        x, _ = pad_to_multiple(x, 32)
        c1, c2, c3, c4 = self.spm(x)
        c = torch.cat([c2 + self.level_embed[0], c3 + self.level_embed[1],
                       c4 + self.level_embed[2]], 1)
        x, h, w = self.patch_embed(x)
        x = self.pos_drop(x + self._pos_embed(h, w))
        hw = (h, w)
        deform = DeformInputs(hw, x.device)

        vit_maps = []
        for (i0, i1), layer in zip(self.interaction_indexes, self.interactions):
            x, c = layer(x, c, self.blocks[i0:i1 + 1], hw, deform)
            vit_maps.append(x)

        # the outputs in the standard layout: adds of maps in mixed layouts are slow
        c2, c3, c4 = [_to_map(t, *s).contiguous()
                      for t, s in zip(_split_levels(c, hw), _level_shapes(hw))]
        feats = [self.up(c2) + c1, c2, c3, c4]
        if self.add_vit_feature:
            sources = vit_maps if self.vit_feature_per_interaction else [x] * 4
            for i, scale in enumerate((4, 2, 1, 0.5)):
                v = _to_map(sources[i], h, w).contiguous()
                if scale != 1:
                    v = F.interpolate(v, scale_factor=scale, mode='bilinear',
                                      align_corners=False)
                feats[i] = feats[i] + v
        outs = []
        for i in self.out_indices:
            f = getattr(self, f'norm{i + 1}')(feats[i])
            stride = 4 * 2 ** i
            outs.append(crop_to(f, (-(-in_h // stride), -(-in_w // stride))))
        return tuple(outs)
