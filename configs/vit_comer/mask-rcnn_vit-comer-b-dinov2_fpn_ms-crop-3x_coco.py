# Mask R-CNN + ViT-CoMer-B from DINOv2-B weights, 3x, as the official
# detection/configs/mask_rcnn/dinov2/mask_rcnn_dinov2_comer_base_fpn_3x_coco.py: the recipe
# of mask-rcnn_vit-comer-b_fpn_ms-crop-3x_coco.py (whose values are this released config's)
# with the DINOv2 ViT: pretrain_size=592 (img_size=592 there, the 37x37 position grid of DINOv2's
# 518 / 14, kept at patch 16), its 14x14 patch kernel resized to 16x16 (bicubic) by the converter.
# Weights (facebookresearch/dinov2): python tools/convert_checkpoint.py dinov2 \
#   dinov2_vitb14_pretrain.pth checkpoints/vit-comer-base_dinov2.pth
_base_ = './mask-rcnn_vit-comer-b_fpn_ms-crop-3x_coco.py'
pretrained = 'checkpoints/vit-comer-base_dinov2.pth'
model = dict(backbone=dict(pretrain_size=592, init_cfg=dict(checkpoint=pretrained)))
