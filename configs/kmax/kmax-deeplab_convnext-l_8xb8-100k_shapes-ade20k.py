# kmax-deeplab_convnext-l_8xb8-100k_ade20k-1281x1281 on the synthetic shapes data
# (python tools/make_shapes_dataset.py): shapes paths, classes and 128 px crops.
_base_ = ['./kmax-deeplab_convnext-l_8xb8-100k_ade20k-1281x1281.py',
          '../_base_/datasets/shapes_ade20k.py']
train_dataloader = {{_base_.shapes_train_dataloader}}
val_dataloader = {{_base_.shapes_val_dataloader}}
test_dataloader = val_dataloader
model = dict(
    data_preprocessor=dict(size={{_base_.shapes_crop_size}},
                           test_cfg=dict(size={{_base_.shapes_crop_size}})),
    backbone=dict(init_cfg=None),  # no ImageNet weights for the synthetic data
    decode_head=dict(num_classes={{_base_.shapes_num_classes}}))
