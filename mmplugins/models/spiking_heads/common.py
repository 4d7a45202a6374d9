"""The one building block of the spiking necks and heads: a neuron, then a real layer."""
from typing import Optional

import torch
import torch.nn as nn
from spikingjelly.activation_based import neuron

from spiking import MultiSpikeNode, seq_apply

#: the released detectors' neuron: integer counts ``round(clamp(x, 0, 4))``, not normalised
#: (``torch.round``: half to even, unlike the QSD backbone's ``floor(x + 0.5)``)
DET_NEURON = dict(type='multispike', levels=4, threshold=1.0, norm=1.0, rounding='half_even')
#: the released QFPN / QFPNHead neuron: the same counts divided by 4
SEG_NEURON = dict(type='multispike', levels=4, threshold=1.0, norm=4.0, rounding='half_even')
#: the released RetinaNet head's binary LIF neuron (multi-step, reset per forward)
LIF_NEURON = dict(type='lif', tau=2.0)


def build_neuron(cfg: Optional[dict]) -> nn.Module:
    """A multi-step neuron from ``dict(type='multispike', **MultiSpikeNode args)`` or
    ``dict(type='lif', tau=...)`` (spikingjelly's LIF with a detached hard reset)."""
    cfg = dict(DET_NEURON if cfg is None else cfg)
    kind = cfg.pop('type')
    if kind == 'multispike':
        return MultiSpikeNode(step_mode='m', **cfg)
    if kind == 'lif':
        return neuron.LIFNode(tau=float(cfg.pop('tau', 2.0)), detach_reset=True,
                              step_mode='m', **cfg)
    raise ValueError(f"spiking neck/head: neuron type must be 'multispike' or 'lif', got "
                     f'{kind!r}')


class SpikeLayer(nn.Module):
    """``layer(neuron(x))`` on ``[T, N, ...]``: the neuron steps through time, the real layer
    (conv, linear, deconv, ``ConvModule``) sees the time steps folded into the batch.

    Each call is one whole sequence: the neuron's state is reset first (the released modules
    call ``reset_net`` at every forward; a head runs once per pyramid level, and a membrane
    must not leak from one level, or one branch, into the next)."""

    def __init__(self, layer: nn.Module, neuron_cfg: Optional[dict] = None) -> None:
        super().__init__()
        self.lif = build_neuron(neuron_cfg)
        self.layer = layer

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self.lif.reset()
        return seq_apply(self.layer, self.lif(x))


def with_time(x: torch.Tensor) -> torch.Tensor:
    """``[T, N, ...]`` as is; a 4-D map (a time-averaged backbone) becomes ``T = 1``."""
    return x.unsqueeze(0) if x.dim() == 4 else x
