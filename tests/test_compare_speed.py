"""tools/compare_speed.py and mmplugins.analysis.side_by_side / model_pairs on tiny models."""
import json
import subprocess
import sys
import textwrap

import pytest
import torch
import torch.nn as nn

from conftest import REPO
from test_benchmark import TINY_SWIN, load_tool

import mmplugins  # noqa: F401
from mmplugins.analysis import model_pairs as mp
from mmplugins.analysis import side_by_side as sbs


def test_builtin_backbone_pairs_share_weights_and_time_both_modes(capsys):
    tool = load_tool('compare_speed')
    rows = tool.main(['backbones', '--pairs', 'swin-mmdet', 'swin-mmseg', '--shape', '64', '96',
                      '--runs', '2', '--warmup', '0', '--modes', 'forward', 'train',
                      '--threads', '1'])
    assert [r['pair'] for r in rows] == ['swin-mmdet (tiny)', 'swin-mmseg (tiny)']
    for r in rows:
        # converted weights give the same features, so the timing compares like with like
        assert r['max_abs_diff'] < 1e-4 and r['input'] == [64, 96]
        for mode in ('forward', 'train'):
            m = r[mode]
            assert m['speedup'] == pytest.approx(m['theirs_ms'] / m['ours_ms'])
    table = capsys.readouterr().out
    assert '| swin-mmdet (tiny) | 64x96 |' in table


REFERENCE = '''
import torch.nn as nn
from mmseg.models.backbones import SwinTransformer


def build():
    return SwinTransformer(embed_dims=16, depths=(1, 1, 1, 1), num_heads=(1, 1, 2, 2),
                           out_indices=(0, 1, 2, 3), drop_path_rate=0.0)


def references():
    return [dict(name='tiny-swin', family='swin', build=build, input_size=(64, 64),
                 ours=dict(type='SwinTransformer', arch=dict(embed_dims=16,
                           depths=(1, 1, 1, 1), num_heads=(1, 1, 2, 2)),
                           drop_path_rate=0.0))]
'''


def test_reference_file_entries_are_converted_loaded_and_compared(tmp_path):
    ref = tmp_path / 'refs.py'
    ref.write_text(textwrap.dedent(REFERENCE))
    (entry, ) = sbs.load_reference_file(str(ref))
    pair = sbs.pair_from_reference(entry)
    assert pair.input_size == (64, 64) and pair.notes == []
    x = torch.randn(1, 3, 64, 64)
    diff, rel = sbs.max_abs_diff(pair, x)
    assert diff < 1e-4 and rel < 1e-5
    stats = sbs.time_pair(pair, x, 'train', runs=1, warmup=0)
    assert set(stats) == {'ours', 'theirs'} and stats['ours']['runs'] == 1
    # the backward really ran on both sides
    assert all(p.grad is not None for p in pair.ours.parameters() if p.requires_grad)
    assert all(p.grad is not None for p in pair.theirs.parameters() if p.requires_grad)


def test_reference_file_errors_name_the_file_and_the_missing_keys(tmp_path):
    with pytest.raises(FileNotFoundError, match='no_refs.py'):
        sbs.load_reference_file(str(tmp_path / 'no_refs.py'))
    bad = tmp_path / 'bad.py'
    bad.write_text('x = 1\n')
    with pytest.raises(AttributeError, match='must define references'):
        sbs.load_reference_file(str(bad))
    bad.write_text("def references():\n    return [dict(name='a', family='swin')]\n")
    with pytest.raises(KeyError, match=r"'a' lacks \['build', 'ours'\]"):
        sbs.load_reference_file(str(bad))
    with pytest.raises(KeyError, match='is not a backbone of mmplugins'):
        sbs.build_ours(dict(type='SwinTransformr'))


PROBE = """
import json, torch
from mmplugins.analysis.side_by_side import peak_rss_growth
def allocate():
    t = torch.ones(64, 2 ** 20)  # 256 MiB, touched, freed at return
    return float(t[-1, -1])
print(json.dumps(dict(big=peak_rss_growth(allocate), none=peak_rss_growth(lambda: None))))
"""


def test_peak_rss_growth_sees_a_large_temporary_allocation():
    # in a fresh process, as the tool runs it (an allocator that already holds freed pages
    # would hide the growth)
    out = subprocess.run([sys.executable, '-c', PROBE], capture_output=True, text=True,
                         check=True, cwd=str(REPO)).stdout
    figures = json.loads(out.strip().splitlines()[-1])
    assert 200 < figures['big'] < 1000 and figures['none'] < 50


def test_memory_probe_runs_in_a_fresh_process_and_reports_failures():
    ok = [sys.executable, '-c', 'import json; print("log line"); print(json.dumps({"peak_mib": 12.5}))']
    assert sbs.peak_step_memory(ok) == 12.5
    with pytest.raises(RuntimeError, match='memory probe .* failed'):
        sbs.peak_step_memory([sys.executable, '-c', 'raise SystemExit("boom")'])


def test_efficiency_compares_module_rate_with_gemm_rate():
    model = nn.Sequential(nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 256))
    row = sbs.efficiency(model, torch.randn(512, 256), runs=2, warmup=0, gemm_sizes=(256, ))
    assert row['gmacs'] == pytest.approx(2 * 512 * 256 * 256 / 1e9)
    expected = 2 * row['gmacs'] * 1e9 / (row['median_ms'] / 1e3) / 1e9
    assert row['gflops_per_s'] == pytest.approx(expected)
    assert row['fraction_of_gemm'] == pytest.approx(expected / row['gemm_gflops_per_s'])


def test_model_pairs_differ_only_in_the_backbone_implementation():
    cfg, ours, theirs = mp.model_pair_config('maskrcnn-swin', (96, 96))
    assert ours['backbone']['type'] == 'mmplugins.SwinTransformer'
    assert theirs['backbone']['type'] == 'mmdet.SwinTransformer'
    assert theirs['backbone']['depths'] == [2, 2, 6, 2]
    assert {k: v for k, v in ours.items() if k != 'backbone'} == \
        {k: v for k, v in theirs.items() if k != 'backbone'}
    resize = [t for t in cfg.train_dataloader.dataset.pipeline if t['type'] == 'Resize']
    assert resize[0]['scale'] == (96, 96)
    _, ours, theirs = mp.model_pair_config('kmax-mask2former', (96, 96))
    assert theirs['type'] == 'Mask2Former' and theirs['backbone'] == {
        k: v for k, v in ours['backbone'].items() if k != 'init_cfg'}
    n = ours['panoptic_head']['num_things_classes'] + ours['panoptic_head']['num_stuff_classes']
    assert len(theirs['panoptic_head']['loss_cls']['class_weight']) == n + 1


@pytest.mark.slow
def test_upernet_pair_trains_one_step_on_the_same_shapes_batch(tmp_path):
    cfg, ours_cfg, theirs_cfg = mp.model_pair_config('upernet-swin', (64, 64))
    for m in (ours_cfg, theirs_cfg):  # a narrow Swin keeps the test fast
        m['decode_head']['channels'] = m['auxiliary_head']['channels'] = 16
    ours_cfg['backbone']['arch'] = dict(TINY_SWIN)
    theirs_cfg = mp._library_swin_model(ours_cfg, 'mmseg')
    theirs_cfg['decode_head']['in_channels'] = ours_cfg['decode_head']['in_channels'] = \
        [16, 32, 64, 128]
    theirs_cfg['auxiliary_head']['in_channels'] = ours_cfg['auxiliary_head']['in_channels'] = 64
    ours_cfg['backbone']['drop_path_rate'] = theirs_cfg['backbone']['drop_path_rate'] = 0.0
    data = mp.shapes_batch(cfg, (64, 64), batch_size=2, root=str(tmp_path / 'shapes'))
    assert data['inputs'][0].shape[-2:] == (64, 64)
    models = [mp.build_model(c, 'mmseg').train() for c in (ours_cfg, theirs_cfg)]
    mp.share_weights('upernet-swin', *models)
    losses = []
    for model in models:
        mp.train_step(model, data)
        grads = [p.grad for p in model.backbone.parameters() if p.requires_grad]
        assert all(g is not None and torch.isfinite(g).all() for g in grads)
        torch.manual_seed(0)
        batch = model.data_preprocessor(dict(data), True)
        losses.append(model.parse_losses(model(**batch, mode='loss'))[0].item())
    # shared weights: the two sides compute the same losses on the same batch
    assert losses[0] == pytest.approx(losses[1], rel=1e-5)
