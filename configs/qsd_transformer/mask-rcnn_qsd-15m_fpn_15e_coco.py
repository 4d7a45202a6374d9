# Mask R-CNN + QSD-Transformer-15M (4-bit weights, T=1, D=4) on COCO, as the official
# det/configs/q_sformer_mask_rcnn/mask-rcnn_qformer_fpn_1x_coco.py: AdamW 2e-4, wd 0.05 (none on
# norms), 15 epochs with steps at 8 and 11, L1 box losses, a (853, 512) resize then the DETR-style
# multi-scale + crop augmentation, 8 images per GPU (the official run used AMP: add --amp on GPUs).
# Differences, on purpose: stock FPN/RPN/RoI heads fed by the time-averaged backbone maps
# (the official spiking neck/heads average over T by patching mmdet core), and the TRUE strides
# of the four maps, 4/8/16/16 (the official config says 4/8/16/32).
# ImageNet weights: python tools/convert_checkpoint.py qsd 15M_1x4_w4a1t4_74_5.pth checkpoints/qsd-15m_in1k.pth
_base_ = [
    '../_base_/models/mask-rcnn_fpn.py', '../_base_/datasets/coco_instance.py',
    '../_base_/datasets/coco_ms-crop_pipeline.py', '../_base_/schedules/schedule_1x.py',
    '../_base_/default_runtime_det.py'
]
pretrained = 'checkpoints/qsd-15m_in1k.pth'
strides = [4, 8, 16, 16]
model = dict(
    backbone=dict(
        _delete_=True,
        type='mmplugins.QSDTransformer',
        arch='15m',
        bits=4,
        time_steps=1,
        out_indices=(1, 2, 3, 4),
        init_cfg=dict(type='Pretrained', checkpoint=pretrained)),
    neck=dict(in_channels=[64, 128, 256, 360], out_channels=256, num_outs=5),
    rpn_head=dict(
        anchor_generator=dict(strides=strides + [32]),
        loss_bbox=dict(_delete_=True, type='L1Loss', loss_weight=1.0)),
    roi_head=dict(
        bbox_roi_extractor=dict(featmap_strides=strides),
        mask_roi_extractor=dict(featmap_strides=strides),
        bbox_head=dict(loss_bbox=dict(_delete_=True, type='L1Loss', loss_weight=1.0))))
custom_hooks = [
    dict(type='mmplugins.SpikingResetHook'),
    dict(type='mmplugins.FiringRateHook', phases=('val', 'test')),
]
max_epochs = 15
train_cfg = dict(max_epochs=max_epochs)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.001, by_epoch=False, begin=0, end=1000),
    dict(type='MultiStepLR', begin=0, end=max_epochs, by_epoch=True, milestones=[8, 11],
         gamma=0.1)
]
optim_wrapper = dict(
    type='OptimWrapper',
    paramwise_cfg=dict(custom_keys={'norm': dict(decay_mult=0.), 'bn': dict(decay_mult=0.)}),
    optimizer=dict(_delete_=True, type='AdamW', lr=0.0002, eps=1e-8, betas=(0.9, 0.999),
                   weight_decay=0.05))
# the released pipeline resizes to (853, 512) before the flip and the multi-scale choice
train_pipeline = [
    dict(type='LoadImageFromFile', backend_args=None),
    dict(type='LoadAnnotations', with_bbox=True, with_mask=True),
    dict(type='Resize', scale=(853, 512), keep_ratio=True),
    dict(type='RandomFlip', prob=0.5),
    {{_base_.ms_crop_choice}},
    dict(type='PackDetInputs')
]
train_dataloader = dict(batch_size=8, num_workers=2, dataset=dict(pipeline=train_pipeline))
auto_scale_lr = dict(enable=False, base_batch_size=64)
