# Cascade Mask R-CNN + HorNet-L (GF) (24x13 / 12x7 filters), 3x multi-scale + crop; recipe of
# cascade-mask-rcnn_hornet-tiny-7x7_fpn_ms-crop-3x_coco.py with the official
# cascade_mask_rcnn_hornet_large_gf_3x_coco_in22k.py values: lr 0.0001, layer decay 0.7, drop path 0.7.
# ImageNet-22K weights: python tools/convert_checkpoint.py hornet hornet_large_gf_in22k.pth checkpoints/hornet-large-gf_in22k.pth
_base_ = './cascade-mask-rcnn_hornet-tiny-7x7_fpn_ms-crop-3x_coco.py'
pretrained = 'checkpoints/hornet-large-gf_in22k.pth'
model = dict(
    neck=dict(in_channels=[192, 384, 768, 1536]),
    backbone=dict(
        arch='large-gf',
        gf_sizes=((24, 13), (12, 7)),  # as the official config; weights resized on load
        drop_path_rate=0.7,
        init_cfg=dict(type='Pretrained', checkpoint=pretrained)))
optim_wrapper = dict(optimizer=dict(lr=0.0001), paramwise_cfg=dict(layer_decay_rate=0.7))
