# UperNet + Swin-L (window 7) from the ImageNet-22K 224x224 weights, 160k iterations at 512x512
# (mmseg swin-large-patch4-window7-in22k-pre_upernet_8xb2-160k_ade20k-512x512.py): the Swin-T
# recipe (drop path 0.3) with the large widths.
# ImageNet-22K weights: python tools/convert_checkpoint.py swin swin_large_patch4_window7_224_22k.pth \
#   checkpoints/swin-large_in22k.pth
_base_ = './upernet_swin-t-p4-w7_160k_ade20k-512x512.py'
pretrained = 'checkpoints/swin-large_in22k.pth'
model = dict(
    backbone=dict(arch='large', init_cfg=dict(checkpoint=pretrained)),
    auxiliary_head=dict(in_channels=768),
    decode_head=dict(in_channels=[192, 384, 768, 1536]))
