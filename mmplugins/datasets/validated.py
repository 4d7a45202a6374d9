"""mmdet/mmseg dataset classes that check their files (``type='mmplugins.CocoDataset'`` etc.).

Each is the library class plus :class:`ValidatedDatasetMixin`: at build time the annotation
json (or the image/label folder pair) goes through :mod:`.validation` and any error stops the
build with the file and entry named; handled irregularities are counted and logged once. At
load time every sample's files are checked from their headers before the pipeline decodes
them (truncated or unreadable files, sizes that differ from the json or from the image), and
the label maps the pipeline produces are checked against ``num_classes``.

The checks live in the dataset rather than in a pipeline transform so that they hold for every
config, including the many that replace the pipeline with stock ``LoadImageFromFile`` steps.
On clean data the data lists equal those of the stock classes.
"""
import logging
import os.path as osp
from typing import Callable, List, Optional

import mmcv
import numpy as np
from mmdet.datasets import CocoDataset as _MMDetCocoDataset
from mmdet.datasets import CocoPanopticDataset as _MMDetCocoPanopticDataset
from mmengine import fileio
from mmengine.logging import print_log
from mmseg.datasets import ADE20KDataset as _MMSegADE20KDataset
from mmseg.datasets import BaseSegDataset as _MMSegBaseSegDataset

from ..registry import DATASETS
from .validation import (DatasetError, Report, check_coco_instances, check_coco_panoptic,
                         check_image_label_pairs, check_label_values, check_sample_files,
                         classify_box, is_local, load_json)


def _api_from_dict(api_cls: type, dataset: dict) -> Callable[[str], object]:
    """A stand-in for ``COCOAPI(path)`` that indexes the json already loaded and checked, so
    a 450 MB COCO file is parsed once, not twice."""
    def build(_path: str):
        api = api_cls()  # pycocotools reads no file for None
        api.dataset = dataset
        api.createIndex()
        # mmdet's wrapper aliases these in __init__, i.e. to the empty index
        api.img_ann_map, api.cat_img_map = api.imgToAnns, api.catToImgs
        return api
    return build


class ValidatedDatasetMixin:
    """Build-time and load-time checks for an mmengine ``BaseDataset`` subclass.

    Args:
        check_files (bool): check that listed files exist (build time, local paths only) and
            read each sample's file headers before its pipeline (load time). Defaults to True.
    """

    #: seg_map_path holds class ids (semantic maps) rather than RGB-coded panoptic ids
    LABEL_MAPS = False

    def __init__(self, *args, check_files: bool = True, **kwargs) -> None:
        self.check_files = check_files
        #: the build-time findings (warnings only; errors raised) for tools and tests
        self.validation_report: Optional[Report] = None
        super().__init__(*args, **kwargs)

    # -- build time
    def _can_stat(self, path: str) -> bool:
        return self.check_files and is_local(path, self.backend_args)

    def _accept(self, report: Report) -> None:
        """Raise on errors, log each kind of warning once with its count."""
        self.validation_report = report
        report.raise_if_errors()
        for line in report.format_warnings():
            print_log(f'{type(self).__name__}: {line}', logger='current',
                      level=logging.WARNING)

    # -- load time
    def check_sample(self, idx: int, decode: bool = False) -> None:
        """Check the files of sample ``idx``; ``decode`` also decodes them (slow, for tools).

        Raises :class:`DatasetError` naming the file.
        """
        info = self.get_data_info(idx)
        img_bytes = fileio.get(info['img_path'], backend_args=self.backend_args)
        seg_path = info.get('seg_map_path')
        seg_bytes = fileio.get(seg_path, backend_args=self.backend_args) if seg_path else None
        expect = (info['height'], info['width']) if 'height' in info else None
        hw = check_sample_files(info['img_path'], img_bytes, seg_path, seg_bytes,
                                expect_hw=expect, expect_source=self.ann_file,
                                label_map=self.LABEL_MAPS)
        if decode:
            img = mmcv.imfrombytes(img_bytes)
            if img is None or img.shape[:2] != hw:
                raise DatasetError(f'{info["img_path"]}: OpenCV cannot decode the file '
                                   '(corrupt data)' if img is None else
                                   f'{info["img_path"]}: decodes to {img.shape[:2]}, the '
                                   f'header says {hw} (corrupt file)')
            self._check_decoded_labels(info)

    def _check_decoded_labels(self, info: dict) -> None:
        """Hook: check decoded label values (semantic segmentation)."""

    def _check_output(self, data: dict) -> None:
        """Hook: check what the pipeline produced."""

    def prepare_data(self, idx: int):
        if self.check_files:
            self.check_sample(idx)
        data = super().prepare_data(idx)
        if data is not None:
            self._check_output(data)
        return data


class _CocoValidationMixin(ValidatedDatasetMixin):
    """Shared by the instance and panoptic COCO datasets: one json load, checked first."""

    def _check_json(self, data: dict) -> Report:
        raise NotImplementedError

    def load_data_list(self) -> List[dict]:
        try:
            content = fileio.get(self.ann_file, backend_args=self.backend_args)
        except FileNotFoundError:
            raise DatasetError(f'annotation file {self.ann_file} does not exist; check data_root '
                               'and ann_file (python tools/make_shapes_dataset.py writes the '
                               'synthetic data)') from None
        data = load_json(self.ann_file, content)
        self._accept(self._check_json(data))
        self.COCOAPI = _api_from_dict(type(self).COCOAPI, data)
        try:
            return super().load_data_list()
        finally:
            del self.COCOAPI  # back to the class attribute

    def parse_data_info(self, raw_data_info: dict):
        """Clip boxes partly outside the image, drop those outside or degenerate (the checks
        counted and logged them), then parse as mmdet does."""
        img = raw_data_info['raw_img_info']
        kept = []
        for ann in raw_data_info['raw_ann_info']:
            kind, box = classify_box(ann['bbox'], ann['area'], img['width'], img['height'])
            if kind == 'clipped':
                ann = dict(ann, bbox=box)
            if kind in ('ok', 'clipped'):
                kept.append(ann)
        return super().parse_data_info(dict(raw_data_info, raw_ann_info=kept))

    def filter_data(self) -> List[dict]:
        data_list = super().filter_data()
        if not data_list and not self.test_mode:
            raise DatasetError(
                f'{self.ann_file}: no image is left for training after filter_cfg='
                f'{self.filter_cfg} (images without annotations of the metainfo classes '
                f'{tuple(self.metainfo["classes"])[:10]} or smaller than min_size are dropped)')
        return data_list


@DATASETS.register_module()
class CocoDataset(_CocoValidationMixin, _MMDetCocoDataset):
    """mmdet's ``CocoDataset`` with the checks of :func:`.validation.check_coco_instances`."""

    def _check_json(self, data: dict) -> Report:
        img_dir = self.data_prefix.get('img', '')
        return check_coco_instances(self.ann_file, data, img_dir, self.metainfo['classes'],
                                    test_mode=self.test_mode,
                                    check_files=self._can_stat(img_dir))


@DATASETS.register_module()
class CocoPanopticDataset(_CocoValidationMixin, _MMDetCocoPanopticDataset):
    """mmdet's ``CocoPanopticDataset`` with :func:`.validation.check_coco_panoptic`."""

    def _check_json(self, data: dict) -> Report:
        img_dir = self.data_prefix.get('img', '')
        return check_coco_panoptic(self.ann_file, data, img_dir, self.data_prefix.get('seg'),
                                   self.metainfo['classes'], test_mode=self.test_mode,
                                   check_files=self._can_stat(img_dir))


class _SegValidationMixin(ValidatedDatasetMixin):
    """Folder-pair checks for mmseg datasets and a class-id check of the produced maps."""
    LABEL_MAPS = True

    def load_data_list(self) -> List[dict]:
        img_dir = self.data_prefix.get('img_path', '')
        if self._can_stat(img_dir) and not osp.isdir(img_dir):
            raise DatasetError(f'image folder {img_dir} does not exist; check data_root and '
                               'data_prefix.img_path')
        data_list = super().load_data_list()
        self._accept(check_image_label_pairs(img_dir, data_list, self.img_suffix,
                                             check_files=self._can_stat(img_dir)))
        return data_list

    def _check_labels(self, seg_path: str, labels) -> None:
        check_label_values(seg_path, labels, len(self.metainfo['classes']), self.ignore_index,
                           self.reduce_zero_label)

    def _check_decoded_labels(self, info: dict) -> None:
        if not info.get('seg_map_path'):
            return
        from mmseg.datasets.transforms import LoadAnnotations  # the stock decoding
        results = LoadAnnotations(backend_args=self.backend_args)(dict(info))
        self._check_labels(info['seg_map_path'], results['gt_seg_map'])

    def _check_output(self, data: dict) -> None:
        samples = data.get('data_samples') if isinstance(data, dict) else None
        for sample in samples if isinstance(samples, list) else [samples]:
            if sample is not None and 'gt_sem_seg' in sample:
                labels = sample.gt_sem_seg.data
                labels = labels.numpy() if hasattr(labels, 'numpy') else np.asarray(labels)
                self._check_labels(sample.metainfo.get('seg_map_path', '?'), labels)


@DATASETS.register_module()
class BaseSegDataset(_SegValidationMixin, _MMSegBaseSegDataset):
    """mmseg's ``BaseSegDataset`` with folder, file-header and class-id checks."""


@DATASETS.register_module()
class ADE20KDataset(_SegValidationMixin, _MMSegADE20KDataset):
    """mmseg's ``ADE20KDataset`` with folder, file-header and class-id checks."""


__all__ = ['ValidatedDatasetMixin', 'CocoDataset', 'CocoPanopticDataset', 'BaseSegDataset',
           'ADE20KDataset']
