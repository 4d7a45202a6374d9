"""Interrupted training: SIGKILL mid-run, --resume, same weights as an uninterrupted run; no
checkpoint is ever left half written."""
import os
import os.path as osp
import random
import signal
import subprocess
import sys
import time

import numpy as np
import pytest
import torch
import torch.nn as nn
from mmengine.model import BaseModel

from mmplugins.checkpoint_io import load_checkpoint_file

from conftest import REPO, tiny_config
from test_numerics import toy_runner

SEG = 'configs/demo/upernet_swin-demo_shapes-ade20k.py'
RNG_HOOK = dict(rng_state=dict(type='mmplugins.RNGStateHook'))


class Noisy(BaseModel):
    """A loss that draws from torch (dropout), NumPy and Python's ``random`` every step."""

    def __init__(self) -> None:
        super().__init__()
        self.lin = nn.Linear(3, 3)
        self.drop = nn.Dropout(0.5)

    def forward(self, inputs, data_samples=None, mode='tensor'):
        noise = float(np.random.rand()) + random.random()
        return dict(loss=self.drop(self.lin(inputs)).square().mean() * (1 + noise))


def _train(work_dir, iters: int, hooks: dict, resume_from: str = None,
           by_epoch: bool = False) -> dict:
    torch.manual_seed(0)  # the same initial weights in every run
    runner = toy_runner(Noisy(), work_dir, iters=iters, by_epoch=by_epoch,
                        randomness=dict(seed=0),
                        default_hooks=dict(hooks, checkpoint=dict(
                            type='CheckpointHook', interval=2, by_epoch=by_epoch)),
                        load_from=resume_from, resume=resume_from is not None)
    runner.train()
    return {k: v.clone() for k, v in runner.model.state_dict().items()}


@pytest.mark.parametrize('by_epoch', [False, True], ids=['iter_loop', 'epoch_loop'])
@pytest.mark.parametrize('hooks,same', [(RNG_HOOK, True), ({}, False)],
                         ids=['rng_state_hook', 'mmengine_reseeds'])
def test_resume_continues_random_streams(tmp_path, hooks, same, by_epoch):
    full = _train(tmp_path / 'full', 4, hooks, by_epoch=by_epoch)
    _train(tmp_path / 'part', 2, hooks, by_epoch=by_epoch)
    ckpt = tmp_path / 'part' / ('epoch_2.pth' if by_epoch else 'iter_2.pth')
    resumed = _train(tmp_path / 'part', 4, hooks, str(ckpt), by_epoch=by_epoch)
    equal = all(torch.equal(full[k], resumed[k]) for k in full)
    # without the hook mmengine re-seeds on resume: iterations 3-4 replay the draws of 1-2
    assert equal is same


def test_checkpoint_saved_with_rng_states(tmp_path):
    _train(tmp_path, 2, RNG_HOOK)
    ckpt = load_checkpoint_file(tmp_path / 'iter_2.pth')
    assert set(ckpt['rng_state']) >= {'python', 'numpy', 'torch'}


def test_validation_leaves_training_random_streams_untouched():
    from mmplugins.engine.hooks import RNGStateHook
    hook = RNGStateHook()
    torch.manual_seed(1)
    expected = torch.rand(3)
    torch.manual_seed(1)
    hook.before_val(None)
    torch.rand(5), np.random.rand(), random.random()  # what a validation may draw
    hook.after_val(None)
    assert torch.equal(torch.rand(3), expected)


def test_failed_save_keeps_previous_checkpoint_and_leaves_no_partial_file(tmp_path,
                                                                          monkeypatch):
    real_save = torch.save
    calls = []

    def failing_save(obj, f, *args, **kwargs):
        calls.append(1)
        if len(calls) == 2:  # the second checkpoint dies half-way through its bytes
            f.write(b'PK\x03\x04 half a zip archive')
            raise OSError('disk full (simulated)')
        return real_save(obj, f, *args, **kwargs)

    monkeypatch.setattr(torch, 'save', failing_save)
    runner = toy_runner(Noisy(), tmp_path, iters=4, default_hooks=dict(checkpoint=dict(
        type='CheckpointHook', interval=2, by_epoch=False, max_keep_ckpts=1)))
    with pytest.raises(OSError, match='disk full'):
        runner.train()
    files = sorted(f for f in os.listdir(tmp_path)
                   if not osp.isdir(tmp_path / f) and not f.endswith('.py'))  # dumped config
    # iter_2 is kept although max_keep_ckpts=1 (mmengine deletes the old one before saving),
    # no iter_4.pth and no temporary file remain, and the pointer still names iter_2
    assert files == ['iter_2.pth', 'last_checkpoint'], files
    assert (tmp_path / 'last_checkpoint').read_text() == str(tmp_path / 'iter_2.pth')
    ckpt = load_checkpoint_file(tmp_path / 'iter_2.pth')
    assert ckpt['meta']['iter'] == 2
    assert oct(os.stat(tmp_path / 'iter_2.pth').st_mode & 0o777) != '0o600'


def test_last_checkpoint_pointer_written_atomically(tmp_path):
    import mmengine.hooks.checkpoint_hook as checkpoint_hook
    pointer = tmp_path / 'last_checkpoint'
    pointer.write_text('old')
    with pytest.raises(RuntimeError):
        with checkpoint_hook.open(str(pointer), 'w') as f:
            f.write('half')
            raise RuntimeError('killed mid-write')
    assert pointer.read_text() == 'old' and os.listdir(tmp_path) == ['last_checkpoint']
    with checkpoint_hook.open(str(pointer), 'w') as f:
        f.write('new')
    assert pointer.read_text() == 'new' and os.listdir(tmp_path) == ['last_checkpoint']


STALL_HOOK = '''
import os
import time

from mmengine.hooks import Hook
from mmengine.registry import HOOKS


@HOOKS.register_module()
class StallHook(Hook):
    """Stalls iteration STALL_AT + 1 (after the checkpoint of STALL_AT) until killed."""

    def before_train_iter(self, runner, batch_idx, data_batch=None):
        if runner.iter == int(os.environ.get('STALL_AT', -1)):
            open(os.path.join(runner.work_dir, 'stalled'), 'w').close()
            time.sleep(300)
'''


@pytest.mark.slow
def test_sigkill_then_resume_ends_with_the_same_weights(shapes_root, tmp_path):
    (tmp_path / 'stall_hook.py').write_text(STALL_HOOK)
    extra = '''
randomness = dict(seed=0, deterministic=True)
custom_imports = dict(imports=['mmplugins', 'stall_hook'], allow_failed_imports=False)
custom_hooks = [dict(type='StallHook')]
default_hooks = dict(checkpoint=dict(interval=2))
val_dataloader = val_cfg = val_evaluator = None  # training only
'''
    # the demo UperNet with its random resize/crop/flip/photometric pipeline and drop path
    cfg = tiny_config(SEG, shapes_root, tmp_path, iters=4, extra=extra)
    ade = f'{shapes_root}/ade/ADEChallengeData2016'
    opts = ['--cfg-options', f'train_dataloader.dataset.data_root={ade}']
    env = dict(os.environ, OMP_NUM_THREADS='1',
               PYTHONPATH=os.pathsep.join([str(tmp_path), os.environ.get('PYTHONPATH', '')]))

    def train(work: str, *args: str, stall: int = -1) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, 'tools/train.py', cfg, '--work-dir', work,
                                 *args, *opts], cwd=REPO, env=dict(env, STALL_AT=str(stall)),
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    full = train(str(tmp_path / 'full'))
    work = tmp_path / 'killed'
    killed = train(str(work), stall=2)
    deadline = time.time() + 240
    while not (work / 'stalled').exists() and killed.poll() is None and time.time() < deadline:
        time.sleep(0.1)
    assert killed.poll() is None, killed.communicate()[0][-3000:]
    assert (work / 'iter_2.pth').exists() and not (work / 'iter_4.pth').exists()
    killed.send_signal(signal.SIGKILL)
    killed.wait()
    assert killed.returncode == -signal.SIGKILL
    resumed = train(str(work), '--resume')
    for proc in (full, resumed):
        out = proc.communicate(timeout=300)[0]
        assert proc.returncode == 0, out[-3000:]
    assert 'resumed epoch: 0, iter: 2' in out and 'Advance dataloader 2 steps' in out
    assert 'RNGStateHook: random states of the checkpoint' in out

    a = load_checkpoint_file(tmp_path / 'full' / 'iter_4.pth')
    b = load_checkpoint_file(work / 'iter_4.pth')
    assert b['meta']['iter'] == 4 and b['param_schedulers'] == a['param_schedulers']
    for key, value in a['state_dict'].items():
        assert torch.equal(value, b['state_dict'][key]), key
    for idx, state in a['optimizer']['state'].items():
        for name, value in state.items():
            assert torch.equal(value, b['optimizer']['state'][idx][name]), (idx, name)
