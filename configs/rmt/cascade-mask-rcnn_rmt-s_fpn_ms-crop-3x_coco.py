# Cascade Mask R-CNN (4conv1fc heads, GIoU) + RMT-S, 3x multi-scale + crop (casrcnn_s_3x.py):
# AdamW 4e-4, wd 0.05, no decay on norms (norm_decay_mult=0 and 'norm' keys), drop path 0.15,
# 500-iteration warm-up, lr steps at epochs 27 and 33, 2 images per GPU. Paper used fp16: --amp.
_base_ = [
    '../_base_/models/cascade-mask-rcnn_fpn.py', '../_base_/datasets/coco_instance.py',
    '../_base_/datasets/coco_ms-crop_pipeline.py', '../_base_/schedules/schedule_3x.py',
    '../_base_/default_runtime_det.py'
]
train_dataloader = dict(batch_size=2,
                        dataset=dict(pipeline={{_base_.ms_crop_train_pipeline}}))
pretrained = 'checkpoints/rmt-small_in1k.pth'
model = dict(
    neck=dict(in_channels=[64, 128, 256, 512]),
    backbone=dict(
        _delete_=True,
        type='mmplugins.RMT',
        arch='small',
        drop_path_rate=0.15,
        out_indices=(0, 1, 2, 3),
        norm_cfg=dict(type='SyncBN', requires_grad=True),
        norm_eval=False,  # see mask-rcnn_rmt-t_fpn_1x_coco.py
        with_cp=False,
        init_cfg=dict(type='Pretrained', checkpoint=pretrained)))
optim_wrapper = dict(
    type='OptimWrapper',
    paramwise_cfg=dict(norm_decay_mult=0., custom_keys={
        'absolute_pos_embed': dict(decay_mult=0.),
        'relative_position_bias_table': dict(decay_mult=0.),
        'rpe_table': dict(decay_mult=0.),
        'norm': dict(decay_mult=0.)
    }),
    optimizer=dict(_delete_=True, type='AdamW', lr=0.0004, betas=(0.9, 0.999),
                   weight_decay=0.05))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.001, by_epoch=False, begin=0, end=500),
    dict(type='MultiStepLR', begin=0, end=36, by_epoch=True, milestones=[27, 33], gamma=0.1)
]
auto_scale_lr = dict(enable=False, base_batch_size=16)
