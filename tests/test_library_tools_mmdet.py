"""The toolkit's detection configs (Mask R-CNN, kMaX panoptic, QSD) through mmdet's own
train.py and test.py, mmdet's DetInferencer, tools/infer.py, a user's config inheriting
``mmplugins::...`` and the safety hooks under mmdet's tool (helpers: tests/library_tools.py)."""
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Dict

import pytest

from library_tools import (REPO, check_inferencer, check_test_tool, loader_options, run_tool,
                           project, trained)  # noqa: F401  (fixtures)

pytestmark = pytest.mark.slow

# config, library, epoch-based schedule, the metric its evaluation prints
RUNS: Dict[str, tuple] = {
    'mask-rcnn': ('configs/demo/mask-rcnn_swin-demo_fpn_shapes-coco.py', 'mmdet', True,
                  'coco/segm_mAP'),
    'kmax-panoptic': ('configs/kmax/kmax-deeplab_r50_8xb8-lsj-150k_shapes-coco-panoptic.py',
                      'mmdet', False, 'coco_panoptic/PQ'),
    'qsd-mask-rcnn': ('configs/qsd_transformer/mask-rcnn_qsd-15m_fpn_15e_shapes-coco.py',
                      'mmdet', True, 'coco/bbox_mAP'),
}



@pytest.mark.parametrize('name', list(RUNS))
def test_mmdet_test_tool_evaluates_the_checkpoint(name, trained, project):
    check_test_tool(RUNS[name], trained[name], project, name)


@pytest.mark.parametrize('name', ['mask-rcnn', 'kmax-panoptic'])
def test_det_inferencer_draws_predictions(name, trained, project, shapes_root):
    check_inferencer(RUNS[name], trained[name], project, shapes_root, name)


def test_tools_infer_script(trained, project, shapes_root):
    images = Path(shapes_root) / 'coco/val2017'
    out = project / 'infer_cli'
    proc = subprocess.run(
        [sys.executable, str(REPO / 'tools/infer.py'), str(images),
         str(REPO / RUNS['mask-rcnn'][0]), str(trained['mask-rcnn']), '--out', str(out),
         '--limit', '3'], cwd=project, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    written = [line for line in proc.stdout.splitlines() if line.startswith(str(out))]
    assert len(written) == 3 and all(Path(p).is_file() for p in written), proc.stdout


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
