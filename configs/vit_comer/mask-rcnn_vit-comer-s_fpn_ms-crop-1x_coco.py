# Mask R-CNN + ViT-CoMer-S (DeiT-S init), 1x; layer decay 0.7 as in the official S config.
# ImageNet weights: python tools/convert_checkpoint.py deit deit_small_patch16_224-cd65a155.pth \
#   checkpoints/vit-comer-small_in1k.pth
_base_ = './mask-rcnn_vit-comer-t_fpn_ms-crop-1x_coco.py'
pretrained = 'checkpoints/vit-comer-small_in1k.pth'
model = dict(
    backbone=dict(arch='small', drop_path_rate=0.2, init_cfg=dict(checkpoint=pretrained)),
    neck=dict(in_channels=[384, 384, 384, 384]))
