# Cascade Mask R-CNN (4conv1fc heads, GIoU) + Swin-T, 3x multi-scale + crop, drop path 0.2, as the
# official SwinTransformer/Swin-Transformer-Object-Detection configs/swin/cascade_mask_rcnn_swin_
# tiny_patch4_window7_mstrain_480-800_giou_4conv1f_adamw_3x_coco.py (mmdet has no cascade Swin
# config): AdamW 1e-4, wd 0.05, 500-iteration warm-up of its schedule_1x base, steps 27/33.
_base_ = [
    '../_base_/models/cascade-mask-rcnn_fpn.py', '../_base_/datasets/coco_instance.py',
    '../_base_/datasets/coco_ms-crop_pipeline.py', '../_base_/schedules/schedule_3x.py',
    '../_base_/default_runtime_det.py'
]
train_dataloader = dict(dataset=dict(pipeline={{_base_.ms_crop_train_pipeline}}))
pretrained = 'checkpoints/swin-tiny_in1k.pth'
model = dict(
    neck=dict(in_channels=[96, 192, 384, 768]),
    backbone=dict(
        _delete_=True,
        type='mmplugins.SwinTransformer',
        arch='tiny',
        drop_path_rate=0.2,
        out_indices=(0, 1, 2, 3),
        init_cfg=dict(type='Pretrained', checkpoint=pretrained)))
optim_wrapper = dict(
    type='OptimWrapper',
    paramwise_cfg=dict(custom_keys={
        'absolute_pos_embed': dict(decay_mult=0.),
        'relative_position_bias_table': dict(decay_mult=0.),
        'norm': dict(decay_mult=0.)
    }),
    optimizer=dict(_delete_=True, type='AdamW', lr=0.0001, betas=(0.9, 0.999),
                   weight_decay=0.05))
# the official warm-up is 500 iterations (the toolkit's schedule_3x has mmdet's 1000)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.001, by_epoch=False, begin=0, end=500),
    dict(type='MultiStepLR', begin=0, end=36, by_epoch=True, milestones=[27, 33], gamma=0.1)
]
auto_scale_lr = dict(enable=False, base_batch_size=16)
