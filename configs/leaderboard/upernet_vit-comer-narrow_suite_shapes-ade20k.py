# Leaderboard suite, semantic row: ViT-CoMer (a 4-block ViT of width 128, one block per
# interaction, 16-channel CNN branch), segmentation flavour.
_base_ = './_base_/semantic.py'
paper_config = 'upernet_vit-comer-s_160k_ade20k-512x512'
model = dict(
    backbone=dict(_delete_=True, type='mmplugins.ViTCoMer', flavour='seg',
                  arch=dict(embed_dims=128, depth=4, num_heads=4, deform_num_heads=4,
                            deform_ratio=1.0, seg_mrfp_ratio=1.0,
                            interaction_indexes=[[0, 0], [1, 1], [2, 2], [3, 3]]),
                  conv_inplane=16, drop_path_rate=0.1),
    decode_head=dict(in_channels=[128, 128, 128, 128]),
    auxiliary_head=dict(in_channels=128))
