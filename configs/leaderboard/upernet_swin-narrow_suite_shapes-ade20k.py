# Leaderboard suite, semantic row: Swin (embed 32, depths 1-1-2-1, window 4), as make demo's.
_base_ = './_base_/semantic.py'
paper_config = 'upernet_swin-t-p4-w7_160k_ade20k-512x512'
