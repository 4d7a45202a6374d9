# Leaderboard suite, instance row: RMT (embed 32-64-128-256, depths 1-1-2-1, the tiny model's
# decay ranges and decomposed attention in stages 1-2).
_base_ = './_base_/instance.py'
paper_config = 'mask-rcnn_rmt-t_fpn_1x_coco'
model = dict(
    backbone=dict(_delete_=True, type='mmplugins.RMT',
                  arch=dict(embed_dims=(32, 64, 128, 256), depths=(1, 1, 2, 1),
                            num_heads=(2, 2, 4, 8), init_values=(2, 2, 2, 2),
                            heads_ranges=(4, 4, 6, 6), mlp_ratios=(3, 3, 3, 3),
                            decomposed=(True, True, False, False)),
                  drop_path_rate=0.1),
    neck=dict(in_channels=[32, 64, 128, 256]))
