"""Loading a checkpoint never runs code from it (docs/checkpoints.md, section 5).

A malicious pickle (unpickling it runs ``os.system``, which creates a marker file) is given to
every entry point: each converter, the strict backbone loader, ``Pretrained`` init (the
toolkit's and mmengine's), mmengine's URL loader, ``load_from`` through ``tools/train.py``,
``--resume`` and ``tools/test.py``. Each stops with :class:`UnsafeCheckpointError` naming the
file, the refused type and the opt-in, and the marker never appears; with the opt-in it does
(so the payload is real). Release containers of the six models load without the opt-in, every
converter reads and writes ``.safetensors``, and mmengine checkpoints of the toolkit load with
exactly the allowlisted types, each of them needed.
"""
import argparse
import functools
import importlib.util
import os
import random
import shlex
import subprocess
import sys
from collections import OrderedDict

import numpy as np
import pytest
import torch
from mmengine.runner import Runner

from mmplugins.checkpoint_io import (TRAINING_STATE_GLOBALS, TRUST_FLAG, UnsafeCheckpointError,
                                     load_checkpoint_file, save_state_dict,
                                     trusted_checkpoints)
from mmplugins.converters import available_converters, convert
from mmplugins.models.backbones import SwinTransformer
from mmplugins.models.utils import load_backbone_checkpoint, read_state_dict

import test_bad_checkpoint
import test_convnext
import test_kmax
import test_swin
import test_vit_comer
from conftest import REPO, tiny_config
from test_tools import SEG, data_options


class Payload:
    """Unpickling this runs ``os.system`` (as a malicious release file would); the command
    only creates ``marker``."""

    def __init__(self, marker) -> None:
        self.marker = str(marker)

    def __reduce__(self):
        return os.system, (f'touch {shlex.quote(self.marker)}',)


def malicious(path, marker, **content) -> str:
    """Save ``content`` plus a :class:`Payload` for ``marker`` to ``path``."""
    torch.save(dict(content, payload=Payload(marker)), path)
    return str(path)


def assert_refused(info: pytest.ExceptionInfo, path, marker) -> None:
    """The error names the file, the refused global and the opt-in; nothing ran."""
    message = str(info.value)
    assert str(path) in message and 'posix.system' in message and TRUST_FLAG in message
    assert not os.path.exists(marker)


@functools.lru_cache(maxsize=None)
def tool(name: str):
    """``tools/<name>.py`` as a module (its ``main(argv)`` runs in this process)."""
    spec = importlib.util.spec_from_file_location(f'weights_only_{name}',
                                                  REPO / 'tools' / f'{name}.py')
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_payload_runs_only_with_the_explicit_opt_in(tmp_path):
    marker = tmp_path / 'ran'
    path = malicious(tmp_path / 'evil.pth', marker, state_dict={'w': torch.ones(2)})
    with pytest.raises(UnsafeCheckpointError) as info:
        load_checkpoint_file(path)
    assert_refused(info, path, marker)
    assert info.value.name == 'posix.system' and info.value.path == path
    with trusted_checkpoints():
        assert load_checkpoint_file(path)['payload'] == 0  # os.system's exit status
    assert marker.exists()
    marker.unlink()
    with pytest.raises(UnsafeCheckpointError):  # the opt-in ended with its block
        load_checkpoint_file(path)
    load_checkpoint_file(path, trust=True)
    assert marker.exists()


# --------------------------------------------------------------------------- release files
def _args() -> argparse.Namespace:
    """The command-line args DeiT/ConvNeXt/MAE-style trainers store next to the weights."""
    return argparse.Namespace(model='tiny', lr=5e-4, epochs=300, drop_path=0.1, resume='')


def _optimizer() -> dict:
    return {'state': {0: {'step': torch.tensor(3.0), 'exp_avg': torch.zeros(2)}},
            'param_groups': [{'lr': 1e-3, 'betas': (0.9, 0.999), 'weight_decay': 0.05,
                              'params': [0]}]}


_SCALER = {'scale': 65536.0, 'growth_factor': 2.0, 'backoff_factor': 0.5,
           'growth_interval': 2000, '_growth_tracker': 0}


def _official(family: str) -> dict:
    """A tiny random state dict in the official layout of ``family``."""
    builders = dict(test_bad_checkpoint.OFFICIAL)
    if family in builders:
        return builders[family]()[1]
    if family == 'deit':
        return test_vit_comer._deit_layout(32, 4, 14)
    if family == 'dinov2':
        return test_vit_comer._dinov2_layout(32, 4)
    if family == 'convnext':  # the ImageNet file the kMaX ConvNeXt configs start from
        from mmplugins.models.backbones import ConvNeXt
        state = {test_convnext._to_released(k): v
                 for k, v in ConvNeXt(test_convnext.TINY).state_dict().items()}
        state.update({'norm.weight': torch.ones(32), 'norm.bias': torch.zeros(32),
                      'head.weight': torch.zeros(10, 32), 'head.bias': torch.zeros(10)})
        return state
    if family == 'qsd_model':  # a whole released QSD detector: backbone + spiking neck/heads
        state = {f'backbone.{k}': v for k, v in _official('qsd').items()}
        state.update({'neck.lateral_convs.0.1.module.conv.weight': torch.randn(4, 8, 1, 1),
                      'rpn_head.rpn_cls.1.module.bias': torch.randn(3)})
        return state
    from mmplugins.models.kmax import KMaXPanopticHead
    head = KMaXPanopticHead(test_kmax.IN_CHANNELS, num_things_classes=3, num_stuff_classes=2,
                            **test_kmax.TINY_HEAD)
    official = {test_kmax._to_official('panoptic_head.' + k): v
                for k, v in head.state_dict().items()}
    official.update({'backbone.stem.conv1.weight': torch.randn(4, 3, 7, 7),
                     'backbone.stem.conv1.norm.weight': torch.randn(4),
                     'pixel_mean': torch.zeros(3, 1, 1), 'pixel_std': torch.ones(3, 1, 1)})
    return official


def _container(family: str, state: dict):
    """``state`` wrapped as the family's release files are (what their trainers save)."""
    if family in ('swin', 'deit'):  # microsoft/Swin-Transformer, facebookresearch/deit
        return {'model': state}
    if family == 'dinov2':  # facebookresearch/dinov2 hub files: the bare state dict
        return state
    if family in ('hornet', 'convnext'):  # ConvNeXt's utils.save_model, with the EMA weights
        return {'model': state, 'model_ema': state, 'optimizer': _optimizer(), 'epoch': 299,
                'scaler': _SCALER, 'args': _args()}
    if family == 'rmt':  # DeiT-style main.py
        return {'model': state, 'model_ema': state, 'optimizer': _optimizer(),
                'lr_scheduler': {'decay_t': 300, 't_in_epochs': True, 'base_values': [5e-4]},
                'epoch': 299, 'scaler': _SCALER, 'args': _args()}
    if family == 'qsd_model':  # the released det/seg code: mmengine checkpoints
        return {'meta': dict(mmengine_version='0.8.4', epoch=15, iter=175905, seed=0),
                'state_dict': OrderedDict(state), 'optimizer': _optimizer()}
    if family.startswith('qsd'):  # MAE-style misc.save_model
        return {'model': state, 'optimizer': _optimizer(), 'epoch': 199, 'scaler': _SCALER,
                'args': _args()}
    if family == 'vit_comer':  # mmcv 1.x save_checkpoint (mmdet 2 / mmseg 0.x)
        meta = dict(env_info='sys.platform: linux', config='model = dict()', seed=0,
                    exp_name='upernet_vit_comer.py', mmcv_version='1.4.2', epoch=12,
                    iter=160000, CLASSES=('wall', 'building'), PALETTE=[[120, 120, 120]],
                    hook_msgs=dict(last_ckpt='iter_160000.pth', best_score=np.float64(46.1),
                                   best_ckpt='best_mIoU_iter_160000.pth'))
        return {'meta': meta, 'state_dict': OrderedDict(state), 'optimizer': _optimizer()}
    # kmax, kmax-seg: detectron2 Checkpointer
    return {'model': state, 'optimizer': _optimizer(), 'iteration': 149999,
            'scheduler': {'base_lrs': [5e-4], 'last_epoch': 149999}}


CONVERTERS = ['convnext', 'deit', 'dinov2', 'hornet', 'kmax', 'kmax-seg', 'qsd', 'qsd_model',
              'qsd_transformer', 'rmt', 'swin', 'vit_comer']
_FAMILY = {'kmax-seg': 'kmax', 'qsd_transformer': 'qsd'}


def test_every_converter_has_a_case():
    assert sorted(CONVERTERS) == sorted(available_converters())


def _assert_converted(path, name: str, expected: dict, source: str) -> None:
    saved = load_checkpoint_file(path)
    assert saved['meta']['converter'] == name and saved['meta']['source'] == source
    assert saved['state_dict'].keys() == expected.keys()
    for key, value in expected.items():
        assert torch.equal(saved['state_dict'][key], value), key


@pytest.mark.parametrize('name', CONVERTERS)
def test_converter_reads_release_containers_and_safetensors(name, tmp_path):
    from safetensors.torch import save_file
    official = _official(_FAMILY.get(name, name))
    expected = convert(name, official).state_dict
    main = tool('convert_checkpoint').main
    # the release container as its trainer saved it, read without the opt-in
    release = tmp_path / 'release.pth'
    torch.save(_container(_FAMILY.get(name, name), official), release)
    main([name, str(release), str(tmp_path / 'from_pth.safetensors')])
    _assert_converted(tmp_path / 'from_pth.safetensors', name, expected, 'release.pth')
    # safetensors in, safetensors and .pth out
    src = tmp_path / 'release.safetensors'
    save_file({k: v.contiguous().clone() for k, v in official.items()}, str(src))
    for out in ('out.safetensors', 'out.pth'):
        main([name, str(src), str(tmp_path / out)])
        _assert_converted(tmp_path / out, name, expected, 'release.safetensors')
    assert sorted(os.listdir(tmp_path)) == [  # no temporary file left behind
        'from_pth.safetensors', 'out.pth', 'out.safetensors', 'release.pth',
        'release.safetensors']


@pytest.mark.parametrize('name', CONVERTERS)
def test_converter_refuses_a_malicious_release_file(name, tmp_path):
    marker, dst = tmp_path / 'ran', tmp_path / 'out.safetensors'
    src = malicious(tmp_path / 'evil.pth', marker, model=_official(_FAMILY.get(name, name)))
    with pytest.raises(UnsafeCheckpointError) as info:
        tool('convert_checkpoint').main([name, src, str(dst)])
    assert_refused(info, src, marker)
    assert not dst.exists()


def test_converter_command_line_error_and_opt_in(tmp_path):
    marker, dst = tmp_path / 'ran', tmp_path / 'out.pth'
    src = malicious(tmp_path / 'evil.pth', marker, model=_official('swin'))
    proc = subprocess.run([sys.executable, 'tools/convert_checkpoint.py', 'swin', src, str(dst)],
                          cwd=REPO, capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0 and 'UnsafeCheckpointError' in proc.stderr
    assert src in proc.stderr and 'posix.system' in proc.stderr and TRUST_FLAG in proc.stderr
    assert not marker.exists() and not dst.exists() and 'saved' not in proc.stdout
    tool('convert_checkpoint').main(['swin', src, str(dst), TRUST_FLAG])  # a trusted file
    assert marker.exists() and dst.exists()


def test_numpy1_files_load_with_the_legacy_numpy_names(tmp_path):
    """Files written with NumPy 1 name ``numpy.core.multiarray``; release files of mmcv 1.x
    (ViT-CoMer) keep NumPy scalars in ``meta``, older training checkpoints NumPy arrays."""
    container = _container('vit_comer', _official('vit_comer'))
    container['meta']['history'] = np.arange(3.0)
    path = tmp_path / 'numpy1.pth'
    torch.save(container, path, _use_new_zipfile_serialization=False)  # one plain pickle
    data = path.read_bytes()
    assert data.count(b'numpy._core.multiarray\n') >= 2
    path.write_bytes(data.replace(b'numpy._core.multiarray\n', b'numpy.core.multiarray\n'))
    loaded = load_checkpoint_file(path)
    assert loaded['meta']['hook_msgs']['best_score'] == 46.1
    assert np.array_equal(loaded['meta']['history'], np.arange(3.0))
    assert convert('vit_comer', read_state_dict(str(path))).state_dict


# ----------------------------------------------------------------- pretrained, strict loader
def _mmengine_pretrained(module, path) -> None:
    from mmengine.model.weight_init import PretrainedInit
    PretrainedInit(checkpoint=path)(module)


def _backbone_init_cfg(module, path) -> None:
    module.init_cfg = dict(type='Pretrained', checkpoint=path)
    module.init_weights()


def _url(module, path) -> None:  # http(s)://, torchvision://, open-mmlab:// downloads
    from mmengine.runner.checkpoint import load_from_http
    load_from_http('file://' + path, model_dir=os.path.join(os.path.dirname(path), 'hub'))


LOADERS = {'strict_loader': load_backbone_checkpoint, 'backbone_init_cfg': _backbone_init_cfg,
           'mmengine_pretrained': _mmengine_pretrained, 'mmengine_url': _url}


@pytest.mark.parametrize('load', LOADERS.values(), ids=list(LOADERS))
def test_pretrained_loaders_refuse_a_malicious_file(load, tmp_path):
    model = SwinTransformer(arch=test_swin.TINY)
    before = {k: v.clone() for k, v in model.state_dict().items()}
    marker = tmp_path / 'ran'
    path = malicious(tmp_path / 'evil.pth', marker, state_dict=model.state_dict())
    with pytest.raises(UnsafeCheckpointError) as info:
        load(model, path)
    assert_refused(info, path, marker)
    assert all(torch.equal(v, before[k]) for k, v in model.state_dict().items())


@pytest.mark.parametrize('load', [_backbone_init_cfg, _mmengine_pretrained],
                         ids=['backbone_init_cfg', 'mmengine_pretrained'])
def test_safetensors_pretrained_file_loads_through_init_cfg(load, tmp_path):
    torch.manual_seed(0)
    source = SwinTransformer(arch=test_swin.TINY)
    path = str(tmp_path / 'swin.safetensors')
    save_state_dict(path, source.state_dict(), dict(converter='swin'))
    model = SwinTransformer(arch=test_swin.TINY)
    load(model, path)
    for key, value in source.state_dict().items():
        assert torch.equal(model.state_dict()[key], value), key


# ------------------------------------------------------------------------------ the tools
@pytest.fixture
def quick_config_dump(monkeypatch):
    """yapf-formatting the config (dumped and logged by the runner) is most of a tiny
    runner's start-up; these tests stop at the first load, so the raw text does."""
    from mmengine.config import Config
    monkeypatch.setattr(Config, 'pretty_text', property(lambda self: self.text))


def _tool_argv(kind: str, cfg: str, work: str, ckpt: str, shapes_root: str) -> list:
    data = data_options(shapes_root, seg=True)
    if kind == 'load_from':
        return [cfg, '--work-dir', work, '--cfg-options', f'load_from={ckpt}', *data]
    if kind == 'resume':
        return [cfg, '--work-dir', work, '--resume', ckpt, '--cfg-options', *data]
    return [cfg, ckpt, '--work-dir', work, '--cfg-options', *data]


@pytest.mark.parametrize('kind', ['load_from', 'resume', 'test'])
def test_tools_refuse_a_malicious_checkpoint(kind, shapes_root, tmp_path, quick_config_dump):
    cfg = tiny_config(SEG, shapes_root, tmp_path)
    marker = tmp_path / 'ran'
    path = malicious(tmp_path / 'evil.pth', marker, state_dict={}, meta=dict(epoch=0, iter=0))
    main = tool('test' if kind == 'test' else 'train').main
    with pytest.raises(UnsafeCheckpointError) as info:
        main(_tool_argv(kind, cfg, str(tmp_path / 'work'), path, shapes_root))
    assert_refused(info, path, marker)


@pytest.mark.parametrize('kind', ['load_from', 'test'])
def test_tools_opt_in_covers_their_own_run_only(kind, shapes_root, tmp_path, monkeypatch,
                                               quick_config_dump):
    # the run only loads its checkpoint (what train/test do first), so the payload may run
    monkeypatch.setattr(Runner, 'train' if kind == 'load_from' else 'test',
                        lambda self: self.load_or_resume())
    cfg = tiny_config(SEG, shapes_root, tmp_path)
    marker = tmp_path / 'ran'
    path = malicious(tmp_path / 'evil.pth', marker, state_dict={})
    main = tool('test' if kind == 'test' else 'train').main
    main(_tool_argv(kind, cfg, str(tmp_path / 'work'), path, shapes_root) + [TRUST_FLAG])
    assert marker.exists()
    with pytest.raises(UnsafeCheckpointError):
        load_checkpoint_file(path)


def test_resume_from_safetensors_says_what_to_do(shapes_root, tmp_path):
    path = tmp_path / 'weights.safetensors'
    save_state_dict(str(path), {'w': torch.ones(1)}, {})
    with pytest.raises(ValueError, match='holds weights only.*load_from='):
        tool('train').main([str(REPO / SEG), '--resume', str(path), '--cfg-options',
                            *data_options(shapes_root, seg=True)])


# --------------------------------------------------------- the toolkit's own checkpoints
def _toolkit_checkpoint(tmp_path) -> str:
    """A checkpoint of a short training with the message hub, schedulers and RNG states."""
    from test_resume import RNG_HOOK, Noisy
    from test_numerics import toy_runner
    random.seed(0)
    runner = toy_runner(Noisy(), tmp_path, iters=2, randomness=dict(seed=0),
                        param_scheduler=dict(type='MultiStepLR', milestones=[1]),
                        default_hooks=dict(RNG_HOOK, checkpoint=dict(
                            type='CheckpointHook', interval=2, by_epoch=False)))
    runner.train()
    return str(tmp_path / 'iter_2.pth')


def test_toolkit_checkpoints_need_exactly_the_allowlisted_types(tmp_path):
    path = _toolkit_checkpoint(tmp_path)
    ckpt = torch.load(path, map_location='cpu', weights_only=True)
    assert set(ckpt) >= {'meta', 'state_dict', 'optimizer', 'message_hub', 'rng_state'}
    registered = torch.serialization.get_safe_globals()
    # NumPy 1 aliases: exercised by test_numpy1_files_load_with_the_legacy_numpy_names
    current = [g for g in TRAINING_STATE_GLOBALS if not isinstance(g, tuple)]
    try:
        for left_out in current:
            torch.serialization.clear_safe_globals()
            torch.serialization.add_safe_globals([g for g in registered if g is not left_out])
            with pytest.raises(UnsafeCheckpointError):
                load_checkpoint_file(path)
    finally:
        torch.serialization.clear_safe_globals()
        torch.serialization.add_safe_globals(registered)
    load_checkpoint_file(path)
