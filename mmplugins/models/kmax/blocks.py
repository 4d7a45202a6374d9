"""Small building blocks shared by the kMaX pixel decoder, transformer decoder and heads.

kMaX follows TensorFlow conventions: batch norm with ``eps=1e-3, momentum=0.01`` (TF decay 0.99),
truncated-normal initialisers cut at two standard deviations, and bilinear resizing with
``align_corners`` set when the source size is odd (the official crop is 1281 = 32 * 40 + 1, so every
feature map has an odd size and corners align exactly).
"""
import math
from typing import Optional, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmcv.cnn import build_activation_layer, build_norm_layer

#: kMaX's batch norm (TF defaults of DeepLab2).
KMAX_NORM_CFG = dict(type='SyncBN', eps=1e-3, momentum=0.01)

_NORM_TYPES = ('BN', 'SyncBN')


def build_kmax_norm(norm_cfg: Optional[dict], channels: int, dim: int) -> nn.Module:
    """Batch norm for a ``dim``-D feature map (1: ``(B, C, L)``, 2: ``(B, C, H, W)``, 3: 5-D).

    ``'BN'`` becomes ``BN1d``/``BN2d``/``BN3d`` as the input needs; ``'SyncBN'`` handles any rank.
    """
    cfg = dict(KMAX_NORM_CFG if norm_cfg is None else norm_cfg)
    if cfg.get('type') not in _NORM_TYPES:
        raise ValueError(f'kMaX norm_cfg type must be one of {_NORM_TYPES}, '
                         f'got {cfg.get("type")!r}')
    if cfg['type'] == 'BN':
        cfg['type'] = f'BN{dim}d'
    return build_norm_layer(cfg, channels)[1]


def trunc_normal_tf_(tensor: torch.Tensor, std: float) -> torch.Tensor:
    """TF's truncated normal: resample beyond two standard deviations."""
    return nn.init.trunc_normal_(tensor, std=std, a=-2 * std, b=2 * std)


def tf_resize(x: torch.Tensor, size: Tuple[int, int]) -> torch.Tensor:
    """Bilinear resize with kMaX's rule: corners aligned when the source width is odd."""
    if tuple(x.shape[-2:]) == tuple(size):
        return x
    return F.interpolate(x, size=size, mode='bilinear', align_corners=x.shape[-1] % 2 == 1)


class ConvBN(nn.Module):
    """Convolution (1-D or 2-D), optional batch norm, optional activation.

    Args:
        in_channels: input channels.
        out_channels: output channels.
        kernel_size: convolution kernel size.
        groups: convolution groups (``in_channels`` for depth-wise).
        bias: whether the convolution has a bias.
        with_norm: whether a batch norm follows the convolution.
        norm_cfg: batch-norm config (see :func:`build_kmax_norm`; ``None``: kMaX's default).
        act_cfg: activation config, or ``None`` for none.
        conv_type: ``'1d'`` (on ``(B, C, L)``) or ``'2d'``.
        conv_init: ``'he_normal'`` (TF's He normal, truncated) or ``'xavier_uniform'``.
        norm_init: initial scale of the norm; 0 makes a residual branch start as identity.
    """

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int = 1,
                 groups: int = 1, bias: bool = False, with_norm: bool = True,
                 norm_cfg: Optional[dict] = None,
                 act_cfg: Optional[dict] = None, conv_type: str = '2d',
                 conv_init: str = 'he_normal', norm_init: float = 1.0,
                 dilation: int = 1) -> None:
        super().__init__()
        if conv_type not in ('1d', '2d'):
            raise ValueError(f"conv_type must be '1d' or '2d', got {conv_type!r}")
        conv = nn.Conv1d if conv_type == '1d' else nn.Conv2d
        self.conv = conv(in_channels, out_channels, kernel_size,
                         padding=dilation * (kernel_size // 2), dilation=dilation, groups=groups,
                         bias=bias)
        self.norm = (build_kmax_norm(norm_cfg, out_channels, 1 if conv_type == '1d' else 2)
                     if with_norm else None)
        self.act = build_activation_layer(act_cfg) if act_cfg is not None else None
        if conv_init == 'he_normal':
            # fan-in of TF's initialiser is ``in_channels`` here, as in the official port.
            trunc_normal_tf_(self.conv.weight, std=math.sqrt(2.0 / in_channels))
        elif conv_init == 'xavier_uniform':
            nn.init.xavier_uniform_(self.conv.weight)
        else:
            raise ValueError("conv_init must be 'he_normal' or 'xavier_uniform', "
                             f'got {conv_init!r}')
        if bias:
            nn.init.zeros_(self.conv.bias)
        if self.norm is not None:
            nn.init.constant_(self.norm.weight, norm_init)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.conv(x)
        if self.norm is not None:
            x = self.norm(x)
        if self.act is not None:
            x = self.act(x)
        return x
