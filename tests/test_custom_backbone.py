"""The guide docs/add_backbone.md, followed literally: one backbone file, one config, training."""
import re
import sys

import pytest
from mmengine.runner import Runner

from conftest import REPO, load_tiny, tiny_config


def guide_blocks() -> list:
    text = (REPO / 'docs' / 'add_backbone.md').read_text()
    return re.findall(r'```python\n(.*?)```', text, flags=re.S)


@pytest.mark.slow
def test_toy_backbone_from_the_guide_trains(shapes_root, tmp_path, monkeypatch):
    backbone_code, config_code = guide_blocks()
    package = tmp_path / 'my_project'
    package.mkdir()
    (package / '__init__.py').write_text('')
    (package / 'toy_net.py').write_text(backbone_code)
    config_code = config_code.replace('/path/to/mmplugins', str(REPO))
    config = package / 'mask-rcnn_toynet_fpn_1x_shapes-coco.py'
    config.write_text(config_code)
    monkeypatch.syspath_prepend(str(tmp_path))

    tiny = tiny_config(str(config), shapes_root, tmp_path, iters=2)
    cfg = load_tiny(tiny, shapes_root, str(tmp_path / 'work'))
    assert cfg.model.neck.in_channels == [16, 32, 64, 128]  # derived, not typed
    runner = Runner.from_cfg(cfg)
    runner.train()
    assert type(runner.model.backbone).__name__ == 'ToyNet'
    assert runner.iter == 2
    sys.modules.pop('my_project.toy_net', None)
