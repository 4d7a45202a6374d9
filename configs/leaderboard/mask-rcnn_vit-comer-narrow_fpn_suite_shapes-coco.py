# Leaderboard suite, instance row: ViT-CoMer (a 4-block ViT of width 128, one block per
# interaction, 16-channel CNN branch), detection flavour.
_base_ = './_base_/instance.py'
paper_config = 'mask-rcnn_vit-comer-s_fpn_ms-crop-3x_coco'
model = dict(
    backbone=dict(_delete_=True, type='mmplugins.ViTCoMer', flavour='det',
                  arch=dict(embed_dims=128, depth=4, num_heads=4, deform_num_heads=4,
                            deform_ratio=1.0, seg_mrfp_ratio=1.0,
                            interaction_indexes=[[0, 0], [1, 1], [2, 2], [3, 3]]),
                  conv_inplane=16, window_attn=False, drop_path_rate=0.1),
    neck=dict(in_channels=[128, 128, 128, 128]))
