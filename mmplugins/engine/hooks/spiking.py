"""Hooks for spiking models: neuron state reset and firing-rate recording.

Both work in mmdet and mmseg runners (they only touch ``runner.model``).
"""
import json
import os.path as osp
from typing import Dict, List, Optional, Sequence

import torch
import torch.nn as nn
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from spikingjelly.activation_based import functional

from spiking import spike_norm
from ...registry import HOOKS


def _unwrap(model: nn.Module) -> nn.Module:
    return model.module if is_model_wrapper(model) else model


@HOOKS.register_module()
class SpikingResetHook(Hook):
    """Reset every spiking neuron's state (``functional.reset_net``) around each train, val
    and test iteration, so no membrane potential or graph survives from one batch to the next.
    """

    priority = 'VERY_HIGH'

    def _reset(self, runner) -> None:
        functional.reset_net(_unwrap(runner.model))

    def before_train_iter(self, runner, batch_idx: int, data_batch=None) -> None:
        self._reset(runner)

    def after_train_iter(self, runner, batch_idx: int, data_batch=None, outputs=None) -> None:
        self._reset(runner)

    def before_val_iter(self, runner, batch_idx: int, data_batch=None) -> None:
        self._reset(runner)

    def after_val_iter(self, runner, batch_idx: int, data_batch=None, outputs=None) -> None:
        self._reset(runner)

    def before_test_iter(self, runner, batch_idx: int, data_batch=None) -> None:
        self._reset(runner)

    def after_test_iter(self, runner, batch_idx: int, data_batch=None, outputs=None) -> None:
        self._reset(runner)


@HOOKS.register_module()
class FiringRateHook(Hook):
    """Record the mean spike count per neuron per time step of every spiking neuron layer.

    Args:
        phases: any of ``'train'``, ``'val'``, ``'test'``; rates are accumulated over each
            epoch (or the whole loop) of those phases.
        out_file: json written into ``runner.work_dir`` at the end of each recorded phase
            (``None``: only logged).

    The rates of the last recorded phase are in :attr:`rates` (layer name -> mean count, i.e.
    ``D`` x the binary firing rate over the ``D`` virtual steps); their mean goes to the log as
    ``<phase>/firing_rate``.
    """

    priority = 'LOW'

    def __init__(self, phases: Sequence[str] = ('val', 'test'),
                 out_file: Optional[str] = 'firing_rates.json') -> None:
        bad = set(phases) - {'train', 'val', 'test'}
        if bad:
            raise ValueError(f"FiringRateHook: phases must be among 'train', 'val', 'test'; "
                             f'got {sorted(bad)}')
        self.phases = tuple(phases)
        self.out_file = out_file
        self.rates: Dict[str, float] = {}
        # phase -> layer -> [sum of counts, number of neuron outputs]
        self._sums: Dict[str, Dict[str, List[float]]] = {}
        self._stack: List[str] = []  # a val loop runs inside the train loop
        self._handles: list = []

    def _attach(self, runner) -> None:
        if self._handles:
            return
        for name, module in _unwrap(runner.model).named_modules():
            norm = spike_norm(module)
            if norm is not None:
                self._handles.append(module.register_forward_hook(self._hook(name, norm)))

    def _hook(self, name: str, norm: float):
        def fn(module, args, output):
            if self._stack and isinstance(output, torch.Tensor):
                acc = self._sums[self._stack[-1]].setdefault(name, [0.0, 0])
                acc[0] += float(output.detach().double().sum() * norm)
                acc[1] += output.numel()
        return fn

    def _start(self, runner, phase: str) -> None:
        if phase in self.phases:
            self._attach(runner)
            self._sums[phase] = {}
            self._stack.append(phase)

    def _finish(self, runner, phase: str) -> None:
        if phase not in self.phases or not self._stack or self._stack[-1] != phase:
            return
        self._stack.pop()
        self.rates = {n: s / c for n, (s, c) in self._sums.pop(phase).items() if c}
        if not self.rates:
            return
        mean = sum(self.rates.values()) / len(self.rates)
        runner.message_hub.update_scalar(f'{phase}/firing_rate', mean)
        runner.logger.info(f'{phase}: mean spike count per neuron per step {mean:.4f} over '
                           f'{len(self.rates)} neuron layers')
        if self.out_file:
            with open(osp.join(runner.work_dir, f'{phase}_{self.out_file}'), 'w') as f:
                json.dump(self.rates, f, indent=1)

    def before_train_epoch(self, runner) -> None:
        self._start(runner, 'train')

    def after_train_epoch(self, runner) -> None:
        self._finish(runner, 'train')

    def before_val_epoch(self, runner) -> None:
        self._start(runner, 'val')

    def after_val_epoch(self, runner, metrics=None) -> None:
        self._finish(runner, 'val')

    def before_test_epoch(self, runner) -> None:
        self._start(runner, 'test')

    def after_test_epoch(self, runner, metrics=None) -> None:
        self._finish(runner, 'test')

    def after_run(self, runner) -> None:
        for h in self._handles:
            h.remove()
        self._handles = []
