"""Datasets of the toolkit: the synthetic shapes data in the COCO 2017 and ADE20K layouts, and
the validating dataset classes (``mmplugins.CocoDataset``, ``mmplugins.CocoPanopticDataset``,
``mmplugins.BaseSegDataset``, ``mmplugins.ADE20KDataset``) that every base config uses.

The official mmdet/mmseg dataset classes read the shapes data unchanged; only the metainfo
differs. ``shapes`` and ``validation`` need no torch or mm* package.
"""
from .shapes import (SHAPES_INSTANCE_METAINFO, SHAPES_PALETTE, SHAPES_PANOPTIC_METAINFO,
                     SHAPES_SEMANTIC_METAINFO, SHAPES_STUFF_CLASSES, SHAPES_THING_CLASSES,
                     generate_scene, generate_shapes_dataset, mask_to_bbox, mask_to_polygons,
                     shapes_root_ready)
from .validated import (ADE20KDataset, BaseSegDataset, CocoDataset, CocoPanopticDataset,
                        ValidatedDatasetMixin)
from .validation import DatasetError

__all__ = [
    'SHAPES_THING_CLASSES', 'SHAPES_STUFF_CLASSES', 'SHAPES_PALETTE', 'SHAPES_INSTANCE_METAINFO',
    'SHAPES_PANOPTIC_METAINFO', 'SHAPES_SEMANTIC_METAINFO', 'generate_scene',
    'generate_shapes_dataset', 'mask_to_bbox', 'mask_to_polygons', 'shapes_root_ready',
    'DatasetError', 'ValidatedDatasetMixin', 'CocoDataset', 'CocoPanopticDataset',
    'BaseSegDataset', 'ADE20KDataset'
]
