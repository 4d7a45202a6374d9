# Cascade Mask R-CNN (4conv1fc heads, GIoU) + Swin-T, 3x multi-scale + crop, drop path 0.2.
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
auto_scale_lr = dict(enable=False, base_batch_size=16)
