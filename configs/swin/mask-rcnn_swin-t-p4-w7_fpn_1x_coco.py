# Mask R-CNN + Swin-T, 1x single-scale (mmdet's recipe): AdamW 1e-4, wd 0.05, no decay on norms
# and position tables, drop path 0.2. ImageNet weights: convert the official release with
#   python tools/convert_checkpoint.py swin swin_tiny_patch4_window7_224.pth checkpoints/swin-tiny_in1k.pth
_base_ = [
    '../_base_/models/mask-rcnn_fpn.py', '../_base_/datasets/coco_instance.py',
    '../_base_/schedules/schedule_1x.py', '../_base_/default_runtime_det.py'
]
pretrained = 'checkpoints/swin-tiny_in1k.pth'
model = dict(
    neck=dict(in_channels=[96, 192, 384, 768]),
    backbone=dict(
        _delete_=True,
        type='mmplugins.SwinTransformer',
        arch='tiny',
        drop_path_rate=0.2,
        out_indices=(0, 1, 2, 3),
        with_cp=False,
        init_cfg=dict(type='Pretrained', checkpoint=pretrained)))
max_epochs = 12
train_cfg = dict(max_epochs=max_epochs)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.001, by_epoch=False, begin=0, end=1000),
    dict(type='MultiStepLR', begin=0, end=max_epochs, by_epoch=True, milestones=[8, 11],
         gamma=0.1)
]
optim_wrapper = dict(
    type='OptimWrapper',
    paramwise_cfg=dict(custom_keys={
        'absolute_pos_embed': dict(decay_mult=0.),
        'relative_position_bias_table': dict(decay_mult=0.),
        'norm': dict(decay_mult=0.)
    }),
    optimizer=dict(_delete_=True, type='AdamW', lr=0.0001, betas=(0.9, 0.999),
                   weight_decay=0.05))
auto_scale_lr = dict(enable=False, base_batch_size=16)
