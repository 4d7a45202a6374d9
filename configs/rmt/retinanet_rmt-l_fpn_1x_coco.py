# RetinaNet + RMT-L (official RMT_L6), 1x single-scale (retinanet_l_1x.py): lr 2e-4,
# drop path 0.5.
_base_ = './retinanet_rmt-t_fpn_1x_coco.py'
pretrained = 'checkpoints/rmt-large_in1k.pth'
model = dict(
    backbone=dict(arch='large', drop_path_rate=0.5, init_cfg=dict(checkpoint=pretrained)),
    neck=dict(in_channels=[112, 224, 448, 640]))
optim_wrapper = dict(optimizer=dict(lr=0.0002))
