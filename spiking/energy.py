"""Energy accounting for spiking and non-spiking backbones (one report format for both).

See :func:`energy_report` for the method and its assumptions.
"""
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

import torch
import torch.nn as nn
from spikingjelly.activation_based import functional
from spikingjelly.activation_based.op_counter.base import is_binary_tensor
from torch.nn.attention import SDPBackend, sdpa_kernel
from torch.utils.flop_counter import FlopCounterMode

from .layers import QRepConv, SpikeMatMul
from .neuron import spike_norm

#: layers whose first input, when it is a spike tensor, makes them accumulate-only
SYNAPTIC_LAYERS = (nn.Conv1d, nn.Conv2d, nn.Conv3d, nn.ConvTranspose1d, nn.ConvTranspose2d,
                   nn.ConvTranspose3d, nn.Linear, SpikeMatMul)


@dataclass
class LayerEnergy:
    """One row of the report: a module and the arithmetic it does itself."""
    name: str
    macs: int  # dense multiply-adds (the FLOP count of the layer)
    rate: Optional[float]  # mean spike count per input element per time step; None: real input
    ops: float  # ACs (spike input: rate * macs) or MACs (real input: macs)
    energy_pj: float

    @property
    def kind(self) -> str:
        """``'AC'`` when fed by spikes, else ``'MAC'``."""
        return 'MAC' if self.rate is None else 'AC'


@dataclass
class EnergyReport:
    """Per-layer and total operations and energy of one forward pass."""
    layers: List[LayerEnergy]
    firing_rates: Dict[str, float] = field(default_factory=dict)
    e_mac_pj: float = 4.6
    e_ac_pj: float = 0.9
    batch_size: int = 1

    @property
    def total_macs(self) -> float:
        """MACs performed (real-valued inputs)."""
        return sum(r.ops for r in self.layers if r.rate is None)

    @property
    def total_acs(self) -> float:
        """Accumulates performed (spike inputs)."""
        return sum(r.ops for r in self.layers if r.rate is not None)

    @property
    def dense_macs(self) -> int:
        """MACs of the same network run densely (the FLOP count)."""
        return sum(r.macs for r in self.layers)

    @property
    def energy_mj(self) -> float:
        """Total energy of the forward pass in millijoules."""
        return sum(r.energy_pj for r in self.layers) * 1e-9

    @property
    def energy_mj_per_sample(self) -> float:
        """Energy per input sample in millijoules."""
        return self.energy_mj / self.batch_size

    def by_part(self, prefix: str = '', containers: Sequence[str] = ('roi_head',)
                ) -> Dict[str, Dict[str, float]]:
        """Totals per part of a detector or segmentor, per sample: ``{part: dict(macs, acs,
        energy_mj)}``. A part is the first component of a layer name after ``prefix`` (the
        backbone, the neck, each head), or the first two under a ``containers`` module (each
        head of a RoI head); inline ops stay ``'(other)'``."""
        parts: Dict[str, Dict[str, float]] = {}
        for r in self.layers:
            name = r.name[len(prefix):] if prefix and r.name.startswith(prefix) else r.name
            keys = name.split('.')
            part = '.'.join(keys[:2] if keys[0] in containers and len(keys) > 2 else keys[:1])
            acc = parts.setdefault(part, dict(macs=0.0, acs=0.0, energy_mj=0.0))
            acc['acs' if r.rate is not None else 'macs'] += r.ops / self.batch_size
            acc['energy_mj'] += r.energy_pj * 1e-9 / self.batch_size
        return parts

    def to_dict(self) -> dict:
        """Plain-python summary (for json logs and the leaderboard)."""
        return dict(energy_mj=self.energy_mj, energy_mj_per_sample=self.energy_mj_per_sample,
                    macs=self.total_macs, acs=self.total_acs, dense_macs=self.dense_macs,
                    e_mac_pj=self.e_mac_pj, e_ac_pj=self.e_ac_pj, batch_size=self.batch_size,
                    layers=[dict(name=r.name, kind=r.kind, macs=r.macs, rate=r.rate,
                                 ops=r.ops, energy_pj=r.energy_pj) for r in self.layers],
                    firing_rates=dict(self.firing_rates))

    def table(self, max_rows: Optional[int] = None) -> str:
        """Markdown table of the layers (largest energy first) and the totals."""
        rows = sorted(self.layers, key=lambda r: -r.energy_pj)[:max_rows]
        lines = ['| layer | kind | dense MACs (M) | rate | ops (M) | energy (uJ) |',
                 '|---|---|---:|---:|---:|---:|']
        for r in rows:
            rate = '-' if r.rate is None else f'{r.rate:.3f}'
            lines.append(f'| {r.name} | {r.kind} | {r.macs / 1e6:.3f} | {rate} | '
                         f'{r.ops / 1e6:.3f} | {r.energy_pj * 1e-6:.3f} |')
        lines.append(f'| **total** | | {self.dense_macs / 1e6:.3f} | | '
                     f'MAC {self.total_macs / 1e6:.3f}'
                     f' + AC {self.total_acs / 1e6:.3f} | {self.energy_mj * 1e3:.3f} |')
        return '\n'.join(lines)


class _Recorder:
    """Forward hooks that remember spike tensors and the firing rate seen by each layer."""

    def __init__(self) -> None:
        self.spikes: Dict[int, Tuple[torch.Tensor, float]] = {}
        self.counts: Dict[str, List[float]] = defaultdict(lambda: [0.0, 0])
        self.inputs: Dict[str, List[float]] = defaultdict(lambda: [0.0, 0, 0])  # sum, n, real
        # exactly-binary tensors count as spikes only in a network that has neurons, so an
        # ANN's masks or all-zero maps never become "spikes"
        self.binary_fallback = False

    def neuron_hook(self, name: str, norm: float):
        def hook(module, args, output):
            if isinstance(output, torch.Tensor):
                # keep the tensor alive so its storage is not reused by a real-valued one
                self.spikes[output.untyped_storage().data_ptr()] = (output, norm)
                acc = self.counts[name]
                acc[0] += float((output.double() * norm).sum())
                acc[1] += output.numel()
        return hook

    def rate_of(self, x: torch.Tensor, norm: Optional[float] = None) -> Optional[float]:
        """Mean spike count of ``x`` per element, or ``None`` for a real-valued tensor."""
        if norm is None:
            hit = self.spikes.get(x.untyped_storage().data_ptr())
            if hit is not None and hit[0].numel() >= x.numel():
                norm = hit[1]
            elif self.binary_fallback and is_binary_tensor(x):
                norm = 1.0
            else:
                return None
        return float((x.double() * norm).mean())

    def input_hook(self, name: str):
        def hook(module, args):
            x = args[0]
            rate = self.rate_of(x, module.norm if isinstance(module, SpikeMatMul) else None)
            acc = self.inputs[name]
            if rate is None:
                acc[2] += 1
            else:
                acc[0] += rate * x.numel()
                acc[1] += x.numel()
        return hook

    def layer_rate(self, name: str) -> Optional[float]:
        acc = self.inputs.get(name)
        if acc is None or acc[2] or not acc[1]:
            return None  # any real-valued call makes the layer a MAC layer
        return acc[0] / acc[1]


def _layer_flops(model: nn.Module, flop_counts: Dict[str, Dict[Any, int]],
                 fused: Sequence[str]) -> Dict[str, int]:
    """Multiply-adds per unit (fused block, conv/linear/spike matmul, other leaf), plus
    ``'(other)'``: ops done inline by non-leaf modules. Units rather than whole subtrees,
    because torch's per-module attribution of a non-leaf misses children that its parent calls
    on its behalf."""
    root = type(model).__name__

    def macs(name: str) -> int:
        return sum(flop_counts.get(f'{root}.{name}' if name else root, {}).values()) // 2

    units = list(fused)
    for name, module in model.named_modules():
        if any(name == u or name.startswith(u + '.') for u in units):
            continue  # inside a counted unit (a fused block, or a conv's weight quantizer)
        if isinstance(module, SYNAPTIC_LAYERS) or not any(True for _ in module.children()):
            units.append(name)
    rows: Dict[str, int] = {name: macs(name) for name in units}
    rows['(other)'] = sum(flop_counts.get('Global', {}).values()) // 2 - sum(rows.values())
    return rows


def energy_report(model: nn.Module, inputs: Union[torch.Tensor, Sequence[torch.Tensor]],
                  e_mac_pj: float = 4.6, e_ac_pj: float = 0.9,
                  fuse_repconv: bool = True) -> EnergyReport:
    """Run ``model(*inputs)`` once (eval mode, no grad) and account its energy per layer.

    Method (the Spike-driven Transformer / Meta-SpikeFormer / QSD convention):

    * Multiply-adds of every leaf module come from ``torch.utils.flop_counter.FlopCounterMode``
      (halved, the convention of :func:`mmplugins.analysis.complexity.count_flops`):
      convolutions and matrix products only; norms, activations, additions are not counted.
      Products done inline by non-leaf modules (e.g. an ANN's attention) form one
      ``'(other)'`` MAC row, so the rows always sum to the model's FLOP count.
    * A convolution, linear layer or :class:`~spiking.layers.SpikeMatMul` whose (first) input
      is a spike tensor does accumulates only: ``ACs = rate * MACs`` where ``rate`` is the
      measured mean spike COUNT per input element per time step. A count ``k`` is ``k`` ACs
      (``k`` binary spikes over ``D`` virtual steps), which spikingjelly's op counters get wrong
      for multi-level spikes (they count non-binary inputs as MACs). Spike tensors are outputs
      of :class:`~spiking.neuron.MultiSpikeNode` (divided back by its ``norm``) or of
      spikingjelly neurons, or, in a network that has such neurons, any exactly-binary tensor
      (spikingjelly's ``is_binary_tensor``; an all-zero map counts as silent spikes).
    * Every other counted op (real-valued inputs: the first, encoding layer; convs fed by BN
      outputs; every layer of an ANN) is a MAC. An ANN therefore gets ``energy = MACs * E_MAC``.
    * ``fuse_repconv``: a :class:`~spiking.layers.QRepConv` counts as the single dense 3x3
      conv it folds into at inference, fed by its input spikes (otherwise its inner convs that
      see BN outputs count as MACs).
    * Time steps are included as the model runs them (a ``[T * B]`` batch counts ``T`` times);
      the report is for the whole ``inputs`` batch, ``energy_mj_per_sample`` divides by it.
    * Defaults ``E_MAC = 4.6 pJ``, ``E_AC = 0.9 pJ`` (45 nm CMOS, 32-bit float, Horowitz 2014).
      Memory access energy is not counted.
    * Neuron state is reset (``functional.reset_net``) before and after the run.

    Returns:
        :class:`EnergyReport` with per-layer rows, totals and per-neuron-layer firing rates
        (mean count per neuron per time step).
    """
    if isinstance(inputs, torch.Tensor):
        inputs = (inputs,)
    rec = _Recorder()
    names = {m: n for n, m in model.named_modules()}
    fused = [n for m, n in names.items() if fuse_repconv and isinstance(m, QRepConv)]
    handles = []
    for module, name in names.items():
        norm = spike_norm(module)
        if norm is not None:
            handles.append(module.register_forward_hook(rec.neuron_hook(name, norm)))
        if isinstance(module, SYNAPTIC_LAYERS) or name in fused:
            handles.append(module.register_forward_pre_hook(rec.input_hook(name)))
    rec.binary_fallback = any(spike_norm(m) is not None for m in names)
    fused_macs: Dict[str, int] = defaultdict(int)
    for name in fused:
        module = model.get_submodule(name)

        def fused_hook(mod, args, output, _name=name):
            fused_macs[_name] += mod.fused_macs(args[0], output)
        handles.append(module.register_forward_hook(fused_hook))

    was_training = model.training
    model.eval()
    functional.reset_net(model)
    try:
        # the math backend, as count_flops: the counter cannot see the CPU flash kernel
        with torch.no_grad(), sdpa_kernel([SDPBackend.MATH]), \
                FlopCounterMode(display=False) as counter:
            model(*inputs)
    finally:
        for h in handles:
            h.remove()
        functional.reset_net(model)
        model.train(was_training)

    layer_macs = _layer_flops(model, counter.get_flop_counts(), fused)
    layer_macs.update(fused_macs)
    rows = []
    for name, macs in layer_macs.items():
        if macs <= 0:
            continue
        rate = rec.layer_rate(name)
        if rate is None:
            rows.append(LayerEnergy(name, macs, None, float(macs), macs * e_mac_pj))
        else:
            acs = rate * macs
            rows.append(LayerEnergy(name, macs, rate, acs, acs * e_ac_pj))
    rates = {n: c[0] / c[1] for n, c in rec.counts.items() if c[1]}
    batch = int(inputs[0].shape[0]) if inputs and isinstance(inputs[0], torch.Tensor) else 1
    return EnergyReport(rows, rates, e_mac_pj, e_ac_pj, batch)
