# Leaderboard suite, instance row: RMT (_base_/narrow_backbones.py).
_base_ = ['./_base_/instance.py', './_base_/narrow_backbones.py']
paper_config = 'mask-rcnn_rmt-t_fpn_1x_coco'
model = dict(backbone={{_base_.suite_rmt}}, neck=dict(in_channels=[32, 64, 128, 256]))
