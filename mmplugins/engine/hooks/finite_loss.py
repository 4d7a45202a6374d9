"""Stop training at the first NaN or infinite loss, naming the iteration and the loss terms."""
import math
from typing import Dict, Optional

import torch
from mmengine.hooks import Hook

from ...registry import HOOKS

# mmengine refuses None for a default hook it does not define itself, so the hook switches off
OPT_OUT = 'default_hooks=dict(finite_loss=dict(enabled=False))'


def _value(value) -> Optional[float]:
    if isinstance(value, torch.Tensor):
        return float(value.detach().float().mean()) if value.numel() else None
    if isinstance(value, (int, float)):
        return float(value)
    return None


@HOOKS.register_module()
class FiniteLossHook(Hook):
    """Raise ``FloatingPointError`` when a logged loss term of a training iteration is NaN or
    infinite, instead of training on with corrupted weights.

    It reads the ``outputs`` of ``train_step`` (the parsed ``log_vars``: the total ``loss`` and
    every ``loss_*`` term, e.g. ``decode.loss_ce`` or ``loss_mask``) after each iteration and
    runs before the checkpoint hook, so no checkpoint with non-finite weights is written.
    In the default runtimes of this toolkit; opt out with
    ``default_hooks=dict(finite_loss=dict(enabled=False))``.

    Args:
        interval: check every ``interval`` iterations (reading the values syncs a GPU).
        enabled: ``False`` trains on through non-finite losses.
    """

    priority = 'ABOVE_NORMAL'

    def __init__(self, interval: int = 1, enabled: bool = True) -> None:
        if not isinstance(interval, int) or interval < 1:
            raise ValueError(f'FiniteLossHook: interval must be an int >= 1, got {interval!r}')
        self.interval, self.enabled = interval, enabled

    def after_train_iter(self, runner, batch_idx: int, data_batch=None,
                         outputs: Optional[Dict] = None) -> None:
        if (not self.enabled or not outputs
                or not self.every_n_train_iters(runner, self.interval)):
            return
        values = {name: _value(v) for name, v in outputs.items() if 'loss' in name}
        bad = {name: v for name, v in values.items()
               if v is not None and not math.isfinite(v) and name != 'loss'}
        total = values.get('loss')
        if not bad and (total is None or math.isfinite(total)):
            return
        terms = ', '.join(f"'{name}' is {v}" for name, v in bad.items()) or \
            'no single term (their sum overflowed)'
        raise FloatingPointError(
            f'iteration {runner.iter + 1}: loss term {terms} (loss total {total}); training '
            'stopped. Lower the lr, enable gradient clipping (optim_wrapper.clip_grad) or '
            f'check the data; to train on anyway set {OPT_OUT}.')
