# UperNet + Swin-B (window 7) from the ImageNet-22K 224x224 weights, 160k iterations at 512x512
# (mmseg swin-base-patch4-window7-in22k-pre_upernet_8xb2-160k_ade20k-512x512.py).
# ImageNet-22K weights: python tools/convert_checkpoint.py swin swin_base_patch4_window7_224_22k.pth \
#   checkpoints/swin-base_in22k.pth
_base_ = './upernet_swin-b-p4-w7_160k_ade20k-512x512.py'
pretrained = 'checkpoints/swin-base_in22k.pth'
model = dict(backbone=dict(init_cfg=dict(checkpoint=pretrained)))
