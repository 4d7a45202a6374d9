"""Save the random number generators' states in checkpoints and restore them on resume.

mmengine 0.10.7 only re-seeds on ``--resume`` (``set_randomness`` with the saved seed), so a
resumed run replays the random streams from their start: different augmentations, dropout and
drop-path masks, RoI samples than the uninterrupted run had. This hook stores the states of
Python's ``random``, NumPy's global generator and torch (CPU and CUDA) in every checkpoint and
puts them back exactly where the uninterrupted run would have used them next.
"""
import logging
import random
from typing import Any, Dict, Optional

import numpy as np
import torch
from mmengine.dist import get_world_size
from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmengine.runner import IterBasedTrainLoop

from ...registry import HOOKS


def get_rng_states() -> Dict[str, Any]:
    """The current states of every global generator the training pipeline draws from."""
    states = dict(python=random.getstate(), numpy=np.random.get_state(),
                  torch=torch.get_rng_state())
    if torch.cuda.is_available() and torch.cuda.is_initialized():
        states['cuda'] = torch.cuda.get_rng_state_all()
    return states


def set_rng_states(states: Dict[str, Any]) -> None:
    """Restore states returned by :func:`get_rng_states`."""
    random.setstate(states['python'])
    np.random.set_state(states['numpy'])
    torch.set_rng_state(states['torch'])
    if 'cuda' in states and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(states['cuda'])


class _RestoreOnFetch:
    """Iterator proxy that restores RNG states right before batch ``skip + 1`` is fetched.

    IterBasedTrainLoop advances its data iterator past the ``skip`` batches already trained
    on, running the data pipeline (and its random transforms) for each of them; the states
    must be restored after that, just before the first batch that is really trained on.
    """

    def __init__(self, iterator, skip: int, states: Dict[str, Any]) -> None:
        self._iterator, self._left, self._states = iterator, skip, states

    def __iter__(self):
        return self

    def __next__(self):
        if self._states is not None:
            if self._left == 0:
                set_rng_states(self._states)
                self._states = None
            else:
                self._left -= 1
        return next(self._iterator)

    def __getattr__(self, name: str):
        return getattr(self._iterator, name)


@HOOKS.register_module()
class RNGStateHook(Hook):
    """Make ``--resume`` continue the random streams of the interrupted run.

    * ``before_save_checkpoint``: store the generators' states under ``checkpoint['rng_state']``.
    * ``after_load_checkpoint`` (resume only): keep them; they are restored before the first
      batch fetched after the resume point (iteration-based loops: after mmengine skipped the
      batches already trained on; epoch-based loops: at the start of the resumed epoch).
    * Validation runs between ``before_val`` and ``after_val`` leave the training streams as
      they found them, so a checkpoint saved before a validation holds exactly the state the
      next training batch starts from, and turning validation on or off does not change
      training.

    Limits: only the global generators of the main process of rank 0 are stored (checkpoints
    are written by rank 0 alone); in distributed runs the other ranks restart from their seed
    and a warning says so. Data-loader workers (``num_workers > 0``) are seeded afresh by
    mmengine's ``worker_init_fn`` when they start, so their augmentation draws restart too.
    """

    priority = 'VERY_HIGH'

    def __init__(self) -> None:
        self._pending: Optional[Dict[str, Any]] = None
        self._val_states: Optional[Dict[str, Any]] = None

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        checkpoint['rng_state'] = get_rng_states()

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        if not getattr(runner, '_resume', False):
            return  # load_from: weights only, fresh streams
        states = checkpoint.get('rng_state')
        if states is None:
            print_log('RNGStateHook: the checkpoint holds no RNG states (saved without this '
                      'hook); random streams restart from the seed', logger='current',
                      level=logging.WARNING)
            return
        if get_world_size() > 1 and runner.rank != 0:
            print_log(f'RNGStateHook: rank {runner.rank} restarts its random streams from '
                      'the seed (only rank 0 states are in the checkpoint)', logger='current',
                      level=logging.WARNING)
            return
        self._pending = states

    def before_train_epoch(self, runner) -> None:
        if self._pending is None:
            return
        loop = runner.train_loop
        if isinstance(loop, IterBasedTrainLoop):
            loop.dataloader_iterator = _RestoreOnFetch(loop.dataloader_iterator, loop.iter,
                                                       self._pending)
        else:
            set_rng_states(self._pending)
        self._pending = None
        print_log('RNGStateHook: random states of the checkpoint are restored before the first '
                  'batch after the resume point', logger='current')

    def before_val(self, runner) -> None:
        self._val_states = get_rng_states()

    def after_val(self, runner) -> None:
        if self._val_states is not None:
            set_rng_states(self._val_states)
            self._val_states = None
