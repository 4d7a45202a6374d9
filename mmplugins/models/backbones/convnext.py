"""ConvNeXt (Liu et al., CVPR 2022) as released with kMaX-DeepLab (bytedance/kmax-deeplab).

The kMaX release (``kmax_deeplab/modeling/backbone/convnext.py``, after DeepLab2's
``pixel_encoder/convnext.py``) is the ImageNet ConvNeXt with two changes for dense prediction:

* every downsampling layer sees a zero-padded input: the 4x4/4 stem pads 1 pixel on the
  top/left and 2 on the bottom/right, each 2x2/2 downsampling (LayerNorm, then conv) pads 1 on
  the bottom/right *before* its LayerNorm. Stage ``i`` of an ``H x W`` image is therefore
  ``ceil(H / s_i) x ceil(W / s_i)`` for any size (321/161/81/41 for the 1281 crops of kMaX), and
  padded pixels leave the downsampling LayerNorm as its bias, as in the release;
* the four stage outputs are returned as they are, without output norms (the kMaX pixel
  decoder normalises every backbone feature itself).

Blocks are ``x + DropPath(gamma * fc2(GELU(fc1(LN(dwconv7x7(x))))))`` with channels-last
LayerNorm and linears (eps 1e-6) and layer scale ``gamma`` initialised to 1e-6.

Key layout (``tools/convert_checkpoint.py convnext`` maps ImageNet release files to it, ``kmax``
/ ``kmax-seg`` whole kMaX-DeepLab ConvNeXt checkpoints)::

    downsample_layers.0.{0: conv 4x4, 1: LN}  downsample_layers.{1,2,3}.{0: LN, 1: conv 2x2}
    stages.{i}.{j}.{dwconv, norm, mlp.fc1, mlp.fc2, gamma}
"""
from typing import Dict, List, Optional, Sequence, Tuple, Union

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmcv.cnn.bricks import DropPath

from ...registry import MODELS
from ..layers import Mlp, drop_path_rates
from ..layers.checkpoint import maybe_checkpoint
from ..layers.norm import LayerNorm2d
from .base import ConvNeXtStyleBackbone

#: zero padding (left, right, top, bottom) in front of the stem and of the later downsamplings
#: (kMaX-PT ``ConvNeXt.forward_features``, DeepLab2 ``convnext.py``)
STEM_PADDING = (1, 2, 1, 2)
DOWNSAMPLE_PADDING = (0, 1, 0, 1)


def _arch_zoo() -> Dict[str, dict]:
    # depths and widths of the paper's Table (and the kMaX-PT coco yamls)
    sizes = {('tiny', 't'): ((3, 3, 9, 3), (96, 192, 384, 768)),
             ('small', 's'): ((3, 3, 27, 3), (96, 192, 384, 768)),
             ('base', 'b'): ((3, 3, 27, 3), (128, 256, 512, 1024)),
             ('large', 'l'): ((3, 3, 27, 3), (192, 384, 768, 1536))}
    return {name: dict(depths=depths, dims=dims)
            for names, (depths, dims) in sizes.items() for name in names}


class ConvNeXtBlock(nn.Module):
    """``x + DropPath(gamma * MLP(LN(dwconv7x7(x))))`` on an NCHW map.

    Args:
        dim: channels.
        mlp_ratio: MLP hidden width / ``dim``.
        drop_path: stochastic depth rate.
        layer_scale_init_value: initial ``gamma``; ``0`` disables layer scale.
        eps: LayerNorm epsilon.
    """

    def __init__(self, dim: int, mlp_ratio: float = 4.0, drop_path: float = 0.0,
                 layer_scale_init_value: float = 1e-6, eps: float = 1e-6) -> None:
        super().__init__()
        self.dwconv = nn.Conv2d(dim, dim, kernel_size=7, padding=3, groups=dim)
        self.norm = nn.LayerNorm(dim, eps=eps)
        self.mlp = Mlp(dim, int(mlp_ratio * dim))
        self.gamma = (nn.Parameter(torch.full((dim,), float(layer_scale_init_value)))
                      if layer_scale_init_value > 0 else None)
        self.drop_path = DropPath(drop_path) if drop_path > 0 else nn.Identity()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.mlp(self.norm(self.dwconv(x).permute(0, 2, 3, 1)))
        if self.gamma is not None:
            y = y * self.gamma
        return x + self.drop_path(y.permute(0, 3, 1, 2))


@MODELS.register_module()
class ConvNeXt(ConvNeXtStyleBackbone):
    """The ConvNeXt backbone of the kMaX-DeepLab release (see the module docstring).

    Args:
        arch: preset ``'tiny'``/``'small'``/``'base'``/``'large'`` (or ``'t'``, ``'s'``, ``'b'``,
            ``'l'``), or a dict with ``depths`` and ``dims`` (one entry per stage).
        in_channels: image channels.
        mlp_ratio: MLP hidden width / channels.
        drop_path_rate: stochastic depth, growing linearly over the blocks (kMaX-PT COCO:
            0.3 / 0.4 / 0.5 / 0.6 for T / S / B / L, ADE20K L: 0.7).
        layer_scale_init_value: initial layer-scale gamma; ``0`` disables layer scale.
        out_indices: stages to return (0..3, strides 4/8/16/32; kMaX reads all four).
        frozen_stages: -1 none; 0 the stem; i the stem and stages 1..i with the downsampling
            layer in front of them.
        norm_eval: keep batch norms in eval mode (ConvNeXt has none: LayerNorms only).
        with_cp: gradient checkpointing per block (saves memory, same gradients).
        norm_eps: LayerNorm epsilon.
        init_cfg: ``dict(type='Pretrained', checkpoint=...)`` loads this toolkit's layout.
    """

    arch_zoo = _arch_zoo()
    arch_keys = ('depths', 'dims')

    def __init__(self, arch: Union[str, dict] = 'tiny', in_channels: int = 3,
                 mlp_ratio: float = 4.0, drop_path_rate: float = 0.0,
                 layer_scale_init_value: float = 1e-6,
                 out_indices: Sequence[int] = (0, 1, 2, 3), frozen_stages: int = -1,
                 norm_eval: bool = False, with_cp: bool = False, norm_eps: float = 1e-6,
                 init_cfg: Optional[Union[dict, List[dict]]] = None) -> None:
        super().__init__(frozen_stages=frozen_stages, norm_eval=norm_eval, init_cfg=init_cfg)
        settings = self.resolve_arch(arch)
        depths = tuple(int(d) for d in settings['depths'])
        dims = tuple(int(c) for c in settings['dims'])
        if len(dims) != len(depths):
            raise ValueError(f'ConvNeXt: arch dims has {len(dims)} entries but depths {depths} '
                             f'has {len(depths)} stages')
        self.depths = depths
        self.with_cp = with_cp
        strides = [4 * 2 ** i for i in range(len(depths))]

        self.downsample_layers = nn.ModuleList([nn.Sequential(
            nn.Conv2d(in_channels, dims[0], kernel_size=4, stride=4),
            LayerNorm2d(dims[0], eps=norm_eps))])
        for i in range(1, len(depths)):
            self.downsample_layers.append(nn.Sequential(
                LayerNorm2d(dims[i - 1], eps=norm_eps),
                nn.Conv2d(dims[i - 1], dims[i], kernel_size=2, stride=2)))
        dpr = drop_path_rates(drop_path_rate, sum(depths))
        self.stages = nn.ModuleList()
        for i, depth in enumerate(depths):
            start = sum(depths[:i])
            self.stages.append(nn.Sequential(*[
                ConvNeXtBlock(dims[i], mlp_ratio=mlp_ratio, drop_path=dpr[start + j],
                              layer_scale_init_value=layer_scale_init_value, eps=norm_eps)
                for j in range(depth)]))
        self.set_out_indices(out_indices, dims, strides)
        # ConvNeXt's initialisation; the kMaX release keeps PyTorch's defaults, which its
        # ImageNet weights overwrite anyway
        self.init_conv_linear()
        self._freeze_stages()

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, ...]:
        """``(B, C, H, W)`` -> tuple of ``(B, C_i, ceil(H / s_i), ceil(W / s_i))`` maps, in the
        order of ``out_indices`` (that of ``out_channels``)."""
        feats = {}
        for i, stage in enumerate(self.stages[:max(self.out_indices) + 1]):
            # pad before the downsampling LayerNorm, as released (see the module docstring)
            x = F.pad(x, STEM_PADDING if i == 0 else DOWNSAMPLE_PADDING)
            x = self.downsample_layers[i](x)
            for block in stage:
                x = maybe_checkpoint(block, x, with_cp=self.with_cp)
            feats[i] = x
        return tuple(feats[i] for i in self.out_indices)
