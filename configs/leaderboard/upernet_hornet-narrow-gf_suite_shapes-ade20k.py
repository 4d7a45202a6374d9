# Leaderboard suite, semantic row: HorNet with global-filter mixers in stages 3 and 4 (the
# rfft2 sizes of their 8x8 and 4x4 maps at 128 px), as the instance row.
_base_ = './_base_/semantic.py'
paper_config = 'upernet_hornet-tiny-gf_160k_ade20k-512x512'
model = dict(
    backbone=dict(_delete_=True, type='mmplugins.HorNet',
                  arch=dict(embed_dims=32, depths=(1, 1, 2, 1), orders=(2, 3, 4, 5),
                            mixers=[dict(type='dw', kernel_size=7)] * 2 + [
                                dict(type='gf', h=8, w=5), dict(type='gf', h=4, w=3)]),
                  drop_path_rate=0.1),
    decode_head=dict(in_channels=[32, 64, 128, 256]),
    auxiliary_head=dict(in_channels=128))
