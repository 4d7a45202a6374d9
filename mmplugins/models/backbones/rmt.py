"""RMT (Fan et al., "RMT: Retentive Networks Meet Vision Transformers", CVPR 2024) as a
dense-prediction backbone.

Follows the official detection/segmentation backbone (qhfan/RMT ``detect/.../RMT.py``): a
four-conv stem (stride 4), four stages of blocks ``x + DWConv3x3(x)`` -> Manhattan self-attention
-> conv-FFN (pre-norm, optional layer scale), a stride-2 conv + BN between stages, and stage ``i``
read out *before* its downsampling through a new LayerNorm ``norm{i}``. The attention lives in
:mod:`mmplugins.models.layers.manhattan_attention` (decomposed form in the early stages, full
form later). Differences from the official backbone: ``norm_eval`` takes effect (the official
check misses ``SyncBatchNorm``), output norms exist only for ``out_indices``, and ``frozen_stages``
is supported.

Presets (paper name -> official factory in ``classfication_release/RMT.py``)::

    'tiny'  = RMT-T = RMT_T3      'small' = RMT-S = RMT_S
    'base'  = RMT-B = RMT_M2      'large' = RMT-L = RMT_L6

Key layout (``tools/convert_checkpoint.py rmt`` maps the official release files to it)::

    patch_embed.proj.{0,3,6,9}  conv   patch_embed.proj.{1,4,7,10}  BN   (as official)
    stages.{i}.rel_pos.{angle, decay}                     # per-head log(gamma), rotary freqs
    stages.{i}.blocks.{j}.{cpe, norm1, attn.{q_proj, k_proj, v_proj, lepe, out_proj},
                           norm2, ffn.{fc1, dwconv, fc2}, gamma1, gamma2}
    stages.{i}.downsample.{reduction, norm}               # conv3x3 s2 + BN after stage i (i < 3)
    norm{i}                                               # output norms (new; start fresh)
"""
from typing import List, Optional, Sequence, Union

import torch
import torch.nn as nn
from mmcv.cnn import build_activation_layer, build_norm_layer
from mmcv.cnn.bricks import DropPath

from ...registry import MODELS
from ..layers.checkpoint import maybe_checkpoint
from ..layers import drop_path_rates
from ..layers.manhattan_attention import (DepthwiseConvNHWC, ManhattanRelPos,
                                          ManhattanSelfAttention, ManhattanTables)
from .base import HierarchicalBackbone
from ..layers.packed_linear import PackedLinear, linear_act


class ConvStem(nn.Module):
    """Four conv3x3 (strides 2, 1, 2, 1; ``C/2, C/2, C, C`` channels) with norms, stride 4.

    ``proj`` keeps the official ``nn.Sequential`` indices (conv, norm, act) x 3 + (conv, norm).
    """

    def __init__(self, in_channels: int, dims: int, norm_cfg: dict, act_cfg: dict) -> None:
        super().__init__()
        layers: List[nn.Module] = []
        plan = ((in_channels, dims // 2, 2), (dims // 2, dims // 2, 1), (dims // 2, dims, 2),
                (dims, dims, 1))
        for k, (cin, cout, stride) in enumerate(plan):
            layers += [nn.Conv2d(cin, cout, 3, stride, 1), build_norm_layer(norm_cfg, cout)[1]]
            if k < len(plan) - 1:
                layers.append(build_activation_layer(act_cfg))
        self.proj = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``(B, C_in, H, W)`` -> ``(B, ceil(H/4), ceil(W/4), C)`` (NHWC)."""
        return self.proj(x).permute(0, 2, 3, 1)


class ConvFFN(nn.Module):
    """``fc1 -> act -> (h + DWConv3x3(h)) -> fc2`` on NHWC tokens (RMT's feed-forward)."""

    def __init__(self, embed_dims: int, hidden_dims: int, act_cfg: dict) -> None:
        super().__init__()
        self.fc1 = PackedLinear(embed_dims, hidden_dims)
        self.act = build_activation_layer(act_cfg)
        self.dwconv = DepthwiseConvNHWC(hidden_dims, 3)
        self.fc2 = PackedLinear(hidden_dims, embed_dims)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = linear_act(self.fc1, self.act, x)
        return self.fc2(x + self.dwconv(x))


class RMTBlock(nn.Module):
    """Conditional position encoding, then pre-norm Manhattan attention and conv-FFN.

    Args:
        embed_dims: channels.
        num_heads: attention heads.
        decomposed: decomposed (height/width) attention instead of full attention.
        ffn_dims: hidden channels of the FFN.
        drop_path: stochastic depth rate.
        layer_scale: initial value of the per-channel residual scales, or ``None`` for none.
        act_cfg: FFN activation.
        fused_attention: see :class:`ManhattanSelfAttention`.
    """

    def __init__(self, embed_dims: int, num_heads: int, decomposed: bool, ffn_dims: int,
                 drop_path: float = 0.0, layer_scale: Optional[float] = None,
                 act_cfg: Optional[dict] = None, fused_attention: bool = True) -> None:
        super().__init__()
        self.cpe = DepthwiseConvNHWC(embed_dims, 3)
        self.norm1 = nn.LayerNorm(embed_dims, eps=1e-6)
        self.attn = ManhattanSelfAttention(embed_dims, num_heads, decomposed, fused_attention)
        self.norm2 = nn.LayerNorm(embed_dims, eps=1e-6)
        self.ffn = ConvFFN(embed_dims, ffn_dims, act_cfg or dict(type='GELU'))
        self.drop_path = DropPath(drop_path) if drop_path > 0 else nn.Identity()
        if layer_scale is not None:
            self.gamma1 = nn.Parameter(torch.full((embed_dims,), float(layer_scale)))
            self.gamma2 = nn.Parameter(torch.full((embed_dims,), float(layer_scale)))
        else:
            self.gamma1 = self.gamma2 = None

    def forward(self, x: torch.Tensor, tables: ManhattanTables) -> torch.Tensor:
        x = x + self.cpe(x)
        y = self.attn(self.norm1(x), tables)
        x = x + self.drop_path(y if self.gamma1 is None else self.gamma1 * y)
        y = self.ffn(self.norm2(x))
        return x + self.drop_path(y if self.gamma2 is None else self.gamma2 * y)


class ConvDownsample(nn.Module):
    """Conv3x3 stride 2 + norm, NHWC in and out (RMT's "patch merging")."""

    def __init__(self, in_dims: int, out_dims: int, norm_cfg: dict) -> None:
        super().__init__()
        self.reduction = nn.Conv2d(in_dims, out_dims, 3, 2, 1)
        self.norm = build_norm_layer(norm_cfg, out_dims)[1]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.norm(self.reduction(x.permute(0, 3, 1, 2))).permute(0, 2, 3, 1)


class RMTStage(nn.Module):
    """``depth`` blocks sharing one set of decay/rotary tables, then optional downsampling."""

    def __init__(self, embed_dims: int, depth: int, num_heads: int, init_value: float,
                 heads_range: float, decomposed: bool, ffn_dims: int,
                 drop_paths: Sequence[float], layer_scale: Optional[float],
                 out_dims: Optional[int], norm_cfg: dict, act_cfg: Optional[dict],
                 with_cp: bool, fused_attention: bool) -> None:
        super().__init__()
        self.decomposed = decomposed
        self.with_cp = with_cp
        self.rel_pos = ManhattanRelPos(embed_dims, num_heads, init_value, heads_range)
        self.blocks = nn.ModuleList(
            RMTBlock(embed_dims, num_heads, decomposed, ffn_dims, drop_paths[j], layer_scale,
                     act_cfg, fused_attention) for j in range(depth))
        self.downsample = (ConvDownsample(embed_dims, out_dims, norm_cfg)
                           if out_dims is not None else None)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``(B, H, W, C)`` -> same shape (the downsampling is left to the caller)."""
        tables = self.rel_pos(x.shape[1], x.shape[2], self.decomposed)
        for block in self.blocks:
            x = maybe_checkpoint(block, x, tables, with_cp=self.with_cp)
        return x


@MODELS.register_module()
class RMT(HierarchicalBackbone):
    """RMT backbone with Manhattan self-attention.

    Args:
        arch: ``'tiny'``, ``'small'``, ``'base'``, ``'large'`` (paper RMT-T/S/B/L, official
            ``RMT_T3``/``RMT_S``/``RMT_M2``/``RMT_L6``) or a dict with ``embed_dims``,
            ``depths``, ``num_heads``, ``init_values``, ``heads_ranges``, ``mlp_ratios``,
            ``decomposed`` (per-stage bools, the official ``chunkwise_recurrents``) and
            optionally ``layer_scales`` (per-stage bools) and ``layer_scale_init``.
        in_channels: image channels.
        drop_path_rate: stochastic depth, growing linearly over the blocks; ``None`` takes the
            preset's value (the official factories' 0.1 / 0.15 / 0.4 / 0.5).
        out_indices: stages to return (0..3).
        frozen_stages: -1 none; 0 the stem; i the stem and stages 1..i.
        norm_eval: keep the stem/downsampling batch norms in eval mode while training.
        with_cp: gradient checkpointing per block (saves memory, same gradients).
        fused_attention: attention through ``scaled_dot_product_attention`` (``False``: the
            explicit matmuls, bit-identical to the official code).
        norm_cfg: norm of the stem and downsampling convs (official: BN, SyncBN in det/seg).
        act_cfg: activation of the stem and FFNs.
        out_norm_cfg: norm of the new output norms ``norm{i}``.
        init_cfg: ``dict(type='Pretrained', checkpoint=...)`` loads this toolkit's layout.
    """

    arch_zoo = {
        'tiny': dict(embed_dims=(64, 128, 256, 512), depths=(2, 2, 8, 2),
                     num_heads=(4, 4, 8, 16), init_values=(2, 2, 2, 2),
                     heads_ranges=(4, 4, 6, 6), mlp_ratios=(3, 3, 3, 3),
                     decomposed=(True, True, False, False), drop_path_rate=0.1),
        'small': dict(embed_dims=(64, 128, 256, 512), depths=(3, 4, 18, 4),
                      num_heads=(4, 4, 8, 16), init_values=(2, 2, 2, 2),
                      heads_ranges=(4, 4, 6, 6), mlp_ratios=(4, 4, 3, 3),
                      decomposed=(True, True, True, False), drop_path_rate=0.15),
        'base': dict(embed_dims=(80, 160, 320, 512), depths=(4, 8, 25, 8),
                     num_heads=(5, 5, 10, 16), init_values=(2, 2, 2, 2),
                     heads_ranges=(5, 5, 6, 6), mlp_ratios=(4, 4, 3, 3),
                     decomposed=(True, True, True, False),
                     layer_scales=(False, False, True, True), layer_scale_init=1e-6,
                     drop_path_rate=0.4),
        'large': dict(embed_dims=(112, 224, 448, 640), depths=(4, 8, 25, 8),
                      num_heads=(7, 7, 14, 20), init_values=(2, 2, 2, 2),
                      heads_ranges=(6, 6, 6, 6), mlp_ratios=(4, 4, 3, 3),
                      decomposed=(True, True, True, False),
                      layer_scales=(False, False, True, True), layer_scale_init=1e-6,
                      drop_path_rate=0.5),
    }
    arch_keys = ('embed_dims', 'depths', 'num_heads', 'init_values', 'heads_ranges',
                 'mlp_ratios', 'decomposed')
    #: arch keys with one entry per stage
    stage_keys = ('embed_dims', 'num_heads', 'init_values', 'heads_ranges', 'mlp_ratios',
                  'decomposed', 'layer_scales')
    fresh_param_prefixes = ('norm0.', 'norm1.', 'norm2.', 'norm3.')

    def __init__(self, arch: Union[str, dict] = 'tiny', in_channels: int = 3,
                 drop_path_rate: Optional[float] = None,
                 out_indices: Sequence[int] = (0, 1, 2, 3), frozen_stages: int = -1,
                 norm_eval: bool = False, with_cp: bool = False, fused_attention: bool = True,
                 norm_cfg: Optional[dict] = None, act_cfg: Optional[dict] = None,
                 out_norm_cfg: Optional[dict] = None,
                 init_cfg: Optional[Union[dict, List[dict]]] = None) -> None:
        super().__init__(frozen_stages=frozen_stages, norm_eval=norm_eval, init_cfg=init_cfg)
        settings = self.resolve_arch(arch)
        channels = [int(c) for c in settings['embed_dims']]
        depths = tuple(int(d) for d in settings['depths'])
        num_stages = len(depths)
        settings.setdefault('layer_scales', (False,) * num_stages)
        per_stage = {k: tuple(settings[k]) for k in self.stage_keys}
        for key, values in per_stage.items():
            if len(values) != num_stages:
                raise ValueError(f'RMT: arch {key!r} has {len(values)} entries but depths has '
                                 f'{num_stages} stages')
        layer_scale_init = float(settings.get('layer_scale_init', 1e-6))
        if drop_path_rate is None:
            drop_path_rate = float(settings.get('drop_path_rate', 0.1))
        norm_cfg = norm_cfg or dict(type='BN', requires_grad=True)
        act_cfg = act_cfg or dict(type='GELU')
        self.depths = depths
        strides = [4 * 2 ** i for i in range(num_stages)]

        self.patch_embed = ConvStem(in_channels, channels[0], norm_cfg, act_cfg)
        dpr = drop_path_rates(drop_path_rate, sum(depths))
        self.stages = nn.ModuleList()
        for i in range(num_stages):
            start = sum(depths[:i])
            self.stages.append(RMTStage(
                channels[i], depths[i], per_stage['num_heads'][i],
                per_stage['init_values'][i], per_stage['heads_ranges'][i],
                bool(per_stage['decomposed'][i]),
                int(per_stage['mlp_ratios'][i] * channels[i]), dpr[start:start + depths[i]],
                layer_scale_init if per_stage['layer_scales'][i] else None,
                channels[i + 1] if i < num_stages - 1 else None, norm_cfg, act_cfg, with_cp,
                fused_attention))
        self.set_out_indices(out_indices, channels, strides)
        self.add_output_norms(out_norm_cfg, channels)
        self.init_linear_and_norm_layers()
        self._freeze_stages()
