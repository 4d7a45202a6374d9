"""Side-by-side speed and memory of two implementations of one network.

Used by ``tools/compare_speed.py``. A :class:`Pair` holds this toolkit's module and another
implementation of the same network carrying the same weights (converted with the family's
converter); both get the same input, outputs are checked to match, then

* :func:`time_pair` times them in interleaved rounds (order rotating, so load changes on a
  shared machine hit both alike) for ``forward`` (no grad) or ``train`` (forward + backward);
* :func:`peak_step_memory` measures the peak memory of one training step of one side in a
  fresh process (the high-water mark of the resident set above the size after building the
  model and its input), so the allocator's cache from earlier calls cannot hide a peak;
* :func:`matmul_throughput` gives the machine's dense fp32 GEMM rate, the yardstick of
  :func:`efficiency`.

Reference files: a user who has another implementation (for example the official code of a
paper) describes it in a Python file of their own with ``references() -> list[dict]``; each
dict names ``name``, ``family`` (converter), ``ours`` (kwargs of one of this toolkit's
backbones, ``type`` = class name) and ``build`` (a callable returning the other module), and
optionally ``state_dict`` (module -> checkpoint-layout dict for the converter), ``forward``
(``fn(module, x)`` -> tuple of maps) and ``input_size``. No such file ships with the toolkit.
"""
import gc
import importlib.util
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Sequence, Tuple

import torch
import torch.nn as nn

from .benchmark import peak_rss_growth, rss_bytes, time_interleaved  # noqa: F401
from .complexity import count_flops

Forward = Callable[[nn.Module, torch.Tensor], Sequence[torch.Tensor]]


def _default_forward(module: nn.Module, x: torch.Tensor) -> Sequence[torch.Tensor]:
    out = module(x)
    return tuple(out) if isinstance(out, (tuple, list)) else (out, )


@dataclass
class Pair:
    """This toolkit's module (``ours``) and another implementation (``theirs``)."""
    label: str
    ours: nn.Module
    theirs: nn.Module
    forward_ours: Forward = _default_forward
    forward_theirs: Forward = _default_forward
    input_size: Tuple[int, int] = (512, 512)
    notes: List[str] = field(default_factory=list)


def load_reference_file(path: str) -> List[Dict[str, Any]]:
    """The entries of a user's reference file (see the module docstring)."""
    if not os.path.isfile(path):
        raise FileNotFoundError(f'--reference: file {path!r} does not exist')
    spec = importlib.util.spec_from_file_location('_speed_references', path)
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, os.path.dirname(os.path.abspath(path)))
    spec.loader.exec_module(module)
    if not hasattr(module, 'references'):
        raise AttributeError(f'--reference {path}: the file must define references() -> '
                             'list of dicts with name, family, ours, build')
    entries = module.references()
    for entry in entries:
        missing = {'name', 'family', 'ours', 'build'} - set(entry)
        if missing:
            raise KeyError(f'--reference {path}: entry {entry.get("name", "?")!r} lacks '
                           f'{sorted(missing)}')
    return entries


def build_ours(kwargs: Dict[str, Any]) -> nn.Module:
    """One of this toolkit's backbones from ``dict(type=ClassName, **kwargs)``."""
    from mmplugins.models import backbones
    kwargs = dict(kwargs)
    name = kwargs.pop('type')
    if not hasattr(backbones, name):
        raise KeyError(f'ours.type {name!r} is not a backbone of mmplugins; choose from '
                       f'{sorted(backbones.__all__)}')
    return getattr(backbones, name)(**kwargs)


def pair_from_reference(entry: Dict[str, Any]) -> Pair:
    """Build both sides of a reference entry with the other side's weights in ours."""
    from mmplugins.converters import convert
    theirs = entry['build']()
    state = entry.get('state_dict', lambda m: m.state_dict())(theirs)
    report = convert(entry['family'], state)
    ours = build_ours(entry['ours'])
    result = ours.load_state_dict(report.state_dict, strict=False)
    notes = []
    if result.missing_keys:
        notes.append(f'keys left at their initial values in ours: {result.missing_keys}')
    if result.unexpected_keys:
        notes.append(f'converted keys ours does not have: {result.unexpected_keys}')
    return Pair(entry['name'], ours, theirs, forward_for(ours),
                entry.get('forward', _default_forward),
                tuple(entry.get('input_size', (512, 512))), notes)


def max_abs_diff(pair: Pair, x: torch.Tensor) -> Tuple[float, float]:
    """(max abs difference, the same relative to the largest magnitude) over all outputs."""
    pair.ours.eval()
    pair.theirs.eval()
    with torch.no_grad():
        a = pair.forward_ours(pair.ours, x)
        b = pair.forward_theirs(pair.theirs, x)
    if len(a) != len(b):
        raise ValueError(f'{pair.label}: ours returns {len(a)} maps, theirs {len(b)}')
    diff = max((p - q).abs().max().item() for p, q in zip(a, b))
    scale = max(q.abs().max().item() for q in b)
    return diff, diff / max(scale, 1e-12)


def _train_step(module: nn.Module, forward: Forward, x: torch.Tensor) -> None:
    module.zero_grad(set_to_none=True)
    outs = forward(module, x)
    sum(o.float().mean() for o in outs).backward()


def time_pair(pair: Pair, x: torch.Tensor, mode: str = 'forward', runs: int = 10,
              warmup: int = 2) -> Dict[str, Dict[str, Any]]:
    """Interleaved timing statistics (ms) of both sides; ``mode`` is forward or train.

    Both sides stay in eval mode (no dropout / drop path, frozen norm statistics), so the two
    do the same arithmetic in ``train`` mode too.
    """
    if mode not in ('forward', 'train'):
        raise ValueError(f"mode must be 'forward' or 'train', got {mode!r}")
    pair.ours.eval()
    pair.theirs.eval()
    if mode == 'forward':
        def run(module, forward):
            def fn():
                with torch.no_grad():
                    forward(module, x)
            return fn
    else:
        def run(module, forward):
            return lambda: _train_step(module, forward, x)
    fns = {'ours': run(pair.ours, pair.forward_ours),
           'theirs': run(pair.theirs, pair.forward_theirs)}
    return time_interleaved(fns, runs, warmup, x.device)


def measure_step_memory_here(module: nn.Module, forward: Forward, x: torch.Tensor) -> float:
    """Peak RSS growth (MiB) of one training step of a backbone (see :func:`peak_rss_growth`)."""
    return peak_rss_growth(lambda: _train_step(module, forward, x))


def peak_step_memory(child_argv: Sequence[str], timeout: float = 600) -> float:
    """Run ``child_argv`` (a command that prints one JSON line ``{"peak_mib": ...}`` last) in
    a fresh process and return its figure; the caller builds the command for its side."""
    proc = subprocess.run(list(child_argv), capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f'memory probe {" ".join(child_argv)} failed:\n{proc.stderr[-2000:]}')
    return float(json.loads(proc.stdout.strip().splitlines()[-1])['peak_mib'])


def matmul_throughput(sizes: Sequence[int] = (1024, 2048, 3072), runs: int = 5
                      ) -> Dict[str, float]:
    """Best dense fp32 GEMM rate (GFLOP/s, 2 FLOPs per multiply-add) over square sizes."""
    best = {}
    for n in sizes:
        a, b = torch.randn(n, n), torch.randn(n, n)
        a @ b
        samples = []
        for _ in range(runs):
            start = time.perf_counter()
            a @ b
            samples.append(time.perf_counter() - start)
        best[f'matmul_{n}'] = 2 * n ** 3 / min(samples) / 1e9
    return best


def efficiency(module: nn.Module, x: torch.Tensor, runs: int = 5, warmup: int = 1,
               gemm_sizes: Sequence[int] = (1024, 2048, 3072)) -> Dict[str, Any]:
    """Forward GFLOP/s of ``module`` against the dense GEMM rate, measured in one run.

    The GEMM is timed before and after the module and the higher rate is the yardstick, so
    a load change during the run does not flatter the module.
    """
    macs = count_flops(module, x)
    gemm_before = matmul_throughput(gemm_sizes)
    module.eval()
    with torch.no_grad():
        stats = time_interleaved({'module': lambda: module(x)}, runs, warmup, x.device)
    gemm_after = matmul_throughput(gemm_sizes)
    gemm = max(list(gemm_before.values()) + list(gemm_after.values()))
    rate = 2 * macs / (stats['module']['median_ms'] / 1e3) / 1e9
    return dict(gmacs=macs / 1e9, median_ms=stats['module']['median_ms'], gflops_per_s=rate,
                gemm_gflops_per_s=gemm, gemm_rates=dict(before=gemm_before, after=gemm_after),
                fraction_of_gemm=rate / gemm, threads=torch.get_num_threads())


def forward_for(module: nn.Module) -> Forward:
    """The plain forward, preceded by spikingjelly's ``reset_net`` for stateful modules (as
    the training hook resets them every iteration)."""
    from spikingjelly.activation_based import base, functional
    if not any(isinstance(m, base.MemoryModule) for m in module.modules()):
        return _default_forward

    def fn(m: nn.Module, x: torch.Tensor) -> Sequence[torch.Tensor]:
        functional.reset_net(m)
        return _default_forward(m, x)
    return fn


def set_with_cp(module: nn.Module, with_cp: bool = True) -> nn.Module:
    """Turn gradient checkpointing on (or off) in every part of this toolkit's backbone that
    has a ``with_cp`` switch (each reads it at forward time); returns ``module``."""
    parts = [m for m in module.modules() if hasattr(m, 'with_cp')]
    if not parts:
        raise ValueError(f'{type(module).__name__} has no with_cp switch')
    for m in parts:
        m.with_cp = with_cp
    return module
