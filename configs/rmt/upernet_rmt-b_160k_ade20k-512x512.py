# UperNet + RMT-B (official RMT_M2) on ADE20K, 160k at 512x512 (RMT_Uper_m_2x.py): drop path 0.4.
_base_ = './upernet_rmt-s_160k_ade20k-512x512.py'
pretrained = 'checkpoints/rmt-base_in1k.pth'
model = dict(
    backbone=dict(arch='base', drop_path_rate=0.4, init_cfg=dict(checkpoint=pretrained)),
    auxiliary_head=dict(in_channels=320),
    decode_head=dict(in_channels=[80, 160, 320, 512]))
