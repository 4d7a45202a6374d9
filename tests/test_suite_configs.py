"""Every config of the leaderboard suite (configs/leaderboard) is a plain config: it shares its
task's one schedule, keeps the safety hooks, names a real paper config and trains 2 iterations;
every model family has its rows."""
import json
import os.path as osp

import pytest
from mmengine.config import Config

from conftest import REPO, tiny_runner

SUITE_DIR = REPO / 'configs' / 'leaderboard'
SUITE_CONFIGS = sorted(p for p in SUITE_DIR.glob('*.py'))


def test_every_family_and_task_has_rows():
    rows = {p.stem for p in SUITE_CONFIGS}
    for task, families in {
            'mask-rcnn': ('swin', 'hornet-narrow-7x7', 'hornet-narrow-gf', 'rmt', 'vit-comer',
                          'qsd', 'r50'),
            'upernet': ('swin', 'hornet-narrow-7x7', 'hornet-narrow-gf', 'rmt', 'vit-comer',
                        'r50'),
            'kmax-deeplab': ('r50-narrow_suite_shapes-coco-panoptic',
                             'swin-narrow_suite_shapes-coco-panoptic',
                             'r50-narrow_suite_shapes-ade20k')}.items():
        for family in families:
            assert any(r.startswith(f'{task}_{family}') for r in rows), (task, family)
    assert any(r.startswith('fpn_qsd') for r in rows)
    assert any(r.startswith('mask2former_r50') for r in rows)
    assert any(r.startswith('panoptic-fpn_r50') for r in rows)


@pytest.mark.parametrize('path', SUITE_CONFIGS, ids=lambda p: p.stem)
def test_suite_config_is_plain_and_shares_its_task_schedule(path):
    cfg = Config.fromfile(str(path))
    schedule = Config.fromfile(str(SUITE_DIR / '_base_' / 'suite_schedule.py'))
    task = Config.fromfile(str(SUITE_DIR / '_base_' / f'task_{cfg.suite_task}.py'))
    assert cfg.suite_task in ('instance', 'semantic', 'panoptic')
    assert list(cfg.suite_seeds) == [0, 1]
    assert cfg.train_cfg.type == 'IterBasedTrainLoop'
    assert cfg.train_cfg.max_iters == schedule.suite_max_iters
    assert cfg.train_dataloader.batch_size == task.suite_batch_size
    assert cfg.optim_wrapper.optimizer == schedule.suite_optim_wrapper.optimizer
    assert 'paramwise_cfg' not in cfg.optim_wrapper  # the same optimizer for every row
    assert cfg.param_scheduler == schedule.suite_param_scheduler
    assert cfg.default_hooks.checkpoint.interval == 50
    for hook in ('finite_loss', 'rng_state'):
        assert cfg.default_hooks[hook].type.startswith('mmplugins.')
    assert 'data/shapes' in json.dumps(cfg.train_dataloader.dataset, default=str)
    # the full recipe's paper number, when the row names one, is in a metafile
    if cfg.paper_config:
        assert list(REPO.glob(f'configs/*/{cfg.paper_config}.py')), cfg.paper_config


@pytest.mark.parametrize('path', SUITE_CONFIGS, ids=lambda p: p.stem)
def test_suite_config_trains_two_iterations(path, shapes_root, tmp_path):
    runner = tiny_runner(str(path.relative_to(REPO)), shapes_root, tmp_path, iters=2,
                         validate=False)
    runner.train()
    assert runner.iter == 2
    assert osp.isfile(tmp_path / 'work' / 'iter_2.pth')
