"""Multi-level integer spiking neuron (the released QSD "IE-LIF" / multi-spike form).

A neuron emits an integer spike count ``c = round(clamp(D * x, 0, D))`` per time step (``D`` =
``levels``) and outputs ``c / norm``; training uses a rectangular straight-through gradient over
the open window ``0 < D * x < D``. Rounding is half-up (``floor(v + 0.5)``) as in the released
code (``torch.round`` would round half to even and break bit-exactness with it).

The Spike-Driven Transformer V3 neurons (the release's 19M models, its spiking necks and heads)
use ``torch.round`` instead, half to even: ``rounding='half_even'``. The two differ on exact
ties and, in float32, just below them (``floor(x + 0.5)`` rounds ``x + 0.5`` up to the next
integer when ``x`` is within one ulp under ``k + 0.5``).

A count ``c`` is the same as ``c`` binary spikes over ``D`` virtual time steps
(:func:`expand_to_binary`), so a layer fed by counts can run spike-driven
(:func:`spike_driven_apply`): the ``1 / norm`` factor folds into the next layer's weights.
"""
from typing import Callable, Optional

import torch
from spikingjelly.activation_based import neuron, surrogate


class _RoundCount(torch.autograd.Function):
    """``floor(clamp(x, 0, D) + 0.5)`` (``half_even``: ``torch.round(clamp(x, 0, D))``) with
    gradient 1 on ``0 < x < D`` (straight-through)."""

    @staticmethod
    def forward(ctx, x: torch.Tensor, levels: int,  # type: ignore[override]
                half_even: bool = False) -> torch.Tensor:
        ctx.save_for_backward(x)
        ctx.levels = levels
        clamped = torch.clamp(x, 0, levels)
        return torch.round(clamped) if half_even else torch.floor(clamped + 0.5)

    @staticmethod
    def backward(ctx, grad: torch.Tensor):  # type: ignore[override]
        x, = ctx.saved_tensors
        mask = (x > 0) & (x < ctx.levels)
        return grad * mask.to(grad.dtype), None, None


class RoundHalfUpSpikeCount(surrogate.MultiLevelSpikeCount):
    """spikingjelly's multi-level spike-count surrogate with the released code's rounding
    (half-up) and open gradient window ``(0, D)``."""

    def __init__(self, max_spike_count: int = 4, spiking: bool = True) -> None:
        super().__init__(max_spike_count, spiking=spiking)

    @staticmethod
    def spiking_function(x: torch.Tensor, max_spike_count: int, grad_min: float,
                         grad_max: float) -> torch.Tensor:
        return _RoundCount.apply(x, max_spike_count)


class RoundHalfEvenSpikeCount(RoundHalfUpSpikeCount):
    """The same with ``torch.round`` (half to even), as the SDT-V3 neurons count."""

    @staticmethod
    def spiking_function(x: torch.Tensor, max_spike_count: int, grad_min: float,
                         grad_max: float) -> torch.Tensor:
        return _RoundCount.apply(x, max_spike_count, True)


def _fp32_or_wider(dtype: torch.dtype) -> torch.dtype:
    # Under autocast the layer before a neuron hands over bf16/fp16 (8/11 mantissa bits): the
    # membrane recursion and the count rounding run in fp32 so no precision is lost there.
    return torch.promote_types(dtype, torch.float32)


class MultiSpikeNode(neuron.BaseNode):
    """Multi-level integer spiking neuron on spikingjelly's :class:`~neuron.BaseNode`.

    Inputs in half precision (autocast) are computed on, stored (membrane) and output in fp32.

    Args:
        levels: ``D``, the largest spike count per time step (4 in QSD).
        norm: divisor of the output (``None``: ``D``, so outputs lie in ``[0, 1]``; the QSD
            attention neuron uses 2).
        decay: ``None`` (default) is the released stateless form (each step fires from its
            input alone, as QSD with T=1). A float in ``[0, 1)`` adds an integrate-and-fire
            membrane: ``H_t = decay * V_{t-1} + X_t``, fire from ``H_t``, soft reset
            ``V_t = H_t - c_t / D``; state persists until ``functional.reset_net``.
        detach_reset: detach the reset path from the graph (stateful mode only).
        step_mode: ``'s'`` (input ``[N, *]``) or ``'m'`` (input ``[T, N, *]``).
        analog: output the clamped value without rounding (``clamp(D x, 0, D) / norm``): the
            real-valued counterpart network used as a distillation teacher.
        threshold: input worth one spike (``None``: ``1 / D``, the backbone's neuron, which
            fires ``round(D x)``). The released spiking necks and heads fire ``round(x)``, i.e.
            ``threshold=1`` (with ``norm=1`` in the detectors, ``norm=4`` in QFPN).
        rounding: ``'half_up'`` (QSD's ``floor(x + 0.5)``) or ``'half_even'``
            (``torch.round``, the SDT-V3 neurons').

    Outputs ``c / norm`` with integer counts ``c`` in ``0..D``; :meth:`counts` recovers them.
    """

    def __init__(self, levels: int = 4, norm: Optional[float] = None,
                 decay: Optional[float] = None, detach_reset: bool = True,
                 step_mode: str = 'm', analog: bool = False,
                 threshold: Optional[float] = None, rounding: str = 'half_up') -> None:
        if not isinstance(levels, int) or levels < 1:
            raise ValueError(f'MultiSpikeNode: levels must be an int >= 1, got {levels!r}')
        if decay is not None and not 0.0 <= float(decay) < 1.0:
            raise ValueError(f'MultiSpikeNode: decay must be None or in [0, 1), got {decay!r}')
        if step_mode not in ('s', 'm'):
            raise ValueError(f"MultiSpikeNode: step_mode must be 's' or 'm', got {step_mode!r}")
        if threshold is not None and not float(threshold) > 0:
            raise ValueError(f'MultiSpikeNode: threshold must be > 0, got {threshold!r}')
        surrogates = {'half_up': RoundHalfUpSpikeCount, 'half_even': RoundHalfEvenSpikeCount}
        if rounding not in surrogates:
            raise ValueError(f"MultiSpikeNode: rounding must be 'half_up' or 'half_even', got "
                             f'{rounding!r}')
        # a multiplicative gain, so the default (gain D) stays bit-exact with the released x * 4
        self.gain = float(levels) if threshold is None else 1.0 / float(threshold)
        super().__init__(v_threshold=1.0 / self.gain, v_reset=None,
                         surrogate_function=surrogates[rounding](levels),
                         detach_reset=detach_reset, step_mode=step_mode)
        self.levels = levels
        self.norm = float(levels if norm is None else norm)
        self.decay = None if decay is None else float(decay)
        self.analog = analog
        self.rounding = rounding

    @property
    def stateful(self) -> bool:
        """Whether the neuron keeps a membrane potential across time steps."""
        return self.decay is not None

    def extra_repr(self) -> str:
        return (f'levels={self.levels}, norm={self.norm}, threshold={self.v_threshold:g}, '
                f'decay={self.decay}, step_mode={self.step_mode}, rounding={self.rounding}'
                + (', analog=True' if self.analog else ''))

    def counts(self, output: torch.Tensor) -> torch.Tensor:
        """Integer spike counts of an output of this neuron."""
        return torch.round(output * self.norm)

    def materialize_states(self, inputs, states, step_mode):
        if not self.stateful:  # no membrane: skip allocating a state tensor per call
            return states
        v, *rest = super().materialize_states(inputs, states, step_mode)
        return (v.to(_fp32_or_wider(v.dtype)), *rest)

    def _fire(self, h: torch.Tensor) -> torch.Tensor:
        if self.analog:  # the ANN counterpart: same range, no rounding
            return torch.clamp(h * self.gain, 0, self.levels)
        return self.surrogate_function(h * self.gain)

    def single_step_functional_forward(self, inputs, states, **kwargs):
        x, v = inputs[0], states[0]
        x = x.to(_fp32_or_wider(x.dtype))
        if not self.stateful:
            return (self._fire(x) / self.norm,), states
        h = self.decay * v + x
        c = self._fire(h)
        v = h - (c.detach() if self.detach_reset else c) / self.gain
        return (c / self.norm,), (v, *states[1:])

    def multi_step_functional_forward(self, inputs, states, **kwargs):
        x_seq = inputs[0]
        x_seq = x_seq.to(_fp32_or_wider(x_seq.dtype))
        if not self.stateful:
            # no temporal coupling: all time steps at once
            return (self._fire(x_seq) / self.norm,), states
        outs = []
        for x in x_seq:  # the membrane recursion is sequential in time by definition
            (s,), states = self.single_step_functional_forward((x,), states)
            outs.append(s)
        return (torch.stack(outs),), states


def spike_norm(module: torch.nn.Module) -> Optional[float]:
    """Divisor that turns a neuron module's output into integer spike counts: ``norm`` of a
    :class:`MultiSpikeNode`, 1 for spikingjelly's binary neurons, ``None`` for non-neurons."""
    if isinstance(module, MultiSpikeNode):
        return None if module.analog else module.norm
    if isinstance(module, neuron.BaseNode):
        return 1.0
    return None


def expand_to_binary(counts: torch.Tensor, levels: int) -> torch.Tensor:
    """Integer counts ``[*]`` in ``0..levels`` -> binary spikes ``[levels, *]``.

    Virtual step ``d`` carries a spike where ``d < count``, so summing over the new leading
    dimension gives the counts back.
    """
    if counts.min() < 0 or counts.max() > levels:
        raise ValueError(f'expand_to_binary: counts must lie in 0..{levels}, got range '
                         f'[{counts.min().item()}, {counts.max().item()}]')
    steps = torch.arange(levels, device=counts.device, dtype=counts.dtype)
    steps = steps.view(levels, *([1] * counts.dim()))
    return (steps < counts.unsqueeze(0)).to(counts.dtype)


def spike_driven_apply(layer: Callable[[torch.Tensor], torch.Tensor], spikes: torch.Tensor,
                       levels: int, norm: float,
                       bias: Optional[torch.Tensor] = None) -> torch.Tensor:
    """Run a bias-free linear ``layer`` on normalised multi-level ``spikes`` the spike-driven
    way: expand to ``levels`` binary spike maps, push them through the layer in one batched
    call (virtual steps folded into the batch), accumulate and scale by ``1 / norm``.

    For a linear layer the result equals ``layer(spikes) (+ bias)``; ``bias`` is added once.
    """
    counts = torch.round(spikes * norm)
    binary = expand_to_binary(counts, levels)  # [D, N, ...]
    out = layer(binary.flatten(0, 1))
    out = out.view(levels, spikes.shape[0], *out.shape[1:]).sum(0) / norm
    if bias is not None:
        out = out + bias.view(1, -1, *([1] * (out.dim() - 2)))
    return out
