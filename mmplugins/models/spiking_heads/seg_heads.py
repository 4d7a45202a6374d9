"""Spiking Semantic-FPN head of the released QSD segmentor (``QFPNHead``,
``seg/mmseg/models/decode_heads/fpn_head.py``)."""
from typing import Optional

import torch
import torch.nn as nn
from mmseg.models.decode_heads import FPNHead
from mmseg.models.utils import Upsample, resize

from spiking import seq_apply
from ...registry import MODELS
from .common import SEG_NEURON, SpikeLayer, build_neuron, with_time


@MODELS.register_module()
class QFPNHead(FPNHead):
    """mmseg's FPNHead with a neuron before every 3x3 conv of the scale heads and before the
    classifier; logits averaged over time after the classifier.

    Args:
        neuron: the neuron; default the released ``round(clamp(x, 0, 4)) / 4``.
        Others as mmseg's :class:`~mmseg.models.decode_heads.FPNHead` (the released head has
        conv (no bias) + BN and no activation: ``norm_cfg=dict(type='BN')``, ``act_cfg=None``).

    Inputs ``[T, B, C, H, W]`` maps (4-D: ``T = 1``); outputs ``[B, K, H_0, W_0]`` logits.
    """

    def __init__(self, feature_strides, neuron: Optional[dict] = None, **kwargs) -> None:
        super().__init__(feature_strides, **kwargs)
        cfg = SEG_NEURON if neuron is None else neuron
        for i, head in enumerate(self.scale_heads):
            self.scale_heads[i] = nn.Sequential(*(
                m if isinstance(m, Upsample) else SpikeLayer(m, cfg) for m in head))
        self.out_spike = build_neuron(cfg)

    @staticmethod
    def _run(head: nn.Sequential, x: torch.Tensor) -> torch.Tensor:
        for m in head:  # spiking layers take [T, B, ...]; the upsamplers 4-D maps
            x = m(x) if isinstance(m, SpikeLayer) else seq_apply(m, x)
        return x

    def forward(self, inputs) -> torch.Tensor:
        x = [with_time(f) for f in self._transform_inputs(inputs)]
        output = self._run(self.scale_heads[0], x[0])
        size = output.shape[-2:]
        for i in range(1, len(self.feature_strides)):
            output = output + seq_apply(
                lambda z: resize(z, size=size, mode='bilinear',
                                 align_corners=self.align_corners),
                self._run(self.scale_heads[i], x[i]))
        self.out_spike.reset()
        return seq_apply(self.cls_seg, self.out_spike(output)).mean(0)
