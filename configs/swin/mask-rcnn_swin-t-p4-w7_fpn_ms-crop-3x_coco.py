# Mask R-CNN + Swin-T, 3x (36 epochs, steps 27/33) with multi-scale + crop augmentation.
_base_ = [
    './mask-rcnn_swin-t-p4-w7_fpn_1x_coco.py', '../_base_/datasets/coco_ms-crop_pipeline.py'
]
train_dataloader = dict(dataset=dict(pipeline={{_base_.ms_crop_train_pipeline}}))
max_epochs = 36
train_cfg = dict(max_epochs=max_epochs)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.001, by_epoch=False, begin=0, end=1000),
    dict(type='MultiStepLR', begin=0, end=max_epochs, by_epoch=True, milestones=[27, 33],
         gamma=0.1)
]
