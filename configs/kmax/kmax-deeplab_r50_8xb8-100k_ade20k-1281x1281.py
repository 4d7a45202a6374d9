# kMaX-DeepLab with ResNet-50 for ADE20K semantic segmentation (mmseg), the paper's ADE20K recipe
# (kMaX-PT configs/ade20k/panoptic_segmentation/kmax_r50.yaml): batch 64 (8 GPUs x 8), 100k
# iterations, AdamW lr 5e-4 wd 0.05, backbone lr x0.1, 5k warm-up with poly decay (0.9),
# large-scale jitter 0.5-2.0 with 1281x1281 crops, test with the long side at 1281 and
# zero-padding to 1281x1281.
# The official model trains on ADE20K panoptic labels; this head learns from semantic labels
# (one segment per class present).
_base_ = ['../_base_/datasets/ade20k.py', '../_base_/default_runtime_seg.py']

crop_size = (1281, 1281)
num_classes = 150
kmax_norm = dict(type='SyncBN', eps=1e-3, momentum=0.01)
pretrained = 'checkpoints/resnet50_torchvision.pth'  # torchvision ImageNet-1k ResNet-50

data_preprocessor = dict(
    type='SegDataPreProcessor',
    mean=[127.5, 127.5, 127.5],
    std=[127.5, 127.5, 127.5],
    bgr_to_rgb=True,
    pad_val=0,
    seg_pad_val=255,
    size=crop_size,
    # the released model zero-pads test images to 1281x1281 too (kMaX-PT kmax_model.py); the
    # positional encodings and k-means assignment depend on the padded size. Drop test_cfg to
    # evaluate on unpadded inputs.
    test_cfg=dict(size=crop_size))
model = dict(
    type='EncoderDecoder',
    data_preprocessor=data_preprocessor,
    backbone=dict(
        type='mmseg.ResNet',
        depth=50,
        num_stages=4,
        out_indices=(0, 1, 2, 3),
        dilations=(1, 1, 1, 1),
        strides=(1, 2, 2, 2),
        norm_cfg=kmax_norm,
        norm_eval=False,
        style='pytorch',
        init_cfg=dict(type='Pretrained', checkpoint=pretrained)),
    decode_head=dict(
        type='mmplugins.KMaXHead',
        in_channels=[256, 512, 1024, 2048],
        num_classes=num_classes,
        num_queries=128,
        pixel_decoder=dict(
            dec_layers=[1, 5, 1, 1],
            dec_channels=[512, 256, 128, 64],
            layer_types=['axial', 'axial', 'bottleneck', 'bottleneck'],
            drop_path_rate=0.0),
        transformer_decoder=dict(dec_layers=[2, 2, 2], drop_path_rate=0.0),
        aux_semantic=dict(channels=256),
        loss=dict(loss_weights=dict(cls=3.0, dice=3.0, mask_id=0.3, insdis=1.0, aux_sem=1.0)),
        norm_cfg=kmax_norm),
    train_cfg=dict(),
    test_cfg=dict(mode='whole'))

train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations', reduce_zero_label=True),
    dict(type='RandomResize', scale=crop_size, ratio_range=(0.5, 2.0), keep_ratio=True),
    dict(type='RandomCrop', crop_size=crop_size, cat_max_ratio=1.0),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PhotoMetricDistortion'),
    dict(type='PackSegInputs')
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=crop_size, keep_ratio=True),
    dict(type='LoadAnnotations', reduce_zero_label=True),
    dict(type='PackSegInputs')
]
train_dataloader = dict(batch_size=8, dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(batch_size=1, dataset=dict(pipeline=test_pipeline))
test_dataloader = val_dataloader

optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='AdamW', lr=5e-4, weight_decay=0.05, betas=(0.9, 0.999), eps=1e-8),
    paramwise_cfg=dict(
        norm_decay_mult=0.0,
        bias_decay_mult=0.0,
        custom_keys={
            'backbone': dict(lr_mult=0.1),
            '_rpe.': dict(decay_mult=0.0),
            'cluster_centers': dict(decay_mult=0.0),
        }))
max_iters = 100000
# the released TF2WarmupPolyLR (see the COCO config and mmplugins.TF2WarmupPolyLR)
param_scheduler = [
    dict(type='mmplugins.TF2WarmupPolyLR', warmup_iters=5000, warmup_factor=1e-3, power=0.9,
         by_epoch=False, begin=0, end=max_iters)
]
train_cfg = dict(type='IterBasedTrainLoop', max_iters=max_iters, val_interval=5000)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
# mmseg keeps its hooks in the schedule files, which this config does not inherit: its own
# list, with the toolkit's safety hooks as in configs/_base_/schedules/.
default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=50, log_metric_by_epoch=False),
    param_scheduler=dict(type='ParamSchedulerHook'),
    checkpoint=dict(type='CheckpointHook', by_epoch=False, interval=5000, max_keep_ckpts=3),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    visualization=dict(type='SegVisualizationHook'),
    finite_loss=dict(type='mmplugins.FiniteLossHook'),
    rng_state=dict(type='mmplugins.RNGStateHook'))
