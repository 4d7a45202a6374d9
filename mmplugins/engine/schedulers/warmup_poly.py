"""kMaX-DeepLab's learning-rate schedule, ``TF2WarmupPolyLR`` of the released code
(bytedance/kmax-deeplab ``train_net_utils.py``, after DeepLab2's ``trainer_utils.py``).

Chaining mmengine's ``LinearLR`` and ``PolyLR`` cannot give this curve: two schedulers active at
the same step multiply (warm-up x poly), and a ``PolyLR`` that starts after the warm-up decays
over ``max_iters - warmup_iters`` instead of ``max_iters``. The released curve is piecewise:

* ``t < warmup_iters``: ``lr = base_lr * (warmup_factor * (1 - a) + a)``, ``a = t / warmup_iters``
  (detectron2's linear warm-up factor, no poly term);
* otherwise: ``lr = base_lr * (1 - t / max_iters) ** power`` with ``t`` counted from 0, so the lr
  steps from ~1.0 down to ``(1 - warmup_iters / max_iters) ** power`` when the warm-up ends.
"""
from mmengine.optim.scheduler.lr_scheduler import LRSchedulerMixin
from mmengine.optim.scheduler.param_scheduler import _ParamScheduler

from ...registry import PARAM_SCHEDULERS


@PARAM_SCHEDULERS.register_module()
class TF2WarmupPolyLR(LRSchedulerMixin, _ParamScheduler):
    """Linear warm-up then poly decay over the whole run, as kMaX-DeepLab's released scheduler.

    Args:
        optimizer: the wrapped optimizer (or optimizer wrapper).
        warmup_iters: length of the warm-up (released: ``SOLVER.WARMUP_ITERS`` = 5000).
        warmup_factor: lr factor at step 0 (released default 1e-3).
        power: poly exponent (released 0.9).
        begin, end: steps where the schedule runs; ``end - begin`` is the released ``MAX_ITER``.
        by_epoch: must stay False (the released schedule counts iterations).
    """

    def __init__(self, optimizer, warmup_iters: int, warmup_factor: float = 1e-3,
                 power: float = 0.9, begin: int = 0, end: int = 150000,
                 last_step: int = -1, by_epoch: bool = False, verbose: bool = False) -> None:
        if by_epoch:
            raise ValueError('TF2WarmupPolyLR counts iterations: set by_epoch=False')
        if not 0 <= warmup_iters < end - begin:
            raise ValueError(f'TF2WarmupPolyLR: warmup_iters={warmup_iters} must lie in '
                             f'[0, end - begin = {end - begin})')
        self.warmup_iters = int(warmup_iters)
        self.warmup_factor = float(warmup_factor)
        self.power = float(power)
        self.total_iters = end - begin
        super().__init__(optimizer, begin=begin, end=end, last_step=last_step,
                         by_epoch=by_epoch, verbose=verbose)

    def factor(self, step: int) -> float:
        """The released lr multiplier at ``step`` (0-based, relative to ``begin``)."""
        if step < self.warmup_iters:
            alpha = step / self.warmup_iters
            return self.warmup_factor * (1 - alpha) + alpha
        return max(0.0, 1 - step / self.total_iters) ** self.power

    def _get_value(self):
        # closed form from the base values: this scheduler is not meant to be chained
        scale = self.factor(self.last_step)
        return [base * scale for base in self.base_values]
