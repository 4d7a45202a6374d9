# UperNet + QSD-Transformer-15M on ADE20K (not in the official code, which uses Semantic FPN):
# the same backbone maps (stages 0, 1, 2, 4; strides 2/4/8/16) and optimizer as
# fpn_qsd-15m_160k_ade20k-512x512, mmseg's UperNet head with the FCN auxiliary head on stage 2.
_base_ = [
    '../_base_/models/upernet.py', '../_base_/datasets/ade20k.py',
    '../_base_/schedules/schedule_160k.py', '../_base_/default_runtime_seg.py'
]
crop_size = (512, 512)
pretrained = 'checkpoints/qsd-15m_in1k.pth'
model = dict(
    data_preprocessor=dict(size=crop_size),
    backbone=dict(
        _delete_=True,
        type='mmplugins.QSDTransformer',
        arch='15m',
        bits=4,
        time_steps=1,
        out_indices=(0, 1, 2, 4),
        init_cfg=dict(type='Pretrained', checkpoint=pretrained)),
    decode_head=dict(in_channels=[32, 64, 128, 360], num_classes=150),
    auxiliary_head=dict(in_channels=128, num_classes=150))
custom_hooks = [
    dict(type='mmplugins.SpikingResetHook'),
    dict(type='mmplugins.FiringRateHook', phases=('val', 'test')),
]
optim_wrapper = dict(
    _delete_=True,
    type='OptimWrapper',
    optimizer=dict(type='AdamW', lr=0.001, betas=(0.9, 0.999), weight_decay=0.005),
    paramwise_cfg=dict(custom_keys={'head': dict(lr_mult=2.)}))
param_scheduler = [
    dict(type='LinearLR', start_factor=1e-6, by_epoch=False, begin=0, end=1500),
    dict(type='PolyLR', eta_min=0.0, power=1.0, begin=1500, end=160000, by_epoch=False)
]
train_dataloader = dict(batch_size=16)
val_dataloader = dict(batch_size=1)
test_dataloader = val_dataloader
