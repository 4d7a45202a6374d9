# Cascade Mask R-CNN (4conv1fc heads, GIoU) + HorNet-T (7x7), 3x multi-scale + crop, as the
# official raoyongming/HorNet object_detection/configs/hornet/cascade_mask_rcnn_hornet_tiny_7x7_3x_coco_in1k.py:
# AdamW 2e-4, wd 0.05 (none on 1-D params), layer-wise lr decay 0.7 over 12 layers (the
# backbone's get_layer_depth, layer_decay_type='layer_wise'), drop path 0.4, warm-up 500 iters,
# steps at 27/33, fp32, batch 16 (8 GPUs x 2). ImageNet weights: convert the official release with
#   python tools/convert_checkpoint.py hornet hornet_tiny_7x7.pth checkpoints/hornet-tiny-7x7_in1k.pth
_base_ = [
    '../_base_/models/cascade-mask-rcnn_fpn.py', '../_base_/datasets/coco_instance.py',
    '../_base_/datasets/coco_ms-crop_pipeline.py', '../_base_/schedules/schedule_3x.py',
    '../_base_/default_runtime_det.py'
]
train_dataloader = dict(dataset=dict(pipeline={{_base_.ms_crop_train_pipeline}}))
pretrained = 'checkpoints/hornet-tiny-7x7_in1k.pth'
model = dict(
    neck=dict(in_channels=[64, 128, 256, 512]),
    backbone=dict(
        _delete_=True,
        type='mmplugins.HorNet',
        arch='tiny',
        drop_path_rate=0.4,
        out_indices=(0, 1, 2, 3),
        layer_decay_type='layer_wise',
        layer_decay_num_layers=12,
        with_cp=False,
        init_cfg=dict(type='Pretrained', checkpoint=pretrained)))
optim_wrapper = dict(
    _delete_=True,
    type='OptimWrapper',
    constructor='mmplugins.LayerDecayOptimWrapperConstructor',
    optimizer=dict(type='AdamW', lr=2e-4, betas=(0.9, 0.999), weight_decay=0.05),
    paramwise_cfg=dict(layer_decay_rate=0.7))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.001, by_epoch=False, begin=0, end=500),
    dict(type='MultiStepLR', begin=0, end=36, by_epoch=True, milestones=[27, 33], gamma=0.1)
]
auto_scale_lr = dict(enable=False, base_batch_size=16)
