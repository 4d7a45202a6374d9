# UperNet + HorNet-B (GF) on ADE20K, 160k at 512x512; recipe of
# upernet_hornet-tiny-7x7_160k_ade20k-512x512.py with the official upernet_hornet_base_gf_512_160k_ade20k.py values:
# drop path 0.5, stage-wise decay 0.9 with num_layers 12, grad clip 1.
# ImageNet-1K weights: python tools/convert_checkpoint.py hornet hornet_base_gf.pth checkpoints/hornet-base-gf_in1k.pth
_base_ = './upernet_hornet-tiny-7x7_160k_ade20k-512x512.py'
pretrained = 'checkpoints/hornet-base-gf_in1k.pth'
model = dict(
    auxiliary_head=dict(in_channels=512),
    decode_head=dict(in_channels=[128, 256, 512, 1024]),
    backbone=dict(
        arch='base-gf',
        gf_sizes=((24, 13), (12, 7)),  # as the official config; 224 weights resized on load
        drop_path_rate=0.5,
        layer_decay_num_layers=12,
        init_cfg=dict(type='Pretrained', checkpoint=pretrained)))
optim_wrapper = dict(paramwise_cfg=dict(layer_decay_rate=0.9), clip_grad=dict(max_norm=1, norm_type=2))
