# COCO 2017 object detection (boxes only) at the standard path data/coco/ (mmdet's pipeline),
# with the toolkit's checked dataset class as in coco_instance.py.
_base_ = 'mmdet::_base_/datasets/coco_detection.py'
dataset_type = 'mmplugins.CocoDataset'
train_dataloader = dict(dataset=dict(type=dataset_type))
val_dataloader = dict(dataset=dict(type=dataset_type))
test_dataloader = val_dataloader
