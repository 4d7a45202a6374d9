# Leaderboard suite, instance row: mmdet's ResNet-50 (base width 16 instead of 64: stages of
# 64-128-256-512 channels), the familiar baseline; batch norm trains (no ImageNet statistics).
_base_ = './_base_/instance.py'
paper_config = None  # mmdet's mask-rcnn_r50_fpn_1x_coco: box AP 38.2, mask AP 34.7
model = dict(
    backbone=dict(_delete_=True, type='ResNet', depth=50, base_channels=16, num_stages=4,
                  out_indices=(0, 1, 2, 3), frozen_stages=-1,
                  norm_cfg=dict(type='BN', requires_grad=True), norm_eval=False,
                  style='pytorch'),
    neck=dict(in_channels=[64, 128, 256, 512]))
