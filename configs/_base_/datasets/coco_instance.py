# COCO 2017 instance segmentation at the standard path data/coco/ (mmdet's pipeline).
_base_ = 'mmdet::_base_/datasets/coco_instance.py'
