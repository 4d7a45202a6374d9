# Cascade Mask R-CNN (4conv1fc heads, GIoU) + Swin-T, 1x multi-scale + crop, as the official
# cascade_mask_rcnn_swin_tiny_patch4_window7_mstrain_480-800_giou_4conv1f_adamw_1x_coco.py:
# the 3x recipe over 12 epochs (steps 8/11) with drop path 0.0.
_base_ = './cascade-mask-rcnn_swin-t-p4-w7_fpn_ms-crop-3x_coco.py'
model = dict(backbone=dict(drop_path_rate=0.0))
max_epochs = 12
train_cfg = dict(max_epochs=max_epochs)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.001, by_epoch=False, begin=0, end=500),
    dict(type='MultiStepLR', begin=0, end=max_epochs, by_epoch=True, milestones=[8, 11],
         gamma=0.1)
]
