# Leaderboard suite, semantic row: RMT (_base_/narrow_backbones.py). RMT's paper reports
# Semantic FPN for T and UperNet for S/B/L; the suite uses UperNet.
_base_ = ['./_base_/semantic.py', './_base_/narrow_backbones.py']
paper_config = 'upernet_rmt-s_160k_ade20k-512x512'
model = dict(backbone={{_base_.suite_rmt}},
             decode_head=dict(in_channels=[32, 64, 128, 256]),
             auxiliary_head=dict(in_channels=128))
