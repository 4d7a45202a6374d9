# Mask R-CNN + HorNet-S (7x7) with the plain FPN, 1x with multi-scale + crop: the paper's HorFPN
# baseline, official object_detection/configs/horfpn/fpn_mask_rcnn_hornet_small_7x7_1x_coco_in1k.py:
# AdamW 1e-4, wd 0.05, layer-wise lr decay 0.95 with num_layers 6, drop path 0.6, warm-up 500.
# (The official mapping hard-codes ids 11/12 for the last blocks, so with num_layers=6 it gives
# lr scales > 1 there; ours clamps stage-3 blocks to num_layers - 1, see the README.
# layer_decay_type='layer_wise_released' trains with the released ids instead.)
# ImageNet weights: python tools/convert_checkpoint.py hornet hornet_small_7x7.pth checkpoints/hornet-small-7x7_in1k.pth
_base_ = [
    '../_base_/models/mask-rcnn_fpn.py', '../_base_/datasets/coco_instance.py',
    '../_base_/datasets/coco_ms-crop_pipeline.py', '../_base_/schedules/schedule_1x.py',
    '../_base_/default_runtime_det.py'
]
train_dataloader = dict(dataset=dict(pipeline={{_base_.ms_crop_train_pipeline}}))
pretrained = 'checkpoints/hornet-small-7x7_in1k.pth'
model = dict(
    neck=dict(in_channels=[96, 192, 384, 768]),
    backbone=dict(
        _delete_=True,
        type='mmplugins.HorNet',
        arch='small',
        drop_path_rate=0.6,
        out_indices=(0, 1, 2, 3),
        layer_decay_type='layer_wise',
        layer_decay_num_layers=6,
        with_cp=False,
        init_cfg=dict(type='Pretrained', checkpoint=pretrained)))
optim_wrapper = dict(
    _delete_=True,
    type='OptimWrapper',
    constructor='mmplugins.LayerDecayOptimWrapperConstructor',
    optimizer=dict(type='AdamW', lr=1e-4, betas=(0.9, 0.999), weight_decay=0.05),
    paramwise_cfg=dict(layer_decay_rate=0.95))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.001, by_epoch=False, begin=0, end=500),
    dict(type='MultiStepLR', begin=0, end=12, by_epoch=True, milestones=[8, 11], gamma=0.1)
]
auto_scale_lr = dict(enable=False, base_batch_size=16)
