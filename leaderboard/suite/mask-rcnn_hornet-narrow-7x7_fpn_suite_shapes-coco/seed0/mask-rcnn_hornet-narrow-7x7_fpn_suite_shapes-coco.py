auto_scale_lr = dict(base_batch_size=16, enable=False)
backend_args = None
ch = 64
custom_imports = dict(
    allow_failed_imports=False, imports=[
        'mmplugins',
    ])
data_root = 'data/coco/'
dataset_type = 'mmplugins.CocoDataset'
default_hooks = dict(
    checkpoint=dict(
        _scope_='mmdet',
        by_epoch=False,
        interval=50,
        max_keep_ckpts=1,
        type='CheckpointHook'),
    finite_loss=dict(type='mmplugins.FiniteLossHook'),
    logger=dict(_scope_='mmdet', interval=10, type='LoggerHook'),
    param_scheduler=dict(_scope_='mmdet', type='ParamSchedulerHook'),
    rng_state=dict(type='mmplugins.RNGStateHook'),
    sampler_seed=dict(_scope_='mmdet', type='DistSamplerSeedHook'),
    timer=dict(_scope_='mmdet', type='IterTimerHook'),
    visualization=dict(_scope_='mmdet', type='DetVisualizationHook'))
default_scope = 'mmdet'
demo_input_size = (
    128,
    128,
)
env_cfg = dict(
    cudnn_benchmark=False,
    dist_cfg=dict(backend='nccl'),
    mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0))
launcher = 'none'
load_from = None
log_level = 'INFO'
log_processor = dict(
    _scope_='mmdet', by_epoch=False, type='LogProcessor', window_size=50)
max_epochs = 14
model = dict(
    _scope_='mmdet',
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
        pad_mask=True,
        pad_size_divisor=32,
        std=[
            58.395,
            57.12,
            57.375,
        ],
        type='DetDataPreprocessor'),
    neck=dict(
        in_channels=[
            32,
            64,
            128,
            256,
        ],
        num_outs=5,
        out_channels=64,
        type='FPN'),
    roi_head=dict(
        bbox_head=dict(
            bbox_coder=dict(
                target_means=[
                    0.0,
                    0.0,
                    0.0,
                    0.0,
                ],
                target_stds=[
                    0.1,
                    0.1,
                    0.2,
                    0.2,
                ],
                type='DeltaXYWHBBoxCoder'),
            fc_out_channels=256,
            in_channels=64,
            loss_bbox=dict(loss_weight=1.0, type='L1Loss'),
            loss_cls=dict(
                loss_weight=1.0, type='CrossEntropyLoss', use_sigmoid=False),
            num_classes=5,
            reg_class_agnostic=False,
            roi_feat_size=7,
            type='Shared2FCBBoxHead'),
        bbox_roi_extractor=dict(
            featmap_strides=[
                4,
                8,
                16,
                32,
            ],
            out_channels=64,
            roi_layer=dict(output_size=7, sampling_ratio=2, type='RoIAlign'),
            type='SingleRoIExtractor'),
        mask_head=dict(
            conv_out_channels=32,
            in_channels=64,
            loss_mask=dict(
                loss_weight=1.0, type='CrossEntropyLoss', use_mask=True),
            num_classes=5,
            num_convs=2,
            type='FCNMaskHead'),
        mask_roi_extractor=dict(
            featmap_strides=[
                4,
                8,
                16,
                32,
            ],
            out_channels=64,
            roi_layer=dict(output_size=14, sampling_ratio=2, type='RoIAlign'),
            type='SingleRoIExtractor'),
        type='StandardRoIHead'),
    rpn_head=dict(
        anchor_generator=dict(
            ratios=[
                0.5,
                1.0,
                2.0,
            ],
            scales=[
                4,
            ],
            strides=[
                4,
                8,
                16,
                32,
                64,
            ],
            type='AnchorGenerator'),
        bbox_coder=dict(
            target_means=[
                0.0,
                0.0,
                0.0,
                0.0,
            ],
            target_stds=[
                1.0,
                1.0,
                1.0,
                1.0,
            ],
            type='DeltaXYWHBBoxCoder'),
        feat_channels=64,
        in_channels=64,
        loss_bbox=dict(loss_weight=1.0, type='L1Loss'),
        loss_cls=dict(
            loss_weight=1.0, type='CrossEntropyLoss', use_sigmoid=True),
        type='RPNHead'),
    test_cfg=dict(
        rcnn=dict(
            mask_thr_binary=0.5,
            max_per_img=30,
            nms=dict(iou_threshold=0.5, type='nms'),
            score_thr=0.05),
        rpn=dict(
            max_per_img=100,
            min_bbox_size=0,
            nms=dict(iou_threshold=0.7, type='nms'),
            nms_pre=500)),
    train_cfg=dict(
        rcnn=dict(
            assigner=dict(
                ignore_iof_thr=-1,
                match_low_quality=True,
                min_pos_iou=0.5,
                neg_iou_thr=0.5,
                pos_iou_thr=0.5,
                type='MaxIoUAssigner'),
            debug=False,
            mask_size=28,
            pos_weight=-1,
            sampler=dict(
                add_gt_as_proposals=True,
                neg_pos_ub=-1,
                num=64,
                pos_fraction=0.25,
                type='RandomSampler')),
        rpn=dict(
            allowed_border=-1,
            assigner=dict(
                ignore_iof_thr=-1,
                match_low_quality=True,
                min_pos_iou=0.3,
                neg_iou_thr=0.3,
                pos_iou_thr=0.7,
                type='MaxIoUAssigner'),
            debug=False,
            pos_weight=-1,
            sampler=dict(
                add_gt_as_proposals=False,
                neg_pos_ub=-1,
                num=256,
                pos_fraction=0.5,
                type='RandomSampler')),
        rpn_proposal=dict(
            max_per_img=150,
            min_bbox_size=0,
            nms=dict(iou_threshold=0.7, type='nms'),
            nms_pre=500)),
    type='MaskRCNN')
optim_wrapper = dict(
    clip_grad=dict(max_norm=10.0),
    optimizer=dict(
        betas=(
            0.9,
            0.999,
        ), lr=0.001, type='AdamW', weight_decay=0.05),
    type='OptimWrapper')
paper_config = 'mask-rcnn_hornet-small-7x7_fpn_ms-crop-1x_coco'
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
    ])
shapes_num_classes = 5
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
            ]),
        pipeline=[
            dict(backend_args=None, type='LoadImageFromFile'),
            dict(keep_ratio=True, scale=(
                128,
                128,
            ), type='Resize'),
            dict(type='LoadAnnotations', with_bbox=True, with_mask=True),
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
        type='mmplugins.CocoDataset'))
shapes_test_evaluator = dict(
    ann_file='data/shapes/coco/annotations/instances_val2017.json')
shapes_test_pipeline = [
    dict(backend_args=None, type='LoadImageFromFile'),
    dict(keep_ratio=True, scale=(
        128,
        128,
    ), type='Resize'),
    dict(type='LoadAnnotations', with_bbox=True, with_mask=True),
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
            ]),
        pipeline=[
            dict(backend_args=None, type='LoadImageFromFile'),
            dict(type='LoadAnnotations', with_bbox=True, with_mask=True),
            dict(keep_ratio=True, scale=(
                128,
                128,
            ), type='Resize'),
            dict(prob=0.5, type='RandomFlip'),
            dict(type='PackDetInputs'),
        ],
        type='mmplugins.CocoDataset'))
shapes_train_pipeline = [
    dict(backend_args=None, type='LoadImageFromFile'),
    dict(type='LoadAnnotations', with_bbox=True, with_mask=True),
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
            ]),
        pipeline=[
            dict(backend_args=None, type='LoadImageFromFile'),
            dict(keep_ratio=True, scale=(
                128,
                128,
            ), type='Resize'),
            dict(type='LoadAnnotations', with_bbox=True, with_mask=True),
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
        type='mmplugins.CocoDataset'))
shapes_val_evaluator = dict(
    ann_file='data/shapes/coco/annotations/instances_val2017.json')
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
suite_task = 'instance'
suite_train_cfg = dict(
    max_iters=250, type='IterBasedTrainLoop', val_interval=250)
test_cfg = dict(_scope_='mmdet', type='TestLoop')
test_dataloader = dict(
    batch_size=8,
    dataset=dict(
        _scope_='mmdet',
        ann_file='annotations/instances_val2017.json',
        backend_args=None,
        data_prefix=dict(img='val2017/'),
        data_root='data/shapes/coco/',
        metainfo=dict(
            classes=(
                'circle',
                'square',
                'triangle',
                'star',
                'hexagon',
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
            ]),
        pipeline=[
            dict(backend_args=None, type='LoadImageFromFile'),
            dict(keep_ratio=True, scale=(
                128,
                128,
            ), type='Resize'),
            dict(type='LoadAnnotations', with_bbox=True, with_mask=True),
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
        type='mmplugins.CocoDataset'),
    drop_last=False,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(_scope_='mmdet', shuffle=False, type='DefaultSampler'))
test_evaluator = dict(
    _scope_='mmdet',
    ann_file='data/shapes/coco/annotations/instances_val2017.json',
    backend_args=None,
    format_only=False,
    metric=[
        'bbox',
        'segm',
    ],
    type='CocoMetric')
test_pipeline = [
    dict(_scope_='mmdet', backend_args=None, type='LoadImageFromFile'),
    dict(_scope_='mmdet', keep_ratio=True, scale=(
        1333,
        800,
    ), type='Resize'),
    dict(
        _scope_='mmdet',
        type='LoadAnnotations',
        with_bbox=True,
        with_mask=True),
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
train_cfg = dict(max_iters=250, type='IterBasedTrainLoop', val_interval=250)
train_dataloader = dict(
    batch_sampler=dict(_scope_='mmdet', type='AspectRatioBatchSampler'),
    batch_size=4,
    dataset=dict(
        _scope_='mmdet',
        ann_file='annotations/instances_train2017.json',
        backend_args=None,
        data_prefix=dict(img='train2017/'),
        data_root='data/shapes/coco/',
        filter_cfg=dict(filter_empty_gt=True, min_size=32),
        metainfo=dict(
            classes=(
                'circle',
                'square',
                'triangle',
                'star',
                'hexagon',
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
            ]),
        pipeline=[
            dict(backend_args=None, type='LoadImageFromFile'),
            dict(type='LoadAnnotations', with_bbox=True, with_mask=True),
            dict(keep_ratio=True, scale=(
                128,
                128,
            ), type='Resize'),
            dict(prob=0.5, type='RandomFlip'),
            dict(type='PackDetInputs'),
        ],
        type='mmplugins.CocoDataset'),
    num_workers=2,
    persistent_workers=True,
    sampler=dict(_scope_='mmdet', shuffle=True, type='DefaultSampler'))
train_pipeline = [
    dict(_scope_='mmdet', backend_args=None, type='LoadImageFromFile'),
    dict(
        _scope_='mmdet',
        type='LoadAnnotations',
        with_bbox=True,
        with_mask=True),
    dict(_scope_='mmdet', keep_ratio=True, scale=(
        1333,
        800,
    ), type='Resize'),
    dict(_scope_='mmdet', prob=0.5, type='RandomFlip'),
    dict(_scope_='mmdet', type='PackDetInputs'),
]
val_cfg = dict(_scope_='mmdet', type='ValLoop')
val_dataloader = dict(
    batch_size=8,
    dataset=dict(
        _scope_='mmdet',
        ann_file='annotations/instances_val2017.json',
        backend_args=None,
        data_prefix=dict(img='val2017/'),
        data_root='data/shapes/coco/',
        metainfo=dict(
            classes=(
                'circle',
                'square',
                'triangle',
                'star',
                'hexagon',
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
            ]),
        pipeline=[
            dict(backend_args=None, type='LoadImageFromFile'),
            dict(keep_ratio=True, scale=(
                128,
                128,
            ), type='Resize'),
            dict(type='LoadAnnotations', with_bbox=True, with_mask=True),
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
        type='mmplugins.CocoDataset'),
    drop_last=False,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(_scope_='mmdet', shuffle=False, type='DefaultSampler'))
val_evaluator = dict(
    _scope_='mmdet',
    ann_file='data/shapes/coco/annotations/instances_val2017.json',
    backend_args=None,
    format_only=False,
    metric=[
        'bbox',
        'segm',
    ],
    type='CocoMetric')
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
work_dir = '/work/main/work_dirs/leaderboard/mask-rcnn_hornet-narrow-7x7_fpn_suite_shapes-coco/seed0'
