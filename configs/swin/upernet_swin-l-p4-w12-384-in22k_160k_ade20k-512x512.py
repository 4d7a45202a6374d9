# UperNet + Swin-L (window 12) from the ImageNet-22K 384x384 weights, 160k iterations at 512x512
# (mmseg swin-large-patch4-window12-in22k-384x384-pre_upernet_8xb2-160k_ade20k-512x512.py).
# ImageNet-22K weights: python tools/convert_checkpoint.py swin swin_large_patch4_window12_384_22k.pth \
#   checkpoints/swin-large-384_in22k.pth
_base_ = './upernet_swin-l-p4-w7-in22k_160k_ade20k-512x512.py'
pretrained = 'checkpoints/swin-large-384_in22k.pth'
model = dict(backbone=dict(arch='large-384', init_cfg=dict(checkpoint=pretrained)))
