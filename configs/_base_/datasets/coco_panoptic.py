# COCO 2017 panoptic segmentation at the standard path data/coco/ (mmdet's pipeline).
_base_ = 'mmdet::_base_/datasets/coco_panoptic.py'
# The library's dataset class plus checks that stop a bad json, a missing or truncated file,
# a size mismatch or a class id outside the metainfo with the file and entry named (see
# mmplugins/datasets/validation.py; `python tools/check_dataset.py CONFIG` runs them alone).
dataset_type = 'mmplugins.CocoPanopticDataset'
train_dataloader = dict(dataset=dict(type=dataset_type))
val_dataloader = dict(dataset=dict(type=dataset_type))
test_dataloader = val_dataloader
