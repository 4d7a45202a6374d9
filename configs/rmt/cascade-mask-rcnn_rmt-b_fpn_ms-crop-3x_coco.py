# Cascade Mask R-CNN + RMT-B, 3x multi-scale + crop (casrcnn_m_3x.py): lr 2e-4, drop path 0.4.
_base_ = './cascade-mask-rcnn_rmt-s_fpn_ms-crop-3x_coco.py'
pretrained = 'checkpoints/rmt-base_in1k.pth'
model = dict(
    backbone=dict(arch='base', drop_path_rate=0.4, init_cfg=dict(checkpoint=pretrained)),
    neck=dict(in_channels=[80, 160, 320, 512]))
optim_wrapper = dict(optimizer=dict(lr=0.0002))
