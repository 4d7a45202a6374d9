# kmax-deeplab_convnext-l_8xb8-lsj-150k_coco-panoptic on the synthetic shapes data
# (python tools/make_shapes_dataset.py): shapes paths and classes, 128 px batches.
_base_ = [
    './kmax-deeplab_convnext-l_8xb8-lsj-150k_coco-panoptic.py',
    '../_base_/datasets/shapes_coco_panoptic.py'
]
train_dataloader = {{_base_.shapes_train_dataloader}}
val_dataloader = {{_base_.shapes_val_dataloader}}
test_dataloader = val_dataloader
val_evaluator = {{_base_.shapes_val_evaluator}}
test_evaluator = val_evaluator
model = {{_base_.shapes_panoptic_model}}
