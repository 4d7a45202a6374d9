# Leaderboard suite, semantic row: HorNet with 7x7 depth-wise gnConv mixers in every stage
# (_base_/narrow_backbones.py).
_base_ = ['./_base_/semantic.py', './_base_/narrow_backbones.py']
paper_config = 'upernet_hornet-tiny-7x7_160k_ade20k-512x512'
model = dict(backbone={{_base_.suite_hornet_7x7}},
             decode_head=dict(in_channels=[32, 64, 128, 256]),
             auxiliary_head=dict(in_channels=128))
