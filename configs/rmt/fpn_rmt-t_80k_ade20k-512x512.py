# Semantic FPN + RMT-T on ADE20K, 80k iterations at 512x512 (qhfan/RMT segmentation/configs/
# RMT/RMT_FPN_t_1x.py; "1x" there means 80k): AdamW 1e-4, wd 1e-4, poly (power 0.9) to 1e-6,
# no warm-up, drop path 0.1, 2 images per GPU x 8 GPUs, whole-image test.
# norm_eval=False: the official norm_eval has no effect on its SyncBN (see the README).
_base_ = [
    '../_base_/models/fpn_seg.py', '../_base_/datasets/ade20k.py',
    '../_base_/schedules/schedule_80k.py', '../_base_/default_runtime_seg.py'
]
crop_size = (512, 512)
pretrained = 'checkpoints/rmt-tiny_in1k.pth'
model = dict(
    neck=dict(in_channels=[64, 128, 256, 512]),
    data_preprocessor=dict(size=crop_size),
    backbone=dict(
        _delete_=True,
        type='mmplugins.RMT',
        arch='tiny',
        drop_path_rate=0.1,
        out_indices=(0, 1, 2, 3),
        norm_cfg=dict(type='SyncBN', requires_grad=True),
        norm_eval=False,
        with_cp=False,
        init_cfg=dict(type='Pretrained', checkpoint=pretrained)),
    decode_head=dict(num_classes=150),
    test_cfg=dict(mode='whole'))
optim_wrapper = dict(
    _delete_=True,
    type='OptimWrapper',
    optimizer=dict(type='AdamW', lr=1e-4, weight_decay=1e-4))
param_scheduler = [
    dict(type='PolyLR', eta_min=1e-6, power=0.9, begin=0, end=80000, by_epoch=False)
]
train_dataloader = dict(batch_size=2)
val_dataloader = dict(batch_size=1)
test_dataloader = val_dataloader
