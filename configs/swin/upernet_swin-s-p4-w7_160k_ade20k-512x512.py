# UperNet + Swin-S on ADE20K, 160k iterations at 512x512.
_base_ = './upernet_swin-t-p4-w7_160k_ade20k-512x512.py'
pretrained = 'checkpoints/swin-small_in1k.pth'
model = dict(backbone=dict(arch='small', init_cfg=dict(checkpoint=pretrained)))
