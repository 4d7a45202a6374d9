# Semantic FPN + QSD-Transformer-15M on ADE20K as the official
# seg/configs/q_sformer_seg/fpn_sdtv3_512x512_15M_ade20k.py: maps of stages 0, 1, 2, 4 (TRUE
# strides 2/4/8/16; the official base says 4/8/16/32), 128-channel neck and head, AdamW 1e-3,
# wd 5e-3, head lr x2, 1500-iteration linear warm-up then linear decay, 160k iterations,
# 16 images per GPU. Stock FPN / FPNHead on the time-averaged maps (the official QFPN/QFPNHead
# are spiking; its segmentor keeps only t=0 by patching mmseg core).
# ImageNet weights: python tools/convert_checkpoint.py qsd 15M_1x4_w4a1t4_74_5.pth checkpoints/qsd-15m_in1k.pth
_base_ = [
    '../_base_/models/fpn_seg.py', '../_base_/datasets/ade20k.py',
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
    neck=dict(in_channels=[32, 64, 128, 360], out_channels=128),
    decode_head=dict(in_channels=[128, 128, 128, 128], channels=128,
                     feature_strides=[2, 4, 8, 16], num_classes=150))
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
train_cfg = dict(type='IterBasedTrainLoop', max_iters=160000, val_interval=2500)
train_dataloader = dict(batch_size=16)
val_dataloader = dict(batch_size=1)
test_dataloader = val_dataloader
