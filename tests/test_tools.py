"""The command-line tools on tiny configs: train, test, convert (resume: test_resume.py;
distributed: test_distributed.py)."""
import glob
import json
import os
import os.path as osp
import pickle
import subprocess
import sys

import pytest
import torch

from mmplugins.checkpoint_io import load_checkpoint_file

from conftest import REPO, tiny_config

DET = 'configs/demo/mask-rcnn_swin-demo_fpn_shapes-coco.py'
SEG = 'configs/demo/upernet_swin-demo_shapes-ade20k.py'


def data_options(root: str, seg: bool = False) -> list:
    """--cfg-options that point a shapes config at ``root``."""
    if seg:
        ade = f'{root}/ade/ADEChallengeData2016'
        return [f'{k}.dataset.data_root={ade}'
                for k in ('train_dataloader', 'val_dataloader', 'test_dataloader')]
    coco = f'{root}/coco/'
    ann = f'{coco}annotations/instances_val2017.json'
    return [f'{k}.dataset.data_root={coco}'
            for k in ('train_dataloader', 'val_dataloader', 'test_dataloader')] + [
        f'val_evaluator.ann_file={ann}', f'test_evaluator.ann_file={ann}']


def run_tool(*args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, *args], cwd=REPO, capture_output=True, text=True,
                          timeout=timeout)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc


def last_metrics(work_dir: str) -> dict:
    logs = sorted(glob.glob(osp.join(work_dir, '*', 'vis_data', 'scalars.json')))
    rows = [json.loads(line) for line in open(logs[-1])]
    return rows[-1]


@pytest.mark.slow
def test_train_and_test_detector(shapes_root, tmp_path):
    cfg = tiny_config(DET, shapes_root, tmp_path, iters=2)
    work = str(tmp_path / 'work')
    run_tool('tools/train.py', cfg, '--work-dir', work, '--cfg-options', *data_options(shapes_root))
    assert osp.isfile(osp.join(work, 'iter_2.pth'))
    metrics = last_metrics(work)
    assert 'coco/bbox_mAP' in metrics and 0.0 <= metrics['coco/bbox_mAP'] <= 1.0

    out = tmp_path / 'preds.pkl'
    show = tmp_path / 'show'
    run_tool('tools/test.py', cfg, osp.join(work, 'iter_2.pth'), '--work-dir', work,
             '--out', str(out), '--show-dir', str(show), '--cfg-options',
             *data_options(shapes_root))
    preds = pickle.load(open(out, 'rb'))
    assert len(preds) == 4 and 'pred_instances' in preds[0]
    assert len(glob.glob(str(show / '**' / '*.jpg'), recursive=True)) == 4


@pytest.mark.slow
def test_train_and_test_segmentor(shapes_root, tmp_path):
    cfg = tiny_config(SEG, shapes_root, tmp_path, iters=2)
    work = str(tmp_path / 'work')
    run_tool('tools/train.py', cfg, '--work-dir', work, '--cfg-options',
             *data_options(shapes_root, seg=True))
    assert 0.0 <= last_metrics(work)['mIoU'] <= 100.0
    out = tmp_path / 'pred_png'
    run_tool('tools/test.py', cfg, osp.join(work, 'iter_2.pth'), '--work-dir', work, '--out',
             str(out), '--cfg-options', *data_options(shapes_root, seg=True))
    assert len(glob.glob(str(out / '*.png'))) == 4


def test_train_reports_missing_config_and_checkpoint(tmp_path):
    typo = 'configs/swin/mask-rcnn_swin-t-p4-w7_fpn_1x_cocoo.py'
    proc = subprocess.run([sys.executable, 'tools/train.py', typo],
                          cwd=REPO, capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0
    assert f"config file '{typo}' does not exist" in proc.stderr
    assert "did you mean one of ['mask-rcnn_swin-t-p4-w7_fpn_1x_coco.py'" in proc.stderr
    proc = subprocess.run([sys.executable, 'tools/test.py', DET, str(tmp_path / 'none.pth')],
                          cwd=REPO, capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0 and 'none.pth' in proc.stderr and 'does not exist' in proc.stderr


def test_convert_checkpoint_tool_writes_whole_file(tmp_path):
    from mmplugins.models.backbones import SwinTransformer
    from test_swin import TINY, official_layout
    model = SwinTransformer(arch=TINY)
    src = tmp_path / 'official.pth'
    torch.save({'model': official_layout(model)}, src)
    dst = tmp_path / 'out' / 'converted.pth'
    proc = run_tool('tools/convert_checkpoint.py', 'swin', str(src), str(dst))
    assert 'dropped' in proc.stdout
    saved = load_checkpoint_file(dst)
    result = model.load_state_dict(saved['state_dict'], strict=False)
    assert all(k.startswith(('norm0', 'norm1', 'norm2')) for k in result.missing_keys)
    assert os.listdir(dst.parent) == ['converted.pth']  # no temporary file left behind

    proc = subprocess.run([sys.executable, 'tools/convert_checkpoint.py', 'swin',
                           str(tmp_path / 'missing.pth'), str(tmp_path / 'x.pth')],
                          cwd=REPO, capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0 and 'does not exist' in proc.stderr
    assert not (tmp_path / 'x.pth').exists()
