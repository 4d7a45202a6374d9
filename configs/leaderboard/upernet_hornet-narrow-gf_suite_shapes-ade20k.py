# Leaderboard suite, semantic row: HorNet with global-filter mixers in stages 3 and 4
# (_base_/narrow_backbones.py).
_base_ = ['./_base_/semantic.py', './_base_/narrow_backbones.py']
paper_config = 'upernet_hornet-tiny-gf_160k_ade20k-512x512'
model = dict(backbone={{_base_.suite_hornet_gf}},
             decode_head=dict(in_channels=[32, 64, 128, 256]),
             auxiliary_head=dict(in_channels=128))
