"""The guide docs/add_backbone.md, followed literally: a backbone file and a config in a folder
outside the checkout, inheriting ``mmplugins::...``, trained by mmdet's own train.py."""
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO


def guide_blocks(language: str) -> list:
    text = (REPO / 'docs' / 'add_backbone.md').read_text()
    return re.findall(rf'```{language}\n(.*?)```', text, flags=re.S)


def written_path(block: str) -> str:
    """The file a code block of the guide belongs to (its first line: ``# my_project/x.py``)."""
    first = block.splitlines()[0]
    assert first.startswith('# my_project/'), first
    return first[2:]


@pytest.mark.slow
def test_toy_backbone_from_the_guide_trains_with_mmdets_tool(shapes_root, tmp_path):
    for block in guide_blocks('python'):
        path = tmp_path / written_path(block)
        path.parent.mkdir(exist_ok=True)
        path.write_text(block)
    (command,) = guide_blocks('bash')
    command = command.replace('/path/to/mmplugins/data/shapes', shapes_root)
    env = dict(os.environ, OMP_NUM_THREADS='1',
               PATH=str(Path(sys.executable).parent) + os.pathsep + os.environ['PATH'])
    env.pop('PYTHONPATH', None)
    proc = subprocess.run(['bash', '-euo', 'pipefail', '-c', command], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=600)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output[-4000:]
    assert 'ToyNet' in output  # the model printed at start-up holds the guide's backbone
    assert re.search(r'coco/bbox_mAP: [0-9.]+', output), output[-3000:]
    work = tmp_path / 'my_project' / 'work_dirs' / 'mask-rcnn_toynet_fpn_1x_shapes-coco'
    assert (work / 'epoch_1.pth').is_file()
