# kMaX-DeepLab with ResNet-50 on COCO panoptic, the paper's recipe (kMaX-PT
# configs/coco/panoptic_segmentation/kmax_r50.yaml): batch 64 (8 GPUs x 8), 150k iterations,
# AdamW lr 5e-4 wd 0.05, backbone lr x0.1, 5k-iteration linear warm-up (factor 1e-3) with poly
# decay (power 0.9), large-scale jitter 0.2-2.0 with 1281x1281 crops, inputs scaled to [-1, 1],
# test images resized to a long side of 1281 and zero-padded to 1281x1281.
# Not reproduced: the panoptic copy-paste augmentation and mixed precision.
_base_ = ['../_base_/datasets/coco_panoptic.py', '../_base_/default_runtime_det.py']

image_size = (1281, 1281)
num_things_classes = 80
num_stuff_classes = 53
# TF batch-norm defaults of DeepLab2 (decay 0.99), in the backbone too.
kmax_norm = dict(type='SyncBN', eps=1e-3, momentum=0.01)
pretrained = 'checkpoints/resnet50_torchvision.pth'  # torchvision ImageNet-1k ResNet-50

data_preprocessor = dict(
    type='DetDataPreprocessor',
    mean=[127.5, 127.5, 127.5],
    std=[127.5, 127.5, 127.5],
    bgr_to_rgb=True,
    # The released model zero-pads every image, in training and at test, to the fixed
    # 1281x1281 input its positional encodings and k-means assignment were trained at
    # (kMaX-PT kmax_model.py: F.pad to input_shape after normalisation). BatchFixedSizePad runs
    # in training only, so the test-time pad comes from the divisor: an image whose long side
    # is at most 1281 pads to exactly 1281x1281 (with 0 after normalisation, as released).
    # pad_size_divisor=1 evaluates on unpadded inputs instead.
    pad_size_divisor=image_size[0],
    pad_mask=True,
    mask_pad_value=0,
    pad_seg=True,
    seg_pad_value=255,
    batch_augments=[
        dict(type='BatchFixedSizePad', size=image_size, img_pad_value=0, pad_mask=True,
             mask_pad_value=0, pad_seg=True, seg_pad_value=255)
    ])
model = dict(
    type='mmplugins.KMaXDeepLab',
    data_preprocessor=data_preprocessor,
    backbone=dict(
        type='mmdet.ResNet',
        depth=50,
        num_stages=4,
        out_indices=(0, 1, 2, 3),
        frozen_stages=-1,
        norm_cfg=kmax_norm,
        norm_eval=False,
        style='pytorch',
        init_cfg=dict(type='Pretrained', checkpoint=pretrained)),
    panoptic_head=dict(
        type='mmplugins.KMaXPanopticHead',
        in_channels=[256, 512, 1024, 2048],
        num_things_classes=num_things_classes,
        num_stuff_classes=num_stuff_classes,
        num_queries=128,
        pixel_decoder=dict(
            dec_layers=[1, 5, 1, 1],
            dec_channels=[512, 256, 128, 64],
            layer_types=['axial', 'axial', 'bottleneck', 'bottleneck'],
            drop_path_rate=0.0),
        transformer_decoder=dict(dec_layers=[2, 2, 2], drop_path_rate=0.2),
        aux_semantic=dict(channels=256),
        loss=dict(
            loss_weights=dict(cls=3.0, dice=3.0, mask_id=0.3, insdis=1.0, aux_sem=1.0),
            insdis_sample_k=4096, insdis_sample_temperature=1.5, insdis_temperature=0.3,
            aux_sem_sample_k=4096, aux_sem_sample_temperature=2.0),
        norm_cfg=kmax_norm),
    panoptic_fusion_head=dict(
        type='mmplugins.KMaXFusionHead',
        num_things_classes=num_things_classes,
        num_stuff_classes=num_stuff_classes),
    train_cfg=None,
    test_cfg=dict(
        panoptic_on=True,
        semantic_on=False,
        instance_on=False,
        pixel_confidence_threshold=0.4,
        class_threshold_thing=0.7,
        class_threshold_stuff=0.5,
        overlap_threshold=0.8,
        reorder_class_weight=1.0,
        reorder_mask_weight=1.0,
        max_per_image=100))

backend_args = None
train_pipeline = [
    dict(type='LoadImageFromFile', to_float32=True, backend_args=backend_args),
    dict(type='LoadPanopticAnnotations', with_bbox=True, with_mask=True, with_seg=True,
         backend_args=backend_args),
    dict(type='RandomFlip', prob=0.5),
    dict(type='RandomResize', scale=image_size, ratio_range=(0.2, 2.0), keep_ratio=True),
    dict(type='RandomCrop', crop_size=image_size, crop_type='absolute', recompute_bbox=True,
         allow_negative_crop=True),
    dict(type='PhotoMetricDistortion'),  # the official ColorAugSSDTransform
    dict(type='PackDetInputs')
]
test_pipeline = [
    dict(type='LoadImageFromFile', backend_args=backend_args),
    dict(type='Resize', scale=image_size, keep_ratio=True),
    dict(type='LoadPanopticAnnotations', backend_args=backend_args),
    dict(type='PackDetInputs',
         meta_keys=('img_id', 'img_path', 'ori_shape', 'img_shape', 'scale_factor'))
]
train_dataloader = dict(batch_size=8, dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=test_pipeline))
test_dataloader = val_dataloader

# no weight decay on norms, biases, relative position embeddings and cluster centres
# (kMaX-PT train_net.py build_optimizer).
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

max_iters = 150000
# the released TF2WarmupPolyLR (kMaX-PT train_net_utils.py): 5k linear warm-up from 1e-3, then
# poly(0.9) over all 150k iterations (no poly during the warm-up), see mmplugins.TF2WarmupPolyLR.
param_scheduler = [
    dict(type='mmplugins.TF2WarmupPolyLR', warmup_iters=5000, warmup_factor=1e-3, power=0.9,
         by_epoch=False, begin=0, end=max_iters)
]
interval = 5000
train_cfg = dict(type='IterBasedTrainLoop', max_iters=max_iters, val_interval=interval)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
default_hooks = dict(
    checkpoint=dict(type='CheckpointHook', by_epoch=False, save_last=True, max_keep_ckpts=3,
                    interval=interval))
log_processor = dict(type='LogProcessor', window_size=50, by_epoch=False)
auto_scale_lr = dict(enable=False, base_batch_size=64)
