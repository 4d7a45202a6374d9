"""Recursive gated convolution (gnConv) of HorNet (Rao et al., NeurIPS 2022), reusable anywhere.

``GnConv(dim, order, mixer)`` maps ``(N, dim, H, W)`` to the same shape::

    [p_0, q] = split(proj_in(x), (C_0, sum C_k))     C_k = dim / 2**(order-1-k)
    [d_0 .. d_{n-1}] = split(scale * mixer(q))        one depthwise mixer over all gates
    p_1 = p_0 * d_0;  p_{k+1} = projs[k-1](p_k) * d_k
    y = proj_out(p_n)

The spatial ``mixer`` is a depthwise conv (``dict(type='dw', kernel_size=7)``, HorNet-7x7) or the
global-local filter (``dict(type='gf', h=14, w=8)``, HorNet-GF): half the channels go through a
3x3 depthwise conv, the other half are multiplied by a learned complex filter in the 2-D Fourier
domain. The filter is bilinearly resized (``align_corners=True``, as the official code) to the
input's spectrum at run time, and to this module's stored size when a checkpoint trained at
another resolution is loaded (224: 14x8, 384: 24x13).

Key names follow the official release (``proj_in``, ``dwconv``, ``proj_out``) except
``pws`` -> ``projs`` (mmpretrain's name; ``tools/convert_checkpoint.py hornet`` renames it).
"""
import contextlib
from typing import List, Optional, Sequence, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmcv.cnn import build_activation_layer, build_norm_layer
from mmengine.model.weight_init import trunc_normal_

from .norm import LayerNorm2d


def gnconv_split_dims(dim: int, order: int) -> List[int]:
    """Channel widths ``[dim / 2**(order-1), ..., dim / 2, dim]`` of the gnConv recursion."""
    if not isinstance(order, int) or order < 1:
        raise ValueError(f'GnConv: order must be a positive int, got {order!r}')
    if dim % 2 ** (order - 1):
        raise ValueError(f'GnConv: dim {dim} must be divisible by 2**(order-1) = '
                         f'{2 ** (order - 1)} for order {order}')
    return [dim // 2 ** i for i in range(order)][::-1]


def resize_complex_weight(weight: torch.Tensor, size: Sequence[int]) -> torch.Tensor:
    """Bilinearly resize a ``(C, h, w, 2)`` Fourier filter to ``(C, size[0], size[1], 2)``.

    ``align_corners=True`` as in the official code, so a converted checkpoint reproduces it.
    """
    size = (int(size[0]), int(size[1]))
    if tuple(weight.shape[1:3]) == size:
        return weight
    return F.interpolate(weight.permute(3, 0, 1, 2), size=size, mode='bilinear',
                         align_corners=True).permute(1, 2, 3, 0)


def _no_autocast(device_type: str) -> contextlib.AbstractContextManager:
    # FFTs stay in fp32: cuFFT half precision only handles power-of-two sizes.
    if device_type in ('cuda', 'cpu', 'xpu'):
        return torch.autocast(device_type=device_type, enabled=False)
    return contextlib.nullcontext()


class GlobalLocalFilter(nn.Module):
    """HorNet's GF mixer: LN, then 3x3 depthwise on one half and a global Fourier filter on the
    other half of the channels, interleaved back (``x1_0, x2_0, x1_1, ...``), then LN.

    Args:
        dim: channels (even).
        h, w: stored size of the complex filter (``h x (w_img // 2 + 1)`` of the training map).
        eps: LayerNorm epsilon.
    """

    def __init__(self, dim: int, h: int = 14, w: int = 8, eps: float = 1e-6) -> None:
        super().__init__()
        if dim % 2:
            raise ValueError(f'GlobalLocalFilter: dim must be even, got {dim}')
        half = dim // 2
        self.dw = nn.Conv2d(half, half, kernel_size=3, padding=1, bias=False, groups=half)
        self.complex_weight = nn.Parameter(torch.empty(half, h, w, 2, dtype=torch.float32))
        trunc_normal_(self.complex_weight, std=0.02)
        self.pre_norm = LayerNorm2d(dim, eps=eps)
        self.post_norm = LayerNorm2d(dim, eps=eps)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.pre_norm(x)
        x1, x2 = torch.chunk(x, 2, dim=1)
        x1 = self.dw(x1)
        b, c, h, w = x2.shape
        # at least fp32 (half inputs under AMP are promoted), fp64 stays fp64
        dtype = torch.promote_types(x2.dtype, torch.float32)
        with _no_autocast(x2.device.type):
            spec = torch.fft.rfft2(x2.to(dtype), dim=(2, 3), norm='ortho')
            weight = resize_complex_weight(self.complex_weight.to(dtype), spec.shape[2:4])
            spec = spec * torch.view_as_complex(weight.contiguous())
            x2 = torch.fft.irfft2(spec, s=(h, w), dim=(2, 3), norm='ortho')
        x = torch.stack([x1, x2.to(x1.dtype)], dim=2).reshape(b, 2 * c, h, w)
        return self.post_norm(x)

    def _load_from_state_dict(self, state_dict: dict, prefix: str, *args, **kwargs) -> None:
        # A filter trained at another resolution (14x8 at 224, 24x13 at 384) is resized to this
        # module's size, so any GF checkpoint loads into any GF model.
        key = prefix + 'complex_weight'
        stored = state_dict.get(key)
        own = self.complex_weight
        if (isinstance(stored, torch.Tensor) and stored.dim() == 4 and stored.shape != own.shape
                and stored.shape[0] == own.shape[0] and stored.shape[3] == 2):
            state_dict[key] = resize_complex_weight(stored.float(), own.shape[1:3]).to(
                stored.dtype)
        super()._load_from_state_dict(state_dict, prefix, *args, **kwargs)


def build_spatial_mixer(mixer: dict, channels: int, eps: float = 1e-6) -> nn.Module:
    """Build gnConv's spatial mixer from ``dict(type='dw', kernel_size=7)`` or
    ``dict(type='gf', h=14, w=8)``."""
    if not isinstance(mixer, dict) or 'type' not in mixer:
        raise TypeError(f"GnConv: mixer must be a dict with a 'type' key ('dw' or 'gf'), "
                        f'got {mixer!r}')
    cfg = dict(mixer)
    kind = cfg.pop('type')
    if kind == 'dw':
        kernel_size = cfg.pop('kernel_size', 7)
        bias = cfg.pop('bias', True)
        module = nn.Conv2d(channels, channels, kernel_size, padding=(kernel_size - 1) // 2,
                           bias=bias, groups=channels)
    elif kind == 'gf':
        module = GlobalLocalFilter(channels, h=cfg.pop('h', 14), w=cfg.pop('w', 8), eps=eps)
    else:
        raise ValueError(f"GnConv: mixer type must be 'dw' or 'gf', got {kind!r}")
    if cfg:
        raise ValueError(f'GnConv: unknown keys {sorted(cfg)} for mixer type {kind!r} '
                         "(dw: kernel_size, bias; gf: h, w)")
    return module


class GnConv(nn.Module):
    """Recursive gated convolution of order ``order`` (see the module docstring).

    Args:
        dim: output channels (and the width of the recursion); divisible by ``2**(order-1)``.
        order: interaction order n (HorNet stages use 2, 3, 4, 5).
        mixer: spatial mixer config, ``dict(type='dw', kernel_size=7)`` or
            ``dict(type='gf', h=14, w=8)``.
        scale: factor on the mixer output (``1/alpha`` of the paper; HorNet uses 1/3, the
            HorFPN layers 1).
        eps: LayerNorm epsilon of the GF mixer.
        in_channels: input channels of ``proj_in``; None: ``dim``. (HorFPN's UperNet
            bottleneck maps the concatenated pyramid to ``dim``.)
    """

    def __init__(self, dim: int, order: int = 5, mixer: Optional[dict] = None,
                 scale: float = 1.0 / 3.0, eps: float = 1e-6,
                 in_channels: Optional[int] = None) -> None:
        super().__init__()
        self.order = order
        self.dims = gnconv_split_dims(dim, order)
        self.scale = scale
        self.proj_in = nn.Conv2d(in_channels or dim, 2 * dim, 1)
        self.dwconv = build_spatial_mixer(mixer or dict(type='dw', kernel_size=7),
                                          sum(self.dims), eps=eps)
        self.projs = nn.ModuleList(
            nn.Conv2d(self.dims[i], self.dims[i + 1], 1) for i in range(order - 1))
        self.proj_out = nn.Conv2d(dim, dim, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        p, q = torch.split(self.proj_in(x), (self.dims[0], sum(self.dims)), dim=1)
        gates = torch.split(self.dwconv(q) * self.scale, self.dims, dim=1)
        x = p * gates[0]
        for proj, gate in zip(self.projs, gates[1:]):
            x = proj(x) * gate
        return self.proj_out(x)

    def extra_repr(self) -> str:
        return f'order={self.order}, dims={self.dims}, scale={self.scale:.4f}'


class GnConvModule(GnConv):
    """gnConv followed by an optional norm and activation: the conv layer of HorFPN (the
    released ``GNConvModule``), in the place where an FPN or UperNet has a ``ConvModule``.

    Args:
        in_channels: input channels.
        out_channels: output channels (the gnConv width ``dim``).
        order, mixer, scale, eps: as :class:`GnConv` (the released HorFPN: order 2, no scale).
        norm_cfg: norm after ``proj_out`` (``build_norm_layer``); None: none.
        act_cfg: activation after the norm (``build_activation_layer``); None: none.
    """

    def __init__(self, in_channels: int, out_channels: int, order: int = 2,
                 mixer: Optional[dict] = None, scale: float = 1.0, eps: float = 1e-6,
                 norm_cfg: Optional[dict] = None, act_cfg: Optional[dict] = None) -> None:
        super().__init__(out_channels, order, mixer, scale, eps, in_channels=in_channels)
        self.norm_name = None
        if norm_cfg is not None:
            # the norm's name from mmcv ('bn', 'gn', ...), as the released ConvModule-like keys
            self.norm_name, norm = build_norm_layer(norm_cfg, out_channels)
            self.add_module(self.norm_name, norm)
        self.activate = build_activation_layer(act_cfg) if act_cfg is not None else None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = super().forward(x)
        if self.norm_name is not None:
            x = getattr(self, self.norm_name)(x)
        return x if self.activate is None else self.activate(x)


#: alias: users look for the module under this name
RecursiveGatedConv = GnConv

__all__: Tuple[str, ...] = ('GnConv', 'GnConvModule', 'RecursiveGatedConv',
                            'GlobalLocalFilter', 'build_spatial_mixer', 'gnconv_split_dims', 'resize_complex_weight')
