# Mask R-CNN + QSD-Transformer-31M spike-driven end to end, as the released
# mask-rcnn_qformer-t_fpn_1x_coco.py: the 31M recipe of mask-rcnn_qsd-31m_fpn_1x_coco.py
# (384-channel neck and heads, 1536-d FCs, 12 epochs, 1 image per GPU) with the spiking neck
# and heads of mask-rcnn_qsd-15m_spike-fpn_15e_coco.py.
_base_ = ['./mask-rcnn_qsd-31m_fpn_1x_coco.py']
model = dict(
    backbone=dict(keep_time=True),
    neck=dict(type='mmplugins.SpikeFPN', in_channels=[96, 192, 384, 480]),
    rpn_head=dict(type='mmplugins.SpikeRPNHead'),
    roi_head=dict(
        type='mmplugins.SpikeStandardRoIHead',
        bbox_head=dict(type='mmplugins.SharedSpike2FCBBoxHead'),
        mask_head=dict(type='mmplugins.SpikeFCNMaskHead')))
