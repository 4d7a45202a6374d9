# The synthetic shapes data (python tools/make_shapes_dataset.py) in the COCO 2017 instance
# layout: data root, classes and image scale (the images are 128x128).
#
# A shapes variant inherits a real config together with this file and assigns these values
# over the real data keys, e.g. `train_dataloader = {{_base_.shapes_train_dataloader}}`
# (the values are named shapes_* because mmengine forbids two bases defining one key).
shapes_data_root = 'data/shapes/coco/'
shapes_metainfo = dict(
    classes=('circle', 'square', 'triangle', 'star', 'hexagon'),
    palette=[(220, 20, 60), (0, 128, 255), (255, 165, 0), (148, 0, 211), (0, 170, 0)])
shapes_num_classes = 5
shapes_image_scale = (128, 128)
shapes_backend_args = None
shapes_train_pipeline = [
    dict(type='LoadImageFromFile', backend_args=shapes_backend_args),
    dict(type='LoadAnnotations', with_bbox=True, with_mask=True),
    dict(type='Resize', scale=shapes_image_scale, keep_ratio=True),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PackDetInputs')
]
shapes_test_pipeline = [
    dict(type='LoadImageFromFile', backend_args=shapes_backend_args),
    dict(type='Resize', scale=shapes_image_scale, keep_ratio=True),
    dict(type='LoadAnnotations', with_bbox=True, with_mask=True),
    dict(type='PackDetInputs',
         meta_keys=('img_id', 'img_path', 'ori_shape', 'img_shape', 'scale_factor'))
]
shapes_train_dataloader = dict(
    dataset=dict(type='mmplugins.CocoDataset', data_root=shapes_data_root,
                 metainfo=shapes_metainfo, pipeline=shapes_train_pipeline))
shapes_val_dataloader = dict(
    dataset=dict(type='mmplugins.CocoDataset', data_root=shapes_data_root,
                 metainfo=shapes_metainfo, pipeline=shapes_test_pipeline))
shapes_test_dataloader = shapes_val_dataloader
shapes_val_evaluator = dict(ann_file=shapes_data_root + 'annotations/instances_val2017.json')
shapes_test_evaluator = shapes_val_evaluator
