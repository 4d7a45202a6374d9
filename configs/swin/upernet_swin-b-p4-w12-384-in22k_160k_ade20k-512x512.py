# UperNet + Swin-B (window 12) from the ImageNet-22K 384x384 weights, 160k iterations at 512x512
# (mmseg swin-base-patch4-window12-in22k-384x384-pre_upernet_8xb2-160k_ade20k-512x512.py).
# ImageNet-22K weights: python tools/convert_checkpoint.py swin swin_base_patch4_window12_384_22k.pth \
#   checkpoints/swin-base-384_in22k.pth
_base_ = './upernet_swin-b-p4-w12-384_160k_ade20k-512x512.py'
pretrained = 'checkpoints/swin-base-384_in22k.pth'
model = dict(backbone=dict(init_cfg=dict(checkpoint=pretrained)))
