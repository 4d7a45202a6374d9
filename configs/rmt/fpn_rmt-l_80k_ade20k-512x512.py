# Semantic FPN + RMT-L on ADE20K, 80k at 512x512 (RMT_FPN_l_1x.py): drop path 0.5.
_base_ = './fpn_rmt-t_80k_ade20k-512x512.py'
pretrained = 'checkpoints/rmt-large_in1k.pth'
model = dict(
    backbone=dict(arch='large', drop_path_rate=0.5, init_cfg=dict(checkpoint=pretrained)),
    neck=dict(in_channels=[112, 224, 448, 640]))
