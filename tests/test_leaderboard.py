"""Leaderboard: work dirs + benchmark JSONs + metafile targets -> md/csv/html/plots."""
import csv
import os
import importlib.util
import json
import os.path as osp
import re
import shutil
import subprocess
import textwrap

import pytest

from conftest import REPO, load_tiny, tiny_config

from mmplugins.analysis.benchmark import summarize
from mmplugins.analysis.leaderboard import (COLUMNS, build_leaderboard, load_metafiles,
                                            pareto_front, real_config_of)

DET = 'configs/demo/mask-rcnn_swin-demo_fpn_shapes-coco.py'
SEG = 'configs/demo/upernet_swin-demo_shapes-ade20k.py'
SEG_SWIN_T = 'upernet_swin-t-p4-w7_160k_shapes-ade20k'
DET_SWIN_T = 'mask-rcnn_swin-t-p4-w7_fpn_1x_shapes-coco'


def fake_work_dir(root, config: str, metrics: dict, scope: str) -> str:
    """A work dir laid out as mmengine writes it: dumped config + run/vis_data/scalars.json."""
    wd = root / config
    vis = wd / '20260101_000000' / 'vis_data'
    vis.mkdir(parents=True)
    lines = [dict(lr=0.001, loss=1.5, iter=2, step=2), dict(metrics, step=2)]
    (vis / 'scalars.json').write_text('\n'.join(json.dumps(x) for x in lines) + '\n')
    data = ("dict(type='BaseSegDataset', data_root='data/shapes/ade/ADEChallengeData2016')"
            if scope == 'mmseg' else
            "dict(type='CocoDataset', data_root='data/shapes/coco/')")
    (wd / f'{config}.py').write_text(textwrap.dedent(f"""
        default_scope = {scope!r}
        model = dict(backbone=dict(type='mmplugins.SwinTransformer', arch='tiny'))
        val_dataloader = dict(dataset={data})
        train_cfg = dict(type='IterBasedTrainLoop', max_iters=2)
        """))
    return str(wd)


def fake_bench(path, name: str, flops: float, median: float, energy: float,
               task: str = 'model') -> None:
    lat = summarize([median * 0.9, median, median * 1.2], warmup=1)
    path.write_text(json.dumps(dict(
        name=name, task=task, scope='mmseg' if task == 'model' else None,
        input_shape=[1, 3, 64, 64], params=2.5e6,
        flops=flops, latency=lat, latency_ms=lat['median_ms'],
        throughput_img_s=1e3 / lat['median_ms'], peak_memory_mb=12.0,
        memory_kind='cpu_vmhwm_delta', energy=dict(method='energy_report:all-MAC'),
        energy_mj=energy, device='cpu', threads=2, backbone='SwinTransformer', arch=None)))


def read_csv(path: str) -> list:
    with open(path) as f:
        return list(csv.DictReader(f))


def chromium() -> str:
    for name in ('chromium', 'chromium-browser', 'google-chrome'):
        if shutil.which(name):
            return shutil.which(name)
    message = "headless Chromium is not installed (Debian: apt-get install chromium)"
    if os.environ.get('CI'):  # .ci/run installs it: a skip there would hide an unrun test
        pytest.fail(message)
    pytest.skip(message)


def run_chromium(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([chromium(), '--headless', '--no-sandbox', '--disable-gpu',
                           '--disable-dev-shm-usage', *args], capture_output=True, text=True,
                          timeout=120)


def test_pareto_front():
    pts = [(1.0, 10.0), (2.0, 9.0), (2.0, 12.0), (3.0, 15.0), (4.0, 14.0), (0.5, 5.0)]
    assert pareto_front(pts) == [5, 0, 2, 3]
    assert pareto_front([]) == []


def test_shapes_variants_map_to_their_paper_config():
    metafiles = load_metafiles(str(REPO))
    assert real_config_of(SEG_SWIN_T, str(REPO), metafiles) == \
        'upernet_swin-t-p4-w7_160k_ade20k-512x512'
    assert real_config_of(DET_SWIN_T, str(REPO), metafiles) == \
        'mask-rcnn_swin-t-p4-w7_fpn_1x_coco'
    assert real_config_of('mask-rcnn_swin-t-p4-w7_fpn_1x_coco', str(REPO), metafiles) == \
        'mask-rcnn_swin-t-p4-w7_fpn_1x_coco'
    # the narrow demo models have no paper counterpart
    assert real_config_of('upernet_swin-demo_shapes-ade20k', str(REPO), metafiles) is None


@pytest.fixture
def board(tmp_path):
    seg = fake_work_dir(tmp_path, SEG_SWIN_T, {'aAcc': 50.0, 'mIoU': 12.5, 'mAcc': 20.0},
                        'mmseg')
    det = fake_work_dir(tmp_path, DET_SWIN_T,
                        {'coco/bbox_mAP': 0.123, 'coco/segm_mAP': 0.101}, 'mmdet')
    bench = tmp_path / 'bench'
    bench.mkdir()
    fake_bench(bench / 'seg.json', SEG_SWIN_T, 2e9, 40.0, 9.2)
    fake_bench(bench / 'backbone.json', 'SwinTransformer', 4.5e9, 30.0, 20.7, 'backbone')
    return build_leaderboard([seg, det], [str(bench)], str(tmp_path / 'out'), str(REPO))


def test_leaderboard_rows_targets_and_files(board):
    rows = {r['config']: r for r in read_csv(board['csv'])}
    assert set(rows) == {SEG_SWIN_T, DET_SWIN_T, 'SwinTransformer'}
    seg, det = rows[SEG_SWIN_T], rows[DET_SWIN_T]
    paper = load_metafiles(str(REPO))['upernet_swin-t-p4-w7_160k_ade20k-512x512']['targets']
    assert seg['metric'] == 'mIoU' and float(seg['measured']) == 12.5
    assert float(seg['paper']) == paper['mIoU']
    assert float(seg['gap']) == pytest.approx(12.5 - paper['mIoU'])
    assert seg['dataset'] == 'shapes-ADE20K' and seg['model'] == 'Swin Transformer'
    assert seg['iters'] == '2'
    # the benchmark JSON was joined to its work dir by config name
    assert float(seg['flops_G']) == 2.0 and float(seg['latency_ms']) == 40.0
    assert float(seg['energy_mJ']) == 9.2 and seg['input'] == '64x64'
    # mmdet's 0-1 mAP is shown in percent, mask AP beside it with its own target
    assert det['metric'] == 'box AP' and float(det['measured']) == pytest.approx(12.3)
    assert 'mask AP 10.10' in det['other_metrics'] and det['flops_G'] == ''
    # a benchmark without a work dir is a row of its own, without accuracy
    assert rows['SwinTransformer']['measured'] == '' and rows['SwinTransformer']['dataset'] == '-'
    assert rows['SwinTransformer']['model'] == 'Swin Transformer'
    md = open(board['markdown']).read()
    assert md.count(f'| {SEG_SWIN_T} |') == 1 and '| 12.5 |' in md
    assert [osp.basename(p) for p in board['plots']] == [
        'accuracy_vs_flops.png', 'accuracy_vs_latency.png', 'accuracy_vs_energy.png']
    for plot in board['plots']:
        assert open(plot, 'rb').read(8) == b'\x89PNG\r\n\x1a\n'


def test_html_renders_in_headless_chromium(board, tmp_path):
    url = 'file://' + board['html']
    dom = run_chromium('--dump-dom', url)
    assert dom.returncode == 0, dom.stderr[-2000:]
    body = re.search(r'<tbody>(.*)</tbody>', dom.stdout, re.S).group(1)
    assert body.count('<tr>') == 3
    assert SEG_SWIN_T in body and DET_SWIN_T in body
    assert len(re.findall(r'<img [^>]*src="data:image/png;base64,', dom.stdout)) == 3
    assert dom.stdout.count('onclick="sortTable(') == len(COLUMNS)

    # the inline sort: 'measured' ascending puts numbers first, '-' last; a second click sorts
    # descending
    page = open(board['html']).read()
    for clicks, expected in ((1, [DET_SWIN_T, SEG_SWIN_T, 'SwinTransformer']),
                             (2, [SEG_SWIN_T, DET_SWIN_T, 'SwinTransformer'])):
        sorted_page = tmp_path / f'sorted{clicks}.html'
        sorted_page.write_text(page.replace(
            '</body>', '<script>' + f'sortTable({COLUMNS.index("measured")});' * clicks
            + '</script></body>'))
        dom = run_chromium('--dump-dom', 'file://' + str(sorted_page))
        body = re.search(r'<tbody>(.*)</tbody>', dom.stdout, re.S).group(1)
        configs = re.findall(r'<tr>' + '<td>[^<]*</td>' * COLUMNS.index('config')
                             + '<td>([^<]*)</td>', body)
        assert configs == expected, (clicks, configs)

    shot = tmp_path / 'shot.png'
    result = run_chromium(f'--screenshot={shot}', '--window-size=1200,1600', url)
    assert result.returncode == 0 and shot.is_file(), result.stderr[-2000:]
    import matplotlib.image as mpimg
    pixels = mpimg.imread(str(shot))
    assert pixels.shape[:2] == (1600, 1200)
    # a rendered page, not a blank one: many distinct colours (text, table, plots)
    assert pixels[..., :3].std() > 0.05
    assert len({tuple(p) for p in (pixels[::8, ::8, :3] * 255).astype(int).reshape(-1, 3)}) > 20


def test_tool_reads_work_dirs_and_reports_missing(tmp_path):
    spec = importlib.util.spec_from_file_location('lb_tool', REPO / 'tools' / 'leaderboard.py')
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    wd = fake_work_dir(tmp_path / 'work_dirs', SEG_SWIN_T, {'mIoU': 3.0}, 'mmseg')
    assert tool.find_work_dirs(str(tmp_path / 'work_dirs')) == [wd]
    result = tool.main([wd, '--out-dir', str(tmp_path / 'lb'), '--bench-dir'])
    assert len(result['rows']) == 1 and osp.isfile(result['html'])
    with pytest.raises(SystemExit, match='does not exist'):
        tool.main([str(tmp_path / 'nope'), '--out-dir', str(tmp_path / 'lb')])


@pytest.mark.slow
def test_leaderboard_from_two_trained_work_dirs(shapes_root, tmp_path):
    from mmengine.runner import Runner

    from mmplugins.analysis.benchmark import benchmark_model
    work_dirs = []
    for base in (DET, SEG):
        cfg_path = tiny_config(base, shapes_root, tmp_path, iters=2)
        work = str(tmp_path / osp.basename(cfg_path)[:-3])
        cfg = load_tiny(cfg_path, shapes_root, work)
        runner = Runner.from_cfg(cfg)
        runner.train()
        work_dirs.append(work)
        if base == SEG:
            result = benchmark_model(runner.model, 'mmseg', (64, 64), runs=1, warmup=1)
            result.update(name=osp.basename(cfg_path)[:-3], backbone='SwinTransformer')
            (tmp_path / 'bench').mkdir()
            (tmp_path / 'bench' / 'seg.json').write_text(json.dumps(result))
    board = build_leaderboard(work_dirs, [str(tmp_path / 'bench')], str(tmp_path / 'lb'),
                              str(REPO))
    rows = {r['config']: r for r in read_csv(board['csv'])}
    det, seg = rows['tiny_' + osp.basename(DET)[:-3]], rows['tiny_' + osp.basename(SEG)[:-3]]
    assert len(rows) == 2
    assert det['metric'] == 'box AP' and 0.0 <= float(det['measured']) <= 100.0
    assert det['dataset'] == 'shapes-COCO' and det['iters'] == '2' and seg['iters'] == '2'
    assert seg['metric'] == 'mIoU' and 0.0 <= float(seg['measured']) <= 100.0
    assert seg['dataset'] == 'shapes-ADE20K' and float(seg['flops_G']) > 0
    assert float(seg['latency_ms']) > 0 and det['latency_ms'] == ''
    html = open(board['html']).read()
    assert html.count('<tr><td>') == 2


def test_make_leaderboard_benchmark_jobs(tmp_path, monkeypatch):
    """``--benchmark`` covers every registered backbone and every trained shapes work dir."""
    spec = importlib.util.spec_from_file_location('lb_tool2', REPO / 'tools' / 'leaderboard.py')
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    backbones = tool.registered_backbones()
    assert {'SwinTransformer', 'HorNet', 'RMT', 'ViTCoMer', 'QSDTransformer'} <= set(backbones)
    trained = fake_work_dir(tmp_path, SEG_SWIN_T, {'mIoU': 3.0}, 'mmseg')
    (tmp_path / SEG_SWIN_T / 'iter_2.pth').write_bytes(b'')
    with open(osp.join(trained, f'{SEG_SWIN_T}.py'), 'a') as f:
        f.write('shapes_crop_size = (64, 64)\n')
    untrained = fake_work_dir(tmp_path, DET_SWIN_T, {'coco/bbox_mAP': 0.1}, 'mmdet')
    calls = []

    class FakeTool:
        @staticmethod
        def main(args):
            calls.append(args)
            open(args[args.index('--out') + 1], 'w').write('{}')

    monkeypatch.setattr(tool, '_benchmark_tool', lambda: FakeTool)
    bench = tmp_path / 'bench'
    written = tool.run_benchmarks([trained, untrained], str(bench), ['--runs', '1'])
    # each backbone at 224 and at the suite's input size, then the trained work dir
    assert [c[0] for c in calls] == backbones + backbones + [
        osp.join(trained, f'{SEG_SWIN_T}.py')]
    for call in calls[len(backbones):-1]:
        assert call[1:6] == ['--shape', '128', '128', '--name', f'{call[0]}@128x128']
    work_call = calls[-1]
    assert work_call[work_call.index('--checkpoint') + 1] == osp.join(trained, 'iter_2.pth')
    assert work_call[work_call.index('--shape') + 1:][:2] == ['64', '64']
    assert len(written) == 2 * len(backbones) + 1
    # a second run keeps what exists (make leaderboard is idempotent)
    calls.clear()
    tool.run_benchmarks([trained, untrained], str(bench), ['--runs', '1'])
    assert calls == []
