# The synthetic shapes data (python tools/make_shapes_dataset.py) in the COCO 2017 panoptic
# layout: data root, classes and image scale (the images are 128x128).
#
# A shapes variant inherits a real config together with this file and assigns these values
# over the real data keys, e.g. `train_dataloader = {{_base_.shapes_train_dataloader}}`
# (the values are named shapes_* because mmengine forbids two bases defining one key).
shapes_data_root = 'data/shapes/coco/'
shapes_metainfo = dict(
    classes=('circle', 'square', 'triangle', 'star', 'hexagon', 'sky', 'grass', 'water'),
    thing_classes=('circle', 'square', 'triangle', 'star', 'hexagon'),
    stuff_classes=('sky', 'grass', 'water'),
    palette=[(220, 20, 60), (0, 128, 255), (255, 165, 0), (148, 0, 211), (0, 170, 0),
             (135, 206, 235), (124, 252, 0), (0, 105, 148)])
shapes_num_things_classes = 5
shapes_num_stuff_classes = 3
shapes_image_scale = (128, 128)
shapes_backend_args = None
shapes_train_pipeline = [
    dict(type='LoadImageFromFile', backend_args=shapes_backend_args),
    dict(type='LoadPanopticAnnotations', backend_args=shapes_backend_args),
    dict(type='Resize', scale=shapes_image_scale, keep_ratio=True),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PackDetInputs')
]
shapes_test_pipeline = [
    dict(type='LoadImageFromFile', backend_args=shapes_backend_args),
    dict(type='Resize', scale=shapes_image_scale, keep_ratio=True),
    dict(type='LoadPanopticAnnotations', backend_args=shapes_backend_args),
    dict(type='PackDetInputs',
         meta_keys=('img_id', 'img_path', 'ori_shape', 'img_shape', 'scale_factor'))
]
shapes_train_dataloader = dict(
    dataset=dict(type='mmplugins.CocoPanopticDataset', data_root=shapes_data_root,
                 metainfo=shapes_metainfo, pipeline=shapes_train_pipeline))
shapes_val_dataloader = dict(
    dataset=dict(type='mmplugins.CocoPanopticDataset', data_root=shapes_data_root,
                 metainfo=shapes_metainfo, pipeline=shapes_test_pipeline))
shapes_test_dataloader = shapes_val_dataloader
shapes_val_evaluator = dict(
    ann_file=shapes_data_root + 'annotations/panoptic_val2017.json',
    seg_prefix=shapes_data_root + 'annotations/panoptic_val2017/')
shapes_test_evaluator = shapes_val_evaluator
# Model changes a mask-transformer panoptic config (kMaX-DeepLab, MaskFormer family) needs on
# this data: batches padded to the image scale (in training and at test), the shapes classes,
# no ImageNet weights.
shapes_panoptic_model = dict(
    data_preprocessor=dict(pad_size_divisor=shapes_image_scale[0], batch_augments=[
        dict(type='BatchFixedSizePad', size=shapes_image_scale, img_pad_value=0,
             pad_mask=True, mask_pad_value=0, pad_seg=True, seg_pad_value=255)
    ]),
    backbone=dict(init_cfg=None),
    panoptic_head=dict(num_things_classes=shapes_num_things_classes,
                       num_stuff_classes=shapes_num_stuff_classes),
    panoptic_fusion_head=dict(num_things_classes=shapes_num_things_classes,
                              num_stuff_classes=shapes_num_stuff_classes))
