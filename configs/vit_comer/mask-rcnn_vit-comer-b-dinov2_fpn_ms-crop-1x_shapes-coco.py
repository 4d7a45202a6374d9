# mask-rcnn_vit-comer-b-dinov2_fpn_ms-crop-1x_coco on the synthetic shapes data (python tools/make_shapes_dataset.py).
_base_ = ['./mask-rcnn_vit-comer-b-dinov2_fpn_ms-crop-1x_coco.py', '../_base_/datasets/shapes_coco_instance.py']
train_dataloader = {{_base_.shapes_train_dataloader}}
val_dataloader = {{_base_.shapes_val_dataloader}}
test_dataloader = val_dataloader
val_evaluator = {{_base_.shapes_val_evaluator}}
test_evaluator = val_evaluator
model = dict(
    backbone=dict(init_cfg=None),  # no ImageNet weights for the synthetic data
    roi_head=dict(bbox_head=dict(num_classes=5), mask_head=dict(num_classes=5)))
