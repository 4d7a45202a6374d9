# RetinaNet + QSD-Transformer-15M spike-driven end to end, as the released
# det/configs/q_sformer_mask_rcnn/retina_qdt-t_fpn_1x_coco.py: [T, B, C, H, W] backbone maps
# (T=1) into SpikeFPN (its RetinaNet base neck: levels from stage 2 on, start_level=1, and two
# spiking stride-2 extra convs, the first on the last backbone map, add_extra_convs='on_input')
# and SpikeRetinaHead (binary LIF neurons, 4 stacked convs), focal + L1 losses, AdamW 2e-4
# (wd 0.05, none on norms), 36 epochs with the released schedule, DETR-style multi-scale +
# crop augmentation.
# Differences, on purpose: the TRUE strides 8/16/16/32/64 (the release says 8..128), and each
# head branch has its own LIF (the release runs one LIF over both, so the box branch starts
# from the membrane the class branch left).
_base_ = [
    '../_base_/models/retinanet_fpn.py', '../_base_/datasets/coco_instance.py',
    '../_base_/datasets/coco_ms-crop_pipeline.py', '../_base_/schedules/schedule_1x.py',
    '../_base_/default_runtime_det.py'
]
pretrained = 'checkpoints/qsd-15m_in1k.pth'
model = dict(
    backbone=dict(
        _delete_=True,
        type='mmplugins.QSDTransformer',
        arch='15m',
        bits=4,
        time_steps=1,
        keep_time=True,
        out_indices=(1, 2, 3, 4),
        init_cfg=dict(type='Pretrained', checkpoint=pretrained)),
    neck=dict(
        _delete_=True,
        type='mmplugins.SpikeFPN',
        in_channels=[64, 128, 256, 360],
        out_channels=256,
        start_level=1,
        add_extra_convs='on_input',
        num_outs=5),
    bbox_head=dict(
        type='mmplugins.SpikeRetinaHead',
        anchor_generator=dict(strides=[8, 16, 16, 32, 64]),
        loss_bbox=dict(_delete_=True, type='L1Loss', loss_weight=1.0)))
custom_hooks = [
    dict(type='mmplugins.SpikingResetHook'),
    dict(type='mmplugins.FiringRateHook', phases=('val', 'test')),
]
val_evaluator = dict(metric='bbox')
test_evaluator = val_evaluator
max_epochs = 36
train_cfg = dict(max_epochs=max_epochs)
# the released schedule: 4000 warm-up iterations, then a per-epoch linear factor from 0.01
param_scheduler = [
    dict(type='LinearLR', start_factor=0.001, by_epoch=False, begin=0, end=4000),
    dict(type='LinearLR', start_factor=0.01, by_epoch=True, begin=1, end=max_epochs),
]
optim_wrapper = dict(
    type='OptimWrapper',
    paramwise_cfg=dict(custom_keys={'norm': dict(decay_mult=0.), 'bn': dict(decay_mult=0.)}),
    optimizer=dict(_delete_=True, type='AdamW', lr=0.0002, betas=(0.9, 0.999),
                   weight_decay=0.05))
train_dataloader = dict(batch_size=8, num_workers=2,
                        dataset=dict(pipeline={{_base_.ms_crop_train_pipeline}}))
auto_scale_lr = dict(enable=False, base_batch_size=64)
