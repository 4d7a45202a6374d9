# fpn_qsd-19m_qfpn_160k_ade20k-512x512 on the synthetic shapes data (python tools/make_shapes_dataset.py).
_base_ = ['./fpn_qsd-19m_qfpn_160k_ade20k-512x512.py', '../_base_/datasets/shapes_ade20k.py']
train_dataloader = {{_base_.shapes_train_dataloader}}
val_dataloader = {{_base_.shapes_val_dataloader}}
test_dataloader = val_dataloader
model = dict(
    data_preprocessor=dict(size={{_base_.shapes_crop_size}}),
    backbone=dict(init_cfg=None),  # no ImageNet weights for the synthetic data
    decode_head=dict(num_classes=8))
