# UperNet + HorNet-S (7x7) on ADE20K, 160k at 512x512; recipe of
# upernet_hornet-tiny-7x7_160k_ade20k-512x512.py with the official upernet_hornet_small_7x7_512_160k_ade20k.py values:
# drop path 0.3, stage-wise decay 0.9 with num_layers 12.
# ImageNet-1K weights: python tools/convert_checkpoint.py hornet hornet_small_7x7.pth checkpoints/hornet-small-7x7_in1k.pth
_base_ = './upernet_hornet-tiny-7x7_160k_ade20k-512x512.py'
pretrained = 'checkpoints/hornet-small-7x7_in1k.pth'
model = dict(
    auxiliary_head=dict(in_channels=384),
    decode_head=dict(in_channels=[96, 192, 384, 768]),
    backbone=dict(
        arch='small',
        drop_path_rate=0.3,
        layer_decay_num_layers=12,
        init_cfg=dict(type='Pretrained', checkpoint=pretrained)))
optim_wrapper = dict(paramwise_cfg=dict(layer_decay_rate=0.9))
