"""Spiking building blocks on spikingjelly 2.0: multi-level integer neurons, LSQ weight
quantizers, quantized RepConv, spike-driven self-attention (Q-SDSA) and energy accounting.

spikingjelly provides the neuron base classes, surrogate gradients, step modes and
``functional.reset_net``; this package adds what it lacks for quantized spike-driven models.
"""
from .attention import QSDSA
from .energy import EnergyReport, LayerEnergy, energy_report
from .layers import BNAndPad, QRepConv, SpikeMatMul, seq_apply
from .neuron import (MultiSpikeNode, RoundHalfEvenSpikeCount, RoundHalfUpSpikeCount,
                     expand_to_binary, spike_driven_apply, spike_norm)
from .quant import LSQConv2d, LSQLinear, LSQWeightQuantizer

__all__ = ['QSDSA', 'EnergyReport', 'LayerEnergy', 'energy_report', 'BNAndPad', 'QRepConv',
           'SpikeMatMul', 'seq_apply', 'MultiSpikeNode', 'RoundHalfEvenSpikeCount',
           'RoundHalfUpSpikeCount', 'expand_to_binary', 'spike_driven_apply', 'spike_norm',
           'LSQConv2d', 'LSQLinear', 'LSQWeightQuantizer']
