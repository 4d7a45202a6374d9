# Cascade Mask R-CNN + HorNet-S (7x7), 3x multi-scale + crop; recipe of
# cascade-mask-rcnn_hornet-tiny-7x7_fpn_ms-crop-3x_coco.py with the official
# cascade_mask_rcnn_hornet_small_7x7_3x_coco_in1k.py values: lr 0.0002, layer decay 0.7, drop path 0.6.
# ImageNet-1K weights: python tools/convert_checkpoint.py hornet hornet_small_7x7.pth checkpoints/hornet-small-7x7_in1k.pth
_base_ = './cascade-mask-rcnn_hornet-tiny-7x7_fpn_ms-crop-3x_coco.py'
pretrained = 'checkpoints/hornet-small-7x7_in1k.pth'
model = dict(
    neck=dict(in_channels=[96, 192, 384, 768]),
    backbone=dict(
        arch='small',
        drop_path_rate=0.6,
        init_cfg=dict(type='Pretrained', checkpoint=pretrained)))
optim_wrapper = dict(optimizer=dict(lr=0.0002), paramwise_cfg=dict(layer_decay_rate=0.7))
