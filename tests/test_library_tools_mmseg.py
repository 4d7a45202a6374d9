"""The toolkit's segmentation configs (UperNet, kMaX ADE20K) through mmseg's own train.py and
test.py and mmseg's MMSegInferencer (helpers: tests/library_tools.py)."""
from typing import Dict

import pytest

from library_tools import (check_inferencer, check_test_tool, project,  # noqa: F401
                           trained)  # (fixtures)

pytestmark = pytest.mark.slow

# config, library, epoch-based schedule, the metric its evaluation prints
RUNS: Dict[str, tuple] = {
    'upernet': ('configs/demo/upernet_swin-demo_shapes-ade20k.py', 'mmseg', False, 'mIoU'),
    'kmax-ade20k': ('configs/kmax/kmax-deeplab_r50_8xb8-100k_shapes-ade20k.py', 'mmseg', False,
                    'mIoU'),
}



@pytest.mark.parametrize('name', list(RUNS))
def test_mmseg_test_tool_evaluates_the_checkpoint(name, trained, project):
    check_test_tool(RUNS[name], trained[name], project, name)


def test_mmseg_inferencer_draws_predictions(trained, project, shapes_root):
    check_inferencer(RUNS['upernet'], trained['upernet'], project, shapes_root, 'upernet')
