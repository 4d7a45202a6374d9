# COCO 2017 panoptic segmentation at the standard path data/coco/ (mmdet's pipeline).
_base_ = 'mmdet::_base_/datasets/coco_panoptic.py'
