# RetinaNet + RMT-B (official RMT_M2), 1x single-scale (retinanet_m_1x.py): lr 4e-4, drop path 0.4.
_base_ = './retinanet_rmt-t_fpn_1x_coco.py'
pretrained = 'checkpoints/rmt-base_in1k.pth'
model = dict(
    backbone=dict(arch='base', drop_path_rate=0.4, init_cfg=dict(checkpoint=pretrained)),
    neck=dict(in_channels=[80, 160, 320, 512]))
