# kmax-deeplab_r50_8xb8-lsj-150k_coco-panoptic on the synthetic shapes data
# (python tools/make_shapes_dataset.py): shapes paths and classes, 128 px batches.
_base_ = [
    './kmax-deeplab_r50_8xb8-lsj-150k_coco-panoptic.py',
    '../_base_/datasets/shapes_coco_panoptic.py'
]
train_dataloader = {{_base_.shapes_train_dataloader}}
val_dataloader = {{_base_.shapes_val_dataloader}}
test_dataloader = val_dataloader
val_evaluator = {{_base_.shapes_val_evaluator}}
test_evaluator = val_evaluator
model = dict(
    data_preprocessor=dict(batch_augments=[
        dict(type='BatchFixedSizePad', size={{_base_.shapes_image_scale}}, img_pad_value=0,
             pad_mask=True, mask_pad_value=0, pad_seg=True, seg_pad_value=255)
    ]),
    backbone=dict(init_cfg=None),  # no ImageNet weights for the synthetic data
    panoptic_head=dict(num_things_classes={{_base_.shapes_num_things_classes}},
                       num_stuff_classes={{_base_.shapes_num_stuff_classes}}),
    panoptic_fusion_head=dict(num_things_classes={{_base_.shapes_num_things_classes}},
                              num_stuff_classes={{_base_.shapes_num_stuff_classes}}))
