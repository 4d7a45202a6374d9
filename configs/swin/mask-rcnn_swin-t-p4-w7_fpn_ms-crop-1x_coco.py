# Mask R-CNN + Swin-T, 1x with multi-scale + crop augmentation: the official Swin 1x
# (Swin-Transformer-Object-Detection configs/swin/mask_rcnn_swin_tiny_patch4_window7_mstrain_480-
# 800_adamw_1x_coco.py): drop path 0.1, 500-iteration warm-up of its schedule_1x, steps 8/11,
# AdamW 1e-4, wd 0.05, 2 images per GPU; trained with apex fp16 (add --amp). mmdet's own Swin-T
# 1x (mask-rcnn_swin-t-p4-w7_fpn_1x_coco.py here) is single-scale with drop path 0.2.
_base_ = [
    './mask-rcnn_swin-t-p4-w7_fpn_1x_coco.py', '../_base_/datasets/coco_ms-crop_pipeline.py'
]
train_dataloader = dict(dataset=dict(pipeline={{_base_.ms_crop_train_pipeline}}))
model = dict(backbone=dict(drop_path_rate=0.1))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.001, by_epoch=False, begin=0, end=500),
    dict(type='MultiStepLR', begin=0, end=12, by_epoch=True, milestones=[8, 11], gamma=0.1)
]
