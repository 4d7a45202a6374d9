"""The synthetic shapes dataset: determinism, annotation consistency, and that the official
mmdet/mmseg dataset classes read its COCO and ADE20K layouts unchanged."""
import io
import json
from contextlib import redirect_stdout
from pathlib import Path

import cv2
import numpy as np
import pytest
from pycocotools import mask as mask_utils

from mmplugins.datasets import (SHAPES_INSTANCE_METAINFO, SHAPES_PALETTE,
                                SHAPES_PANOPTIC_METAINFO, SHAPES_SEMANTIC_METAINFO,
                                SHAPES_STUFF_CLASSES, SHAPES_THING_CLASSES,
                                generate_shapes_dataset, mask_to_polygons, shapes_root_ready)
from mmplugins.datasets import shapes as shapes_mod

REPO = Path(__file__).resolve().parents[1]
ARGS = dict(num_train=6, num_val=3, size=(64, 80), seed=3)
NUM_THINGS = len(SHAPES_THING_CLASSES)


def _files(root: Path) -> dict:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob('*')) if p.is_file()}


def _scene(split: str, index: int, args: dict = ARGS) -> shapes_mod.ShapesScene:
    """Regenerate a scene directly from the library (the source of truth for masks)."""
    h, w = args['size']
    return shapes_mod.generate_scene(shapes_mod.scene_rng(args['seed'], split, index), h, w)


@pytest.fixture(scope='module')
def root(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp('shapes') / 'shapes'
    manifest = generate_shapes_dataset(out, **ARGS)
    assert manifest['up_to_date'] is False
    return out


def _load(path: Path) -> dict:
    return json.loads(path.read_text())


def test_metainfo():
    assert SHAPES_THING_CLASSES == ('circle', 'square', 'triangle', 'star', 'hexagon')
    assert SHAPES_STUFF_CLASSES == ('sky', 'grass', 'water')
    assert len(SHAPES_PALETTE) == 8 and len(set(SHAPES_PALETTE)) == 8
    assert SHAPES_INSTANCE_METAINFO['classes'] == SHAPES_THING_CLASSES
    assert len(SHAPES_INSTANCE_METAINFO['palette']) == 5
    assert SHAPES_PANOPTIC_METAINFO['classes'] == SHAPES_THING_CLASSES + SHAPES_STUFF_CLASSES
    assert SHAPES_PANOPTIC_METAINFO['thing_classes'] == SHAPES_THING_CLASSES
    assert SHAPES_PANOPTIC_METAINFO['stuff_classes'] == SHAPES_STUFF_CLASSES
    assert SHAPES_SEMANTIC_METAINFO['classes'] == SHAPES_THING_CLASSES + SHAPES_STUFF_CLASSES


def test_layout(root):
    coco, ade = root / 'coco', root / 'ade' / 'ADEChallengeData2016'
    for tag, num in (('train2017', 6), ('val2017', 3)):
        assert len(list((coco / tag).glob('*.jpg'))) == num
        assert len(list((coco / 'annotations' / f'panoptic_{tag}').glob('*.png'))) == num
        assert (coco / 'annotations' / f'instances_{tag}.json').is_file()
        assert (coco / 'annotations' / f'panoptic_{tag}.json').is_file()
    for folder, num in (('training', 6), ('validation', 3)):
        assert len(list((ade / 'images' / folder).glob('*.jpg'))) == num
        assert len(list((ade / 'annotations' / folder).glob('*.png'))) == num
    img = cv2.imread(str(next((coco / 'val2017').glob('*.jpg'))))
    assert img.shape == (64, 80, 3)
    assert shapes_root_ready(root)
    assert shapes_root_ready(root, num_train=6, tasks=['semantic'])
    assert not shapes_root_ready(root, num_train=7)


def test_deterministic(root, tmp_path):
    again = tmp_path / 'again'
    generate_shapes_dataset(again, **ARGS)
    assert _files(again) == _files(root)
    other = tmp_path / 'other'
    generate_shapes_dataset(other, **dict(ARGS, seed=4))
    a, b = _files(root), _files(other)
    assert a.keys() == b.keys()
    differing = [k for k in a if a[k] != b[k]]
    assert 'coco/annotations/instances_train2017.json' in differing
    assert sum(k.endswith('.jpg') for k in differing) == sum(k.endswith('.jpg') for k in a)


def test_instances_match_visible_masks(root):
    data = _load(root / 'coco' / 'annotations' / 'instances_train2017.json')
    assert [c['id'] for c in data['categories']] == [1, 2, 3, 4, 5]
    assert [c['name'] for c in data['categories']] == list(SHAPES_THING_CLASSES)
    anns_by_image = {}
    for ann in data['annotations']:
        anns_by_image.setdefault(ann['image_id'], []).append(ann)
    checked = 0
    for index, info in enumerate(data['images']):
        assert (info['height'], info['width']) == (64, 80)
        scene = _scene('train', index)
        anns = anns_by_image.get(info['id'], [])
        assert [a['category_id'] - 1 for a in anns] == scene.thing_labels
        union = np.zeros((64, 80), bool)
        for ann, mask in zip(anns, scene.thing_masks):
            assert not (union & mask).any(), 'visible masks must be disjoint'
            union |= mask
            assert ann['iscrowd'] == 0
            assert ann['area'] == int(mask.sum()) >= shapes_mod.MIN_VISIBLE_PIXELS
            ys, xs = np.nonzero(mask)
            assert ann['bbox'] == [xs.min(), ys.min(), xs.max() - xs.min() + 1,
                                   ys.max() - ys.min() + 1]
            assert ann['segmentation'] and all(len(p) >= 6 and len(p) % 2 == 0
                                               for p in ann['segmentation'])
            rle = mask_utils.merge(mask_utils.frPyObjects(ann['segmentation'], 64, 80))
            raster = mask_utils.decode(rle).astype(bool)
            iou = (raster & mask).sum() / (raster | mask).sum()
            if ann['area'] > 100:
                assert iou > 0.9, (info['id'], ann['id'], iou)
                checked += 1
    assert checked >= 5


def test_polygons_of_split_and_holed_masks():
    mask = np.zeros((40, 40), bool)
    mask[5:30, 5:30] = True
    mask[12:20, 12:20] = False  # a hole (an object painted later on top)
    mask[33:38, 2:12] = True  # a second part
    polys = mask_to_polygons(mask)
    assert len(polys) == 2
    raster = mask_utils.decode(mask_utils.merge(mask_utils.frPyObjects(polys, 40, 40)))
    raster = raster.astype(bool)
    assert not raster[14:18, 14:18].any(), 'the hole must stay open'
    assert (raster & mask).sum() / (raster | mask).sum() > 0.95
    single = np.zeros((5, 5), bool)
    single[2, 2] = True
    assert len(mask_to_polygons(single)) == 1  # a lone pixel still gives a valid polygon


def test_panoptic_png_matches_segments(root):
    data = _load(root / 'coco' / 'annotations' / 'panoptic_val2017.json')
    cats = {c['id']: c for c in data['categories']}
    assert [cats[i]['name'] for i in range(1, 9)] == list(SHAPES_THING_CLASSES +
                                                          SHAPES_STUFF_CLASSES)
    assert [cats[i]['isthing'] for i in range(1, 9)] == [1] * 5 + [0] * 3
    png_dir = root / 'coco' / 'annotations' / 'panoptic_val2017'
    ade_dir = root / 'ade' / 'ADEChallengeData2016' / 'annotations' / 'validation'
    for index, (img, ann) in enumerate(zip(data['images'], data['annotations'])):
        assert ann['image_id'] == img['id'] and ann['file_name'] == f'{img["id"]:012d}.png'
        assert img['file_name'] == f'{img["id"]:012d}.jpg'
        rgb = cv2.imread(str(png_dir / ann['file_name']))[..., ::-1].astype(np.int64)
        ids = rgb[..., 0] + 256 * rgb[..., 1] + 65536 * rgb[..., 2]
        segs = ann['segments_info']
        assert sorted(np.unique(ids).tolist()) == sorted(s['id'] for s in segs)
        assert 0 not in ids, 'every pixel belongs to a segment'
        stuff_cats = [s['category_id'] for s in segs if s['category_id'] > NUM_THINGS]
        assert len(stuff_cats) == len(set(stuff_cats)), 'one segment per stuff class'
        cat_map = np.zeros(ids.shape, np.int64)
        for s in segs:
            mask = ids == s['id']
            assert s['area'] == int(mask.sum()) and s['iscrowd'] == 0
            ys, xs = np.nonzero(mask)
            assert s['bbox'] == [xs.min(), ys.min(), xs.max() - xs.min() + 1,
                                 ys.max() - ys.min() + 1]
            cat_map[mask] = s['category_id']
        label = cv2.imread(str(ade_dir / f'ADE_val_{index + 1:08d}.png'), cv2.IMREAD_UNCHANGED)
        assert label.dtype == np.uint8 and label.ndim == 2
        assert label.min() >= 1 and label.max() <= 8
        np.testing.assert_array_equal(label, cat_map)
        scene = _scene('val', index)
        np.testing.assert_array_equal(label, scene.semantic_map())


def test_images_shared_between_layouts(root):
    coco = sorted((root / 'coco' / 'train2017').glob('*.jpg'))
    ade = sorted((root / 'ade' / 'ADEChallengeData2016' / 'images' / 'training').glob('*.jpg'))
    assert [p.read_bytes() for p in coco] == [p.read_bytes() for p in ade]
    decoded = cv2.imread(str(coco[0]))[..., ::-1].astype(np.int16)
    own = np.abs(decoded - _scene('train', 0).image.astype(np.int16)).mean()
    other = np.abs(decoded - _scene('train', 1).image.astype(np.int16)).mean()
    assert own < 12 and other > 2 * own  # the JPEG of its scene (pixel noise does not survive)


def test_untrained_prediction_scores_near_zero(root):
    from pycocotools.coco import COCO
    from pycocotools.cocoeval import COCOeval
    gt = COCO(str(root / 'coco' / 'annotations' / 'instances_train2017.json'))
    dets = [dict(image_id=i['id'], category_id=1, bbox=[0, 0, i['width'], i['height']],
                 score=1.0) for i in gt.dataset['images']]
    ev = COCOeval(gt, gt.loadRes(dets), 'bbox')
    with redirect_stdout(io.StringIO()):
        ev.evaluate(), ev.accumulate(), ev.summarize()
    assert 0 <= ev.stats[0] < 0.05
    # sanity check that the evaluation can score: the ground truth itself gives 1.0
    perfect = [dict(image_id=a['image_id'], category_id=a['category_id'], bbox=a['bbox'],
                    score=1.0) for a in gt.dataset['annotations']]
    ev = COCOeval(gt, gt.loadRes(perfect), 'bbox')
    with redirect_stdout(io.StringIO()):
        ev.evaluate(), ev.accumulate(), ev.summarize()
    assert ev.stats[0] > 0.99


def test_mmdet_coco_dataset_reads_instances(root):
    from mmcv.transforms import LoadImageFromFile
    from mmdet.datasets import CocoDataset
    from mmdet.datasets.transforms import LoadAnnotations
    data = _load(root / 'coco' / 'annotations' / 'instances_train2017.json')
    ds = CocoDataset(data_root=str(root / 'coco'),
                     ann_file='annotations/instances_train2017.json',
                     data_prefix=dict(img='train2017/'), metainfo=SHAPES_INSTANCE_METAINFO,
                     filter_cfg=None, pipeline=[])
    assert ds.metainfo['classes'] == SHAPES_THING_CLASSES
    assert len(ds) == 6
    assert sum(len(ds[i]['instances']) for i in range(len(ds))) == len(data['annotations'])
    item = ds[0]
    assert Path(item['img_path']).is_file()
    loaded = LoadAnnotations(with_bbox=True, with_mask=True, poly2mask=True)(
        LoadImageFromFile()(dict(item)))
    labels = [a['category_id'] - 1 for a in data['annotations']
              if a['image_id'] == item['img_id']]
    assert loaded['gt_bboxes_labels'].tolist() == labels
    assert loaded['gt_masks'].masks.shape[0] == len(labels)


def test_mmdet_coco_panoptic_dataset_reads_segments(root):
    from mmdet.datasets import CocoPanopticDataset
    ds = CocoPanopticDataset(data_root=str(root / 'coco'),
                             ann_file='annotations/panoptic_val2017.json',
                             data_prefix=dict(img='val2017/', seg='annotations/panoptic_val2017/'),
                             metainfo=SHAPES_PANOPTIC_METAINFO, filter_cfg=None, pipeline=[])
    assert len(ds) == 3
    item = ds[0]
    assert Path(item['img_path']).is_file() and Path(item['seg_map_path']).is_file()
    data = _load(root / 'coco' / 'annotations' / 'panoptic_val2017.json')
    segs = data['annotations'][0]['segments_info']
    assert [s['id'] for s in item['segments_info']] == [s['id'] for s in segs]
    # contiguous labels: things 0..4 then stuff 5..7, as the panoptic heads expect
    assert [s['category'] for s in item['segments_info']] == [s['category_id'] - 1 for s in segs]
    assert [s['is_thing'] for s in item['segments_info']] == [s['category_id'] <= NUM_THINGS
                                                              for s in segs]


def test_mmdet_load_panoptic_annotations(root, monkeypatch):
    """mmdet's LoadPanopticAnnotations turns the PNG + segments into the thing masks and the
    semantic map of the scene. Its __init__ imports ``panopticapi.utils.rgb2id`` (panopticapi is
    not in the pinned stack), so a stand-in module provides the one function it uses."""
    import importlib.util
    import sys
    import types
    from mmcv.transforms import LoadImageFromFile
    from mmdet.datasets import CocoPanopticDataset
    from mmdet.datasets.transforms import LoadPanopticAnnotations
    if importlib.util.find_spec('panopticapi') is None:
        utils = types.ModuleType('panopticapi.utils')
        utils.rgb2id = shapes_mod.rgb_to_id
        package = types.ModuleType('panopticapi')
        package.utils = utils
        monkeypatch.setitem(sys.modules, 'panopticapi', package)
        monkeypatch.setitem(sys.modules, 'panopticapi.utils', utils)
    ds = CocoPanopticDataset(data_root=str(root / 'coco'),
                             ann_file='annotations/panoptic_train2017.json',
                             data_prefix=dict(img='train2017/',
                                              seg='annotations/panoptic_train2017/'),
                             metainfo=SHAPES_PANOPTIC_METAINFO, filter_cfg=None,
                             pipeline=[LoadImageFromFile(), LoadPanopticAnnotations()])
    for index in range(2):
        results = ds[index]
        scene = _scene('train', index)
        np.testing.assert_array_equal(results['gt_seg_map'],
                                      scene.semantic_map().astype(np.int64) - 1)
        masks = results['gt_masks'].masks.astype(bool)
        assert len(masks) == len(scene.thing_masks)
        for got, want in zip(masks, scene.thing_masks):
            np.testing.assert_array_equal(got, want)
        assert results['gt_bboxes_labels'].tolist() == scene.thing_labels


def test_mmseg_dataset_reads_ade_layout(root):
    from mmseg.datasets import BaseSegDataset
    from mmseg.datasets.transforms import LoadAnnotations
    ds = BaseSegDataset(
        data_root=str(root / 'ade' / 'ADEChallengeData2016'),
        data_prefix=dict(img_path='images/validation', seg_map_path='annotations/validation'),
        img_suffix='.jpg', seg_map_suffix='.png', reduce_zero_label=True,
        metainfo=SHAPES_SEMANTIC_METAINFO, pipeline=[])
    assert len(ds) == 3
    assert ds.metainfo['classes'] == SHAPES_THING_CLASSES + SHAPES_STUFF_CLASSES
    item = ds[0]
    loaded = LoadAnnotations()(dict(item, seg_fields=[]))  # the flag comes from the dataset
    seg = loaded['gt_seg_map']
    raw = cv2.imread(item['seg_map_path'], cv2.IMREAD_UNCHANGED)
    np.testing.assert_array_equal(seg, raw.astype(np.int64) - 1)
    assert seg.min() >= 0 and seg.max() <= 7
    # mmseg's IoUMetric scores the reduced labels: perfect -> 100 on the classes present,
    # a constant prediction -> far lower
    import torch
    from mmseg.evaluation import IoUMetric
    scores = []
    for constant in (False, True):
        metric = IoUMetric(iou_metrics=['mIoU'])
        metric.dataset_meta = ds.metainfo
        for i in range(len(ds)):
            gt = LoadAnnotations()(dict(ds[i], seg_fields=[]))['gt_seg_map']
            pred = np.full_like(gt, 5) if constant else gt
            metric.process({}, [dict(pred_sem_seg=dict(data=torch.from_numpy(pred)[None]),
                                     gt_sem_seg=dict(data=torch.from_numpy(gt)[None]))])
        scores.append(metric.compute_metrics(metric.results)['mIoU'])
    assert scores[0] == 100.0 and scores[1] < 30, scores


def test_cli_up_to_date_and_summary(tmp_path):
    import runpy
    out = tmp_path / 'cli'
    argv = ['--out', str(out), '--num-train', '2', '--num-val', '1', '--size', '48', '40',
            '--tasks', 'instance', 'semantic', '--seed', '1']
    cli = runpy.run_path(str(REPO / 'tools' / 'make_shapes_dataset.py'))
    buf = io.StringIO()
    with redirect_stdout(buf):
        assert cli['main'](argv) == 0
    assert 'up to date' not in buf.getvalue()
    assert 'shapes: 2 train + 1 val images 48x40' in buf.getvalue()
    assert not (out / 'coco' / 'annotations' / 'panoptic_train2017.json').exists()
    stamp = {p: p.stat().st_mtime_ns for p in out.rglob('*')}
    buf = io.StringIO()
    with redirect_stdout(buf):
        assert cli['main'](argv) == 0
    assert 'up to date' in buf.getvalue()
    assert {p: p.stat().st_mtime_ns for p in out.rglob('*')} == stamp
    # a different argument regenerates
    buf = io.StringIO()
    with redirect_stdout(buf):
        assert cli['main'](argv[:-1] + ['2']) == 0
    assert 'up to date' not in buf.getvalue()
    assert json.loads((out / shapes_mod.MANIFEST_NAME).read_text())['args']['seed'] == 2


def test_partial_output_is_regenerated(tmp_path):
    out = tmp_path / 'partial'
    args = dict(num_train=2, num_val=1, size=32, seed=0, tasks=['semantic'])
    generate_shapes_dataset(out, **args)
    (out / shapes_mod.MANIFEST_NAME).unlink()  # as if interrupted before the end
    stale = out / 'ade' / 'ADEChallengeData2016' / 'images' / 'training' / 'stale.jpg'
    stale.write_bytes(b'')
    assert not shapes_root_ready(out)
    assert generate_shapes_dataset(out, **args)['up_to_date'] is False
    assert shapes_root_ready(out) and not stale.exists()
    # a missing image also makes the root incomplete
    next((out / 'ade' / 'ADEChallengeData2016' / 'images' / 'training').glob('*.jpg')).unlink()
    assert not shapes_root_ready(out)
    assert generate_shapes_dataset(out, **args)['up_to_date'] is False
    assert generate_shapes_dataset(out, **args)['up_to_date'] is True
    # no temporary folders are left next to the destination
    assert sorted(p.name for p in tmp_path.iterdir()) == ['partial']


def test_refuses_foreign_folder_and_bad_arguments(tmp_path):
    out = tmp_path / 'mine'
    out.mkdir()
    (out / 'notes.txt').write_text('keep me')
    with pytest.raises(FileExistsError, match='refusing to replace'):
        generate_shapes_dataset(out, num_train=1, num_val=1, size=32)
    assert (out / 'notes.txt').read_text() == 'keep me'
    with pytest.raises(ValueError, match='tasks must be'):
        generate_shapes_dataset(tmp_path / 'x', tasks=['detection'])
    with pytest.raises(ValueError, match='size must be'):
        generate_shapes_dataset(tmp_path / 'x', size=(8, 8))
    with pytest.raises(ValueError, match='min_objects'):
        generate_shapes_dataset(tmp_path / 'x', min_objects=3, max_objects=2)


def test_scene_statistics_are_varied():
    """Sizes, counts and classes vary; size says nothing about the class (a nearest-neighbour
    classifier on it stays near chance, 0.2) and colour only hints at it (classes overlap in
    hue, so colour and texture statistics alone get well below certainty)."""
    def instances(split, n):
        feats, labels, areas, counts, stuff = [], [], [], [], []
        for i in range(n):
            scene = shapes_mod.generate_scene(shapes_mod.scene_rng(0, split, i), 64, 64)
            counts.append(len(scene.thing_labels))
            stuff.append(len(np.unique(scene.stuff)))
            for label, mask in zip(scene.thing_labels, scene.thing_masks):
                pixels = scene.image[mask].astype(np.float64)
                feats.append(np.r_[pixels.mean(0), pixels.std(0)])
                labels.append(label)
                areas.append(mask.sum())
        return np.array(feats), np.array(labels), np.array(areas), counts, stuff

    x_train, y_train, a_train, counts, stuff = instances('train', 60)
    x_val, y_val, a_val, _, _ = instances('val', 30)
    assert min(counts) >= 1 and max(counts) <= 6 and len(set(counts)) >= 4
    assert set(stuff) == {1, 2, 3}
    assert set(y_train.tolist()) == set(range(NUM_THINGS))
    assert a_train.max() > 8 * a_train.min()

    def knn_accuracy(train, val, k=7):
        dist = ((val[:, None] - train[None]) ** 2).sum(-1)
        votes = y_train[np.argsort(dist, axis=1)[:, :k]]
        pred = np.array([np.bincount(v, minlength=NUM_THINGS).argmax() for v in votes])
        return (pred == y_val).mean()

    assert 0.3 < knn_accuracy(x_train, x_val) < 0.75
    assert knn_accuracy(np.log(a_train)[:, None], np.log(a_val)[:, None]) < 0.4
