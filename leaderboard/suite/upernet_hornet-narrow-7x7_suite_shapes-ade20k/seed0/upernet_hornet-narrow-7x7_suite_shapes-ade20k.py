crop_size = (
    512,
    512,
)
custom_imports = dict(
    allow_failed_imports=False, imports=[
        'mmplugins',
    ])
data_preprocessor = dict(
    _scope_='mmseg',
    bgr_to_rgb=True,
    mean=[
        123.675,
        116.28,
        103.53,
    ],
    pad_val=0,
    seg_pad_val=255,
    std=[
        58.395,
        57.12,
        57.375,
    ],
    type='SegDataPreProcessor')
data_root = 'data/ade/ADEChallengeData2016'
dataset_type = 'mmplugins.ADE20KDataset'
default_hooks = dict(
    checkpoint=dict(
        _scope_='mmseg',
        by_epoch=False,
        interval=50,
        max_keep_ckpts=1,
        type='CheckpointHook'),
    finite_loss=dict(type='mmplugins.FiniteLossHook'),
    logger=dict(
        _scope_='mmseg',
        interval=10,
        log_metric_by_epoch=False,
        type='LoggerHook'),
    param_scheduler=dict(_scope_='mmseg', type='ParamSchedulerHook'),
    rng_state=dict(type='mmplugins.RNGStateHook'),
    sampler_seed=dict(_scope_='mmseg', type='DistSamplerSeedHook'),
    timer=dict(_scope_='mmseg', type='IterTimerHook'),
    visualization=dict(_scope_='mmseg', type='SegVisualizationHook'))
default_scope = 'mmseg'
demo_input_size = (
    128,
    128,
)
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
launcher = 'none'
load_from = None
log_level = 'INFO'
log_processor = dict(by_epoch=False)
max_iters = 1200
model = dict(
    _scope_='mmseg',
    auxiliary_head=dict(
        align_corners=False,
        channels=32,
        concat_input=False,
        dropout_ratio=0.1,
        in_channels=128,
        in_index=2,
        loss_decode=dict(
            loss_weight=0.4, type='CrossEntropyLoss', use_sigmoid=False),
        norm_cfg=dict(requires_grad=True, type='BN'),
        num_classes=8,
        num_convs=1,
        type='FCNHead'),
    backbone=dict(
        arch=dict(
            depths=(
                1,
                1,
                2,
                1,
            ),
            embed_dims=32,
            mixers=[
                dict(kernel_size=7, type='dw'),
                dict(kernel_size=7, type='dw'),
                dict(kernel_size=7, type='dw'),
                dict(kernel_size=7, type='dw'),
            ],
            orders=(
                2,
                3,
                4,
                5,
            )),
        drop_path_rate=0.1,
        type='mmplugins.HorNet'),
    data_preprocessor=dict(
        bgr_to_rgb=True,
        mean=[
            123.675,
            116.28,
            103.53,
        ],
        pad_val=0,
        seg_pad_val=255,
        size=(
            128,
            128,
        ),
        std=[
            58.395,
            57.12,
            57.375,
        ],
        type='SegDataPreProcessor'),
    decode_head=dict(
        align_corners=False,
        channels=64,
        dropout_ratio=0.1,
        in_channels=[
            32,
            64,
            128,
            256,
        ],
        in_index=[
            0,
            1,
            2,
            3,
        ],
        loss_decode=dict(
            loss_weight=1.0, type='CrossEntropyLoss', use_sigmoid=False),
        norm_cfg=dict(requires_grad=True, type='BN'),
        num_classes=8,
        pool_scales=(
            1,
            2,
            3,
            6,
        ),
        type='UPerHead'),
    pretrained=None,
    test_cfg=dict(mode='whole'),
    train_cfg=dict(),
    type='EncoderDecoder')
norm_cfg = dict(_scope_='mmseg', requires_grad=True, type='BN')
optim_wrapper = dict(
    clip_grad=dict(max_norm=10.0),
    optimizer=dict(
        betas=(
            0.9,
            0.999,
        ), lr=0.001, type='AdamW', weight_decay=0.05),
    type='OptimWrapper')
optimizer = dict(
    _scope_='mmseg', lr=0.01, momentum=0.9, type='SGD', weight_decay=0.0005)
paper_config = 'upernet_hornet-tiny-7x7_160k_ade20k-512x512'
param_scheduler = [
    dict(begin=0, by_epoch=False, end=25, start_factor=0.01, type='LinearLR'),
    dict(
        begin=25,
        by_epoch=False,
        end=250,
        eta_min=1e-05,
        type='CosineAnnealingLR'),
]
pretrained = 'checkpoints/swin-tiny_in1k.pth'
randomness = dict(seed=0)
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
suite_seeds = [
    0,
    1,
]
suite_task = 'semantic'
suite_train_cfg = dict(
    max_iters=250, type='IterBasedTrainLoop', val_interval=250)
test_cfg = dict(_scope_='mmseg', type='TestLoop')
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
    dict(_scope_='mmseg', type='LoadImageFromFile'),
    dict(_scope_='mmseg', keep_ratio=True, scale=(
        2048,
        512,
    ), type='Resize'),
    dict(_scope_='mmseg', reduce_zero_label=True, type='LoadAnnotations'),
    dict(_scope_='mmseg', type='PackSegInputs'),
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
    num_workers=2,
    persistent_workers=True,
    sampler=dict(_scope_='mmseg', shuffle=True, type='InfiniteSampler'))
train_pipeline = [
    dict(_scope_='mmseg', type='LoadImageFromFile'),
    dict(_scope_='mmseg', reduce_zero_label=True, type='LoadAnnotations'),
    dict(
        _scope_='mmseg',
        keep_ratio=True,
        ratio_range=(
            0.5,
            2.0,
        ),
        scale=(
            2048,
            512,
        ),
        type='RandomResize'),
    dict(
        _scope_='mmseg',
        cat_max_ratio=0.75,
        crop_size=(
            512,
            512,
        ),
        type='RandomCrop'),
    dict(_scope_='mmseg', prob=0.5, type='RandomFlip'),
    dict(_scope_='mmseg', type='PhotoMetricDistortion'),
    dict(_scope_='mmseg', type='PackSegInputs'),
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
val_cfg = dict(_scope_='mmseg', type='ValLoop')
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
work_dir = '/work/main/work_dirs/leaderboard/upernet_hornet-narrow-7x7_suite_shapes-ade20k/seed0'
