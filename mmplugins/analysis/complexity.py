"""Parameter and FLOP counting with one convention for every model.

FLOPs follow the papers' (fvcore's) convention: one fused multiply-add counts as one FLOP, and
only matrix products and convolutions (including fused attention) are counted. The count comes
from :class:`torch.utils.flop_counter.FlopCounterMode`, which reports 2 per multiply-add, so it
is halved. Element-wise work (norms, activations, softmax) is not counted, as in the papers.

Fused attention is counted through PyTorch's math backend: the counter has formulas for the CUDA
flash/memory-efficient kernels but not for the CPU flash kernel, which it would silently count
as zero, so the counter forces the math backend (same result, its matrix products are seen).
"""
from contextlib import contextmanager
from typing import Any, Iterator, Optional

import torch
import torch.nn as nn
from torch.nn.attention import SDPBackend, sdpa_kernel
from torch.utils.flop_counter import FlopCounterMode


def count_params(module: nn.Module, trainable_only: bool = False) -> int:
    """Number of parameters of ``module`` (all, or only those with ``requires_grad``)."""
    return sum(p.numel() for p in module.parameters() if p.requires_grad or not trainable_only)


@contextmanager
def frozen_params(module: nn.Module) -> Iterator[None]:
    """Parameters stop requiring grad inside the block (their flags are restored after).

    Under ``no_grad`` a view of a parameter (``weight.unsqueeze(0).expand(...)``, as kMaX's
    cluster centres) still says ``requires_grad`` but has no grad_fn, and the module tracker of
    ``FlopCounterMode`` asserts on such inputs.
    """
    flags = [(p, p.requires_grad) for p in module.parameters()]
    try:
        for p, _ in flags:
            p.requires_grad_(False)
        yield
    finally:
        for p, flag in flags:
            p.requires_grad_(flag)


@torch.no_grad()
def count_flops(module: nn.Module, *inputs: Any, forward: Optional[Any] = None) -> int:
    """Multiply-adds of one forward of ``module(*inputs)`` (or of ``forward()`` when given)."""
    was_training = module.training
    module.eval()
    try:
        with frozen_params(module), sdpa_kernel([SDPBackend.MATH]), \
                FlopCounterMode(display=False) as counter:
            forward() if forward is not None else module(*inputs)
    finally:
        module.train(was_training)
    return counter.get_total_flops() // 2
