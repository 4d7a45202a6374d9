# UperNet + RMT-L (official RMT_L6) on ADE20K, 160k at 512x512 (RMT_Uper_l_2x.py): drop path 0.5.
_base_ = './upernet_rmt-s_160k_ade20k-512x512.py'
pretrained = 'checkpoints/rmt-large_in1k.pth'
model = dict(
    backbone=dict(arch='large', drop_path_rate=0.5, init_cfg=dict(checkpoint=pretrained)),
    auxiliary_head=dict(in_channels=448),
    decode_head=dict(in_channels=[112, 224, 448, 640]))
