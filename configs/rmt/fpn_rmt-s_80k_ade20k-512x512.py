# Semantic FPN + RMT-S on ADE20K, 80k at 512x512 (RMT_FPN_s_1x.py): drop path 0.15.
_base_ = './fpn_rmt-t_80k_ade20k-512x512.py'
pretrained = 'checkpoints/rmt-small_in1k.pth'
model = dict(backbone=dict(arch='small', drop_path_rate=0.15,
                           init_cfg=dict(checkpoint=pretrained)))
