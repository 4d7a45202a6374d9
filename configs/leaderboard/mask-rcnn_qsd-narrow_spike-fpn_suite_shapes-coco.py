# Leaderboard suite, instance row: QSD-Transformer (embed 32-64-128-192, one conv and one
# spike-transformer block in stages 3-4, 4-bit weights, T=1) spike-driven end to end: its
# spiking FPN, RPN and RoI heads as the released Mask R-CNN, on the task's schedule.
_base_ = './_base_/instance.py'
paper_config = 'mask-rcnn_qsd-15m_spike-fpn_15e_coco'
model = dict(
    backbone=dict(_delete_=True, type='mmplugins.QSDTransformer',
                  arch=dict(embed_dims=(32, 64, 128, 192), depths=(1, 1), num_heads=4,
                            mlp_ratio=4),
                  keep_time=True),
    neck=dict(type='mmplugins.SpikeFPN', in_channels=[32, 64, 128, 192]),
    rpn_head=dict(type='mmplugins.SpikeRPNHead'),
    roi_head=dict(
        type='mmplugins.SpikeStandardRoIHead',
        bbox_head=dict(type='mmplugins.SharedSpike2FCBBoxHead'),
        mask_head=dict(type='mmplugins.SpikeFCNMaskHead')))
custom_hooks = [
    dict(type='mmplugins.SpikingResetHook'),
    dict(type='mmplugins.FiringRateHook', phases=('val', 'test')),
]
