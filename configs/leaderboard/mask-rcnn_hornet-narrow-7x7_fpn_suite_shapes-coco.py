# Leaderboard suite, instance row: HorNet with 7x7 depth-wise gnConv mixers in every stage
# (embed 32, depths 1-1-2-1, orders 2-3-4-5).
_base_ = './_base_/instance.py'
paper_config = 'mask-rcnn_hornet-small-7x7_fpn_ms-crop-1x_coco'
model = dict(
    backbone=dict(_delete_=True, type='mmplugins.HorNet',
                  arch=dict(embed_dims=32, depths=(1, 1, 2, 1), orders=(2, 3, 4, 5),
                            mixers=[dict(type='dw', kernel_size=7)] * 4),
                  drop_path_rate=0.1),
    neck=dict(in_channels=[32, 64, 128, 256]))
