# UperNet + HorNet-L (7x7) on ADE20K, 160k at 640x640; recipe of
# upernet_hornet-tiny-7x7_160k_ade20k-512x512.py with the official upernet_hornet_large_7x7_640_160k_ade20k.py values:
# drop path 0.4, stage-wise decay 0.8 with num_layers 12.
# ImageNet-22K weights: python tools/convert_checkpoint.py hornet hornet_large_7x7_in22k.pth checkpoints/hornet-large-7x7_in22k.pth
_base_ = './upernet_hornet-tiny-7x7_160k_ade20k-512x512.py'
# mmseg's ade20k_640x640 pipelines (a second dataset base would define the same keys twice)
crop_size = (640, 640)
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations', reduce_zero_label=True),
    dict(type='RandomResize', scale=(2560, 640), ratio_range=(0.5, 2.0), keep_ratio=True),
    dict(type='RandomCrop', crop_size=crop_size, cat_max_ratio=0.75),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PhotoMetricDistortion'),
    dict(type='PackSegInputs')
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(2560, 640), keep_ratio=True),
    dict(type='LoadAnnotations', reduce_zero_label=True),
    dict(type='PackSegInputs')
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=test_pipeline))
test_dataloader = val_dataloader
pretrained = 'checkpoints/hornet-large-7x7_in22k.pth'
model = dict(
    auxiliary_head=dict(in_channels=768),
    decode_head=dict(in_channels=[192, 384, 768, 1536]),
    data_preprocessor=dict(size=crop_size),
    test_cfg=dict(mode='slide', crop_size=crop_size, stride=(426, 426)),
    backbone=dict(
        arch='large',
        drop_path_rate=0.4,
        layer_decay_num_layers=12,
        init_cfg=dict(type='Pretrained', checkpoint=pretrained)))
optim_wrapper = dict(paramwise_cfg=dict(layer_decay_rate=0.8))
