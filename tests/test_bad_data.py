"""Bad input data: each fault is handled or stopped with the file and the entry named.

Every test corrupts a private copy of a tiny shapes dataset (3 train / 2 val images of 48 px)
and builds the validating dataset classes the base configs use (``mmplugins.CocoDataset``,
``mmplugins.CocoPanopticDataset``, ``mmplugins.BaseSegDataset``).
"""
import json
import shutil
from pathlib import Path

import cv2
import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.registry import DATASETS, init_default_scope

import mmplugins  # noqa: F401  (registers the mmplugins scope)
from mmplugins.datasets import (SHAPES_INSTANCE_METAINFO, SHAPES_PANOPTIC_METAINFO,
                                SHAPES_SEMANTIC_METAINFO, DatasetError, generate_shapes_dataset)
from mmplugins.datasets.validation import classify_box

REPO = Path(__file__).resolve().parents[1]
DET_PIPE = [dict(type='LoadImageFromFile'), dict(type='LoadAnnotations', with_bbox=True,
                                                  with_mask=True), dict(type='PackDetInputs')]
PAN_PIPE = [dict(type='LoadImageFromFile'), dict(type='LoadPanopticAnnotations'),
            dict(type='PackDetInputs')]
SEG_PIPE = [dict(type='LoadImageFromFile'), dict(type='LoadAnnotations', reduce_zero_label=True),
            dict(type='PackSegInputs')]


@pytest.fixture(scope='module')
def clean_root(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp('bad_data') / 'shapes'
    generate_shapes_dataset(out=root, num_train=3, num_val=2, size=48, seed=0)
    return root


@pytest.fixture
def root(clean_root, tmp_path) -> Path:
    """A private copy to corrupt."""
    return Path(shutil.copytree(clean_root, tmp_path / 'shapes'))


def coco_cfg(root: Path, split: str = 'val', stock: bool = False, **kwargs) -> dict:
    cfg = dict(type='CocoDataset' if stock else 'mmplugins.CocoDataset',
               data_root=f'{root}/coco/', ann_file=f'annotations/instances_{split}2017.json',
               data_prefix=dict(img=f'{split}2017/'), metainfo=SHAPES_INSTANCE_METAINFO,
               pipeline=DET_PIPE, test_mode=split == 'val')
    if split == 'train':
        cfg['filter_cfg'] = dict(filter_empty_gt=True, min_size=32)
    return dict(cfg, **kwargs)


def panoptic_cfg(root: Path, stock: bool = False) -> dict:
    return dict(type='CocoPanopticDataset' if stock else 'mmplugins.CocoPanopticDataset',
                data_root=f'{root}/coco/', ann_file='annotations/panoptic_val2017.json',
                data_prefix=dict(img='val2017/', seg='annotations/panoptic_val2017/'),
                metainfo=SHAPES_PANOPTIC_METAINFO, pipeline=PAN_PIPE, test_mode=True)


def seg_cfg(root: Path, stock: bool = False) -> dict:
    return dict(type='BaseSegDataset' if stock else 'mmplugins.BaseSegDataset',
                data_root=f'{root}/ade/ADEChallengeData2016',
                data_prefix=dict(img_path='images/validation',
                                 seg_map_path='annotations/validation'),
                img_suffix='.jpg', seg_map_suffix='.png', reduce_zero_label=True,
                metainfo=SHAPES_SEMANTIC_METAINFO, pipeline=SEG_PIPE)


def build(cfg: dict):
    init_default_scope('mmdet' if 'Coco' in cfg['type'] else 'mmseg')
    return DATASETS.build(cfg)


def edit_json(path: Path, edit) -> dict:
    data = json.loads(path.read_text())
    edit(data)
    path.write_text(json.dumps(data))
    return data


def instances(root: Path, split: str = 'val') -> Path:
    return root / 'coco' / 'annotations' / f'instances_{split}2017.json'


def first_image(root: Path) -> Path:
    return sorted((root / 'coco' / 'val2017').glob('*.jpg'))[0]


def first_label(root: Path) -> Path:
    return sorted((root / 'ade' / 'ADEChallengeData2016' / 'annotations' / 'validation')
                  .glob('*.png'))[0]


# ----------------------------------------------------------------------------------------------
# clean data: same data as the stock classes, under both libraries' scopes

def ade_cfg(root: Path, stock: bool = False) -> dict:
    cfg = seg_cfg(root, stock)
    del cfg['metainfo']  # the 150 ADE classes
    return dict(cfg, type=cfg['type'].replace('BaseSegDataset', 'ADE20KDataset'))


@pytest.mark.parametrize('make_cfg', [coco_cfg, panoptic_cfg, seg_cfg, ade_cfg],
                         ids=['instance', 'panoptic', 'semantic', 'ade20k'])
def test_validated_datasets_equal_the_stock_ones_on_clean_data(clean_root, make_cfg):
    ours, stock = build(make_cfg(clean_root)), build(make_cfg(clean_root, stock=True))
    assert type(ours).__module__ == 'mmplugins.datasets.validated'
    assert len(ours) == len(stock) == 2
    assert [ours.get_data_info(i) for i in range(2)] == [stock.get_data_info(i) for i in range(2)]
    assert torch.equal(ours[1]['inputs'], stock[1]['inputs'])
    assert ours.validation_report.errors == []


def test_train_split_with_filter_equals_stock(clean_root):
    ours = build(coco_cfg(clean_root, 'train'))
    stock = build(coco_cfg(clean_root, 'train', stock=True))
    assert [ours.get_data_info(i) for i in range(len(ours))] == \
        [stock.get_data_info(i) for i in range(len(stock))]


@pytest.mark.parametrize('name', ['coco_instance', 'coco_panoptic', 'ade20k'])
def test_base_dataset_configs_use_the_validating_datasets(name):
    """Every model config inherits one of these (shapes variants through both files)."""
    base = REPO / 'configs' / '_base_' / 'datasets'
    real = Config.fromfile(str(base / f'{name}.py'))
    shapes = Config.fromfile(str(base / f'shapes_{name}.py'))
    for key in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        assert real[key].dataset.type == real.dataset_type, key
        assert real[key].dataset.data_root.startswith('data/')  # the real data keeps its keys
        assert shapes[f'shapes_{key}'].dataset.type == real.dataset_type.replace(
            'ADE20KDataset', 'BaseSegDataset')
    assert real.dataset_type.startswith('mmplugins.')


# ----------------------------------------------------------------------------------------------
# 1. corrupt or truncated files: stopped when the sample is loaded, naming the file

def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[:len(data) // 2])


@pytest.mark.parametrize('fault, message', [
    ('truncated_jpg', 'truncated JPEG'),
    ('garbage', 'not a readable image'),
    ('empty', 'the file is empty'),
])
def test_corrupt_image_is_named_when_loaded(root, fault, message):
    img = first_image(root)
    if fault == 'truncated_jpg':
        _truncate(img)
    else:
        img.write_bytes(b'' if fault == 'empty' else b'not an image at all' * 20)
    dataset = build(coco_cfg(root))  # header checks run per sample, not at build
    with pytest.raises(DatasetError, match=message) as err:
        dataset[0]
    assert img.name in str(err.value)
    dataset[1]  # the other sample still loads


def test_truncated_label_png_is_named_when_loaded(root):
    label = first_label(root)
    _truncate(label)
    with pytest.raises(DatasetError, match='truncated PNG') as err:
        build(seg_cfg(root))[0]
    assert label.name in str(err.value)


# ----------------------------------------------------------------------------------------------
# 2. grayscale and RGBA images: 3 channels reach the model

@pytest.mark.parametrize('kind', ['gray_jpg', 'rgba_png'])
def test_gray_and_rgba_images_load_as_three_channels(root, kind):
    img_path = first_image(root)
    bgr = cv2.imread(str(img_path))
    if kind == 'gray_jpg':
        cv2.imwrite(str(img_path), cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY))
        expect = np.repeat(cv2.imread(str(img_path), cv2.IMREAD_GRAYSCALE)[..., None], 3, 2)
    else:
        png = img_path.with_suffix('.png')
        cv2.imwrite(str(png), np.dstack([bgr, np.full(bgr.shape[:2], 90, np.uint8)]))
        img_path.unlink()
        edit_json(instances(root), lambda d: d['images'][0].update(file_name=png.name))
        expect = bgr  # the alpha channel is dropped, colours kept exactly (PNG is lossless)
    inputs = build(coco_cfg(root))[0]['inputs']
    assert inputs.shape == (3, 48, 48)
    assert np.array_equal(inputs.permute(1, 2, 0).numpy(), expect)


# ----------------------------------------------------------------------------------------------
# 3. an image smaller than the model's total stride (32): the model pads, nothing fails

def test_image_smaller_than_total_stride_trains_and_predicts(root):
    from mmdet.registry import MODELS

    from mmplugins.apis import match_backbone_channels
    img_path = first_image(root)
    cv2.imwrite(str(img_path), cv2.resize(cv2.imread(str(img_path)), (20, 20)))

    def shrink(d):
        d['images'][0].update(width=20, height=20)
        for ann in d['annotations']:
            if ann['image_id'] == d['images'][0]['id']:
                ann.update(bbox=[2.0, 3.0, 10.0, 12.0], area=100.0,
                           segmentation=[[2, 3, 12, 3, 12, 15, 2, 15]])
    edit_json(instances(root), shrink)
    pipeline = [dict(type='LoadImageFromFile'),
                dict(type='Resize', scale=(20, 20), keep_ratio=True),
                dict(type='LoadAnnotations', with_bbox=True, with_mask=True),
                dict(type='PackDetInputs')]  # the image reaches the model at 20x20
    data = build(coco_cfg(root, pipeline=pipeline))[0]
    assert data['inputs'].shape == (3, 20, 20)
    cfg = Config.fromfile(str(REPO / 'configs/swin/mask-rcnn_swin-t-p4-w7_fpn_1x_shapes-coco.py'))
    cfg.model.backbone.arch = dict(embed_dims=16, depths=(1, 1, 1, 1), num_heads=(1, 1, 2, 2))
    match_backbone_channels(cfg)  # the FPN follows the tiny backbone
    init_default_scope('mmdet')
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    batch = model.data_preprocessor(dict(inputs=[data['inputs']],
                                         data_samples=[data['data_samples']]), training=True)
    assert batch['inputs'].shape[-2:] == (32, 32)  # padded to the size divisor
    losses = model.loss(batch['inputs'], batch['data_samples'])
    total, log_vars = model.parse_losses(losses)
    assert torch.isfinite(total) and log_vars['loss_mask'] > 0
    model.eval()
    with torch.no_grad():
        pred = model.test_step(dict(inputs=[data['inputs']],
                                    data_samples=[data['data_samples']]))[0]
    boxes = pred.pred_instances.bboxes
    assert (boxes[:, 2] <= 20).all() and (boxes[:, 3] <= 20).all()  # back in image pixels


# ----------------------------------------------------------------------------------------------
# 4. missing keys: stopped at build time with the file, the entry and the key

def _drop(section: str, key: str):
    def edit(d):
        if section == 'top':
            del d[key]
        else:
            del d[section][0][key]
    return edit


@pytest.mark.parametrize('section, key, where', [
    ('top', 'images', "'images'"),
    ('top', 'categories', "'categories'"),
    ('top', 'annotations', "'annotations'"),
    ('annotations', 'bbox', 'annotation id'),
    ('annotations', 'category_id', 'annotation id'),
    ('annotations', 'image_id', 'annotation id'),
    ('images', 'width', 'image id'),
    ('images', 'height', 'image id'),
    ('images', 'file_name', 'image id'),
])
def test_missing_key_is_named_at_build(root, section, key, where):
    data = edit_json(instances(root, 'train'), _drop(section, key))
    with pytest.raises(DatasetError) as err:
        build(coco_cfg(root, 'train'))
    msg = str(err.value)
    assert 'instances_train2017.json' in msg and repr(key) in msg and where in msg
    if section != 'top':
        assert str(data[section][0]['id']) in msg


def test_image_info_file_without_annotations_is_fine_for_testing(root):
    edit_json(instances(root), lambda d: d.pop('annotations'))
    dataset = build(coco_cfg(root))  # test_mode=True: an inference-only image list
    assert len(dataset) == 2 and dataset.get_data_info(0)['instances'] == []


@pytest.mark.parametrize('fault, message', [
    ('cut', 'is not valid json'),
    ('segments_info', "lacks key(s) ['segments_info']"),
])
def test_broken_panoptic_json_is_named(root, fault, message):
    path = root / 'coco' / 'annotations' / 'panoptic_val2017.json'
    if fault == 'cut':
        _truncate(path)
    else:
        edit_json(path, lambda d: d['annotations'][0].pop('segments_info'))
    with pytest.raises(DatasetError, match=message.replace('(', r'\(').replace(')', r'\)')
                       .replace('[', r'\[').replace(']', r'\]')) as err:
        build(panoptic_cfg(root))
    assert 'panoptic_val2017.json' in str(err.value)


# ----------------------------------------------------------------------------------------------
# 5. boxes outside the image: partly outside clipped, fully outside / negative skipped, counted

def test_box_rules():
    assert classify_box([5, 5, 10, 10], 100, 48, 48) == ('ok', [5, 5, 10, 10])
    assert classify_box([-10, 40, 30, 20], 100, 48, 48) == ('clipped', [0, 40, 20, 8])
    assert classify_box([60, 5, 10, 10], 100, 48, 48)[0] == 'outside'
    assert classify_box([5, 5, -3, 10], 100, 48, 48)[0] == 'degenerate'
    assert classify_box([5, 5, 10, 10], 0, 48, 48)[0] == 'degenerate'


def test_boxes_outside_the_image_are_clipped_or_skipped_and_counted(root):
    def place(d):
        img = d['images'][0]
        anns = [a for a in d['annotations'] if a['image_id'] == img['id']]
        extra = [dict(a, id=10_000 + i) for i, a in enumerate(anns[:1] * 3)]
        extra[0]['bbox'] = [60.0, 5.0, 10.0, 10.0]     # fully outside the 48x48 image
        extra[1]['bbox'] = [-10.0, 40.0, 30.0, 20.0]   # partly outside
        extra[2]['bbox'] = [5.0, 5.0, -3.0, 10.0]      # negative width
        d['annotations'] += extra
        return len(anns)
    data = json.loads(instances(root).read_text())
    n_before = place(data)
    instances(root).write_text(json.dumps(data))
    dataset = build(coco_cfg(root))
    counts = dataset.validation_report.counts
    assert (counts['box_outside'], counts['box_clipped'], counts['box_degenerate']) == (1, 1, 1)
    boxes = [i['bbox'] for i in dataset.get_data_info(0)['instances']]
    assert len(boxes) == n_before + 1 and boxes[-1] == [0.0, 40.0, 20.0, 48.0]
    lines = dataset.validation_report.format_warnings()
    assert any('clipped' in line and 'annotation id 10001' in line for line in lines)


# ----------------------------------------------------------------------------------------------
# 6. empty annotation lists

def test_image_without_annotations_is_kept_for_testing_and_dropped_for_training(root):
    for split in ('val', 'train'):
        edit_json(instances(root, split), lambda d: d.update(annotations=[
            a for a in d['annotations'] if a['image_id'] != d['images'][0]['id']]))
    val, train = build(coco_cfg(root)), build(coco_cfg(root, 'train'))
    assert len(val) == 2 and val.get_data_info(0)['instances'] == []
    assert val.validation_report.counts['no_instances'] == 1
    assert len(train) == 2 and train.validation_report.counts['no_instances'] == 1
    assert val[0]['data_samples'].gt_instances.bboxes.shape == (0, 4)


def test_file_without_any_annotation_is_refused(root):
    edit_json(instances(root), lambda d: d.update(annotations=[]))
    with pytest.raises(DatasetError, match="'annotations' list is empty"):
        build(coco_cfg(root))


def test_training_set_emptied_by_the_filter_is_refused(root):
    metainfo = dict(classes=('circle',), palette=[(1, 2, 3)])
    edit_json(instances(root, 'train'), lambda d: d.update(annotations=[
        a for a in d['annotations'] if a['category_id'] != 1]))
    with pytest.raises(DatasetError, match='no image is left for training'):
        build(coco_cfg(root, 'train', metainfo=metainfo))


# ----------------------------------------------------------------------------------------------
# 7. a label PNG whose size differs from its image (and json sizes that differ from the file)

def test_label_map_of_another_size_is_named(root):
    label = first_label(root)
    cv2.imwrite(str(label), cv2.resize(cv2.imread(str(label), cv2.IMREAD_UNCHANGED), (40, 48),
                                       interpolation=cv2.INTER_NEAREST))
    with pytest.raises(DatasetError, match='label map is 40x48') as err:
        build(seg_cfg(root))[0]
    assert label.name in str(err.value) and label.stem + '.jpg' in str(err.value)


def test_rgb_label_map_is_refused(root):
    label = first_label(root)
    cv2.imwrite(str(label), cv2.cvtColor(cv2.imread(str(label), cv2.IMREAD_UNCHANGED),
                                         cv2.COLOR_GRAY2BGR))
    with pytest.raises(DatasetError, match="image mode 'RGB'"):
        build(seg_cfg(root))[0]


# ----------------------------------------------------------------------------------------------
# 8. class ids outside the metainfo

def test_unknown_category_id_is_named(root):
    data = edit_json(instances(root), lambda d: d['annotations'][1].update(category_id=99))
    with pytest.raises(DatasetError, match='category_id 99 is not among the categories') as err:
        build(coco_cfg(root))
    assert f'annotation id {data["annotations"][1]["id"]}' in str(err.value)


def test_metainfo_class_missing_from_the_json_is_named(clean_root):
    metainfo = dict(classes=('circle', 'sqare'), palette=[(1, 2, 3), (4, 5, 6)])
    with pytest.raises(DatasetError, match="metainfo class 'sqare' is not a category"):
        build(coco_cfg(clean_root, metainfo=metainfo))


@pytest.mark.parametrize('value, ok', [(9, False), (255, True)])
def test_label_value_past_num_classes_is_named(root, value, ok):
    label = first_label(root)
    seg = cv2.imread(str(label), cv2.IMREAD_UNCHANGED)
    seg[:4, :4] = value
    cv2.imwrite(str(label), seg)
    dataset = build(seg_cfg(root))
    if ok:  # 255 stays the ignore index
        assert dataset[0]['data_samples'].gt_sem_seg.data.max() == 255
        return
    with pytest.raises(DatasetError, match=r'label values \[8\] \(file values \[9\]') as err:
        dataset[0]
    assert label.name in str(err.value)


# ----------------------------------------------------------------------------------------------
# 9. listed but missing files; json sizes that differ from the file

@pytest.mark.parametrize('which, message', [
    ('image', 'image file .* does not exist'),
    ('label', 'label map of this image does not exist'),
])
def test_missing_file_is_named_at_build(root, which, message):
    path, make_cfg = (first_image(root), coco_cfg) if which == 'image' else \
        (first_label(root), seg_cfg)
    path.unlink()
    with pytest.raises(DatasetError, match=message) as err:
        build(make_cfg(root))
    assert path.name in str(err.value)


def test_json_size_differing_from_the_file_is_named(root):
    edit_json(instances(root), lambda d: d['images'][0].update(width=64))
    with pytest.raises(DatasetError, match='the image is 48x48 .* says 64x48') as err:
        build(coco_cfg(root))[0]
    assert first_image(root).name in str(err.value)


def test_exif_rotated_jpeg_is_measured_as_opencv_decodes_it(root):
    """OpenCV turns a JPEG by its EXIF orientation: a json with the stored size is wrong."""
    from PIL import Image
    img = first_image(root)
    stored = Image.open(img).convert('RGB').crop((0, 0, 40, 48))  # 40 wide, 48 high
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 degrees on display
    stored.save(img, exif=exif.tobytes())
    edit_json(instances(root), lambda d: d['images'][0].update(width=40, height=48))
    dataset = build(coco_cfg(root))
    with pytest.raises(DatasetError, match='says 40x48 .*swapped: the JPEG has an EXIF'):
        dataset[0]
    edit_json(instances(root), lambda d: d['images'][0].update(width=48, height=40))
    assert build(coco_cfg(root))[0]['inputs'].shape == (3, 40, 48)


# ----------------------------------------------------------------------------------------------
# the command a user runs before a long training

def test_check_dataset_tool_reports_and_fails(root, tmp_path, capsys):
    import importlib.util
    spec = importlib.util.spec_from_file_location('check_dataset',
                                                  REPO / 'tools' / 'check_dataset.py')
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    config = tmp_path / 'cfg.py'
    config.write_text(
        f"_base_ = {str(REPO / 'configs/swin/mask-rcnn_swin-t-p4-w7_fpn_1x_shapes-coco.py')!r}\n"
        f"train_dataloader = dict(dataset=dict(data_root='{root}/coco/'))\n"
        f"val_dataloader = dict(dataset=dict(data_root='{root}/coco/'))\n"
        'test_dataloader = val_dataloader\n')
    assert tool.main([str(config), '--decode']) == 0
    assert 'OK: no errors' in capsys.readouterr().out
    _truncate(first_image(root))
    edit_json(instances(root, 'train'), lambda d: d['annotations'][0].update(category_id=42))
    assert tool.main([str(config)]) == 1
    out = capsys.readouterr().out
    assert 'category_id 42' in out and first_image(root).name in out and 'FAILED' in out
