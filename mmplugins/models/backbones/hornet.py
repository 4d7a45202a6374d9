"""HorNet (Rao et al., NeurIPS 2022) as a dense-prediction backbone.

ConvNeXt-style macro design: a 4x4/4 conv stem + LayerNorm, then per stage ``LN + 2x2/2 conv``
downsampling and blocks ``x + gamma1 * gnConv(LN(x))``, ``x + gamma2 * MLP(LN(x))``. gnConv
orders are 2, 3, 4, 5 over the stages; HorNet-GF swaps the 7x7 depthwise mixer of the last two
stages for the global-local Fourier filter (:mod:`mmplugins.models.layers.gnconv`). Stage ``i``
is read out through a new channels-first LayerNorm ``norm{i}`` (as the official det/seg code).

Any input size works: the input is zero-padded at the bottom/right to a multiple of the last
stride (32) and every output is cropped back to ``ceil(H / stride)``; the released models
therefore see exactly what the official code sees on the padded image.

Key layout (``tools/convert_checkpoint.py hornet`` maps the official release files to it)::

    downsample_layers.0.{0: conv 4x4, 1: LN}  downsample_layers.{1,2,3}.{0: LN, 1: conv 2x2}
    stages.{i}.{j}.{norm1, gnconv.{proj_in, dwconv[.dw, .complex_weight, .pre_norm,
                    .post_norm], projs.k, proj_out}, norm2, mlp.fc1, mlp.fc2, gamma1, gamma2}
    norm{i}                                  # output norms (new for classification weights)
"""
from typing import Dict, List, Optional, Sequence, Tuple, Union

import torch
import torch.nn as nn
from mmcv.cnn.bricks import DropPath

from ...registry import MODELS
from ..layers.checkpoint import maybe_checkpoint
from ..layers import Mlp, drop_path_rates
from ..layers.gnconv import GnConv
from ..layers.norm import LayerNorm2d
from ..utils import crop_to, pad_to_multiple
from .base import ConvNeXtStyleBackbone

_DW7 = dict(type='dw', kernel_size=7)


def _preset(embed_dims: int, gf: Optional[Tuple[Tuple[int, int], Tuple[int, int]]]) -> dict:
    mixers = [_DW7] * 4 if gf is None else [
        _DW7, _DW7, dict(type='gf', h=gf[0][0], w=gf[0][1]),
        dict(type='gf', h=gf[1][0], w=gf[1][1])]
    return dict(embed_dims=embed_dims, depths=(2, 3, 18, 2), orders=(2, 3, 4, 5), mixers=mixers)


_GF224 = ((14, 8), (7, 4))    # rfft2 of the 14x14 / 7x7 maps of a 224 image
_GF384 = ((24, 13), (12, 7))  # ... of the 24x24 / 12x12 maps of a 384 image (official sizes)


def _arch_zoo() -> Dict[str, dict]:
    zoo = {}
    for name, short, dims in (('tiny', 't', 64), ('small', 's', 96), ('base', 'b', 128),
                              ('large', 'l', 192)):
        for names, gf in (((name, f'{name}-7x7', short), None),
                          ((f'{name}-gf', f'{short}-gf'), _GF224),
                          ((f'{name}-gf384', f'{short}-gf384'), _GF384)):
            for key in names:
                zoo[key] = _preset(dims, gf)
    # the official code releases 384 GF weights for base and large only
    for key in ('tiny-gf384', 't-gf384', 'small-gf384', 's-gf384'):
        del zoo[key]
    return zoo


class HorNetBlock(nn.Module):
    """``x + DP(gamma1 * gnConv(LN2d(x)))``, then ``x + DP(gamma2 * MLP(LN(x)))`` (channels last).

    Args:
        dim: channels.
        order: gnConv order.
        mixer: gnConv spatial mixer config.
        scale: gnConv mixer scale.
        mlp_ratio: MLP hidden width / ``dim``.
        drop_path: stochastic depth rate.
        layer_scale_init_value: initial ``gamma``; ``0`` disables layer scale.
        act_cfg: MLP activation config.
        eps: LayerNorm epsilon.
    """

    def __init__(self, dim: int, order: int, mixer: dict, scale: float, mlp_ratio: float = 4.0,
                 drop_path: float = 0.0, layer_scale_init_value: float = 1e-6,
                 act_cfg: Optional[dict] = None, eps: float = 1e-6) -> None:
        super().__init__()
        self.norm1 = LayerNorm2d(dim, eps=eps)
        self.gnconv = GnConv(dim, order=order, mixer=mixer, scale=scale, eps=eps)
        self.norm2 = nn.LayerNorm(dim, eps=eps)
        self.mlp = Mlp(dim, int(mlp_ratio * dim), act_cfg=act_cfg)
        if layer_scale_init_value > 0:
            self.gamma1 = nn.Parameter(torch.full((dim,), float(layer_scale_init_value)))
            self.gamma2 = nn.Parameter(torch.full((dim,), float(layer_scale_init_value)))
        else:
            self.gamma1 = self.gamma2 = None
        self.drop_path = DropPath(drop_path) if drop_path > 0 else nn.Identity()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.gnconv(self.norm1(x))
        if self.gamma1 is not None:
            y = y * self.gamma1.view(-1, 1, 1)
        x = x + self.drop_path(y)
        y = self.mlp(self.norm2(x.permute(0, 2, 3, 1)))
        if self.gamma2 is not None:
            y = y * self.gamma2
        return x + self.drop_path(y.permute(0, 3, 1, 2))


@MODELS.register_module()
class HorNet(ConvNeXtStyleBackbone):
    """HorNet backbone.

    Args:
        arch: preset (mmpretrain's names): ``'tiny'`` (= ``'tiny-7x7'``, ``'t'``),
            ``'tiny-gf'``, ``'small'``, ``'small-gf'``, ``'base'``, ``'base-gf'``,
            ``'base-gf384'``, ``'large'``, ``'large-gf'``, ``'large-gf384'`` (``-gf``: global
            filters of a 224 model, 14x8 / 7x4; ``-gf384``: of a 384 model, 24x13 / 12x7), or a
            dict with ``embed_dims``, ``depths``, ``orders`` (per stage) and ``mixers`` (per
            stage, ``dict(type='dw', kernel_size=7)`` or ``dict(type='gf', h=.., w=..)``).
        in_channels: image channels.
        scale: gnConv mixer scale (1/3 in every released model).
        mlp_ratio: MLP hidden width / channels.
        drop_path_rate: stochastic depth, growing linearly over the blocks.
        layer_scale_init_value: initial layer-scale gamma; ``0`` disables layer scale.
        gf_sizes: stored ``(h, w)`` of the global filters of the GF stages, in stage order, to
            override the preset (the official seg configs train 24x13 / 12x7 filters on top of
            224 weights; checkpoints of any size are resized on load).
        out_indices: stages to return (0..3).
        frozen_stages: -1 none; 0 the stem; i the stem and stages 1..i with the downsampling
            layer in front of them and their output norm.
        norm_eval: keep batch norms in eval mode (HorNet has none unless added by a user).
        with_cp: gradient checkpointing per block (saves memory, same gradients).
        layer_decay_type: mapping used by :meth:`get_layer_depth`: ``'layer_wise'`` (official
            detection recipe: stage 3 split into pairs of blocks), ``'layer_wise_released'``
            (the same with the released code's hard-coded ids 11/12 for the last stages, which
            differ from ``'layer_wise'`` only when ``layer_decay_num_layers != 12``) or
            ``'stage_wise'`` (official segmentation recipe: one id per stage).
        layer_decay_num_layers: ``num_layers`` of the official recipe (12 for detection; 6 for
            tiny and 12 otherwise for segmentation); ids run over ``num_layers + 2`` values.
        act_cfg: MLP activation config.
        norm_eps: LayerNorm epsilon.
        init_cfg: ``dict(type='Pretrained', checkpoint=...)`` loads this toolkit's layout.
    """

    arch_zoo = _arch_zoo()
    arch_keys = ('embed_dims', 'depths', 'orders', 'mixers')
    fresh_param_prefixes = ('norm0.', 'norm1.', 'norm2.', 'norm3.')
    layer_decay_types = ('layer_wise', 'layer_wise_released', 'stage_wise')

    def __init__(self, arch: Union[str, dict] = 'tiny', in_channels: int = 3,
                 scale: float = 1.0 / 3.0, mlp_ratio: float = 4.0, drop_path_rate: float = 0.1,
                 layer_scale_init_value: float = 1e-6,
                 gf_sizes: Optional[Sequence[Sequence[int]]] = None,
                 out_indices: Sequence[int] = (0, 1, 2, 3), frozen_stages: int = -1,
                 norm_eval: bool = False, with_cp: bool = False,
                 layer_decay_type: str = 'layer_wise', layer_decay_num_layers: int = 12,
                 act_cfg: Optional[dict] = None, norm_eps: float = 1e-6,
                 init_cfg: Optional[Union[dict, List[dict]]] = None) -> None:
        super().__init__(frozen_stages=frozen_stages, norm_eval=norm_eval, init_cfg=init_cfg)
        settings = self.resolve_arch(arch)
        embed_dims = int(settings['embed_dims'])
        depths = tuple(int(d) for d in settings['depths'])
        orders = tuple(int(o) for o in settings['orders'])
        mixers = [dict(m) for m in settings['mixers']]
        num_stages = len(depths)
        for name, value in (('orders', orders), ('mixers', mixers)):
            if len(value) != num_stages:
                raise ValueError(f'HorNet: arch {name} has {len(value)} entries but depths '
                                 f'{depths} has {num_stages} stages')
        if gf_sizes is not None:
            gf_stages = [i for i, m in enumerate(mixers) if m.get('type') == 'gf']
            if len(gf_sizes) != len(gf_stages):
                raise ValueError(f'HorNet: gf_sizes gives {len(gf_sizes)} sizes but the arch has '
                                 f'{len(gf_stages)} GF stages ({gf_stages})')
            for i, (h, w) in zip(gf_stages, gf_sizes):
                mixers[i].update(h=int(h), w=int(w))
        if layer_decay_type not in self.layer_decay_types:
            raise ValueError(f'HorNet: layer_decay_type must be one of {self.layer_decay_types}, '
                             f'got {layer_decay_type!r}')
        self.depths = depths
        self.with_cp = with_cp
        self.layer_decay_type = layer_decay_type
        self.layer_decay_num_layers = int(layer_decay_num_layers)
        channels = [embed_dims * 2 ** i for i in range(num_stages)]
        strides = [4 * 2 ** i for i in range(num_stages)]
        self.pad_multiple = strides[-1]

        self.downsample_layers = nn.ModuleList([nn.Sequential(
            nn.Conv2d(in_channels, channels[0], kernel_size=4, stride=4),
            LayerNorm2d(channels[0], eps=norm_eps))])
        for i in range(1, num_stages):
            self.downsample_layers.append(nn.Sequential(
                LayerNorm2d(channels[i - 1], eps=norm_eps),
                nn.Conv2d(channels[i - 1], channels[i], kernel_size=2, stride=2)))
        dpr = drop_path_rates(drop_path_rate, sum(depths))
        self.stages = nn.ModuleList()
        for i in range(num_stages):
            start = sum(depths[:i])
            self.stages.append(nn.Sequential(*[
                HorNetBlock(channels[i], orders[i], mixers[i], scale, mlp_ratio=mlp_ratio,
                            drop_path=dpr[start + j],
                            layer_scale_init_value=layer_scale_init_value,
                            act_cfg=act_cfg, eps=norm_eps)
                for j in range(depths[i])]))
        self.set_out_indices(out_indices, channels, strides)
        for i in self.out_indices:
            self.add_module(f'norm{i}', LayerNorm2d(channels[i], eps=norm_eps))
        self.init_conv_linear()
        self._freeze_stages()

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, ...]:
        """``(B, C, H, W)`` -> tuple of ``(B, C_i, ceil(H / s_i), ceil(W / s_i))`` maps."""
        x, (h, w) = pad_to_multiple(x, self.pad_multiple)
        outs = []
        for i, stage in enumerate(self.stages):
            x = self.downsample_layers[i](x)
            for block in stage:
                x = maybe_checkpoint(block, x, with_cp=self.with_cp)
            if i in self.out_indices:
                stride = self.out_strides[self.out_indices.index(i)]
                out = getattr(self, f'norm{i}')(x)
                outs.append(crop_to(out, (-(-h // stride), -(-w // stride))).contiguous())
        return tuple(outs)

    def _block_layer_id(self, stage: int, block: int) -> int:
        # official HorNet detection recipe: stages 0/1 -> 1/2, stage 2 in pairs of blocks from 3
        # up to num_layers - 1, stage 3 -> num_layers. The released get_num_layer_layer_wise
        # hard-codes 11 and 12 there whatever num_layers is ('layer_wise_released'); with
        # num_layers < 12 that gives the last blocks lr scales above 1, so 'layer_wise' clamps.
        n = 12 if self.layer_decay_type == 'layer_wise_released' else self.layer_decay_num_layers
        if stage < 2:
            return stage + 1
        if stage == 2:
            return min(3 + block // 2, n - 1)
        return n

    def get_layer_depth(self, param_name: str) -> Tuple[int, int]:
        """``(layer_id, num_layers)`` for :class:`LayerDecayOptimWrapperConstructor`.

        ``num_layers = layer_decay_num_layers + 2``; a parameter gets
        ``lr * rate ** (num_layers - 1 - layer_id)``, exactly the official
        ``LearningRateDecayOptimizerConstructorHorNet``. ``layer_wise``: stem 0, a downsampling
        layer shares the id of the first block after it, stage 0/1 -> 1/2, stage 2 block b ->
        ``min(3 + b // 2, n - 1)``, stage 3 -> n, output norms ``n + 1`` (``layer_wise_released``:
        ``n`` is 12 in the two block rules, as hard-coded in the release). ``stage_wise``:
        downsampling 0, stage i -> i + 1, output norms ``n + 1``.
        """
        num_layers = self.layer_decay_num_layers + 2
        parts = param_name.split('.')
        if parts[0] == 'downsample_layers':
            index = int(parts[1])
            if self.layer_decay_type == 'stage_wise' or index == 0:
                return 0, num_layers
            return self._block_layer_id(index, 0), num_layers
        if parts[0] == 'stages':
            stage, block = int(parts[1]), int(parts[2])
            if self.layer_decay_type == 'stage_wise':
                return stage + 1, num_layers
            return self._block_layer_id(stage, block), num_layers
        return num_layers - 1, num_layers
