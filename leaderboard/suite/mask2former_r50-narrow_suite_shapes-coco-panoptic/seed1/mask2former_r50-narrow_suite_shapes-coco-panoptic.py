auto_scale_lr = dict(base_batch_size=16, enable=False)
backend_args = None
batch_augments = [
    dict(
        _scope_='mmdet',
        img_pad_value=0,
        mask_pad_value=0,
        pad_mask=True,
        pad_seg=True,
        seg_pad_value=255,
        size=(
            1024,
            1024,
        ),
        type='BatchFixedSizePad'),
]
ch = 64
custom_imports = dict(
    allow_failed_imports=False, imports=[
        'mmplugins',
    ])
data_preprocessor = dict(
    _scope_='mmdet',
    batch_augments=[
        dict(
            img_pad_value=0,
            mask_pad_value=0,
            pad_mask=True,
            pad_seg=True,
            seg_pad_value=255,
            size=(
                1024,
                1024,
            ),
            type='BatchFixedSizePad'),
    ],
    bgr_to_rgb=True,
    mask_pad_value=0,
    mean=[
        123.675,
        116.28,
        103.53,
    ],
    pad_mask=True,
    pad_seg=True,
    pad_size_divisor=32,
    seg_pad_value=255,
    std=[
        58.395,
        57.12,
        57.375,
    ],
    type='DetDataPreprocessor')
data_root = 'data/coco/'
dataset_type = 'CocoPanopticDataset'
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
dynamic_intervals = [
    (
        365001,
        368750,
    ),
]
embed_multi = dict(decay_mult=0.0, lr_mult=1.0)
env_cfg = dict(
    cudnn_benchmark=False,
    dist_cfg=dict(backend='nccl'),
    mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0))
ffn = dict(
    act_cfg=dict(inplace=True, type='ReLU'),
    embed_dims=64,
    feedforward_channels=256,
    ffn_drop=0.0,
    num_fcs=2)
image_size = (
    1024,
    1024,
)
interval = 5000
launcher = 'none'
layer = dict(batch_first=True, dropout=0.0, embed_dims=64, num_heads=4)
load_from = None
log_level = 'INFO'
log_processor = dict(
    _scope_='mmdet', by_epoch=False, type='LogProcessor', window_size=50)
max_iters = 368750
model = dict(
    _scope_='mmdet',
    backbone=dict(
        base_channels=16,
        depth=50,
        frozen_stages=-1,
        init_cfg=None,
        norm_cfg=dict(requires_grad=True, type='BN'),
        norm_eval=False,
        num_stages=4,
        out_indices=(
            0,
            1,
            2,
            3,
        ),
        style='pytorch',
        type='ResNet'),
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
            123.675,
            116.28,
            103.53,
        ],
        pad_mask=True,
        pad_seg=True,
        pad_size_divisor=128,
        seg_pad_value=255,
        std=[
            58.395,
            57.12,
            57.375,
        ],
        type='DetDataPreprocessor'),
    init_cfg=None,
    panoptic_fusion_head=dict(
        init_cfg=None,
        loss_panoptic=None,
        num_stuff_classes=3,
        num_things_classes=5,
        type='MaskFormerFusionHead'),
    panoptic_head=dict(
        enforce_decoder_input_project=False,
        feat_channels=64,
        in_channels=[
            64,
            128,
            256,
            512,
        ],
        loss_cls=dict(
            class_weight=[
                1.0,
                1.0,
                1.0,
                1.0,
                1.0,
                1.0,
                1.0,
                1.0,
                0.1,
            ],
            loss_weight=2.0,
            reduction='mean',
            type='CrossEntropyLoss',
            use_sigmoid=False),
        loss_dice=dict(
            activate=True,
            eps=1.0,
            loss_weight=5.0,
            naive_dice=True,
            reduction='mean',
            type='DiceLoss',
            use_sigmoid=True),
        loss_mask=dict(
            loss_weight=5.0,
            reduction='mean',
            type='CrossEntropyLoss',
            use_sigmoid=True),
        num_queries=32,
        num_stuff_classes=3,
        num_things_classes=5,
        num_transformer_feat_level=3,
        out_channels=64,
        pixel_decoder=dict(
            act_cfg=dict(type='ReLU'),
            encoder=dict(
                layer_cfg=dict(
                    ffn_cfg=dict(
                        act_cfg=dict(inplace=True, type='ReLU'),
                        embed_dims=64,
                        feedforward_channels=256,
                        ffn_drop=0.0,
                        num_fcs=2),
                    self_attn_cfg=dict(
                        batch_first=True,
                        dropout=0.0,
                        embed_dims=64,
                        num_heads=4,
                        num_levels=3,
                        num_points=4)),
                num_layers=2),
            norm_cfg=dict(num_groups=32, type='GN'),
            num_outs=3,
            positional_encoding=dict(normalize=True, num_feats=32),
            type='MSDeformAttnPixelDecoder'),
        positional_encoding=dict(normalize=True, num_feats=32),
        strides=[
            4,
            8,
            16,
            32,
        ],
        transformer_decoder=dict(
            init_cfg=None,
            layer_cfg=dict(
                cross_attn_cfg=dict(
                    batch_first=True, dropout=0.0, embed_dims=64, num_heads=4),
                ffn_cfg=dict(
                    act_cfg=dict(inplace=True, type='ReLU'),
                    embed_dims=64,
                    feedforward_channels=256,
                    ffn_drop=0.0,
                    num_fcs=2),
                self_attn_cfg=dict(
                    batch_first=True, dropout=0.0, embed_dims=64,
                    num_heads=4)),
            num_layers=3,
            return_intermediate=True),
        type='Mask2FormerHead'),
    test_cfg=dict(
        filter_low_score=True,
        instance_on=True,
        iou_thr=0.8,
        max_per_image=32,
        panoptic_on=True,
        semantic_on=False),
    train_cfg=dict(
        assigner=dict(
            match_costs=[
                dict(type='ClassificationCost', weight=2.0),
                dict(
                    type='CrossEntropyLossCost', use_sigmoid=True, weight=5.0),
                dict(eps=1.0, pred_act=True, type='DiceCost', weight=5.0),
            ],
            type='HungarianAssigner'),
        importance_sample_ratio=0.75,
        num_points=1024,
        oversample_ratio=3.0,
        sampler=dict(type='MaskPseudoSampler')),
    type='Mask2Former')
num_classes = 133
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
paper_config = None
param_scheduler = [
    dict(begin=0, by_epoch=False, end=25, start_factor=0.01, type='LinearLR'),
    dict(
        begin=25,
        by_epoch=False,
        end=250,
        eta_min=1e-05,
        type='CosineAnnealingLR'),
]
randomness = dict(seed=1)
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
stuff = 3
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
suite_task = 'panoptic'
suite_train_cfg = dict(
    max_iters=250, type='IterBasedTrainLoop', val_interval=250)
test_cfg = dict(_scope_='mmdet', type='TestLoop')
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
    ann_file='data/shapes/coco/annotations/panoptic_val2017.json',
    seg_prefix='data/shapes/coco/annotations/panoptic_val2017/',
    type='CocoPanopticMetric')
test_pipeline = [
    dict(_scope_='mmdet', backend_args=None, type='LoadImageFromFile'),
    dict(_scope_='mmdet', keep_ratio=True, scale=(
        1333,
        800,
    ), type='Resize'),
    dict(_scope_='mmdet', backend_args=None, type='LoadPanopticAnnotations'),
    dict(
        _scope_='mmdet',
        meta_keys=(
            'img_id',
            'img_path',
            'ori_shape',
            'img_shape',
            'scale_factor',
        ),
        type='PackDetInputs'),
]
things = 5
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
    dict(
        _scope_='mmdet',
        backend_args=None,
        to_float32=True,
        type='LoadImageFromFile'),
    dict(
        _scope_='mmdet',
        backend_args=None,
        type='LoadPanopticAnnotations',
        with_bbox=True,
        with_mask=True,
        with_seg=True),
    dict(_scope_='mmdet', prob=0.5, type='RandomFlip'),
    dict(
        _scope_='mmdet',
        keep_ratio=True,
        ratio_range=(
            0.1,
            2.0,
        ),
        scale=(
            1024,
            1024,
        ),
        type='RandomResize'),
    dict(
        _scope_='mmdet',
        allow_negative_crop=True,
        crop_size=(
            1024,
            1024,
        ),
        crop_type='absolute',
        recompute_bbox=True,
        type='RandomCrop'),
    dict(_scope_='mmdet', type='PackDetInputs'),
]
val_cfg = dict(_scope_='mmdet', type='ValLoop')
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
    ann_file='data/shapes/coco/annotations/panoptic_val2017.json',
    seg_prefix='data/shapes/coco/annotations/panoptic_val2017/',
    type='CocoPanopticMetric')
vis_backends = [
    dict(_scope_='mmdet', type='LocalVisBackend'),
]
visualizer = dict(
    _scope_='mmdet',
    name='visualizer',
    type='DetLocalVisualizer',
    vis_backends=[
        dict(type='LocalVisBackend'),
    ])
work_dir = '/work/main/work_dirs/leaderboard/mask2former_r50-narrow_suite_shapes-coco-panoptic/seed1'
