"""Checkpoints that do not fit: every refusal names the file and the next step.

A file of another model, an official release file that was not converted, a truncated file and
a missing ``init_cfg`` file must stop ``init_weights`` instead of leaving the backbone at its
random initialisation (mmengine's own ``Pretrained`` loads with ``strict=False``).
"""
import re

import pytest
import torch

from mmplugins.models.backbones import RMT, HorNet, QSDTransformer, SwinTransformer
from mmplugins.models.utils import CheckpointMismatchError
from mmplugins.models.utils.checkpoint import guess_converter

import test_hornet
import test_qsd_transformer
import test_rmt
import test_swin
import test_vit_comer


def _swin():
    model = SwinTransformer(arch=test_swin.TINY)
    return model, test_swin.official_layout(model)


def _hornet():
    model = HorNet(test_hornet.TINY)
    return model, test_hornet._official_layout(model.state_dict())


def _rmt():
    return RMT(test_rmt.TINY), test_rmt._official_layout(test_rmt.TINY)


def _qsd():
    model = test_qsd_transformer._tiny()
    return model, test_qsd_transformer._to_official(model.state_dict())


def _vit_comer():
    model = test_vit_comer.tiny()
    return model, test_vit_comer._official_layout(model)


# (converter name, builder of (tiny model, synthetic official release state dict))
OFFICIAL = [('swin', _swin), ('hornet', _hornet), ('rmt', _rmt), ('qsd', _qsd),
            ('vit_comer', _vit_comer)]


def _pretrained(model: torch.nn.Module, path) -> torch.nn.Module:
    """``model`` set to load ``path`` in ``init_weights`` (as ``init_cfg`` in a config does)."""
    model.init_cfg = dict(type='Pretrained', checkpoint=str(path))
    return model


@pytest.mark.parametrize('family, build', OFFICIAL, ids=[f for f, _ in OFFICIAL])
def test_unconverted_official_file_is_refused_with_the_convert_command(family, build, tmp_path):
    from mmplugins.converters import convert
    torch.manual_seed(0)
    model, official = build()
    path = tmp_path / f'{family}_official.pth'
    torch.save({'model': official}, path)
    before = {k: v.clone() for k, v in model.state_dict().items()}
    with pytest.raises(CheckpointMismatchError) as info:
        _pretrained(model, path).init_weights()
    message = str(info.value)
    assert str(path) in message
    assert any(w in message for w in ('untrained', 'size mismatch', 'matches no key'))
    # refused before anything was copied in: no half-loaded backbone
    for key, value in model.state_dict().items():
        assert torch.equal(value, before[key]), key
    # the converter the message names is one that makes the file load
    named = re.search(r'tools/convert_checkpoint.py (\S+) ' + re.escape(str(path)), message)
    assert named, message
    assert named.group(1) == guess_converter(model, official)
    assert named.group(1) in ((family, 'deit') if family == 'vit_comer' else (family,))
    state = convert(named.group(1), official).state_dict
    converted = tmp_path / 'converted.pth'
    torch.save({'state_dict': state}, converted)
    _pretrained(model, converted).init_weights()
    state = {k[len('backbone.'):] if k.startswith('backbone.') else k: v
             for k, v in state.items()}
    loaded = [k for k, v in model.state_dict().items() if k in state]
    assert len(loaded) > len(before) // 2
    assert all(torch.equal(model.state_dict()[k], state[k]) for k in loaded)


def test_weights_of_another_model_are_refused(tmp_path):
    hornet = tmp_path / 'hornet.pth'
    torch.save({'state_dict': HorNet(test_hornet.TINY).state_dict()}, hornet)
    swin = SwinTransformer(arch=test_swin.TINY)
    with pytest.raises(CheckpointMismatchError) as info:
        _pretrained(swin, hornet).init_weights()
    message = str(info.value)
    assert 'SwinTransformer' in message and str(hornet) in message
    assert 'does not look like a checkpoint of SwinTransformer' in message


def test_a_converted_file_of_another_model_names_its_converter(tmp_path):
    from mmplugins.converters import convert
    model, official = _rmt()
    path = tmp_path / 'rmt_converted.pth'
    torch.save(dict(state_dict=convert('rmt', official).state_dict,
                    meta=dict(source='RMT-T.pth', converter='rmt')), path)
    swin = SwinTransformer(arch=test_swin.TINY)
    with pytest.raises(CheckpointMismatchError, match=r"written by the 'rmt' converter \(from "
                                                      r"'RMT-T.pth'\)"):
        _pretrained(swin, path).init_weights()
    _pretrained(model, path).init_weights()  # the model it was converted for takes it


def test_another_arch_of_the_same_model_reports_the_shapes(tmp_path):
    small = dict(test_swin.TINY, embed_dims=test_swin.TINY['embed_dims'] * 2)
    path = tmp_path / 'wide.pth'
    torch.save(SwinTransformer(arch=small).state_dict(), path)
    with pytest.raises(CheckpointMismatchError, match='size mismatch'):
        _pretrained(SwinTransformer(arch=test_swin.TINY), path).init_weights()


@pytest.mark.parametrize('cut', [0, 64, -200])
def test_truncated_or_empty_file_is_refused(cut, tmp_path):
    good = tmp_path / 'good.pth'
    torch.save(QSDTransformer(test_qsd_transformer.TINY).state_dict(), good)
    data = good.read_bytes()
    bad = tmp_path / 'bad.pth'
    bad.write_bytes(data[:cut] if cut else b'')
    with pytest.raises(CheckpointMismatchError, match=r'truncated or not a PyTorch checkpoint'):
        _pretrained(QSDTransformer(test_qsd_transformer.TINY), bad).init_weights()


def test_a_file_without_tensors_is_refused(tmp_path):
    path = tmp_path / 'meta_only.pth'
    torch.save({'meta': {'epoch': 3}, 'state_dict': {}}, path)
    with pytest.raises(CheckpointMismatchError, match='holds no tensor state dict'):
        _pretrained(test_vit_comer.tiny(), path).init_weights()


def test_missing_pretrained_file_says_how_to_get_it(tmp_path):
    path = tmp_path / 'checkpoints' / 'swin-tiny_in1k.pth'
    with pytest.raises(FileNotFoundError) as info:
        _pretrained(SwinTransformer(arch=test_swin.TINY), path).init_weights()
    message = str(info.value)
    assert str(path) in message and 'tools/convert_checkpoint.py' in message
    assert 'init_cfg=None' in message
