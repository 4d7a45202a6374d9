# Mask R-CNN + ViT-CoMer-T, 3x (36 epochs, lr steps at 27 and 33, from detection/configs/
# mask_rcnn/dinov2/mask_rcnn_dinov2_comer_small_fpn_3x_coco.py via _base_/schedules/
# schedule_3x.py: the T 3x borrows the S one); otherwise as the 1x config.
_base_ = './mask-rcnn_vit-comer-t_fpn_ms-crop-1x_coco.py'
max_epochs = 36
train_cfg = dict(max_epochs=max_epochs)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.001, by_epoch=False, begin=0, end=500),
    dict(type='MultiStepLR', begin=0, end=max_epochs, by_epoch=True, milestones=[27, 33],
         gamma=0.1)
]
