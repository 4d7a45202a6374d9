"""Benchmark library and tools/benchmark.py on tiny models (64 px, 1-2 timed runs)."""
import importlib.util
import json
import subprocess
import sys
import time

import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F

from conftest import REPO

import mmplugins  # noqa: F401
from mmplugins.analysis import count_flops, count_params
from mmplugins.analysis.benchmark import (benchmark_backbone, format_table, summarize,
                                          time_interleaved, time_runs)
from mmplugins.models.backbones import SwinTransformer

TINY_SWIN = dict(embed_dims=16, depths=(1, 1, 1, 1), num_heads=(1, 1, 2, 2))
SEG = 'configs/demo/upernet_swin-demo_shapes-ade20k.py'


def load_tool(name: str):
    spec = importlib.util.spec_from_file_location(f'tool_{name}', REPO / 'tools' / f'{name}.py')
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class _Attention(nn.Module):
    def forward(self, q, k, v):
        return F.scaled_dot_product_attention(q, k, v)


def test_count_flops_sees_fused_attention_on_cpu():
    # (B, heads, N, d): QK^T and AV are each B*heads*N*N*d multiply-adds
    q = torch.randn(2, 3, 10, 8)
    assert count_flops(_Attention(), q, q, q) == 2 * (2 * 3 * 10 * 10 * 8)


class _Centers(nn.Module):
    """kMaX's pattern: a view of a parameter (no grad_fn under no_grad) fed to a layer."""

    def __init__(self):
        super().__init__()
        self.centers = nn.Embedding(4, 8)
        self.proj = nn.Linear(8, 6)

    def forward(self, x):
        return self.proj(self.centers.weight.unsqueeze(0).expand(x.shape[0], -1, -1))


def test_count_flops_accepts_parameter_views_and_restores_grad_flags():
    model = _Centers()
    model.proj.bias.requires_grad_(False)
    assert count_flops(model, torch.zeros(2, 1)) == 2 * 4 * 8 * 6
    assert model.centers.weight.requires_grad and model.proj.weight.requires_grad
    assert not model.proj.bias.requires_grad


def test_summarize_statistics():
    stats = summarize([5.0, 1.0, 3.0, 2.0, 4.0], warmup=2)
    assert stats['median_ms'] == 3.0 and stats['min_ms'] == 1.0 and stats['max_ms'] == 5.0
    assert stats['q1_ms'] == 2.0 and stats['q3_ms'] == 4.0 and stats['iqr_ms'] == 2.0
    assert stats['std_ms'] == pytest.approx(1.5811, abs=1e-4)
    assert stats['runs'] == 5 and stats['warmup'] == 2
    single = summarize([7.0])
    assert single['iqr_ms'] == 0.0 and single['std_ms'] == 0.0 and single['median_ms'] == 7.0


def test_time_runs_counts_calls_and_measures_time():
    calls = []
    stats = time_runs(lambda: (calls.append(1), time.sleep(0.01)), runs=3, warmup=2)
    assert len(calls) == 5 and stats['runs'] == 3 and len(stats['samples_ms']) == 3
    assert 9.0 <= stats['min_ms'] <= stats['median_ms'] <= stats['max_ms']
    with pytest.raises(ValueError, match='runs must be >= 1'):
        time_runs(lambda: None, runs=0)


def test_time_interleaved_rotates_order():
    order = []
    stats = time_interleaved({'a': lambda: order.append('a'), 'b': lambda: order.append('b')},
                             runs=3, warmup=1)
    assert order == ['a', 'b', 'a', 'b', 'b', 'a', 'a', 'b']
    assert set(stats) == {'a', 'b'} and stats['a']['runs'] == 3


PEAK_PROBE = """
import json, time, torch
from mmplugins.analysis.benchmark import peak_memory
# 16 Mi float32 = 64 MiB
mb, kind = peak_memory(lambda: (torch.ones(16 * 2 ** 20), time.sleep(0.05)), torch.device('cpu'))
print(json.dumps([mb, kind]))
"""


def test_peak_memory_cpu_sees_a_large_allocation():
    # in a fresh process: the RSS growth is a lower bound once the allocator holds pages freed
    # by earlier work of the same process (the benchmark tool measures on its first call)
    out = subprocess.run([sys.executable, '-c', PEAK_PROBE], capture_output=True, text=True,
                         check=True, cwd=str(REPO)).stdout
    mb, kind = json.loads(out.strip().splitlines()[-1])
    assert kind == 'cpu_vmhwm_delta'
    assert 48 <= mb <= 200, f'a 64 MiB tensor should show as ~64 MiB of RSS, got {mb:.1f}'


def test_benchmark_backbone_fields_are_sane():
    model = SwinTransformer(arch=TINY_SWIN)
    result = benchmark_backbone(model, (64, 64), runs=2, warmup=1)
    x = torch.randn(1, 3, 64, 64)
    assert result['params'] == count_params(model)
    assert result['flops'] == count_flops(model, x) > 0
    assert result['input_shape'] == [1, 3, 64, 64] and result['task'] == 'backbone'
    lat = result['latency']
    assert lat['runs'] == 2 and lat['warmup'] == 1
    assert 0 < lat['min_ms'] <= lat['median_ms'] <= lat['max_ms']
    assert result['throughput_img_s'] == pytest.approx(1e3 / lat['median_ms'])
    assert result['peak_memory_mb'] >= 0 and result['memory_kind'] == 'cpu_vmhwm_delta'
    # an ANN: every counted multiply-add is a MAC at 4.6 pJ (attention included)
    assert result['energy']['acs'] == 0
    assert result['energy_mj'] == pytest.approx(result['flops'] * 4.6e-9, rel=1e-6)
    assert result['device'] == 'cpu' and result['threads'] >= 1
    json.dumps(result)  # plain python only
    result['name'] = 'tiny-swin'
    table = format_table([result])
    assert 'tiny-swin' in table and '64x64' in table


def test_tool_benchmarks_a_config(tmp_path):
    tool = load_tool('benchmark')
    out = tmp_path / 'seg.json'
    result = tool.main([str(REPO / SEG), '--shape', '64', '64', '--runs', '1', '--warmup', '1',
                        '--quiet', '--out', str(out)])
    saved = json.loads(out.read_text())
    assert saved['name'] == 'upernet_swin-demo_shapes-ade20k' == result['name']
    assert saved['task'] == 'model' and saved['scope'] == 'mmseg'
    assert saved['input_shape'] == [1, 3, 64, 64]
    assert saved['backbone'] == 'SwinTransformer'
    # the whole segmentor is bigger and costlier than its backbone
    assert saved['params'] > saved['backbone_params'] > 0
    assert saved['flops'] > saved['backbone_flops'] > 0
    assert saved['latency']['runs'] == 1 and saved['latency_ms'] > 0
    assert saved['energy_mj'] == pytest.approx(saved['flops'] * 4.6e-9, rel=1e-6)


def test_tool_errors_name_the_problem():
    tool = load_tool('benchmark')
    with pytest.raises(KeyError, match='registered'):
        tool.main(['NoSuchBackbone', '--runs', '1'])
    with pytest.raises(SystemExit, match='needs a config file'):
        tool.main(['SwinTransformer', '--task', 'model'])
    with pytest.raises(FileNotFoundError, match='does not exist'):
        tool.main(['configs/swin/no_such_config.py'])


def test_default_shapes_follow_the_papers():
    tool = load_tool('benchmark')
    from mmplugins.analysis.benchmark import DEFAULT_SHAPES
    assert DEFAULT_SHAPES == {'backbone': (224, 224), 'mmdet': (800, 1280), 'mmseg': (512, 2048)}
    args = tool.parse_args(['SwinTransformer'])
    assert args.shape is None and args.runs >= 2 and args.warmup >= 1


def test_synthetic_batch_runs_on_a_given_picture(tmp_path):
    """``--image``: the picture (resized to the input size, BGR as mmcv loads it) is what the
    model sees, so a spiking model's firing rates come from real data."""
    import cv2
    import numpy as np
    from mmseg.models.data_preprocessor import SegDataPreProcessor

    from mmplugins.analysis.benchmark import synthetic_batch
    pixels = np.random.default_rng(0).integers(0, 256, (20, 30, 3), dtype=np.uint8)
    path = str(tmp_path / 'picture.png')
    cv2.imwrite(path, pixels)
    model = torch.nn.Module()
    model.data_preprocessor = SegDataPreProcessor(mean=[0, 0, 0], std=[1, 1, 1])
    inputs, samples = synthetic_batch(model, 'mmseg', (10, 15), batch_size=2, image=path)
    expected = torch.from_numpy(cv2.resize(pixels, (15, 10))).permute(2, 0, 1).float()
    assert inputs.shape == (2, 3, 10, 15) and len(samples) == 2
    assert torch.equal(inputs[0], expected) and torch.equal(inputs[1], expected)
    random_inputs, _ = synthetic_batch(model, 'mmseg', (10, 15))
    assert not torch.equal(random_inputs[0], expected)
    with pytest.raises(FileNotFoundError, match='missing.png'):
        synthetic_batch(model, 'mmseg', (10, 15), image=str(tmp_path / 'missing.png'))
