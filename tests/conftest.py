"""Shared fixtures: a tiny shapes dataset and tiny training configs for end-to-end tests."""
import os
import os.path as osp
import textwrap
import uuid
from pathlib import Path

import pytest

# Tiny models are overhead-bound: one thread per process avoids oversubscribing the cores when
# tests start subprocesses (tools, torchrun) or data-loader workers.
os.environ.setdefault('OMP_NUM_THREADS', '1')
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope='session', autouse=True)
def read_metafiles_once():
    """Each metafile of mmdet/mmseg is parsed once per test session (see
    :func:`mmplugins.apis.metafiles_parsed_once`)."""
    from mmplugins.apis import metafiles_parsed_once
    with metafiles_parsed_once():
        yield


@pytest.fixture(scope='session')
def shapes_root(tmp_path_factory) -> str:
    """8 training and 4 validation images of 64x64 in every layout (COCO, panoptic, ADE)."""
    from mmplugins.datasets import generate_shapes_dataset
    root = tmp_path_factory.mktemp('shapes') / 'shapes'
    generate_shapes_dataset(out=root, num_train=8, num_val=4, size=64, seed=0)
    return str(root)


def tiny_config(base: str, shapes_root: str, out_dir: Path, iters: int = 2,
                extra: str = '') -> str:
    """Write a config that trains ``base`` for ``iters`` iterations on the tiny shapes data.

    ``base`` is a path relative to the repository; the data paths are moved to
    ``shapes_root``, batches hold 2 images and checkpoints are saved every ``iters``.
    """
    text = f'''
    _base_ = {str(REPO / base)!r}
    train_cfg = dict(_delete_=True, type='IterBasedTrainLoop', max_iters={iters},
                     val_interval={iters})
    val_cfg = dict(type='ValLoop')
    test_cfg = dict(type='TestLoop')
    param_scheduler = []
    train_dataloader = dict(batch_size=2, num_workers=0, persistent_workers=False,
                            sampler=dict(type='InfiniteSampler', shuffle=True))
    val_dataloader = dict(batch_size=2, num_workers=0, persistent_workers=False)
    test_dataloader = val_dataloader
    default_hooks = dict(logger=dict(interval=1),
                         checkpoint=dict(by_epoch=False, interval={iters}, max_keep_ckpts=3))
    log_processor = dict(by_epoch=False)
    # a name of its own: mmengine reuses a visualizer of the same name (and its save dir)
    # created by an earlier runner in this process
    visualizer = dict(name='visualizer_{uuid.uuid4().hex}')
    '''
    path = out_dir / f'tiny_{osp.basename(base)}'
    path.write_text(textwrap.dedent(text) + textwrap.dedent(extra))
    return str(path)


def load_tiny(config_path: str, shapes_root: str, work_dir: str, cfg_options: dict = None):
    """Load a tiny config (``cfg_options`` merged, e.g. a narrower backbone arch) with the data
    moved to ``shapes_root`` and the neck/head channels matched to the backbone the tiny
    config ends up with."""
    from mmplugins.apis import load_config, match_backbone_channels, set_data_root
    cfg = match_backbone_channels(load_config(config_path, cfg_options))
    set_data_root(cfg, shapes_root)
    cfg.work_dir = work_dir
    return cfg


def tiny_runner(base: str, shapes_root: str, tmp_path: Path, iters: int = 2, extra: str = '',
                cfg_options: dict = None, validate: bool = True):
    """A Runner that trains ``base`` for ``iters`` iterations on the tiny shapes data.

    ``extra`` is config text appended to the tiny config (e.g. a tiny backbone arch);
    ``cfg_options`` are merged last, as ``--cfg-options`` would be; ``validate=False`` drops
    the validation loop (the test loop stays).
    """
    from mmengine.runner import Runner
    config = tiny_config(base, shapes_root, tmp_path, iters=iters, extra=extra)
    cfg = load_tiny(config, shapes_root, str(tmp_path / 'work'), cfg_options)
    if not validate:
        for key in ('val_cfg', 'val_dataloader', 'val_evaluator'):
            cfg.pop(key, None)
    return Runner.from_cfg(cfg)


def train_tiny(base: str, shapes_root: str, tmp_path: Path, iters: int = 2, extra: str = '',
               cfg_options: dict = None):
    """Train ``base`` for ``iters`` iterations on the tiny shapes data (with validation);
    returns the Runner (arguments as :func:`tiny_runner`)."""
    runner = tiny_runner(base, shapes_root, tmp_path, iters, extra, cfg_options)
    runner.train()
    return runner
