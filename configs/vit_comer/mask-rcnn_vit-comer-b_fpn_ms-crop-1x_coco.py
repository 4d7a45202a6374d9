# Mask R-CNN + ViT-CoMer-B (DeiT-B init), 1x: drop path 0.3 and layer decay 0.6 borrowed from
# detection/configs/mask_rcnn/dinov2/mask_rcnn_dinov2_comer_base_fpn_1x_coco.py, a DINOv2
# config: no released config trains ViT-CoMer-B detection from DeiT weights.
# ImageNet weights: python tools/convert_checkpoint.py deit deit_base_patch16_224-b5f2ef4d.pth \
#   checkpoints/vit-comer-base_in1k.pth
_base_ = './mask-rcnn_vit-comer-t_fpn_ms-crop-1x_coco.py'
pretrained = 'checkpoints/vit-comer-base_in1k.pth'
model = dict(
    backbone=dict(arch='base', drop_path_rate=0.3, init_cfg=dict(checkpoint=pretrained)),
    neck=dict(in_channels=[768, 768, 768, 768]))
optim_wrapper = dict(paramwise_cfg=dict(layer_decay_rate=0.6))
