# UperNet + HorNet-L (GF) on ADE20K, 160k at 640x640; recipe of
# upernet_hornet-large-7x7_160k_ade20k-640x640.py with the official
# upernet_hornet_large_gf_640_160k_ade20k.py values: 24x13 / 12x7 global filters (the 224
# ImageNet-22K weights are resized on load), drop path 0.4, stage-wise decay 0.8 with
# num_layers 12, grad clip 0.1.
# ImageNet-22K weights: python tools/convert_checkpoint.py hornet hornet_large_gf_in22k.pth checkpoints/hornet-large-gf_in22k.pth
_base_ = './upernet_hornet-large-7x7_160k_ade20k-640x640.py'
pretrained = 'checkpoints/hornet-large-gf_in22k.pth'
model = dict(
    backbone=dict(
        arch='large-gf',
        gf_sizes=((24, 13), (12, 7)),
        init_cfg=dict(type='Pretrained', checkpoint=pretrained)))
optim_wrapper = dict(clip_grad=dict(max_norm=0.1, norm_type=2))
