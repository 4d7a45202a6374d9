# UperNet + Swin-B with 12x12 windows from the ImageNet-1K 384x384 weights, 160k iterations at
# 512x512 (mmseg swin-base-patch4-window12-in1k-384x384-pre_upernet_8xb2-160k_ade20k-512x512.py):
# the Swin-T recipe with window 12 and the 384 position tables.
# ImageNet weights: python tools/convert_checkpoint.py swin swin_base_patch4_window12_384.pth \
#   checkpoints/swin-base-384_in1k.pth
_base_ = './upernet_swin-b-p4-w7_160k_ade20k-512x512.py'
pretrained = 'checkpoints/swin-base-384_in1k.pth'
model = dict(backbone=dict(arch='base-384', init_cfg=dict(checkpoint=pretrained)))
