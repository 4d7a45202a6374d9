# Leaderboard suite, semantic row: QSD-Transformer (embed 32-64-128-192, one conv and one
# spike-transformer block in stages 3-4, 4-bit weights, T=1) with its own spike-driven QFPN
# neck and QFPN head (64 channels) in place of UperNet, on the task's schedule.
_base_ = './_base_/semantic.py'
paper_config = 'fpn_qsd-15m_qfpn_160k_ade20k-512x512'
model = dict(
    backbone=dict(_delete_=True, type='mmplugins.QSDTransformer',
                  arch=dict(embed_dims=(32, 64, 128, 192), depths=(1, 1), num_heads=4,
                            mlp_ratio=4),
                  out_indices=(0, 1, 2, 4), keep_time=True),
    neck=dict(type='mmplugins.QFPN', in_channels=[16, 32, 64, 192], out_channels=64,
              num_outs=4),
    decode_head=dict(_delete_=True, type='mmplugins.QFPNHead', in_channels=[64, 64, 64, 64],
                     in_index=[0, 1, 2, 3], feature_strides=[2, 4, 8, 16], channels=64,
                     dropout_ratio=0.1, num_classes=8, norm_cfg=dict(type='BN',
                                                                     requires_grad=True),
                     align_corners=False, act_cfg=None,
                     loss_decode=dict(type='CrossEntropyLoss', use_sigmoid=False,
                                      loss_weight=1.0)),
    auxiliary_head=None)
custom_hooks = [
    dict(type='mmplugins.SpikingResetHook'),
    dict(type='mmplugins.FiringRateHook', phases=('val', 'test')),
]
