"""Every shipped config is a plain OpenMMLab config.

Each one is read with ``Config.fromfile`` alone (its ``custom_imports`` register the toolkit, as in
mmdet's and mmseg's own tools) and its model is built by the libraries' registries on the meta
device: no toolkit loader, no derived values. The channel lists the config writes down for the
neck or heads must equal what the built backbone reports, and every run gets the safety hooks.
"""
from pathlib import Path
from typing import List

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import MODELS, init_default_scope

from mmplugins.apis import backbone_consumers, channels_for

REPO = Path(__file__).resolve().parents[1]
CONFIGS = sorted(p for p in (REPO / 'configs').rglob('*.py') if '_base_' not in p.parts)
SAFETY_HOOKS = {'finite_loss': 'mmplugins.FiniteLossHook', 'rng_state': 'mmplugins.RNGStateHook'}


def backbone_channels(backbone: torch.nn.Module) -> List[int]:
    """Channels of the maps a built backbone returns: its ``out_channels`` report, or (mmdet's
    ResNet has none) a forward pass on the meta device."""
    reported = getattr(backbone, 'out_channels', None)
    if isinstance(reported, (list, tuple)) and reported:
        return [int(c) for c in reported]
    with torch.no_grad():
        outs = backbone(torch.empty(1, 3, 64, 64, device='meta'))
    return [int(o.shape[1]) for o in outs]


@pytest.mark.parametrize('path', CONFIGS, ids=lambda p: str(p.relative_to(REPO / 'configs')))
def test_config_builds_through_plain_mmengine(path: Path) -> None:
    cfg = Config.fromfile(str(path))
    if path.parent.name == 'teachers':  # a backbone the distillation configs read, no run
        init_default_scope('mmdet')
        with torch.device('meta'):
            assert backbone_channels(MODELS.build(cfg.model.backbone))
        return
    assert cfg.get('default_scope') in ('mmdet', 'mmseg')
    hooks = cfg.get('default_hooks', {})
    for name, hook_type in SAFETY_HOOKS.items():
        assert hooks.get(name, {}).get('type') == hook_type, f'default_hooks.{name} missing'
    if 'model' not in cfg:
        pytest.fail(f'{path.name} defines no model')
    init_default_scope(cfg.default_scope)
    with torch.device('meta'):
        model = MODELS.build(cfg.model)
    channels = backbone_channels(model.backbone)
    nodes = backbone_consumers(cfg.model)
    assert nodes, 'no neck or head takes the backbone maps'
    for node in nodes:
        want = channels_for(node, channels)
        written = node['in_channels']
        got = list(written) if isinstance(written, (list, tuple)) else written
        assert got == want, (f'{path.relative_to(REPO)}: {node["type"]}.in_channels is '
                             f'{got!r}, the backbone gives {want!r}')


@pytest.mark.slow
def test_runner_from_plain_config_trains_with_the_safety_hooks(shapes_root, tmp_path):
    """A researcher's own script: ``Runner.from_cfg(Config.fromfile(path))``, nothing else."""
    from mmengine.runner import Runner

    from mmplugins.engine.hooks.finite_loss import FiniteLossHook
    from mmplugins.engine.hooks.rng_state import RNGStateHook
    cfg = Config.fromfile(str(REPO / 'configs/demo/upernet_swin-demo_shapes-ade20k.py'))
    cfg.train_dataloader.dataset.data_root = f'{shapes_root}/ade/ADEChallengeData2016'
    cfg.train_dataloader.update(num_workers=0, persistent_workers=False)
    cfg.train_cfg.update(max_iters=2, val_interval=2)
    cfg.val_cfg = cfg.val_dataloader = cfg.val_evaluator = None
    cfg.default_hooks.checkpoint.interval = 2
    cfg.visualizer.name = f'visualizer_{tmp_path.name}'
    cfg.work_dir = str(tmp_path)
    runner = Runner.from_cfg(cfg)
    hooks = {type(hook) for hook in runner.hooks}
    assert {FiniteLossHook, RNGStateHook} <= hooks
    runner.train()
    assert runner.iter == 2 and (tmp_path / 'iter_2.pth').is_file()
