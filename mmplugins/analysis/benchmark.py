"""Speed, memory, complexity and energy of a backbone or a whole detector/segmentor.

One entry point per level: :func:`benchmark_backbone` (a backbone on a random image batch) and
:func:`benchmark_model` (a built mmdet/mmseg model, timed through ``predict`` on a synthetic
batch that went through the model's own data preprocessor). Both return a plain dict (the JSON
written by ``tools/benchmark.py`` and read by ``tools/leaderboard.py``).

Conventions:

* latency: ``warmup`` untimed runs (at least one: the memory probe), then ``runs`` timed
  runs (``time.perf_counter``, CUDA synchronised); reported as median, interquartile range,
  std, min and max in milliseconds; throughput = batch size / median latency;
* peak memory (measured on the first warm-up call): CUDA ``max_memory_allocated`` above what
  was allocated before the call; on CPU the kernel's resident-set high-water mark (VmHWM)
  during the call above the RSS before it, after the C allocator returned its free pages
  (``malloc_trim``), so memory freed by model building or checkpoint loading is not reused
  unseen. ``tools/benchmark.py`` runs in a fresh process, where this is the call's real peak;
* params and FLOPs (multiply-adds) from :mod:`mmplugins.analysis.complexity`, the one counter;
* energy: ``spiking.energy.energy_report`` (accumulates for spike-fed layers, MACs otherwise);
  a network without spikes gets ``FLOPs x 4.6 pJ`` from it.
"""
import ctypes
import datetime
import gc
import os
import platform
import statistics
import time
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

import torch
import torch.nn as nn

from .complexity import count_flops, count_params, frozen_params

#: default input (H, W) per task, the papers' conventions for FLOPs and speed
DEFAULT_SHAPES = {'backbone': (224, 224), 'mmdet': (800, 1280), 'mmseg': (512, 2048)}
#: energy of one 32-bit float multiply-add (45 nm, Horowitz 2014), used when no spiking report
E_MAC_PJ = 4.6


def _sync(device: torch.device) -> None:
    if device.type == 'cuda':
        torch.cuda.synchronize(device)


def time_runs(fn: Callable[[], Any], runs: int = 10, warmup: int = 2,
              device: torch.device = torch.device('cpu'),
              progress: Optional[Callable[[str], None]] = None) -> Dict[str, Any]:
    """Time ``fn()`` ``runs`` times after ``warmup`` untimed calls; statistics in ms."""
    if runs < 1 or warmup < 0:
        raise ValueError(f'time_runs: runs must be >= 1 and warmup >= 0, got runs={runs}, '
                         f'warmup={warmup}')
    for i in range(warmup):
        fn()
        if progress:
            progress(f'warm-up {i + 1}/{warmup}')
    _sync(device)
    samples: List[float] = []
    for i in range(runs):
        start = time.perf_counter()
        fn()
        _sync(device)
        samples.append((time.perf_counter() - start) * 1e3)
        if progress:
            progress(f'run {i + 1}/{runs}: {samples[-1]:.1f} ms')
    return summarize(samples, warmup)


def time_interleaved(fns: Dict[str, Callable[[], Any]], runs: int = 10, warmup: int = 2,
                     device: torch.device = torch.device('cpu')) -> Dict[str, Dict[str, Any]]:
    """Time several callables in interleaved rounds (the order rotates every round), so that
    load changes on a shared machine hit all of them alike; statistics per name in ms."""
    if runs < 1 or warmup < 0:
        raise ValueError(f'time_interleaved: runs must be >= 1 and warmup >= 0, got '
                         f'runs={runs}, warmup={warmup}')
    names = list(fns)
    for _ in range(warmup):
        for name in names:
            fns[name]()
    _sync(device)
    samples: Dict[str, List[float]] = {name: [] for name in names}
    for i in range(runs):
        for name in names[i % len(names):] + names[:i % len(names)]:
            start = time.perf_counter()
            fns[name]()
            _sync(device)
            samples[name].append((time.perf_counter() - start) * 1e3)
    return {name: summarize(samples[name], warmup) for name in names}


def summarize(samples_ms: Sequence[float], warmup: int = 0) -> Dict[str, Any]:
    """Median, quartiles, IQR, std, min and max of timing samples (ms)."""
    s = sorted(samples_ms)
    if len(s) >= 2:
        q1, _, q3 = statistics.quantiles(s, n=4, method='inclusive')
    else:
        q1 = q3 = s[0]
    return dict(median_ms=statistics.median(s), q1_ms=q1, q3_ms=q3, iqr_ms=q3 - q1,
                std_ms=statistics.stdev(s) if len(s) > 1 else 0.0, min_ms=s[0], max_ms=s[-1],
                runs=len(s), warmup=warmup, samples_ms=list(samples_ms))


def rss_bytes() -> int:
    """Current resident set size of this process."""
    with open('/proc/self/statm') as f:
        return int(f.read().split()[1]) * os.sysconf('SC_PAGE_SIZE')


def _release_free_heap() -> None:
    """Give the C allocator's free pages back to the kernel (glibc ``malloc_trim``)."""
    try:
        ctypes.CDLL('libc.so.6').malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: the measurement is a lower bound
        pass


def peak_rss_growth(fn: Callable[[], Any]) -> float:
    """Peak resident-set growth (MiB) during ``fn()``: the kernel's high-water mark (VmHWM),
    reset just before the call, above the size before it. Free heap pages are released first;
    run it in a fresh process, so no allocator holds cached memory from earlier calls."""
    gc.collect()
    _release_free_heap()
    try:
        with open('/proc/self/clear_refs', 'w') as f:
            f.write('5')  # resets VmHWM to the current RSS
    except OSError as err:
        raise RuntimeError('peak memory needs Linux /proc/self/clear_refs') from err
    before = rss_bytes()
    fn()
    with open('/proc/self/status') as f:
        hwm_kib = next(int(line.split()[1]) for line in f if line.startswith('VmHWM:'))
    return max(hwm_kib * 1024 - before, 0) / 2 ** 20


def peak_memory(fn: Callable[[], Any], device: torch.device) -> Tuple[float, str]:
    """Peak memory (MiB) that one call of ``fn()`` needs above what was in use before it."""
    if device.type == 'cuda':
        _sync(device)
        before = torch.cuda.memory_allocated(device)
        torch.cuda.reset_peak_memory_stats(device)
        fn()
        _sync(device)
        return (torch.cuda.max_memory_allocated(device) - before) / 2 ** 20, \
            'cuda_max_allocated_delta'
    return peak_rss_growth(fn), 'cpu_vmhwm_delta'


class _Call(nn.Module):
    """Wraps ``model`` so that ``forward(x)`` runs ``fn(model, x)`` (for the energy report)."""

    def __init__(self, model: nn.Module, fn: Callable[[nn.Module, torch.Tensor], Any]) -> None:
        super().__init__()
        self.model = model
        self.fn = fn

    def forward(self, x: torch.Tensor) -> Any:
        return self.fn(self.model, x)


def energy(model: nn.Module, inputs: torch.Tensor, flops: int) -> Dict[str, Any]:
    """Energy of one forward (mJ per image) from ``spiking.energy.energy_report``.

    Falls back to an all-MAC estimate (``flops x 4.6 pJ``) only when the ``spiking`` package
    lacks ``energy_report``; the ``method`` field says which one was used.
    """
    try:
        from spiking.energy import energy_report
    except ImportError as err:
        return dict(method='ann_all_mac', energy_mj=flops * E_MAC_PJ * 1e-9, macs=flops,
                    acs=0.0, e_mac_pj=E_MAC_PJ, note=f'spiking.energy unavailable: {err}')
    # the report counts with FlopCounterMode, which sees CPU fused attention only through the
    # math backend (see complexity.py)
    from torch.nn.attention import SDPBackend, sdpa_kernel
    with frozen_params(model), sdpa_kernel([SDPBackend.MATH]):
        report = energy_report(model, inputs)
    spiking = report.total_acs > 0
    # the same report for both kinds; the method says whether spikes made any op an AC
    return dict(method='energy_report:' + ('spiking' if spiking else 'all-MAC'), spiking=spiking,
                energy_mj=report.energy_mj_per_sample, macs=report.total_macs / report.batch_size,
                acs=report.total_acs / report.batch_size, e_mac_pj=report.e_mac_pj,
                e_ac_pj=report.e_ac_pj,
                # a whole model runs inside _Call, whose attribute is 'model'
                parts=report.by_part(prefix='model.' if isinstance(model, _Call) else ''))


def _environment(device: torch.device) -> Dict[str, Any]:
    env = dict(device=str(device), torch=torch.__version__, threads=torch.get_num_threads(),
               python=platform.python_version(), cpu=platform.processor() or platform.machine(),
               time=datetime.datetime.now(datetime.timezone.utc).isoformat(timespec='seconds'))
    if device.type == 'cuda':
        env['device_name'] = torch.cuda.get_device_name(device)
    else:
        env['device_name'] = env['cpu']
    return env


def _with_state_reset(model: nn.Module, fn: Callable[[], Any]) -> Callable[[], Any]:
    """``fn`` followed by a reset of spiking neurons' state (as the training hook does)."""
    try:
        from spikingjelly.activation_based import base, functional
    except ImportError:
        return fn
    if not any(isinstance(m, base.MemoryModule) for m in model.modules()):
        return fn

    def run() -> Any:
        out = fn()
        functional.reset_net(model)
        return out
    return run


def _measure(model: nn.Module, run: Callable[[], Any], energy_model: nn.Module,
             inputs: torch.Tensor, flops_fn: Callable[[], int], device: torch.device,
             runs: int, warmup: int, with_energy: bool,
             progress: Optional[Callable[[str], None]]) -> Dict[str, Any]:
    """Memory (first call, before anything else ran the model), FLOPs, timing, energy."""
    run = _with_state_reset(model, run)
    with torch.no_grad():
        # the first warm-up call is the memory probe: before it the allocator holds nothing of
        # this model's activations, so the growth it causes is what the forward needs
        mem, mem_kind = peak_memory(run, device)
        flops = flops_fn()
        timing = time_runs(run, runs, max(warmup - 1, 0), device, progress)
        timing['warmup'] = max(warmup, 1)
    batch = int(inputs.shape[0])
    out = dict(flops=flops, latency=timing, latency_ms=timing['median_ms'],
               throughput_img_s=batch * 1e3 / timing['median_ms'],
               peak_memory_mb=mem, memory_kind=mem_kind)
    if with_energy:
        out['energy'] = energy(energy_model, inputs, flops)
        out['energy_mj'] = out['energy']['energy_mj']
    return out


def benchmark_backbone(backbone: nn.Module, shape: Tuple[int, int] = (224, 224),
                       batch_size: int = 1, device: str = 'cpu', runs: int = 10,
                       warmup: int = 2, with_energy: bool = True,
                       progress: Optional[Callable[[str], None]] = None) -> Dict[str, Any]:
    """Params, FLOPs, latency, throughput, peak memory and energy of ``backbone(x)``.

    ``x`` is a random ``(batch_size, C, H, W)`` batch; FLOPs and energy are per image.
    """
    dev = torch.device(device)
    in_ch = getattr(backbone, 'in_channels', 3)
    in_ch = in_ch if isinstance(in_ch, int) else 3
    backbone = backbone.to(dev).eval()
    x = torch.randn(batch_size, in_ch, *shape, device=dev)
    result = dict(task='backbone', input_shape=[batch_size, in_ch, *shape],
                  params=count_params(backbone), **_environment(dev))
    result.update(_measure(backbone, lambda: backbone(x), backbone, x[:1],
                           lambda: count_flops(backbone, x[:1]), dev, runs, warmup,
                           with_energy, progress))
    return result


def synthetic_batch(model: nn.Module, scope: str, shape: Tuple[int, int],
                    batch_size: int = 1, device: str = 'cpu',
                    image: Optional[str] = None) -> Tuple[torch.Tensor, list]:
    """A uint8 image batch of ``shape`` through the model's data preprocessor: random pixels,
    or the file ``image`` resized to ``shape`` (a spiking model's firing rates, hence its
    energy, depend on what it sees).

    Returns ``(inputs, data_samples)`` ready for ``model.predict`` / ``model._forward``.
    """
    h, w = shape
    meta = dict(img_shape=(h, w), ori_shape=(h, w), pad_shape=(h, w), scale_factor=(1.0, 1.0),
                flip=False, flip_direction=None)
    if scope == 'mmdet':
        from mmdet.structures import DetDataSample as Sample
    elif scope == 'mmseg':
        from mmseg.structures import SegDataSample as Sample
    else:
        raise ValueError(f"synthetic_batch: scope must be 'mmdet' or 'mmseg', got {scope!r}")
    if image is None:
        images = [torch.randint(0, 256, (3, h, w), dtype=torch.uint8)
                  for _ in range(batch_size)]
    else:
        import cv2
        pixels = cv2.imread(image)  # BGR, as mmcv's LoadImageFromFile
        if pixels is None:
            raise FileNotFoundError(f'benchmark image {image!r} cannot be read')
        pixels = cv2.resize(pixels, (w, h), interpolation=cv2.INTER_LINEAR)
        images = [torch.from_numpy(pixels).permute(2, 0, 1).contiguous()] * batch_size
    samples = [Sample(metainfo=dict(meta)) for _ in range(batch_size)]
    data = model.data_preprocessor(dict(inputs=images, data_samples=samples), False)
    return data['inputs'].to(device), data['data_samples']


def benchmark_model(model: nn.Module, scope: str, shape: Tuple[int, int],
                    batch_size: int = 1, device: str = 'cpu', runs: int = 10, warmup: int = 2,
                    with_energy: bool = True,
                    progress: Optional[Callable[[str], None]] = None,
                    image: Optional[str] = None) -> Dict[str, Any]:
    """Benchmark a built detector (``scope='mmdet'``) or segmentor (``'mmseg'``).

    Latency and memory time ``model.predict`` (post-processing included, as deployed); FLOPs
    and energy count ``model._forward`` (network only, mmdet/mmseg's ``get_flops``
    convention) of one image. Backbone params/FLOPs are reported too. ``image``: a picture to
    run on instead of random pixels (see :func:`synthetic_batch`).
    """
    dev = torch.device(device)
    model = model.to(dev).eval()
    inputs, samples = synthetic_batch(model, scope, shape, batch_size, device, image)
    one_in, one_s = inputs[:1], samples[:1]
    result = dict(task='model', scope=scope, input_shape=list(inputs.shape), image=image,
                  params=count_params(model), **_environment(dev))
    wrapped = _Call(model, lambda m, x: m._forward(x, one_s))
    result.update(_measure(
        model, lambda: model.predict(inputs, samples), wrapped, one_in,
        lambda: count_flops(model, forward=lambda: model._forward(one_in, one_s)), dev, runs,
        warmup, with_energy, progress))
    backbone = getattr(model, 'backbone', None)
    if backbone is not None:
        result['backbone_params'] = count_params(backbone)
        result['backbone_flops'] = count_flops(backbone, one_in)
    return result


def format_table(results: Sequence[Dict[str, Any]]) -> str:
    """Markdown table of benchmark results (one row each)."""
    lines = ['| name | input | params (M) | FLOPs (G) | latency ms (median ± IQR) | img/s | '
             'peak mem (MiB) | energy (mJ) | device |',
             '|---|---|---:|---:|---:|---:|---:|---:|---|']
    for r in results:
        lat = r['latency']
        e = r.get('energy_mj')
        lines.append(
            f"| {r.get('name', '?')} | {'x'.join(map(str, r['input_shape'][2:]))} | "
            f"{r['params'] / 1e6:.2f} | {r['flops'] / 1e9:.2f} | "
            f"{lat['median_ms']:.1f} ± {lat['iqr_ms']:.1f} | {r['throughput_img_s']:.2f} | "
            f"{r['peak_memory_mb']:.0f} | {'-' if e is None else f'{e:.3f}'} | "
            f"{r['device']} ({r['threads']} threads) |")
    return '\n'.join(lines)


def format_energy_parts(result: Dict[str, Any]) -> str:
    """Markdown table of a whole model's energy per part (backbone, neck, each head): MACs
    of real-valued layers, ACs from measured spike counts, energy per image; '' without."""
    parts = (result.get('energy') or {}).get('parts')
    if not parts:
        return ''
    lines = ['| part | MACs (G) | ACs (G) | energy (mJ) |', '|---|---:|---:|---:|']
    for name, p in parts.items():
        lines.append(f"| {name} | {p['macs'] / 1e9:.3f} | {p['acs'] / 1e9:.3f} | "
                     f"{p['energy_mj']:.3f} |")
    total = result['energy']
    lines.append(f"| **total** | {total['macs'] / 1e9:.3f} | {total['acs'] / 1e9:.3f} | "
                 f"{total['energy_mj']:.3f} |")
    return '\n'.join(lines)
