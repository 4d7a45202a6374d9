# Mask R-CNN + RMT-S, 3x (36 epochs) with multi-scale + crop augmentation (maskrcnn_s_3x.py):
# lr 4e-4, 500-iteration warm-up, lr steps at epochs 27 and 33.
_base_ = [
    './mask-rcnn_rmt-s_fpn_1x_coco.py', '../_base_/datasets/coco_ms-crop_pipeline.py'
]
train_dataloader = dict(dataset=dict(pipeline={{_base_.ms_crop_train_pipeline}}))
max_epochs = 36
train_cfg = dict(max_epochs=max_epochs)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.001, by_epoch=False, begin=0, end=500),
    dict(type='MultiStepLR', begin=0, end=max_epochs, by_epoch=True, milestones=[27, 33],
         gamma=0.1)
]
