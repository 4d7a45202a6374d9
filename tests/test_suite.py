"""The leaderboard suite's runner (mmplugins/analysis/suite.py): it skips finished runs, resumes
interrupted ones, evaluates trained ones, and its rows reach the leaderboard files. The suite's
configs are checked in tests/test_suite_configs.py."""
import csv
import json
import os
import os.path as osp
import threading
import time
from pathlib import Path

import pytest
from mmengine.config import Config

from conftest import REPO, load_tiny, tiny_config

from mmplugins.analysis import suite
from mmplugins.analysis.leaderboard import build_leaderboard, method_of, read_suite

SUITE_DIR = REPO / 'configs' / 'leaderboard'
#: the two rows the runner tests train: one mmseg, one mmdet
TINY_ROWS = ('upernet_swin-narrow_suite_shapes-ade20k.py',
             'mask-rcnn_hornet-narrow-7x7_fpn_suite_shapes-coco.py')


# ------------------------------------------------------------------------------------ runner
def tiny_suite(shapes_root: str, tmp_path: Path, iters: int = 2) -> Path:
    """Plain copies of two suite rows that train ``iters`` iterations on the tiny data (the
    suite values stay; checkpoints every iteration so a kill leaves one to resume from)."""
    rows = tmp_path / 'rows'
    rows.mkdir()
    for name in TINY_ROWS:
        config = tiny_config(f'configs/leaderboard/{name}', shapes_root, tmp_path, iters=iters)
        cfg = load_tiny(config, shapes_root, str(tmp_path / 'unused'))
        cfg.default_hooks.checkpoint.interval = 1
        cfg.suite_seeds = [0]
        cfg.dump(str(rows / name))
    return rows


def test_runner_trains_skips_and_resumes(shapes_root, tmp_path):
    rows_dir = tiny_suite(shapes_root, tmp_path, iters=3)
    work = tmp_path / 'suite'
    rows = suite.discover_rows(str(rows_dir))
    assert [r.name for r in rows] == sorted(osp.splitext(n)[0] for n in TINY_ROWS)
    assert {r.task for r in rows} == {'instance', 'semantic'}
    runs = suite.plan_runs(rows, str(work))
    seg_run = next(r for r in runs if r.row.task == 'semantic')
    det_run = next(r for r in runs if r.row.task == 'instance')

    # interrupted: the segmentor's training is stopped once its first checkpoint exists
    messages, children = [], []
    runner = suite.SuiteRunner([seg_run], str(REPO), echo=messages.append, report_every_s=1)
    # the pointer is written after the checkpoint it names
    first_ckpt = osp.join(seg_run.work_dir, 'last_checkpoint')
    original_start = runner._start

    def start(run):
        active = original_start(run)
        children.append(active.proc)
        return active

    def stop_after_first_checkpoint():
        deadline = time.time() + 300
        while time.time() < deadline and not osp.isfile(first_ckpt):
            time.sleep(0.05)
        for proc in children:
            proc.terminate()
    runner._start = start
    killer = threading.Thread(target=stop_after_first_checkpoint)
    killer.start()
    summary = runner.run()
    killer.join()
    assert summary['failed'] == [seg_run.label]
    assert not seg_run.done and seg_run.resumable

    # the whole suite: the interrupted run resumes, the other one trains
    messages = []
    summary = suite.SuiteRunner(runs, str(REPO), echo=messages.append).run()
    assert sorted(summary['done']) == sorted(r.label for r in runs)
    assert summary['failed'] == []
    assert any('resuming' in m and seg_run.label in m for m in messages)
    with open(seg_run.result_path) as f:
        seg_result = json.load(f)
    assert seg_result['resumed'] is True and seg_result['iters'] == 3
    assert 'mIoU' in seg_result['metrics']
    with open(det_run.result_path) as f:
        det_result = json.load(f)
    assert det_result['resumed'] is False and 'coco/segm_mAP' in det_result['metrics']
    for log in seg_result['logs']:  # the row traces back to its logs
        assert osp.isfile(osp.join(seg_run.work_dir, log))
    assert '--resume' in open(osp.join(seg_run.work_dir, suite.TRAIN_LOG)).read()

    # a rerun trains nothing
    messages = []
    summary = suite.SuiteRunner(runs, str(REPO), echo=messages.append).run()
    assert summary['done'] == [] and sorted(summary['skipped']) == sorted(
        r.label for r in runs)

    # trained but not evaluated (stopped during its final evaluation): tools/test.py
    # evaluates the final checkpoint, and its metrics are the training's
    os.remove(det_run.result_path)
    assert suite.train_command(det_run, str(REPO))[1].endswith(osp.join('tools', 'test.py'))
    messages = []
    summary = suite.SuiteRunner([det_run], str(REPO), echo=messages.append).run()
    assert summary['done'] == [det_run.label]
    with open(det_run.result_path) as f:
        tested = json.load(f)
    assert tested['metrics']['coco/segm_mAP'] == det_result['metrics']['coco/segm_mAP']
    assert tested['iters'] == 3

    # the rows reach the leaderboard
    board = build_leaderboard([], [], str(tmp_path / 'board'), str(REPO), str(work))
    by_task = {r['task']: r for r in board['suite_rows']}
    assert by_task['semantic']['metric'] == 'mIoU'
    assert by_task['semantic']['measured'] == round(seg_result['metrics']['mIoU'], 2)
    assert by_task['semantic']['method'] == 'UperNet'
    assert by_task['instance']['metric'] == 'mask AP'
    assert by_task['instance']['measured'] == round(
        det_result['metrics']['coco/segm_mAP'] * 100, 2)
    assert by_task['instance']['backbone'] == 'hornet-narrow-7x7'
    assert by_task['instance']['seeds'] == 1 and by_task['instance']['spread'] is None
    with open(board['csv']) as f:
        assert len([r for r in csv.DictReader(f) if r['task']]) == 2
    assert os.path.isfile(board['headline'])
    assert [osp.basename(p) for p in board['plots']] == [
        f'accuracy_vs_{x}_{task}.png' for task in ('instance', 'semantic')
        for x in ('flops', 'latency', 'energy')]


def test_suite_rows_average_seeds_and_read_benchmarks(tmp_path):
    """Mean and sample standard deviation over seeds, the paper target, the bench cells."""
    row = 'upernet_swin-narrow_suite_shapes-ade20k'
    config = Config.fromfile(str(SUITE_DIR / f'{row}.py'))
    for seed, miou in ((0, 40.0), (1, 44.0)):
        wd = tmp_path / row / f'seed{seed}'
        wd.mkdir(parents=True)
        config.dump(str(wd / f'{row}.py'))
        suite.write_json_atomic(str(wd / suite.RUN_RESULT), dict(
            row=row, task='semantic', seed=seed, paper_config=config.paper_config,
            metrics={'mIoU': miou, 'aAcc': 90.0}, iters=250, wall_s=10.0))
    bench = dict(params=2.1e6, flops=0.28e9, input_shape=[1, 3, 128, 128],
                 latency=dict(median_ms=12.5, iqr_ms=0.5), throughput_img_s=80.0,
                 peak_memory_mb=55.0, energy_mj=1.3, energy=dict(method='energy_report:all-MAC'),
                 device='cpu', threads=2)
    suite.write_json_atomic(str(tmp_path / row / suite.BENCH_RESULT), bench)
    (r,) = read_suite(str(tmp_path), str(REPO))
    assert r['measured'] == 42.0 and r['spread'] == pytest.approx(2.83, abs=0.01)
    assert r['seeds'] == 2 and r['paper'] == 44.51  # the metafile's Swin-T UperNet mIoU
    assert r['params_M'] == 2.1 and r['flops_G'] == 0.28 and r['input'] == '128x128'
    assert r['latency_ms'] == 12.5 and r['peak_mem_MiB'] == 55.0 and r['energy_mJ'] == 1.3


def test_a_model_without_predictions_scores_zero(tmp_path):
    """mmdet's COCO metric logs no value when nothing was predicted: the run scores 0."""
    (tmp_path / suite.TRAIN_LOG).write_text(
        f'... - mmengine - ERROR - coco_metric.py - compute_metrics - {suite.NO_PREDICTIONS}.\n')
    assert suite.read_metrics(str(tmp_path)) == ({}, None, True)
    (tmp_path / suite.TRAIN_LOG).write_text('Iter(val) [13/13] data_time: 0.04\n')
    with pytest.raises(RuntimeError, match='no run there logged metrics'):
        suite.read_metrics(str(tmp_path))


def test_discover_rows_errors_name_the_file_and_the_rows(tmp_path):
    (tmp_path / 'plain.py').write_text("model = dict(type='X')\n")
    with pytest.raises(KeyError, match=r"plain\.py.*suite_task"):
        suite.discover_rows(str(tmp_path))
    with pytest.raises(ValueError, match=r"\['nothing'\] match no config"):
        suite.discover_rows(str(tmp_path), ['nothing'])


def test_progress_lines_and_seed_major_plan():
    state = {}
    suite.parse_progress('12/06 22:52:49 - mmengine - INFO - Iter(train) [ 90/250]  '
                         'lr: 8.1e-04  eta: 0:01:40  time: 0.6702', state)
    assert state == dict(phase='train', iter=90, total=250, eta_s=100)
    suite.parse_progress('Iter(val) [ 20/100]    eta: 0:00:10', state)
    assert state['phase'] == 'val' and state['eta_s'] == 100  # a val ETA is not the run's
    rows = [suite.Row(f'{n}.py', n, 'semantic', [0, 1], (128, 128), None, 'mmseg', 2)
            for n in ('a', 'b')]
    assert [(r.row.name, r.seed) for r in suite.plan_runs(rows, 'w')] == [
        ('a', 0), ('b', 0), ('a', 1), ('b', 1)]
    assert [(r.row.name, r.seed) for r in suite.plan_runs(rows, 'w', max_seeds=1)] == [
        ('a', 0), ('b', 0)]


def test_method_names():
    assert method_of(dict(type='mmdet.MaskRCNN')) == 'Mask R-CNN'
    assert method_of(dict(type='EncoderDecoder',
                          decode_head=dict(type='mmplugins.KMaXHead'))) == 'kMaX-DeepLab'
    assert method_of(dict(type='EncoderDecoder', decode_head=dict(type='MyHead'))) == 'MyHead'
