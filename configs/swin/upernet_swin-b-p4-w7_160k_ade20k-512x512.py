# UperNet + Swin-B on ADE20K, 160k iterations at 512x512.
_base_ = './upernet_swin-t-p4-w7_160k_ade20k-512x512.py'
pretrained = 'checkpoints/swin-base_in1k.pth'
model = dict(
    backbone=dict(arch='base', init_cfg=dict(checkpoint=pretrained)),
    auxiliary_head=dict(in_channels=512),
    decode_head=dict(in_channels=[128, 256, 512, 1024]))
