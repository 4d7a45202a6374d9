# `make demo`: UperNet with a narrow Swin (embed 32, depths 1-1-2-1, window 4) and narrow heads
# trained from scratch on the shapes data, sized to train in minutes on two CPU cores.
# Everything else is the Swin-T UperNet recipe it inherits.
_base_ = '../swin/upernet_swin-t-p4-w7_160k_shapes-ade20k.py'
norm_cfg = dict(type='BN', requires_grad=True)  # single process on CPU: plain batch norm
model = dict(
    backbone=dict(
        arch=dict(_delete_=True, embed_dims=32, depths=(1, 1, 2, 1), num_heads=(1, 2, 4, 8)),
        window_size=4,
        drop_path_rate=0.1),
    decode_head=dict(in_channels=[32, 64, 128, 256], channels=64, norm_cfg=norm_cfg),
    auxiliary_head=dict(in_channels=128, channels=32, norm_cfg=norm_cfg))
demo_input_size = (128, 128)
randomness = dict(seed=0)
max_iters = 1200
train_dataloader = dict(batch_size=8, num_workers=2, persistent_workers=True)
train_cfg = dict(type='IterBasedTrainLoop', max_iters=max_iters, val_interval=max_iters)
optim_wrapper = dict(optimizer=dict(lr=1e-3, foreach=True))
param_scheduler = [
    dict(type='LinearLR', start_factor=1e-3, by_epoch=False, begin=0, end=50),
    dict(type='PolyLR', eta_min=0.0, power=1.0, begin=50, end=max_iters, by_epoch=False)
]
default_hooks = dict(logger=dict(interval=20),
                     checkpoint=dict(by_epoch=False, interval=max_iters, max_keep_ckpts=1))
