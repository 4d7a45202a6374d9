"""Spiking FPNs: ``SpikeFPN`` (mmdet, released ``det/.../necks/spike_fpn.py``) and ``QFPN``
(mmseg, released ``seg/.../necks/fpn.py``). Maps stay ``[T, B, C, H, W]``."""
from typing import List, Optional, Sequence, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmdet.models.necks import FPN

from ...registry import MODELS
from .common import DET_NEURON, SEG_NEURON, SpikeLayer, with_time


def _top_down(laterals: List[torch.Tensor], upsample_cfg: dict) -> List[torch.Tensor]:
    """FPN's top-down sum on ``[T, B, C, H, W]`` laterals (time folded into the batch)."""
    for i in range(len(laterals) - 1, 0, -1):
        t, b = laterals[i].shape[:2]
        size = None if 'scale_factor' in upsample_cfg else laterals[i - 1].shape[-2:]
        up = F.interpolate(laterals[i].flatten(0, 1), size=size, **upsample_cfg)
        laterals[i - 1] = laterals[i - 1] + up.view(t, b, *up.shape[1:])
    return laterals


@MODELS.register_module()
class SpikeFPN(FPN):
    """mmdet's FPN with a multi-level spiking neuron before every lateral, output and extra
    conv (the released ``SpikeFPN``). Inputs ``[T, B, C, H, W]`` (4-D maps count as ``T=1``),
    outputs ``[T, B, C', H, W]``; extra levels by max-pooling or spiking extra convs.

    Args:
        neuron: the neuron (``common.build_neuron``); default the released integer counts
            ``round(clamp(x, 0, 4))``, the same in training and evaluation (the released
            evaluation clamps to 1, a binary neuron the training never saw).
        Others as mmdet's :class:`~mmdet.models.necks.FPN`.
    """

    def __init__(self, in_channels: List[int], out_channels: int, num_outs: int,
                 neuron: Optional[dict] = None, **kwargs) -> None:
        if kwargs.get('relu_before_extra_convs'):
            raise ValueError('SpikeFPN: the neuron before each extra conv replaces '
                             'relu_before_extra_convs')
        super().__init__(in_channels, out_channels, num_outs, **kwargs)
        cfg = DET_NEURON if neuron is None else neuron
        self.lateral_convs = nn.ModuleList(SpikeLayer(m, cfg) for m in self.lateral_convs)
        self.fpn_convs = nn.ModuleList(SpikeLayer(m, cfg) for m in self.fpn_convs)

    def forward(self, inputs: Sequence[torch.Tensor]) -> Tuple[torch.Tensor, ...]:
        """Feature pyramid of ``[T, B, C, H, W]`` maps."""
        assert len(inputs) == len(self.in_channels)
        inputs = [with_time(x) for x in inputs]
        laterals = [conv(inputs[i + self.start_level])
                    for i, conv in enumerate(self.lateral_convs)]
        laterals = _top_down(laterals, self.upsample_cfg)
        used = len(laterals)
        outs = [self.fpn_convs[i](laterals[i]) for i in range(used)]
        if self.num_outs > used and not self.add_extra_convs:
            for _ in range(self.num_outs - used):
                t, b = outs[-1].shape[:2]
                pooled = F.max_pool2d(outs[-1].flatten(0, 1), 1, stride=2)
                outs.append(pooled.view(t, b, *pooled.shape[1:]))
        elif self.num_outs > used:
            source = {'on_input': inputs[self.backbone_end_level - 1],
                      'on_lateral': laterals[-1], 'on_output': outs[-1]}[self.add_extra_convs]
            outs.append(self.fpn_convs[used](source))
            for i in range(used + 1, self.num_outs):
                outs.append(self.fpn_convs[i](outs[-1]))
        return tuple(outs)


@MODELS.register_module()
class QFPN(nn.Module):
    """The released QSD segmentation neck: per level, neuron -> 1x1 conv -> BN laterals, the
    top-down sum, then neuron -> 3x3 conv -> BN. No extra levels.

    Args:
        in_channels: channels of the backbone maps.
        out_channels: channels of every output map.
        num_outs: ``None`` or ``len(in_channels)`` (accepted for FPN-style configs).
        neuron: the neuron; default the released ``MultiSpike_norm(Norm=4)``
            (``round(clamp(x, 0, 4)) / 4``).
        upsample_cfg: ``F.interpolate`` arguments of the top-down path.

    Inputs ``[T, B, C, H, W]`` (or 4-D, ``T = 1``); outputs ``[T, B, C', H, W]``.
    """

    def __init__(self, in_channels: List[int], out_channels: int,
                 num_outs: Optional[int] = None, neuron: Optional[dict] = None,
                 upsample_cfg: Optional[dict] = None) -> None:
        super().__init__()
        if num_outs not in (None, len(in_channels)):
            raise ValueError(f'QFPN: no extra levels; num_outs must be {len(in_channels)} '
                             f'(one per input), got {num_outs}')
        cfg = SEG_NEURON if neuron is None else neuron
        self.in_channels, self.out_channels = list(in_channels), out_channels
        self.upsample_cfg = dict(mode='nearest') if upsample_cfg is None else dict(upsample_cfg)

        def conv_bn(cin: int, k: int) -> SpikeLayer:
            return SpikeLayer(nn.Sequential(nn.Conv2d(cin, out_channels, k, padding=k // 2),
                                            nn.BatchNorm2d(out_channels)), cfg)

        self.lateral_convs = nn.ModuleList(conv_bn(c, 1) for c in self.in_channels)
        self.fpn_convs = nn.ModuleList(conv_bn(out_channels, 3) for _ in self.in_channels)

    def forward(self, inputs: Sequence[torch.Tensor]) -> Tuple[torch.Tensor, ...]:
        """One ``[T, B, C', H_i, W_i]`` map per input level."""
        assert len(inputs) == len(self.in_channels)
        laterals = [conv(with_time(x)) for conv, x in zip(self.lateral_convs, inputs)]
        laterals = _top_down(laterals, self.upsample_cfg)
        return tuple(conv(x) for conv, x in zip(self.fpn_convs, laterals))
