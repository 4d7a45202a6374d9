crop_size = (
    1281,
    1281,
)
custom_imports = dict(
    allow_failed_imports=False, imports=[
        'mmplugins',
    ])
data_preprocessor = dict(
    bgr_to_rgb=True,
    mean=[
        127.5,
        127.5,
        127.5,
    ],
    pad_val=0,
    seg_pad_val=255,
    size=(
        1281,
        1281,
    ),
    std=[
        127.5,
        127.5,
        127.5,
    ],
    test_cfg=dict(size=(
        1281,
        1281,
    )),
    type='SegDataPreProcessor')
data_root = 'data/ade/ADEChallengeData2016'
dataset_type = 'mmplugins.ADE20KDataset'
default_hooks = dict(
    checkpoint=dict(
        by_epoch=False, interval=50, max_keep_ckpts=1, type='CheckpointHook'),
    finite_loss=dict(type='mmplugins.FiniteLossHook'),
    logger=dict(interval=10, log_metric_by_epoch=False, type='LoggerHook'),
    param_scheduler=dict(type='ParamSchedulerHook'),
    rng_state=dict(type='mmplugins.RNGStateHook'),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    timer=dict(type='IterTimerHook'),
    visualization=dict(type='SegVisualizationHook'))
default_scope = 'mmseg'
env_cfg = dict(
    cudnn_benchmark=True,
    dist_cfg=dict(backend='nccl'),
    mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0))
img_ratios = [
    0.5,
    0.75,
    1.0,
    1.25,
    1.5,
    1.75,
]
kmax_norm = dict(eps=0.001, momentum=0.01, type='SyncBN')
launcher = 'none'
load_from = None
log_level = 'INFO'
log_processor = dict(by_epoch=False)
max_iters = 100000
model = dict(
    backbone=dict(
        base_channels=16,
        depth=50,
        dilations=(
            1,
            1,
            1,
            1,
        ),
        init_cfg=None,
        norm_cfg=dict(eps=0.001, momentum=0.01, type='BN'),
        norm_eval=False,
        num_stages=4,
        out_indices=(
            0,
            1,
            2,
            3,
        ),
        strides=(
            1,
            2,
            2,
            2,
        ),
        style='pytorch',
        type='mmseg.ResNet'),
    data_preprocessor=dict(
        bgr_to_rgb=True,
        mean=[
            127.5,
            127.5,
            127.5,
        ],
        pad_val=0,
        seg_pad_val=255,
        size=(
            128,
            128,
        ),
        std=[
            127.5,
            127.5,
            127.5,
        ],
        test_cfg=dict(size=(
            128,
            128,
        )),
        type='SegDataPreProcessor'),
    decode_head=dict(
        aux_semantic=dict(channels=32),
        in_channels=[
            64,
            128,
            256,
            512,
        ],
        loss=dict(
            loss_weights=dict(
                aux_sem=1.0, cls=3.0, dice=3.0, insdis=1.0, mask_id=0.3)),
        norm_cfg=dict(eps=0.001, momentum=0.01, type='BN'),
        num_classes=8,
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
            drop_path_rate=0.0,
            embed_channels=32,
            ffn_channels=128,
            num_heads=2,
            pixel_head_channels=32,
            query_channels=64),
        type='mmplugins.KMaXHead'),
    test_cfg=dict(mode='whole'),
    train_cfg=dict(),
    type='EncoderDecoder')
num_classes = 150
optim_wrapper = dict(
    clip_grad=dict(max_norm=10.0),
    optimizer=dict(
        betas=(
            0.9,
            0.999,
        ), lr=0.001, type='AdamW', weight_decay=0.05),
    type='OptimWrapper')
paper_config = 'kmax-deeplab_r50_8xb8-100k_ade20k-1281x1281'
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
randomness = dict(seed=1)
resume = False
shapes_crop_size = (
    128,
    128,
)
shapes_data_root = 'data/shapes/ade/ADEChallengeData2016'
shapes_dataset = dict(
    data_root='data/shapes/ade/ADEChallengeData2016',
    img_suffix='.jpg',
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
        ]),
    reduce_zero_label=True,
    seg_map_suffix='.png',
    type='mmplugins.BaseSegDataset')
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
    ])
shapes_num_classes = 8
shapes_test_dataloader = dict(
    dataset=dict(
        data_root='data/shapes/ade/ADEChallengeData2016',
        img_suffix='.jpg',
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
            ]),
        pipeline=[
            dict(type='LoadImageFromFile'),
            dict(keep_ratio=True, scale=(
                128,
                128,
            ), type='Resize'),
            dict(reduce_zero_label=True, type='LoadAnnotations'),
            dict(type='PackSegInputs'),
        ],
        reduce_zero_label=True,
        seg_map_suffix='.png',
        type='mmplugins.BaseSegDataset'))
shapes_test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(keep_ratio=True, scale=(
        128,
        128,
    ), type='Resize'),
    dict(reduce_zero_label=True, type='LoadAnnotations'),
    dict(type='PackSegInputs'),
]
shapes_train_dataloader = dict(
    dataset=dict(
        data_root='data/shapes/ade/ADEChallengeData2016',
        img_suffix='.jpg',
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
            ]),
        pipeline=[
            dict(type='LoadImageFromFile'),
            dict(reduce_zero_label=True, type='LoadAnnotations'),
            dict(
                keep_ratio=True,
                ratio_range=(
                    0.75,
                    1.5,
                ),
                scale=(
                    128,
                    128,
                ),
                type='RandomResize'),
            dict(
                cat_max_ratio=0.75, crop_size=(
                    128,
                    128,
                ), type='RandomCrop'),
            dict(prob=0.5, type='RandomFlip'),
            dict(type='PhotoMetricDistortion'),
            dict(type='PackSegInputs'),
        ],
        reduce_zero_label=True,
        seg_map_suffix='.png',
        type='mmplugins.BaseSegDataset'))
shapes_train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(reduce_zero_label=True, type='LoadAnnotations'),
    dict(
        keep_ratio=True,
        ratio_range=(
            0.75,
            1.5,
        ),
        scale=(
            128,
            128,
        ),
        type='RandomResize'),
    dict(cat_max_ratio=0.75, crop_size=(
        128,
        128,
    ), type='RandomCrop'),
    dict(prob=0.5, type='RandomFlip'),
    dict(type='PhotoMetricDistortion'),
    dict(type='PackSegInputs'),
]
shapes_val_dataloader = dict(
    dataset=dict(
        data_root='data/shapes/ade/ADEChallengeData2016',
        img_suffix='.jpg',
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
            ]),
        pipeline=[
            dict(type='LoadImageFromFile'),
            dict(keep_ratio=True, scale=(
                128,
                128,
            ), type='Resize'),
            dict(reduce_zero_label=True, type='LoadAnnotations'),
            dict(type='PackSegInputs'),
        ],
        reduce_zero_label=True,
        seg_map_suffix='.png',
        type='mmplugins.BaseSegDataset'))
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
suite_task = 'semantic'
suite_train_cfg = dict(
    max_iters=250, type='IterBasedTrainLoop', val_interval=250)
test_cfg = dict(type='TestLoop')
test_dataloader = dict(
    batch_size=1,
    dataset=dict(
        _scope_='mmseg',
        data_prefix=dict(
            img_path='images/validation',
            seg_map_path='annotations/validation'),
        data_root='data/shapes/ade/ADEChallengeData2016',
        img_suffix='.jpg',
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
            ]),
        pipeline=[
            dict(type='LoadImageFromFile'),
            dict(keep_ratio=True, scale=(
                128,
                128,
            ), type='Resize'),
            dict(reduce_zero_label=True, type='LoadAnnotations'),
            dict(type='PackSegInputs'),
        ],
        reduce_zero_label=True,
        seg_map_suffix='.png',
        type='mmplugins.BaseSegDataset'),
    num_workers=4,
    persistent_workers=True,
    sampler=dict(_scope_='mmseg', shuffle=False, type='DefaultSampler'))
test_evaluator = dict(
    _scope_='mmseg', iou_metrics=[
        'mIoU',
    ], type='IoUMetric')
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(keep_ratio=True, scale=(
        1281,
        1281,
    ), type='Resize'),
    dict(reduce_zero_label=True, type='LoadAnnotations'),
    dict(type='PackSegInputs'),
]
train_cfg = dict(max_iters=250, type='IterBasedTrainLoop', val_interval=250)
train_dataloader = dict(
    batch_size=4,
    dataset=dict(
        _scope_='mmseg',
        data_prefix=dict(
            img_path='images/training', seg_map_path='annotations/training'),
        data_root='data/shapes/ade/ADEChallengeData2016',
        img_suffix='.jpg',
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
            ]),
        pipeline=[
            dict(type='LoadImageFromFile'),
            dict(reduce_zero_label=True, type='LoadAnnotations'),
            dict(
                keep_ratio=True,
                ratio_range=(
                    0.75,
                    1.5,
                ),
                scale=(
                    128,
                    128,
                ),
                type='RandomResize'),
            dict(
                cat_max_ratio=0.75, crop_size=(
                    128,
                    128,
                ), type='RandomCrop'),
            dict(prob=0.5, type='RandomFlip'),
            dict(type='PhotoMetricDistortion'),
            dict(type='PackSegInputs'),
        ],
        reduce_zero_label=True,
        seg_map_suffix='.png',
        type='mmplugins.BaseSegDataset'),
    num_workers=4,
    persistent_workers=True,
    sampler=dict(_scope_='mmseg', shuffle=True, type='InfiniteSampler'))
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(reduce_zero_label=True, type='LoadAnnotations'),
    dict(
        keep_ratio=True,
        ratio_range=(
            0.5,
            2.0,
        ),
        scale=(
            1281,
            1281,
        ),
        type='RandomResize'),
    dict(cat_max_ratio=1.0, crop_size=(
        1281,
        1281,
    ), type='RandomCrop'),
    dict(prob=0.5, type='RandomFlip'),
    dict(type='PhotoMetricDistortion'),
    dict(type='PackSegInputs'),
]
tta_model = dict(_scope_='mmseg', type='SegTTAModel')
tta_pipeline = [
    dict(_scope_='mmseg', backend_args=None, type='LoadImageFromFile'),
    dict(
        _scope_='mmseg',
        transforms=[
            [
                dict(keep_ratio=True, scale_factor=0.5, type='Resize'),
                dict(keep_ratio=True, scale_factor=0.75, type='Resize'),
                dict(keep_ratio=True, scale_factor=1.0, type='Resize'),
                dict(keep_ratio=True, scale_factor=1.25, type='Resize'),
                dict(keep_ratio=True, scale_factor=1.5, type='Resize'),
                dict(keep_ratio=True, scale_factor=1.75, type='Resize'),
            ],
            [
                dict(direction='horizontal', prob=0.0, type='RandomFlip'),
                dict(direction='horizontal', prob=1.0, type='RandomFlip'),
            ],
            [
                dict(type='LoadAnnotations'),
            ],
            [
                dict(type='PackSegInputs'),
            ],
        ],
        type='TestTimeAug'),
]
val_cfg = dict(type='ValLoop')
val_dataloader = dict(
    batch_size=1,
    dataset=dict(
        _scope_='mmseg',
        data_prefix=dict(
            img_path='images/validation',
            seg_map_path='annotations/validation'),
        data_root='data/shapes/ade/ADEChallengeData2016',
        img_suffix='.jpg',
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
            ]),
        pipeline=[
            dict(type='LoadImageFromFile'),
            dict(keep_ratio=True, scale=(
                128,
                128,
            ), type='Resize'),
            dict(reduce_zero_label=True, type='LoadAnnotations'),
            dict(type='PackSegInputs'),
        ],
        reduce_zero_label=True,
        seg_map_suffix='.png',
        type='mmplugins.BaseSegDataset'),
    num_workers=4,
    persistent_workers=True,
    sampler=dict(_scope_='mmseg', shuffle=False, type='DefaultSampler'))
val_evaluator = dict(
    _scope_='mmseg', iou_metrics=[
        'mIoU',
    ], type='IoUMetric')
vis_backends = [
    dict(_scope_='mmseg', type='LocalVisBackend'),
]
visualizer = dict(
    _scope_='mmseg',
    name='visualizer',
    type='SegLocalVisualizer',
    vis_backends=[
        dict(type='LocalVisBackend'),
    ])
work_dir = '/work/main/work_dirs/leaderboard/kmax-deeplab_r50-narrow_suite_shapes-ade20k/seed1'
