# Mask R-CNN + ViT-CoMer-S (DeiT-S init), 1x: drop path 0.2 and layer decay 0.7 (from the T
# config) borrowed from detection/configs/mask_rcnn/dinov2/mask_rcnn_dinov2_comer_small_fpn_1x_
# coco.py, a DINOv2 config: no released config trains ViT-CoMer-S detection from DeiT weights.
# ImageNet weights: python tools/convert_checkpoint.py deit deit_small_patch16_224-cd65a155.pth \
#   checkpoints/vit-comer-small_in1k.pth
_base_ = './mask-rcnn_vit-comer-t_fpn_ms-crop-1x_coco.py'
pretrained = 'checkpoints/vit-comer-small_in1k.pth'
model = dict(
    backbone=dict(arch='small', drop_path_rate=0.2, init_cfg=dict(checkpoint=pretrained)),
    neck=dict(in_channels=[384, 384, 384, 384]))
