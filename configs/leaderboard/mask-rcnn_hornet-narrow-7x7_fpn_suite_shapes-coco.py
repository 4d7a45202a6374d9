# Leaderboard suite, instance row: HorNet with 7x7 depth-wise gnConv mixers in every stage
# (_base_/narrow_backbones.py).
_base_ = ['./_base_/instance.py', './_base_/narrow_backbones.py']
paper_config = 'mask-rcnn_hornet-small-7x7_fpn_ms-crop-1x_coco'
model = dict(backbone={{_base_.suite_hornet_7x7}}, neck=dict(in_channels=[32, 64, 128, 256]))
