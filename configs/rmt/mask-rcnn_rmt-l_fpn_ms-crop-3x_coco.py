# Mask R-CNN + RMT-L, 3x multi-scale + crop (maskrcnn_l_3x.py): lr 2e-4, drop path 0.5,
# 1 image per GPU (8 GPUs assumed for auto_scale_lr). The official repository ships this
# config; the paper reports no result for it.
_base_ = './mask-rcnn_rmt-s_fpn_ms-crop-3x_coco.py'
pretrained = 'checkpoints/rmt-large_in1k.pth'
model = dict(
    backbone=dict(arch='large', drop_path_rate=0.5, init_cfg=dict(checkpoint=pretrained)),
    neck=dict(in_channels=[112, 224, 448, 640]))
optim_wrapper = dict(optimizer=dict(lr=0.0002))
train_dataloader = dict(batch_size=1)
auto_scale_lr = dict(base_batch_size=8)
