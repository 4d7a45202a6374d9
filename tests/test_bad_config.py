"""Bad configs and arguments: every error names the key and the accepted values or next step."""
import inspect

import pytest

from conftest import REPO
from mmplugins.apis import load_config
from mmplugins.apis.config import check_data_paths
from mmplugins.models.backbones.base import DenseBackbone
from mmplugins.registry import MODELS

DET = str(REPO / 'configs/demo/mask-rcnn_swin-demo_fpn_shapes-coco.py')
SEG = str(REPO / 'configs/demo/upernet_swin-demo_shapes-ade20k.py')
BACKBONES = sorted(name for name, cls in MODELS.module_dict.items()
                   if inspect.isclass(cls) and issubclass(cls, DenseBackbone))


def test_every_backbone_of_the_toolkit_is_listed():
    """The registry scan finds the backbones (a new one joins the lists below by itself)."""
    assert set(BACKBONES) >= {'HorNet', 'QSDTransformer', 'RMT', 'SwinTransformer', 'ViTCoMer'}


@pytest.mark.parametrize('name', BACKBONES)
def test_unknown_arch_lists_the_presets(name):
    cls = MODELS.get(name)
    with pytest.raises(KeyError) as info:
        MODELS.build(dict(type=f'mmplugins.{name}', arch='tinny'))
    message = str(info.value)
    assert f"{name}: unknown arch 'tinny'" in message
    assert all(repr(preset) in message for preset in cls.arch_zoo)


@pytest.mark.parametrize('name', BACKBONES)
@pytest.mark.parametrize('index', [7, -7])
def test_out_indices_outside_the_stages(name, index):
    cls = MODELS.get(name)
    with pytest.raises(ValueError, match=rf'{name}: out_indices entry {index} is outside the '
                                         r'\d stages \(accepted: 0\.\.\d or -\d\.\.-1\)'):
        cls(arch=next(iter(cls.arch_zoo)), out_indices=(0, index))


@pytest.mark.parametrize('name, kwargs, message', [
    ('SwinTransformer', dict(window_size=0), 'window_size must be a positive int, got 0'),
    ('SwinTransformer', dict(patch_size=0), 'patch_size must be a positive int, got 0'),
    ('ViTCoMer', dict(patch_size=14), 'patch_size must be 16, got 14'),
    ('ViTCoMer', dict(window_size=0), 'window_size must be a positive int, got 0'),
    ('ViTCoMer', dict(pretrain_size=200), 'pretrain_size 200 is not a multiple'),
    ('QSDTransformer', dict(time_steps=0), 'time_steps must be an int >= 1, got 0'),
    ('QSDTransformer', dict(bits=1), r'bits must be an int >= 2 \(weight bits\) or None'),
    ('QSDTransformer', dict(levels=0), 'levels must be an int >= 1'),
    ('HorNet', dict(frozen_stages=5), r'frozen_stages must be in -1\.\.4, got 5'),
])
def test_sizes_that_cannot_work_name_the_argument(name, kwargs, message):
    with pytest.raises(ValueError, match=f'{name}: {message}'):
        MODELS.get(name)(**kwargs)


def _child_config(tmp_path, text: str, base: str = DET) -> str:
    path = tmp_path / 'child.py'
    path.write_text(f'_base_ = [{base!r}]\n{text}\n')
    return str(path)


def test_misspelt_type_suggests_the_registered_name(tmp_path):
    config = _child_config(tmp_path, "model = dict(backbone=dict(type='mmplugins.SwinTransformr'))")
    with pytest.raises(KeyError) as info:
        load_config(config)
    message = str(info.value)
    assert "model.backbone.type='mmplugins.SwinTransformr' is not registered" in message
    assert "did you mean ['mmplugins.SwinTransformer'" in message


def test_misspelt_neck_and_dataset_types(tmp_path):
    config = _child_config(tmp_path, "model = dict(neck=dict(type='FPNN'))")
    with pytest.raises(KeyError, match=r"model\.neck\.type='FPNN' .* did you mean \['FPN'"):
        load_config(config)
    config = _child_config(tmp_path, "train_dataloader = dict(dataset=dict(type='CocoDatset'))")
    with pytest.raises(KeyError, match=r"train_dataloader\.dataset\.type='CocoDatset' is not "
                                       r"registered in 'mmdet' datasets; did you mean"):
        load_config(config)


def test_wrong_config_name_suggests_neighbours():
    with pytest.raises(FileNotFoundError,
                       match=r"did you mean one of \['upernet_swin-demo_shapes-ade20k\.py'"):
        load_config(str(REPO / 'configs/demo/upernet_swin-demo_shapes-ade20.py'))
    with pytest.raises(FileNotFoundError, match=r"the folder .*/configs/swinn' does not exist"):
        load_config(str(REPO / 'configs/swinn/upernet.py'))


def test_missing_base_file_names_the_file(tmp_path):
    missing = str(REPO / 'configs/swin/mask-rcnn_swin-t-p4-w7_fpn_1x_cocco.py')
    config = _child_config(tmp_path, '', base=missing)
    with pytest.raises(FileNotFoundError) as info:
        load_config(config)
    message = str(info.value)
    assert f'config {config!r} names a file that does not exist: {missing!r}' in message
    assert "did you mean one of ['mask-rcnn_swin-t-p4-w7_fpn_1x_coco.py'" in message


@pytest.mark.parametrize('config, key', [(DET, 'train_dataloader'), (SEG, 'val_dataloader')])
def test_no_data_at_the_path_says_where_data_goes(config, key, shapes_root, tmp_path):
    from mmplugins.apis import set_data_root
    nowhere = str(tmp_path / 'no_such_data')
    cfg = load_config(config)
    set_data_root(cfg, shapes_root)  # every other loader finds its data (as on a clean checkout)
    cfg[key].dataset.data_root = nowhere
    with pytest.raises(FileNotFoundError) as info:
        check_data_paths(cfg)
    message = str(info.value)
    assert f'{key}.dataset: {nowhere!r} does not exist' in message
    for step in ('make data', 'tools/make_shapes_dataset.py', 'data/coco/',
                 'data/ade/ADEChallengeData2016/', f'{key}.dataset.data_root=PATH'):
        assert step in message


def test_data_check_names_a_missing_annotation_file(shapes_root):
    from mmplugins.apis import set_data_root
    cfg = set_data_root(load_config(DET), shapes_root)
    check_data_paths(cfg, ('train', 'val', 'test'))  # the tiny shapes data is complete
    cfg.val_dataloader.dataset.ann_file = 'annotations/instances_val2071.json'
    with pytest.raises(FileNotFoundError, match=r'instances_val2071\.json\' does not exist'):
        check_data_paths(cfg)
    check_data_paths(cfg, ('train',))  # only the loaders asked for are checked
