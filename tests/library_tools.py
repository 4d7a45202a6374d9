"""Running the toolkit's configs through mmdet's and mmseg's own tools, as a user would.

Each run is a subprocess of the ``tools/train.py`` / ``tools/test.py`` that the mmdet or mmseg
wheel ships (``<package>/.mim/tools``), started in a scratch folder that holds only a ``data/``
link to the tiny shapes data: no toolkit tool, no ``PYTHONPATH``, no toolkit loader. The configs
reach the toolkit through their ``custom_imports``. Used by tests/test_library_tools_*.py,
which import the ``project`` and ``trained`` fixtures and define ``RUNS``.
"""
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Dict, List

import cv2
import pytest

REPO = Path(__file__).resolve().parents[1]
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


@pytest.fixture(scope='module')
def trained(request, project) -> Dict[str, Path]:
    """Checkpoints of every run in the test module's RUNS, trained (and validated) by the
    library's own train.py."""
    return train_runs(request.module.RUNS, project)


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


def train_runs(runs: Dict[str, tuple], project: Path) -> Dict[str, Path]:
    """Train (and validate) every ``name: (config, library, epoch_based, metric)`` of ``runs``
    with the library's train.py; returns the checkpoints."""
    checkpoints = {}
    for name, (config, library, epoch_based, metric) in runs.items():
        work_dir = project / 'work_dirs' / name
        output = run_tool(library, 'train.py', [
            str(REPO / config), '--work-dir', str(work_dir),
            '--cfg-options', *loader_options(epoch_based)], project)
        assert re.search(rf'{re.escape(metric)}: [0-9.]+', output), \
            f'{name}: no {metric} in the validation output:\n{output[-3000:]}'
        checkpoints[name] = Path((work_dir / 'last_checkpoint').read_text().strip())
        assert checkpoints[name].is_file()
    return checkpoints


def check_test_tool(run: tuple, checkpoint: Path, project: Path, name: str) -> None:
    """The library's test.py evaluates ``checkpoint`` and prints the run's metric."""
    config, library, epoch_based, metric = run
    output = run_tool(library, 'test.py', [
        str(REPO / config), str(checkpoint), '--work-dir', str(project / 'test' / name),
        '--cfg-options', *loader_options(epoch_based)], project)
    assert re.search(rf'{re.escape(metric)}: [0-9.]+', output), output[-3000:]


def check_inferencer(run: tuple, checkpoint: Path, project: Path, shapes_root: str,
                     name: str) -> None:
    """DetInferencer (instance, panoptic) or MMSegInferencer (semantic) on the toolkit's
    config and checkpoint write one overlay per image, at the image's size."""
    from mmplugins.apis.inference import draw_predictions
    config, library, *_ = run
    images = Path(shapes_root) / ('coco/val2017' if library == 'mmdet'
                                  else 'ade/ADEChallengeData2016/images/validation')
    inputs = sorted(images.iterdir())[:2]
    cwd = os.getcwd()
    os.chdir(project)  # the config's relative data paths, as for a user in their project
    try:
        written = draw_predictions(str(REPO / config), str(checkpoint),
                                   [str(p) for p in inputs], str(project / 'vis' / name))
    finally:
        os.chdir(cwd)
    assert [Path(p).name for p in written] == [p.name for p in inputs]
    for image, picture in zip(inputs, written):
        assert cv2.imread(picture).shape == cv2.imread(str(image)).shape
