"""Checks of dataset files against what the models and metrics assume; failures name the file.

mmdet and mmseg read a COCO json or an ADE folder pair trustingly: a missing key is a bare
``KeyError``, a ``category_id`` outside the categories and a box outside its image are dropped
without a word, a label map of the wrong size or with a class id past ``num_classes`` reaches
the loss or the metric (which silently bins it away). The functions here look at the files
first and either accept them, or record a :class:`Problem` naming the file, the entry (image
id, annotation id, key) and what to do.

Two costs, two moments:

* build time (when the dataset is constructed): the json structure, keys, ids, categories,
  boxes, and that every listed file exists. One pass over the json the dataset loads anyway
  and a ``stat`` per file: a second or two for COCO train2017.
* load time (per sample, when the data loader asks for it): the image and label files
  themselves, from their headers without decoding (:func:`check_image_bytes`): empty,
  truncated or unreadable files, and sizes that differ from the json or from the image.

Errors stop the run (:class:`DatasetError`); warnings (boxes skipped or clipped, images
without annotations) are counted and logged once, with the first example, never dropped
silently. The module needs only numpy and Pillow, so ``tools/check_dataset.py`` and tests can
use it without building a model.
"""
import io
import json
import math
import os.path as osp
from collections import Counter
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

#: problems listed in an error message before "... and N more"
SHOW_FIRST = 10

#: EXIF orientations that turn the stored image by 90 degrees (OpenCV applies them on decode)
_TRANSPOSING_ORIENTATIONS = (5, 6, 7, 8)


class DatasetError(ValueError):
    """A dataset file that cannot be used as it is; the message names the file and the entry.

    ``report`` holds every problem found, when the error comes from a whole-file check.
    """

    def __init__(self, message: str, report: Optional['Report'] = None) -> None:
        super().__init__(message)
        self.report = report


@dataclass
class Problem:
    """One finding: ``kind`` groups alike findings, ``where`` names the entry in ``file``."""
    kind: str
    file: str
    where: str
    message: str
    fatal: bool = True

    def __str__(self) -> str:
        where = f' [{self.where}]' if self.where else ''
        return f'{self.file}{where}: {self.message}'


class Report:
    """The problems of one dataset source, split into errors and counted warnings."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: List[Problem] = []
        #: how many of each kind were found (warnings keep only their first example)
        self.counts: Counter = Counter()

    def error(self, kind: str, file: str, where: str, message: str) -> None:
        """Record a problem that makes the data unusable."""
        self.counts[kind] += 1
        self.problems.append(Problem(kind, file, where, message, fatal=True))

    def warn(self, kind: str, file: str, where: str, message: str) -> None:
        """Count a handled irregularity; the first of each kind is kept as the example."""
        if not self.counts[kind]:
            self.problems.append(Problem(kind, file, where, message, fatal=False))
        self.counts[kind] += 1

    @property
    def errors(self) -> List[Problem]:
        return [p for p in self.problems if p.fatal]

    @property
    def warnings(self) -> List[Problem]:
        return [p for p in self.problems if not p.fatal]

    def format_errors(self, limit: int = SHOW_FIRST) -> str:
        errors = self.errors
        lines = [f'{len(errors)} problem(s) in {self.source}:']
        lines += [f'  - {p}' for p in errors[:limit]]
        if len(errors) > limit:
            lines.append(f'  ... and {len(errors) - limit} more (tools/check_dataset.py lists '
                         'them all)')
        return '\n'.join(lines)

    def format_warnings(self) -> List[str]:
        """One line per warning kind: the count and the first example."""
        return [f'{self.counts[p.kind]} x {p.message} (first: {p.file} [{p.where}])'
                for p in self.warnings]

    def raise_if_errors(self, limit: int = SHOW_FIRST) -> None:
        if self.errors:
            raise DatasetError(self.format_errors(limit), report=self)


# ----------------------------------------------------------------------------------------------
# json files

def load_json(path: str, content: Optional[bytes] = None) -> dict:
    """Parse an annotation json; a syntax error or a non-object names the file and line."""
    try:
        if content is None:
            with open(path, 'rb') as f:
                content = f.read()
        data = json.loads(content)
    except FileNotFoundError:
        raise DatasetError(f'annotation file {path} does not exist') from None
    except json.JSONDecodeError as e:
        raise DatasetError(f'{path} is not valid json (line {e.lineno}, column {e.colno}: '
                           f'{e.msg}); was the file cut short?') from None
    if not isinstance(data, dict):
        raise DatasetError(f'{path} holds a json {type(data).__name__}, expected an object with '
                           "'images', 'annotations' and 'categories'")
    return data


def _missing(entry: dict, keys: Sequence[str]) -> List[str]:
    return [k for k in keys if k not in entry]


def _check_top_level(report: Report, path: str, data: dict, test_mode: bool) -> bool:
    """Required lists of a COCO file; False when the rest cannot be checked."""
    required = ['images', 'categories'] + ([] if test_mode else ['annotations'])
    ok = True
    for key in required:
        if key not in data:
            extra = ('' if key != 'annotations' else
                     " (only an image-info file for inference, used with test_mode=True, "
                     'may lack it)')
            report.error('missing_key', path, f'key {key!r}',
                         f"missing top-level key {key!r}{extra}; keys present: {sorted(data)}")
            ok = False
    for key in ('images', 'categories', 'annotations'):
        if key in data and not isinstance(data[key], list):
            report.error('bad_type', path, f'key {key!r}',
                         f'{key!r} must be a list, got {type(data[key]).__name__}')
            ok = False
    return ok


def _check_categories(report: Report, path: str, categories: List[dict],
                      classes: Sequence[str], keys: Sequence[str]) -> Dict[int, dict]:
    """Category entries by id; every metainfo class must name one of them."""
    cats: Dict[int, dict] = {}
    for i, cat in enumerate(categories):
        miss = _missing(cat, keys) if isinstance(cat, dict) else list(keys)
        if miss:
            report.error('missing_key', path, f'categories[{i}]',
                         f'category entry lacks key(s) {miss}')
            continue
        if cat['id'] in cats:
            report.error('duplicate_id', path, f'category id {cat["id"]}',
                         'category id appears twice')
        cats[cat['id']] = cat
    names = [c['name'] for c in cats.values()]
    for name in classes:
        if name not in names:
            report.error('unknown_class', path, f'class {name!r}',
                         f'metainfo class {name!r} is not a category of this file, so it could '
                         f'never be labelled; categories: {names[:20]}'
                         f'{" ..." if len(names) > 20 else ""}. Fix metainfo["classes"]')
    return cats


def is_local(path: str, backend_args: Optional[dict] = None) -> bool:
    """Existence can be checked with ``os.stat`` (not an URL, no remote file backend)."""
    backend = (backend_args or {}).get('backend', 'local')
    return backend == 'local' and '://' not in path


def _check_images(report: Report, path: str, images: List[dict], img_dir: str,
                  check_files: bool) -> Dict[int, dict]:
    """Image entries by id, with their keys, sizes and (when asked) files checked."""
    imgs: Dict[int, dict] = {}
    missing_files = []
    for i, img in enumerate(images):
        if not isinstance(img, dict):
            report.error('bad_type', path, f'images[{i}]', 'image entry is not an object')
            continue
        where = f'image id {img.get("id", "?")}' + (
            f' ({img["file_name"]})' if 'file_name' in img else f', images[{i}]')
        miss = _missing(img, ('id', 'file_name', 'width', 'height'))
        if miss:
            report.error('missing_key', path, where, f'image entry lacks key(s) {miss}')
            continue
        if img['id'] in imgs:
            report.error('duplicate_id', path, where, 'image id appears twice')
        w, h = img['width'], img['height']
        if not (isinstance(w, (int, float)) and isinstance(h, (int, float)) and w > 0 and h > 0):
            report.error('bad_size', path, where,
                         f'width/height must be positive numbers, got {w!r} x {h!r}')
            continue
        imgs[img['id']] = img
        if check_files:
            file = osp.join(img_dir, img['file_name'])
            if not osp.isfile(file):
                missing_files.append((where, file))
    for where, file in missing_files:
        report.error('missing_file', path, where,
                     f'image file {file} does not exist ({len(missing_files)} of '
                     f'{len(images)} listed images are missing; is data_prefix right?)')
    return imgs


def _annotation_list(report: Report, path: str, data: dict) -> Optional[list]:
    """The annotations to check; None for an image-info file (inference only) or an empty list
    (recorded as an error: training would learn nothing, COCO evaluation reports -1)."""
    if 'annotations' not in data:
        return None
    if not data['annotations']:
        report.error('no_annotations', path, "key 'annotations'",
                     "the 'annotations' list is empty: training would learn nothing and COCO "
                     'evaluation reports -1; for unlabelled images drop the key and use '
                     'test_mode=True')
        return None
    return data['annotations']


def _image_of(report: Report, path: str, where: str, imgs: Dict[int, dict],
              image_id) -> Optional[dict]:
    """The image an annotation belongs to; a dangling image_id is an error."""
    img = imgs.get(image_id)
    if img is None:
        report.error('unknown_image', path, where,
                     f'image_id {image_id!r} is not among the images of the file')
    return img


def _known_category(report: Report, path: str, where: str, cats: Dict[int, dict],
                    category_id) -> bool:
    """mmdet silently drops an annotation whose category_id is not a category: an error."""
    if category_id in cats:
        return True
    report.error('unknown_category', path, where,
                 f'category_id {category_id!r} is not among the categories of the file '
                 f'(ids {sorted(cats)[:20]})')
    return False


def classify_box(bbox, area, width: float, height: float
                 ) -> Tuple[str, Optional[List[float]]]:
    """How a COCO ``[x, y, w, h]`` box is used, and its box clipped to the image.

    ``'ok'``: inside; ``'clipped'``: partly outside, the returned box is cut at the image border
    (as detectron2 does; mmdet's Resize clips it later anyway, but only in pipelines that have
    one); ``'degenerate'``: w or h below one pixel or area <= 0; ``'outside'``: less than one
    pixel of the box lies inside the image. The last two are skipped (mmdet's own rule).
    """
    x, y, w, h = bbox
    if w < 1 or h < 1 or area <= 0:
        return 'degenerate', None
    x1, y1 = max(x, 0), max(y, 0)
    x2, y2 = min(x + w, width), min(y + h, height)
    if x2 - x1 < 1 or y2 - y1 < 1:
        return 'outside', None
    if (x1, y1, x2, y2) == (x, y, x + w, y + h):
        return 'ok', list(bbox)
    return 'clipped', [x1, y1, x2 - x1, y2 - y1]


_BOX_WARNINGS = {
    'clipped': 'box partly outside its image, clipped to the image',
    'outside': 'box (almost) entirely outside its image, skipped',
    'degenerate': 'box with width or height < 1 or area <= 0, skipped',
}


def _check_box(report: Report, path: str, where: str, bbox, area, img: dict) -> None:
    if (not isinstance(bbox, (list, tuple)) or len(bbox) != 4
            or not all(isinstance(v, (int, float)) and math.isfinite(v) for v in bbox)):
        report.error('bad_box', path, where, f'bbox must be 4 finite numbers [x, y, w, h], '
                     f'got {bbox!r}')
        return
    if not (isinstance(area, (int, float)) and math.isfinite(area)):
        report.error('bad_box', path, where, f'area must be a finite number, got {area!r}')
        return
    kind, _ = classify_box(bbox, area, img['width'], img['height'])
    if kind != 'ok':
        report.warn(f'box_{kind}', path, f'{where}, bbox {list(bbox)}, image '
                    f'{img["width"]}x{img["height"]}', _BOX_WARNINGS[kind])


def check_coco_instances(path: str, data: dict, img_dir: str, classes: Sequence[str],
                         test_mode: bool = False, check_files: bool = True) -> Report:
    """Check a COCO instances json (already parsed, ``data``) before mmdet indexes it.

    Errors: missing keys (top level, images, annotations, categories), duplicate ids,
    annotations of unknown images or of categories not in the file, malformed boxes, metainfo
    classes that are not categories, an empty ``annotations`` list, missing image files.
    Warnings (counted): boxes clipped or skipped, images without annotations.
    """
    report = Report(path)
    if not _check_top_level(report, path, data, test_mode):
        return report
    cats = _check_categories(report, path, data['categories'], classes, ('id', 'name'))
    imgs = _check_images(report, path, data['images'], img_dir, check_files)
    anns = _annotation_list(report, path, data)
    if anns is None:
        return report
    ann_ids = set()
    annotated = set()
    for i, ann in enumerate(anns):
        if not isinstance(ann, dict):
            report.error('bad_type', path, f'annotations[{i}]', 'annotation is not an object')
            continue
        where = (f'annotation id {ann["id"]}' if 'id' in ann else f'annotations[{i}]')
        miss = _missing(ann, ('id', 'image_id', 'category_id', 'bbox', 'area'))
        if miss:
            report.error('missing_key', path, where, f'annotation lacks key(s) {miss}')
            continue
        if ann['id'] in ann_ids:
            report.error('duplicate_id', path, where, 'annotation id appears twice')
        ann_ids.add(ann['id'])
        _known_category(report, path, where, cats, ann['category_id'])
        img = _image_of(report, path, where, imgs, ann['image_id'])
        if img is None:
            continue
        annotated.add(ann['image_id'])
        _check_box(report, path, where, ann['bbox'], ann['area'], img)
    for img_id, img in imgs.items():
        if img_id not in annotated:
            report.warn('no_instances', path, f'image id {img_id} ({img["file_name"]})',
                        'image without annotations (kept for testing; training drops it when '
                        'filter_cfg.filter_empty_gt=True)')
    return report


def check_coco_panoptic(path: str, data: dict, img_dir: str, seg_dir: Optional[str],
                        classes: Sequence[str], test_mode: bool = False,
                        check_files: bool = True) -> Report:
    """Check a COCO panoptic json (``data``) and its PNG folder before mmdet indexes it.

    Like :func:`check_coco_instances`, for the panoptic layout: each annotation is one image
    (``image_id``, ``file_name``, ``segments_info``), each segment has ``id``, ``category_id``,
    ``bbox`` and ``area``, categories need ``isthing``. mmdet finds the PNG of an image by its
    image file name with ``.png``, so that is the file whose existence is checked.
    """
    report = Report(path)
    if not _check_top_level(report, path, data, test_mode):
        return report
    cats = _check_categories(report, path, data['categories'], classes,
                             ('id', 'name', 'isthing'))
    imgs = _check_images(report, path, data['images'], img_dir, check_files)
    anns = _annotation_list(report, path, data)
    if anns is None:
        return report
    annotated = set()
    for i, ann in enumerate(anns):
        where = f'annotations[{i}]' + (f' (image id {ann["image_id"]})'
                                       if isinstance(ann, dict) and 'image_id' in ann else '')
        miss = _missing(ann, ('image_id', 'file_name', 'segments_info')) \
            if isinstance(ann, dict) else ['image_id', 'file_name', 'segments_info']
        if miss:
            report.error('missing_key', path, where, f'panoptic annotation lacks key(s) {miss}')
            continue
        img = _image_of(report, path, where, imgs, ann['image_id'])
        if img is None:
            continue
        annotated.add(ann['image_id'])
        if check_files and seg_dir is not None:
            png = osp.join(seg_dir, img['file_name'].replace('.jpg', '.png'))
            if not osp.isfile(png):
                report.error('missing_file', path, where, f'panoptic PNG {png} does not exist')
        for seg in ann['segments_info']:
            seg_where = f'{where}, segment id {seg.get("id", "?")}'
            miss = _missing(seg, ('id', 'category_id', 'bbox', 'area'))
            if miss:
                report.error('missing_key', path, seg_where, f'segment lacks key(s) {miss}')
                continue
            if not _known_category(report, path, seg_where, cats, seg['category_id']):
                continue
            _check_box(report, path, seg_where, seg['bbox'], seg['area'], img)
    for img_id, img in imgs.items():
        if img_id not in annotated:
            report.error('no_panoptic_annotation', path,
                         f'image id {img_id} ({img["file_name"]})',
                         'image has no panoptic annotation entry (no PNG to load)')
    return report


# ----------------------------------------------------------------------------------------------
# folder pairs (ADE20K layout)

def check_image_label_pairs(source: str, data_list: List[dict], img_suffix: str,
                            check_files: bool = True) -> Report:
    """Check an mmseg data list built from an image folder (and label folder).

    Errors: no image found at all (wrong folder or suffix), a label map that does not exist.
    """
    report = Report(source)
    if not data_list:
        report.error('no_images', source, '', f'no image ending in {img_suffix!r} found; check '
                     'data_root, data_prefix.img_path and img_suffix')
        return report
    if check_files:
        for info in data_list:
            seg = info.get('seg_map_path')
            if seg and not osp.isfile(seg):
                report.error('missing_file', seg, f'image {osp.basename(info["img_path"])}',
                             'label map of this image does not exist (check '
                             'data_prefix.seg_map_path and seg_map_suffix)')
    return report


# ----------------------------------------------------------------------------------------------
# files (load time)

def _jpeg_complete(content: bytes) -> bool:
    """A JPEG ends with an end-of-image marker after its last scan.

    Inside entropy-coded data 0xFF is always followed by 0x00 or a restart marker, so an
    ``FFD9`` after the last start-of-scan ``FFDA`` is the real end; trailing bytes after it
    (some cameras append some) are harmless, a cut-off file has none.
    """
    return content.rfind(b'\xff\xd9') > content.rfind(b'\xff\xda')


def _png_complete(content: bytes) -> bool:
    return content.rfind(b'IEND') > 0


def image_size_from_header(file: str, content: bytes, label_map: bool = False
                           ) -> Tuple[int, int]:
    """(height, width) of an encoded image as OpenCV will decode it, from the header only.

    Raises :class:`DatasetError` for an empty, truncated or unreadable file, and for a
    ``label_map`` that is not single-channel 8-bit (mmseg would squeeze an RGB map into a
    HxWx3 "label" or wrap 16-bit ids modulo 256). OpenCV turns JPEGs by their EXIF
    orientation, so a 90-degree orientation swaps the stored size.
    """
    from PIL import Image, UnidentifiedImageError
    if not content:
        raise DatasetError(f'{file}: the file is empty')
    if content[:3] == b'\xff\xd8\xff' and not _jpeg_complete(content):
        raise DatasetError(f'{file}: truncated JPEG (no end-of-image marker after the last '
                           'scan); OpenCV would fail on it or decode a partly grey image. '
                           'Re-copy or re-download the file')
    if content[:8] == b'\x89PNG\r\n\x1a\n' and not _png_complete(content):
        raise DatasetError(f'{file}: truncated PNG (no IEND chunk); re-copy or re-create it')
    try:
        with Image.open(io.BytesIO(content)) as im:
            w, h = im.size
            mode = im.mode
            if im.format == 'JPEG' and im.getexif().get(0x0112) in _TRANSPOSING_ORIENTATIONS:
                w, h = h, w
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as e:
        raise DatasetError(f'{file}: not a readable image (corrupt or unsupported format: '
                           f'{e})') from None
    if label_map and mode not in ('L', 'P'):
        raise DatasetError(f'{file}: label map has image mode {mode!r}; expected a '
                           'single-channel 8-bit PNG of class ids (mode L or P)')
    return h, w


def check_sample_files(img_path: str, img_bytes: bytes, seg_path: Optional[str] = None,
                       seg_bytes: Optional[bytes] = None,
                       expect_hw: Optional[Tuple[int, int]] = None,
                       expect_source: str = 'the annotation file',
                       label_map: bool = False) -> Tuple[int, int]:
    """Check one sample's image (and label map) files; returns the image (height, width).

    ``expect_hw`` is the size the annotations were made for (COCO ``height``/``width``); a
    label map must have the size of its image, pixel for pixel; ``label_map`` says the map
    holds class ids (semantic segmentation), not RGB-coded segment ids (panoptic).
    """
    hw = image_size_from_header(img_path, img_bytes)
    if expect_hw is not None and tuple(expect_hw) != hw:
        hint = (' (swapped: the JPEG has an EXIF orientation tag that turns it by 90 degrees '
                'when OpenCV decodes it; apply and strip the tag, or swap them in the json)'
                if tuple(expect_hw) == hw[::-1] else '')
        raise DatasetError(
            f'{img_path}: the image is {hw[1]}x{hw[0]} (width x height) but {expect_source} '
            f'says {expect_hw[1]}x{expect_hw[0]}{hint}; boxes and masks would be misplaced. '
            'Fix width/height in the json or the file')
    if seg_path is not None and seg_bytes is not None:
        seg_hw = image_size_from_header(seg_path, seg_bytes, label_map=label_map)
        if seg_hw != hw:
            raise DatasetError(
                f'{seg_path}: label map is {seg_hw[1]}x{seg_hw[0]} (width x height) but its '
                f'image {img_path} is {hw[1]}x{hw[0]}; every label pixel must match an image '
                'pixel (resize with nearest-neighbour or fix the pair)')
    return hw


def check_label_values(seg_path: str, labels: np.ndarray, num_classes: int,
                       ignore_index: int, reduce_zero_label: bool = False) -> None:
    """Class ids of a label map, as the model sees them, must be < num_classes or ignored.

    A larger id makes the loss index out of range and is silently dropped by the mIoU
    histogram, so the metric would be computed on a different set of pixels.
    """
    values = np.unique(np.asarray(labels))
    bad = values[(values >= num_classes) & (values != ignore_index)]
    if bad.size:
        raw = (f' (file values {(bad + 1).tolist()}, reduce_zero_label=True subtracts 1)'
               if reduce_zero_label else '')
        raise DatasetError(
            f'{seg_path}: label values {bad.tolist()}{raw} are outside the {num_classes} '
            f'classes 0..{num_classes - 1} of the metainfo and are not the ignore index '
            f'{ignore_index}; fix the label map or metainfo["classes"]')


__all__ = ['DatasetError', 'Problem', 'Report', 'load_json', 'classify_box', 'is_local',
           'check_coco_instances', 'check_coco_panoptic', 'check_image_label_pairs',
           'image_size_from_header', 'check_sample_files', 'check_label_values',
           'SHOW_FIRST']
