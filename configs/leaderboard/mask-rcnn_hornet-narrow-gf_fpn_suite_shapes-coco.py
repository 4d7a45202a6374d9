# Leaderboard suite, instance row: HorNet with global-filter mixers in stages 3 and 4
# (_base_/narrow_backbones.py).
_base_ = ['./_base_/instance.py', './_base_/narrow_backbones.py']
paper_config = 'cascade-mask-rcnn_hornet-tiny-gf_fpn_ms-crop-3x_coco'
model = dict(backbone={{_base_.suite_hornet_gf}}, neck=dict(in_channels=[32, 64, 128, 256]))
