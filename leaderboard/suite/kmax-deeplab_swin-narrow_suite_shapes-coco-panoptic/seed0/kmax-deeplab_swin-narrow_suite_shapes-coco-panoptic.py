auto_scale_lr = dict(base_batch_size=64, enable=False)
backend_args = None
custom_imports = dict(
    allow_failed_imports=False, imports=[
        'mmplugins',
    ])
data_preprocessor = dict(
    batch_augments=[
        dict(
            img_pad_value=0,
            mask_pad_value=0,
            pad_mask=True,
            pad_seg=True,
            seg_pad_value=255,
            size=(
                1281,
                1281,
            ),
            type='BatchFixedSizePad'),
    ],
    bgr_to_rgb=True,
    mask_pad_value=0,
    mean=[
        127.5,
        127.5,
        127.5,
    ],
    pad_mask=True,
    pad_seg=True,
    pad_size_divisor=1281,
    seg_pad_value=255,
    std=[
        127.5,
        127.5,
        127.5,
    ],
    type='DetDataPreprocessor')
data_root = 'data/coco/'
dataset_type = 'mmplugins.CocoPanopticDataset'
default_hooks = dict(
    checkpoint=dict(
        _scope_='mmdet',
        by_epoch=False,
        interval=50,
        max_keep_ckpts=1,
        save_last=True,
        type='CheckpointHook'),
    finite_loss=dict(type='mmplugins.FiniteLossHook'),
    logger=dict(_scope_='mmdet', interval=10, type='LoggerHook'),
    param_scheduler=dict(_scope_='mmdet', type='ParamSchedulerHook'),
    rng_state=dict(type='mmplugins.RNGStateHook'),
    sampler_seed=dict(_scope_='mmdet', type='DistSamplerSeedHook'),
    timer=dict(_scope_='mmdet', type='IterTimerHook'),
    visualization=dict(_scope_='mmdet', type='DetVisualizationHook'))
default_scope = 'mmdet'
env_cfg = dict(
    cudnn_benchmark=False,
    dist_cfg=dict(backend='nccl'),
    mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0))
image_size = (
    1281,
    1281,
)
interval = 5000
kmax_norm = dict(eps=0.001, momentum=0.01, type='SyncBN')
launcher = 'none'
load_from = '/work/main/work_dirs/leaderboard/kmax-deeplab_swin-narrow_suite_shapes-coco-panoptic/seed0/iter_250.pth'
log_level = 'INFO'
log_processor = dict(
    _scope_='mmdet', by_epoch=False, type='LogProcessor', window_size=50)
max_iters = 150000
model = dict(
    backbone=dict(
        arch=dict(
            depths=(
                1,
                1,
                2,
                1,
            ), embed_dims=32, num_heads=(
                1,
                2,
                4,
                8,
            )),
        drop_path_rate=0.1,
        type='mmplugins.SwinTransformer',
        window_size=4),
    data_preprocessor=dict(
        batch_augments=[
            dict(
                img_pad_value=0,
                mask_pad_value=0,
                pad_mask=True,
                pad_seg=True,
                seg_pad_value=255,
                size=(
                    128,
                    128,
                ),
                type='BatchFixedSizePad'),
        ],
        bgr_to_rgb=True,
        mask_pad_value=0,
        mean=[
            127.5,
            127.5,
            127.5,
        ],
        pad_mask=True,
        pad_seg=True,
        pad_size_divisor=128,
        seg_pad_value=255,
        std=[
            127.5,
            127.5,
            127.5,
        ],
        type='DetDataPreprocessor'),
    panoptic_fusion_head=dict(
        num_stuff_classes=3,
        num_things_classes=5,
        type='mmplugins.KMaXFusionHead'),
    panoptic_head=dict(
        aux_semantic=dict(channels=32),
        in_channels=[
            32,
            64,
            128,
            256,
        ],
        loss=dict(
            aux_sem_sample_k=4096,
            aux_sem_sample_temperature=2.0,
            insdis_sample_k=4096,
            insdis_sample_temperature=1.5,
            insdis_temperature=0.3,
            loss_weights=dict(
                aux_sem=1.0, cls=3.0, dice=3.0, insdis=1.0, mask_id=0.3)),
        norm_cfg=dict(eps=0.001, momentum=0.01, type='BN'),
        num_queries=32,
        num_stuff_classes=3,
        num_things_classes=5,
        pixel_decoder=dict(
            dec_channels=[
                128,
                64,
                32,
                16,
            ],
            dec_layers=[
                1,
                1,
                1,
                1,
            ],
            drop_path_rate=0.0,
            layer_types=[
                'axial',
                'axial',
                'bottleneck',
                'bottleneck',
            ],
            num_heads=2),
        transformer_decoder=dict(
            base_filters=32,
            dec_layers=[
                1,
                1,
                1,
            ],
            drop_path_rate=0.2,
            embed_channels=32,
            ffn_channels=128,
            num_heads=2,
            pixel_head_channels=32,
            query_channels=64),
        type='mmplugins.KMaXPanopticHead'),
    test_cfg=dict(
        class_threshold_stuff=0.1,
        class_threshold_thing=0.1,
        instance_on=False,
        max_per_image=100,
        overlap_threshold=0.8,
        panoptic_on=True,
        pixel_confidence_threshold=0.1,
        reorder_class_weight=1.0,
        reorder_mask_weight=1.0,
        semantic_on=False),
    train_cfg=None,
    type='mmplugins.KMaXDeepLab')
num_stuff_classes = 53
num_things_classes = 80
optim_wrapper = dict(
    clip_grad=dict(max_norm=10.0),
    optimizer=dict(
        betas=(
            0.9,
            0.999,
        ), lr=0.001, type='AdamW', weight_decay=0.05),
    type='OptimWrapper')
paper_config = 'kmax-deeplab_swin-t-p4-w7_8xb8-lsj-150k_coco-panoptic'
param_scheduler = [
    dict(begin=0, by_epoch=False, end=25, start_factor=0.01, type='LinearLR'),
    dict(
        begin=25,
        by_epoch=False,
        end=250,
        eta_min=1e-05,
        type='CosineAnnealingLR'),
]
pretrained = 'checkpoints/resnet50_torchvision.pth'
randomness = dict(seed=0)
resume = False
shapes_backend_args = None
shapes_data_root = 'data/shapes/coco/'
shapes_image_scale = (
    128,
    128,
)
shapes_metainfo = dict(
    classes=(
        'circle',
        'square',
        'triangle',
        'star',
        'hexagon',
        'sky',
        'grass',
        'water',
    ),
    palette=[
        (
            220,
            20,
            60,
        ),
        (
            0,
            128,
            255,
        ),
        (
            255,
            165,
            0,
        ),
        (
            148,
            0,
            211,
        ),
        (
            0,
            170,
            0,
        ),
        (
            135,
            206,
            235,
        ),
        (
            124,
            252,
            0,
        ),
        (
            0,
            105,
            148,
        ),
    ],
    stuff_classes=(
        'sky',
        'grass',
        'water',
    ),
    thing_classes=(
        'circle',
        'square',
        'triangle',
        'star',
        'hexagon',
    ))
shapes_num_stuff_classes = 3
shapes_num_things_classes = 5
shapes_panoptic_model = dict(
    backbone=dict(init_cfg=None),
    data_preprocessor=dict(
        batch_augments=[
            dict(
                img_pad_value=0,
                mask_pad_value=0,
                pad_mask=True,
                pad_seg=True,
                seg_pad_value=255,
                size=(
                    128,
                    128,
                ),
                type='BatchFixedSizePad'),
        ],
        pad_size_divisor=128),
    panoptic_fusion_head=dict(num_stuff_classes=3, num_things_classes=5),
    panoptic_head=dict(num_stuff_classes=3, num_things_classes=5))
shapes_test_dataloader = dict(
    dataset=dict(
        data_root='data/shapes/coco/',
        metainfo=dict(
            classes=(
                'circle',
                'square',
                'triangle',
                'star',
                'hexagon',
                'sky',
                'grass',
                'water',
            ),
            palette=[
                (
                    220,
                    20,
                    60,
                ),
                (
                    0,
                    128,
                    255,
                ),
                (
                    255,
                    165,
                    0,
                ),
                (
                    148,
                    0,
                    211,
                ),
                (
                    0,
                    170,
                    0,
                ),
                (
                    135,
                    206,
                    235,
                ),
                (
                    124,
                    252,
                    0,
                ),
                (
                    0,
                    105,
                    148,
                ),
            ],
            stuff_classes=(
                'sky',
                'grass',
                'water',
            ),
            thing_classes=(
                'circle',
                'square',
                'triangle',
                'star',
                'hexagon',
            )),
        pipeline=[
            dict(backend_args=None, type='LoadImageFromFile'),
            dict(keep_ratio=True, scale=(
                128,
                128,
            ), type='Resize'),
            dict(backend_args=None, type='LoadPanopticAnnotations'),
            dict(
                meta_keys=(
                    'img_id',
                    'img_path',
                    'ori_shape',
                    'img_shape',
                    'scale_factor',
                ),
                type='PackDetInputs'),
        ],
        type='mmplugins.CocoPanopticDataset'))
shapes_test_evaluator = dict(
    ann_file='data/shapes/coco/annotations/panoptic_val2017.json',
    seg_prefix='data/shapes/coco/annotations/panoptic_val2017/')
shapes_test_pipeline = [
    dict(backend_args=None, type='LoadImageFromFile'),
    dict(keep_ratio=True, scale=(
        128,
        128,
    ), type='Resize'),
    dict(backend_args=None, type='LoadPanopticAnnotations'),
    dict(
        meta_keys=(
            'img_id',
            'img_path',
            'ori_shape',
            'img_shape',
            'scale_factor',
        ),
        type='PackDetInputs'),
]
shapes_train_dataloader = dict(
    dataset=dict(
        data_root='data/shapes/coco/',
        metainfo=dict(
            classes=(
                'circle',
                'square',
                'triangle',
                'star',
                'hexagon',
                'sky',
                'grass',
                'water',
            ),
            palette=[
                (
                    220,
                    20,
                    60,
                ),
                (
                    0,
                    128,
                    255,
                ),
                (
                    255,
                    165,
                    0,
                ),
                (
                    148,
                    0,
                    211,
                ),
                (
                    0,
                    170,
                    0,
                ),
                (
                    135,
                    206,
                    235,
                ),
                (
                    124,
                    252,
                    0,
                ),
                (
                    0,
                    105,
                    148,
                ),
            ],
            stuff_classes=(
                'sky',
                'grass',
                'water',
            ),
            thing_classes=(
                'circle',
                'square',
                'triangle',
                'star',
                'hexagon',
            )),
        pipeline=[
            dict(backend_args=None, type='LoadImageFromFile'),
            dict(backend_args=None, type='LoadPanopticAnnotations'),
            dict(keep_ratio=True, scale=(
                128,
                128,
            ), type='Resize'),
            dict(prob=0.5, type='RandomFlip'),
            dict(type='PackDetInputs'),
        ],
        type='mmplugins.CocoPanopticDataset'))
shapes_train_pipeline = [
    dict(backend_args=None, type='LoadImageFromFile'),
    dict(backend_args=None, type='LoadPanopticAnnotations'),
    dict(keep_ratio=True, scale=(
        128,
        128,
    ), type='Resize'),
    dict(prob=0.5, type='RandomFlip'),
    dict(type='PackDetInputs'),
]
shapes_val_dataloader = dict(
    dataset=dict(
        data_root='data/shapes/coco/',
        metainfo=dict(
            classes=(
                'circle',
                'square',
                'triangle',
                'star',
                'hexagon',
                'sky',
                'grass',
                'water',
            ),
            palette=[
                (
                    220,
                    20,
                    60,
                ),
                (
                    0,
                    128,
                    255,
                ),
                (
                    255,
                    165,
                    0,
                ),
                (
                    148,
                    0,
                    211,
                ),
                (
                    0,
                    170,
                    0,
                ),
                (
                    135,
                    206,
                    235,
                ),
                (
                    124,
                    252,
                    0,
                ),
                (
                    0,
                    105,
                    148,
                ),
            ],
            stuff_classes=(
                'sky',
                'grass',
                'water',
            ),
            thing_classes=(
                'circle',
                'square',
                'triangle',
                'star',
                'hexagon',
            )),
        pipeline=[
            dict(backend_args=None, type='LoadImageFromFile'),
            dict(keep_ratio=True, scale=(
                128,
                128,
            ), type='Resize'),
            dict(backend_args=None, type='LoadPanopticAnnotations'),
            dict(
                meta_keys=(
                    'img_id',
                    'img_path',
                    'ori_shape',
                    'img_shape',
                    'scale_factor',
                ),
                type='PackDetInputs'),
        ],
        type='mmplugins.CocoPanopticDataset'))
shapes_val_evaluator = dict(
    ann_file='data/shapes/coco/annotations/panoptic_val2017.json',
    seg_prefix='data/shapes/coco/annotations/panoptic_val2017/')
suite_batch_size = 4
suite_custom_imports = dict(
    allow_failed_imports=False, imports=[
        'mmplugins',
    ])
suite_default_hooks = dict(
    checkpoint=dict(by_epoch=False, interval=50, max_keep_ckpts=1),
    finite_loss=dict(type='mmplugins.FiniteLossHook'),
    logger=dict(interval=10),
    rng_state=dict(type='mmplugins.RNGStateHook'))
suite_input_size = (
    128,
    128,
)
suite_kmax_head = dict(
    aux_semantic=dict(channels=32),
    in_channels=[
        64,
        128,
        256,
        512,
    ],
    num_queries=32,
    pixel_decoder=dict(
        dec_channels=[
            128,
            64,
            32,
            16,
        ],
        dec_layers=[
            1,
            1,
            1,
            1,
        ],
        num_heads=2),
    transformer_decoder=dict(
        base_filters=32,
        dec_layers=[
            1,
            1,
            1,
        ],
        embed_channels=32,
        ffn_channels=128,
        num_heads=2,
        pixel_head_channels=32,
        query_channels=64))
suite_log_processor = dict(by_epoch=False)
suite_max_iters = 250
suite_optim_wrapper = dict(
    clip_grad=dict(max_norm=10.0),
    optimizer=dict(
        betas=(
            0.9,
            0.999,
        ), lr=0.001, type='AdamW', weight_decay=0.05),
    type='OptimWrapper')
suite_param_scheduler = [
    dict(begin=0, by_epoch=False, end=25, start_factor=0.01, type='LinearLR'),
    dict(
        begin=25,
        by_epoch=False,
        end=250,
        eta_min=1e-05,
        type='CosineAnnealingLR'),
]
suite_r50_narrow = dict(base_channels=16, depth=50, init_cfg=None)
suite_seeds = [
    0,
    1,
]
suite_task = 'panoptic'
suite_train_cfg = dict(
    max_iters=250, type='IterBasedTrainLoop', val_interval=250)
test_cfg = dict(type='TestLoop')
test_dataloader = dict(
    batch_size=1,
    dataset=dict(
        _scope_='mmdet',
        ann_file='annotations/panoptic_val2017.json',
        backend_args=None,
        data_prefix=dict(img='val2017/', seg='annotations/panoptic_val2017/'),
        data_root='data/shapes/coco/',
        metainfo=dict(
            classes=(
                'circle',
                'square',
                'triangle',
                'star',
                'hexagon',
                'sky',
                'grass',
                'water',
            ),
            palette=[
                (
                    220,
                    20,
                    60,
                ),
                (
                    0,
                    128,
                    255,
                ),
                (
                    255,
                    165,
                    0,
                ),
                (
                    148,
                    0,
                    211,
                ),
                (
                    0,
                    170,
                    0,
                ),
                (
                    135,
                    206,
                    235,
                ),
                (
                    124,
                    252,
                    0,
                ),
                (
                    0,
                    105,
                    148,
                ),
            ],
            stuff_classes=(
                'sky',
                'grass',
                'water',
            ),
            thing_classes=(
                'circle',
                'square',
                'triangle',
                'star',
                'hexagon',
            )),
        pipeline=[
            dict(backend_args=None, type='LoadImageFromFile'),
            dict(keep_ratio=True, scale=(
                128,
                128,
            ), type='Resize'),
            dict(backend_args=None, type='LoadPanopticAnnotations'),
            dict(
                meta_keys=(
                    'img_id',
                    'img_path',
                    'ori_shape',
                    'img_shape',
                    'scale_factor',
                ),
                type='PackDetInputs'),
        ],
        test_mode=True,
        type='mmplugins.CocoPanopticDataset'),
    drop_last=False,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(_scope_='mmdet', shuffle=False, type='DefaultSampler'))
test_evaluator = dict(
    _scope_='mmdet',
    ann_file='data/shapes/coco/annotations/panoptic_val2017.json',
    backend_args=None,
    seg_prefix='data/shapes/coco/annotations/panoptic_val2017/',
    type='CocoPanopticMetric')
test_pipeline = [
    dict(backend_args=None, type='LoadImageFromFile'),
    dict(keep_ratio=True, scale=(
        1281,
        1281,
    ), type='Resize'),
    dict(backend_args=None, type='LoadPanopticAnnotations'),
    dict(
        meta_keys=(
            'img_id',
            'img_path',
            'ori_shape',
            'img_shape',
            'scale_factor',
        ),
        type='PackDetInputs'),
]
train_cfg = dict(max_iters=250, type='IterBasedTrainLoop', val_interval=250)
train_dataloader = dict(
    batch_sampler=dict(_scope_='mmdet', type='AspectRatioBatchSampler'),
    batch_size=4,
    dataset=dict(
        _scope_='mmdet',
        ann_file='annotations/panoptic_train2017.json',
        backend_args=None,
        data_prefix=dict(
            img='train2017/', seg='annotations/panoptic_train2017/'),
        data_root='data/shapes/coco/',
        filter_cfg=dict(filter_empty_gt=True, min_size=32),
        metainfo=dict(
            classes=(
                'circle',
                'square',
                'triangle',
                'star',
                'hexagon',
                'sky',
                'grass',
                'water',
            ),
            palette=[
                (
                    220,
                    20,
                    60,
                ),
                (
                    0,
                    128,
                    255,
                ),
                (
                    255,
                    165,
                    0,
                ),
                (
                    148,
                    0,
                    211,
                ),
                (
                    0,
                    170,
                    0,
                ),
                (
                    135,
                    206,
                    235,
                ),
                (
                    124,
                    252,
                    0,
                ),
                (
                    0,
                    105,
                    148,
                ),
            ],
            stuff_classes=(
                'sky',
                'grass',
                'water',
            ),
            thing_classes=(
                'circle',
                'square',
                'triangle',
                'star',
                'hexagon',
            )),
        pipeline=[
            dict(backend_args=None, type='LoadImageFromFile'),
            dict(backend_args=None, type='LoadPanopticAnnotations'),
            dict(keep_ratio=True, scale=(
                128,
                128,
            ), type='Resize'),
            dict(prob=0.5, type='RandomFlip'),
            dict(type='PackDetInputs'),
        ],
        type='mmplugins.CocoPanopticDataset'),
    num_workers=2,
    persistent_workers=True,
    sampler=dict(_scope_='mmdet', shuffle=True, type='DefaultSampler'))
train_pipeline = [
    dict(backend_args=None, to_float32=True, type='LoadImageFromFile'),
    dict(
        backend_args=None,
        type='LoadPanopticAnnotations',
        with_bbox=True,
        with_mask=True,
        with_seg=True),
    dict(prob=0.5, type='RandomFlip'),
    dict(
        keep_ratio=True,
        ratio_range=(
            0.2,
            2.0,
        ),
        scale=(
            1281,
            1281,
        ),
        type='RandomResize'),
    dict(
        allow_negative_crop=True,
        crop_size=(
            1281,
            1281,
        ),
        crop_type='absolute',
        recompute_bbox=True,
        type='RandomCrop'),
    dict(type='PhotoMetricDistortion'),
    dict(type='PackDetInputs'),
]
val_cfg = dict(type='ValLoop')
val_dataloader = dict(
    batch_size=1,
    dataset=dict(
        _scope_='mmdet',
        ann_file='annotations/panoptic_val2017.json',
        backend_args=None,
        data_prefix=dict(img='val2017/', seg='annotations/panoptic_val2017/'),
        data_root='data/shapes/coco/',
        metainfo=dict(
            classes=(
                'circle',
                'square',
                'triangle',
                'star',
                'hexagon',
                'sky',
                'grass',
                'water',
            ),
            palette=[
                (
                    220,
                    20,
                    60,
                ),
                (
                    0,
                    128,
                    255,
                ),
                (
                    255,
                    165,
                    0,
                ),
                (
                    148,
                    0,
                    211,
                ),
                (
                    0,
                    170,
                    0,
                ),
                (
                    135,
                    206,
                    235,
                ),
                (
                    124,
                    252,
                    0,
                ),
                (
                    0,
                    105,
                    148,
                ),
            ],
            stuff_classes=(
                'sky',
                'grass',
                'water',
            ),
            thing_classes=(
                'circle',
                'square',
                'triangle',
                'star',
                'hexagon',
            )),
        pipeline=[
            dict(backend_args=None, type='LoadImageFromFile'),
            dict(keep_ratio=True, scale=(
                128,
                128,
            ), type='Resize'),
            dict(backend_args=None, type='LoadPanopticAnnotations'),
            dict(
                meta_keys=(
                    'img_id',
                    'img_path',
                    'ori_shape',
                    'img_shape',
                    'scale_factor',
                ),
                type='PackDetInputs'),
        ],
        test_mode=True,
        type='mmplugins.CocoPanopticDataset'),
    drop_last=False,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(_scope_='mmdet', shuffle=False, type='DefaultSampler'))
val_evaluator = dict(
    _scope_='mmdet',
    ann_file='data/shapes/coco/annotations/panoptic_val2017.json',
    backend_args=None,
    seg_prefix='data/shapes/coco/annotations/panoptic_val2017/',
    type='CocoPanopticMetric')
vis_backends = [
    dict(_scope_='mmdet', type='LocalVisBackend'),
]
visualizer = dict(
    _scope_='mmdet',
    name='visualizer',
    type='mmplugins.DetLocalVisualizer',
    vis_backends=[
        dict(type='LocalVisBackend'),
    ])
work_dir = '/work/main/work_dirs/leaderboard/kmax-deeplab_swin-narrow_suite_shapes-coco-panoptic/seed0'
