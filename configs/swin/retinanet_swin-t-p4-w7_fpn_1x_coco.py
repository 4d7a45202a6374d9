# RetinaNet + Swin-T, 1x single-scale, mmdet's released recipe (mmdet configs/swin/
# retinanet_swin-t-p4-w7_fpn_1x_coco.py): SGD lr 0.01 (momentum 0.9, wd 1e-4, from its 1x
# schedule), 500-iteration warm-up, drop path 0.2, 2 images per GPU. The backbone returns stages
# 1-3 only and the FPN starts at its first input (extra convs on the input), because every Swin
# output has a norm that a skipped map would leave without gradient. The RetinaNet rows of the
# Swin papers used AdamW and their configs are not released; mmdet publishes no number for this one.
_base_ = [
    'mmdet::_base_/models/retinanet_r50_fpn.py', '../_base_/datasets/coco_detection.py',
    '../_base_/schedules/schedule_1x.py', '../_base_/default_runtime_det.py'
]
pretrained = 'checkpoints/swin-tiny_in1k.pth'
model = dict(
    neck=dict(in_channels=[192, 384, 768], start_level=0, num_outs=5),
    backbone=dict(
        _delete_=True,
        type='mmplugins.SwinTransformer',
        arch='tiny',
        drop_path_rate=0.2,
        out_indices=(1, 2, 3),
        with_cp=False,
        init_cfg=dict(type='Pretrained', checkpoint=pretrained)))
optim_wrapper = dict(optimizer=dict(lr=0.01))
train_dataloader = dict(batch_size=2)
auto_scale_lr = dict(enable=False, base_batch_size=16)
