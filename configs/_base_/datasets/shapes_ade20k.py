# The synthetic shapes data (python tools/make_shapes_dataset.py) in the ADE20K layout: label
# PNGs with 0 = other (ignored through reduce_zero_label) and classes 1..8.
#
# A shapes variant inherits a real config together with this file and assigns these values
# over the real data keys, e.g. `train_dataloader = {{_base_.shapes_train_dataloader}}`
# (the values are named shapes_* because mmengine forbids two bases defining one key).
shapes_data_root = 'data/shapes/ade/ADEChallengeData2016'
shapes_metainfo = dict(
    classes=('circle', 'square', 'triangle', 'star', 'hexagon', 'sky', 'grass', 'water'),
    palette=[(220, 20, 60), (0, 128, 255), (255, 165, 0), (148, 0, 211), (0, 170, 0),
             (135, 206, 235), (124, 252, 0), (0, 105, 148)])
shapes_num_classes = 8
shapes_crop_size = (128, 128)
shapes_image_scale = (128, 128)
shapes_train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations', reduce_zero_label=True),
    dict(type='RandomResize', scale=shapes_image_scale, ratio_range=(0.75, 1.5), keep_ratio=True),
    dict(type='RandomCrop', crop_size=shapes_crop_size, cat_max_ratio=0.75),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PhotoMetricDistortion'),
    dict(type='PackSegInputs')
]
shapes_test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=shapes_image_scale, keep_ratio=True),
    dict(type='LoadAnnotations', reduce_zero_label=True),
    dict(type='PackSegInputs')
]
# ADE20KDataset only accepts subsets of the 150 ADE classes: the generic dataset class reads
# the same layout with any classes (mmplugins' validating subclass, as for the real data).
shapes_dataset = dict(type='mmplugins.BaseSegDataset', data_root=shapes_data_root,
                      metainfo=shapes_metainfo, img_suffix='.jpg', seg_map_suffix='.png',
                      reduce_zero_label=True)
shapes_train_dataloader = dict(dataset=dict(shapes_dataset, pipeline=shapes_train_pipeline))
shapes_val_dataloader = dict(dataset=dict(shapes_dataset, pipeline=shapes_test_pipeline))
shapes_test_dataloader = shapes_val_dataloader
