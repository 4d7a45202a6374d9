# Leaderboard suite, panoptic row: the kMaX-DeepLab R-50 row with the suite's narrow Swin
# (embed 32, depths 1-1-2-1, window 4) in place of the ResNet.
_base_ = './kmax-deeplab_r50-narrow_suite_shapes-coco-panoptic.py'
paper_config = 'kmax-deeplab_swin-t-p4-w7_8xb8-lsj-150k_coco-panoptic'
model = dict(
    backbone=dict(_delete_=True, type='mmplugins.SwinTransformer',
                  arch=dict(embed_dims=32, depths=(1, 1, 2, 1), num_heads=(1, 2, 4, 8)),
                  window_size=4, drop_path_rate=0.1),
    panoptic_head=dict(in_channels=[32, 64, 128, 256]))
