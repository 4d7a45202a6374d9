"""Spiking necks and heads of the released QSD-Transformer detectors and segmentors.

The time dimension flows from the backbone (``QSDTransformer(keep_time=True)`` hands over
``[T, B, C, H, W]`` maps) through these modules; each head averages over time where the
released code does: after its last layer (dense heads, RoI heads, mask head, QFPN head).
"""
from .dense_heads import SpikeRetinaHead, SpikeRPNHead
from .necks import QFPN, SpikeFPN
from .roi_heads import (SharedSpike2FCBBoxHead, SharedSpike4Conv1FCBBoxHead,
                        SpikeCascadeRoIHead, SpikeConvFCBBoxHead, SpikeFCNMaskHead,
                        SpikeStandardRoIHead)
from .seg_heads import QFPNHead

__all__ = ['SpikeFPN', 'QFPN', 'SpikeRPNHead', 'SpikeRetinaHead', 'SpikeStandardRoIHead',
           'SpikeCascadeRoIHead', 'SpikeConvFCBBoxHead', 'SharedSpike2FCBBoxHead',
           'SharedSpike4Conv1FCBBoxHead', 'SpikeFCNMaskHead', 'QFPNHead']
