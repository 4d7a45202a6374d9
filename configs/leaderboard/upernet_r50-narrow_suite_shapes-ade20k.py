# Leaderboard suite, semantic row: mmseg's ResNet-50 V1c (deep stem; base width 16 instead of
# 64: stages of 64-128-256-512 channels), the familiar baseline.
_base_ = './_base_/semantic.py'
paper_config = None  # mmseg's upernet_r50_4xb4-160k_ade20k-512x512: mIoU 42.05
model = dict(
    backbone=dict(_delete_=True, type='ResNetV1c', depth=50, stem_channels=32,
                  base_channels=16, num_stages=4, out_indices=(0, 1, 2, 3),
                  dilations=(1, 1, 1, 1), strides=(1, 2, 2, 2),
                  norm_cfg=dict(type='BN', requires_grad=True), norm_eval=False,
                  style='pytorch', contract_dilation=True),
    decode_head=dict(in_channels=[64, 128, 256, 512]),
    auxiliary_head=dict(in_channels=256))
