# RetinaNet + RMT-S, 1x single-scale (retinanet_s_1x.py): lr 4e-4, drop path 0.15.
_base_ = './retinanet_rmt-t_fpn_1x_coco.py'
pretrained = 'checkpoints/rmt-small_in1k.pth'
model = dict(backbone=dict(arch='small', drop_path_rate=0.15,
                           init_cfg=dict(checkpoint=pretrained)))
