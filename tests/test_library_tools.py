"""The toolkit's configs through mmdet's and mmseg's own tools, inferencers and inheritance.

Each run is a subprocess of the ``tools/train.py`` / ``tools/test.py`` that the mmdet or mmseg
wheel ships (``<package>/.mim/tools``), started in a scratch folder that holds only a ``data/``
link to the tiny shapes data: no toolkit tool, no ``PYTHONPATH``, no toolkit loader. The configs
reach the toolkit through their ``custom_imports``.
"""
import os
import os.path as osp
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Dict, List

import cv2
import pytest

REPO = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


def library_tool(library: str, tool: str) -> Path:
    """Path of a tool that the mmdet or mmseg wheel ships."""
    import importlib
    path = Path(importlib.import_module(library).__file__).parent / '.mim' / 'tools' / tool
    assert path.is_file(), f'{library} ships no {tool} at {path}'
    return path


def run_tool(library: str, tool: str, args: List[str], cwd: Path,
             expect_ok: bool = True) -> str:
    """Run a library tool as a user would; returns its combined output."""
    env = dict(os.environ, OMP_NUM_THREADS='1')
    env.pop('PYTHONPATH', None)
    proc = subprocess.run([sys.executable, str(library_tool(library, tool)), *args], cwd=cwd,
                          env=env, capture_output=True, text=True, timeout=600)
    output = proc.stdout + proc.stderr
    if expect_ok:
        assert proc.returncode == 0, f'{library} {tool} failed:\n{output[-4000:]}'
    return output


@pytest.fixture(scope='module')
def project(shapes_root, tmp_path_factory) -> Path:
    """A user's project folder outside the checkout, with the shapes data at data/shapes."""
    folder = tmp_path_factory.mktemp('user_project')
    (folder / 'data').mkdir()
    (folder / 'data' / 'shapes').symlink_to(shapes_root)
    return folder


def loader_options(epoch_based: bool) -> List[str]:
    """--cfg-options for a 2-iteration run on the tiny data (8 training images, batch 4),
    validated and checkpointed at its end, with the data loaded in the main process."""
    options = ['train_dataloader.batch_size=4']
    for loader in ('train', 'val', 'test'):
        options += [f'{loader}_dataloader.num_workers=0',
                    f'{loader}_dataloader.persistent_workers=False']
    if epoch_based:  # one epoch of 8 images
        options += ['train_cfg.max_epochs=1', 'train_cfg.val_interval=1',
                    'default_hooks.checkpoint.interval=1']
    else:
        options += ['train_cfg.max_iters=2', 'train_cfg.val_interval=2',
                    'default_hooks.checkpoint.interval=2']
    return options


# config, library, epoch-based schedule, the metric its evaluation prints, extra options
RUNS: Dict[str, tuple] = {
    'mask-rcnn': ('configs/demo/mask-rcnn_swin-demo_fpn_shapes-coco.py', 'mmdet', True,
                  'coco/segm_mAP', []),
    'kmax-panoptic': ('configs/kmax/kmax-deeplab_r50_8xb8-lsj-150k_shapes-coco-panoptic.py',
                      'mmdet', False, 'coco_panoptic/PQ', []),
    'qsd-mask-rcnn': ('configs/qsd_transformer/mask-rcnn_qsd-15m_fpn_15e_shapes-coco.py',
                      'mmdet', True, 'coco/bbox_mAP', []),
    'upernet': ('configs/demo/upernet_swin-demo_shapes-ade20k.py', 'mmseg', False, 'mIoU', []),
    'kmax-ade20k': ('configs/kmax/kmax-deeplab_r50_8xb8-100k_shapes-ade20k.py', 'mmseg', False,
                    'mIoU', []),
}


@pytest.fixture(scope='module')
def trained(project) -> Dict[str, Path]:
    """Checkpoints of every run in RUNS, trained (and validated) by the library's train.py."""
    checkpoints = {}
    for name, (config, library, epoch_based, metric, extra) in RUNS.items():
        work_dir = project / 'work_dirs' / name
        output = run_tool(library, 'train.py', [
            str(REPO / config), '--work-dir', str(work_dir),
            '--cfg-options', *loader_options(epoch_based), *extra], project)
        assert re.search(rf'{re.escape(metric)}: [0-9.]+', output), \
            f'{name}: no {metric} in the validation output:\n{output[-3000:]}'
        pointer = (work_dir / 'last_checkpoint').read_text().strip()
        checkpoints[name] = Path(pointer)
        assert checkpoints[name].is_file()
    return checkpoints


@pytest.mark.parametrize('name', list(RUNS))
def test_library_test_tool_evaluates_the_checkpoint(name, trained, project):
    config, library, epoch_based, metric, extra = RUNS[name]
    output = run_tool(library, 'test.py', [
        str(REPO / config), str(trained[name]), '--work-dir', str(project / 'test' / name),
        '--cfg-options', *loader_options(epoch_based), *extra], project)
    assert re.search(rf'{re.escape(metric)}: [0-9.]+', output), output[-3000:]


@pytest.mark.parametrize('name', ['mask-rcnn', 'kmax-panoptic', 'upernet'])
def test_library_inferencers_draw_predictions(name, trained, project, shapes_root):
    """DetInferencer (instance, panoptic) and MMSegInferencer (semantic) on the toolkit's
    configs and checkpoints write one overlay per image, at the image's size."""
    from mmplugins.apis.inference import draw_predictions
    config, library, *_ = RUNS[name]
    images = Path(shapes_root) / ('coco/val2017' if library == 'mmdet'
                                  else 'ade/ADEChallengeData2016/images/validation')
    inputs = sorted(images.iterdir())[:2]
    cwd = os.getcwd()
    os.chdir(project)  # the config's relative data paths, as for a user in their project
    try:
        written = draw_predictions(str(REPO / config), str(trained[name]),
                                   [str(p) for p in inputs], str(project / 'vis' / name))
    finally:
        os.chdir(cwd)
    assert [Path(p).name for p in written] == [p.name for p in inputs]
    for image, picture in zip(inputs, written):
        assert cv2.imread(picture).shape == cv2.imread(str(image)).shape


def test_tools_infer_script(trained, project, shapes_root):
    images = Path(shapes_root) / 'coco/val2017'
    out = project / 'infer_cli'
    proc = subprocess.run(
        [sys.executable, str(REPO / 'tools/infer.py'), str(images),
         str(REPO / RUNS['mask-rcnn'][0]), str(trained['mask-rcnn']), '--out', str(out),
         '--limit', '3'], cwd=project, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    written = proc.stdout.split()
    assert len(written) == 3 and all(osp.isfile(p) for p in written)


def test_config_inherited_from_outside_the_checkout(project):
    """A user's config that inherits ``mmplugins::...`` and swaps the backbone for a narrow
    HorNet trains with mmdet's own train.py."""
    config = project / 'configs' / 'mask-rcnn_my-hornet_fpn_shapes-coco.py'
    config.parent.mkdir(exist_ok=True)
    config.write_text(textwrap.dedent('''
        _base_ = 'mmplugins::swin/mask-rcnn_swin-t-p4-w7_fpn_1x_shapes-coco.py'
        model = dict(
            backbone=dict(_delete_=True, type='mmplugins.HorNet',
                          arch=dict(embed_dims=16, depths=(1, 1, 1, 1), orders=(2, 3, 4, 5),
                                    mixers=[dict(type='dw', kernel_size=7)] * 4),
                          out_indices=(0, 1, 2, 3)),
            neck=dict(in_channels=[16, 32, 64, 128], out_channels=32),
            rpn_head=dict(in_channels=32, feat_channels=32),
            roi_head=dict(bbox_roi_extractor=dict(out_channels=32),
                          bbox_head=dict(in_channels=32, fc_out_channels=64),
                          mask_roi_extractor=dict(out_channels=32),
                          mask_head=dict(in_channels=32, conv_out_channels=32)))
    '''))
    output = run_tool('mmdet', 'train.py', [str(config), '--cfg-options',
                                            *loader_options(True)], project)
    assert re.search(r'coco/bbox_mAP: [0-9.]+', output), output[-3000:]
    assert (project / 'work_dirs' / config.stem / 'epoch_1.pth').is_file()


def test_safety_hooks_run_under_the_library_tool(project):
    """A NaN loss stops mmdet's own train.py at that iteration (FiniteLossHook is an ordinary
    default_hooks entry of the config)."""
    output = run_tool('mmdet', 'train.py', [
        str(REPO / RUNS['mask-rcnn'][0]), '--work-dir', str(project / 'work_dirs' / 'nan'),
        '--cfg-options', *loader_options(True), 'model.rpn_head.loss_bbox.loss_weight=nan'],
        project, expect_ok=False)
    assert re.search(r"iteration 1: loss term '[\w.]*loss_rpn_bbox' is nan", output), \
        output[-3000:]
    assert not list((project / 'work_dirs' / 'nan').glob('*.pth'))
