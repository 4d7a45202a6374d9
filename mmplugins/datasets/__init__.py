"""Datasets of the toolkit: the synthetic shapes data in the COCO 2017 and ADE20K layouts.

The official mmdet/mmseg dataset classes read it unchanged; only the metainfo differs.
"""
from .shapes import (SHAPES_INSTANCE_METAINFO, SHAPES_PALETTE, SHAPES_PANOPTIC_METAINFO,
                     SHAPES_SEMANTIC_METAINFO, SHAPES_STUFF_CLASSES, SHAPES_THING_CLASSES,
                     generate_scene, generate_shapes_dataset, mask_to_bbox, mask_to_polygons,
                     shapes_root_ready)

__all__ = [
    'SHAPES_THING_CLASSES', 'SHAPES_STUFF_CLASSES', 'SHAPES_PALETTE', 'SHAPES_INSTANCE_METAINFO',
    'SHAPES_PANOPTIC_METAINFO', 'SHAPES_SEMANTIC_METAINFO', 'generate_scene',
    'generate_shapes_dataset', 'mask_to_bbox', 'mask_to_polygons', 'shapes_root_ready'
]
