# UperNet + HorNet-S (GF) on ADE20K, 160k at 512x512; recipe of
# upernet_hornet-tiny-7x7_160k_ade20k-512x512.py with the official upernet_hornet_small_gf_512_160k_ade20k.py values:
# drop path 0.3, stage-wise decay 0.9 with num_layers 12, grad clip 1.
# ImageNet-1K weights: python tools/convert_checkpoint.py hornet hornet_small_gf.pth checkpoints/hornet-small-gf_in1k.pth
_base_ = './upernet_hornet-tiny-7x7_160k_ade20k-512x512.py'
pretrained = 'checkpoints/hornet-small-gf_in1k.pth'
model = dict(
    auxiliary_head=dict(in_channels=384),
    decode_head=dict(in_channels=[96, 192, 384, 768]),
    backbone=dict(
        arch='small-gf',
        gf_sizes=((24, 13), (12, 7)),  # as the official config; 224 weights resized on load
        drop_path_rate=0.3,
        layer_decay_num_layers=12,
        init_cfg=dict(type='Pretrained', checkpoint=pretrained)))
optim_wrapper = dict(paramwise_cfg=dict(layer_decay_rate=0.9), clip_grad=dict(max_norm=1, norm_type=2))
