# Semantic FPN + RMT-B on ADE20K, 80k at 512x512 (RMT_FPN_m_1x.py): drop path 0.4.
_base_ = './fpn_rmt-t_80k_ade20k-512x512.py'
pretrained = 'checkpoints/rmt-base_in1k.pth'
model = dict(
    backbone=dict(arch='base', drop_path_rate=0.4, init_cfg=dict(checkpoint=pretrained)),
    neck=dict(in_channels=[80, 160, 320, 512]))
