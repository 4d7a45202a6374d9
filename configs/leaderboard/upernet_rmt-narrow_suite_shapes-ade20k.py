# Leaderboard suite, semantic row: RMT (embed 32-64-128-256, depths 1-1-2-1), as the instance
# row. (RMT's paper reports Semantic FPN for T and UperNet for S/B/L; the suite uses UperNet.)
_base_ = './_base_/semantic.py'
paper_config = 'upernet_rmt-s_160k_ade20k-512x512'
model = dict(
    backbone=dict(_delete_=True, type='mmplugins.RMT',
                  arch=dict(embed_dims=(32, 64, 128, 256), depths=(1, 1, 2, 1),
                            num_heads=(2, 2, 4, 8), init_values=(2, 2, 2, 2),
                            heads_ranges=(4, 4, 6, 6), mlp_ratios=(3, 3, 3, 3),
                            decomposed=(True, True, False, False)),
                  drop_path_rate=0.1),
    decode_head=dict(in_channels=[32, 64, 128, 256]),
    auxiliary_head=dict(in_channels=128))
