# Leaderboard suite, semantic row: HorNet with 7x7 depth-wise gnConv mixers in every stage
# (embed 32, depths 1-1-2-1, orders 2-3-4-5), as the instance row.
_base_ = './_base_/semantic.py'
paper_config = 'upernet_hornet-tiny-7x7_160k_ade20k-512x512'
model = dict(
    backbone=dict(_delete_=True, type='mmplugins.HorNet',
                  arch=dict(embed_dims=32, depths=(1, 1, 2, 1), orders=(2, 3, 4, 5),
                            mixers=[dict(type='dw', kernel_size=7)] * 4),
                  drop_path_rate=0.1),
    decode_head=dict(in_channels=[32, 64, 128, 256]),
    auxiliary_head=dict(in_channels=128))
