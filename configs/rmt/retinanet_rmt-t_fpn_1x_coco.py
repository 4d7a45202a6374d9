# RetinaNet + RMT-T, 1x single-scale, the paper's recipe (qhfan/RMT detect/configs/RMT/
# retinanet_t_1x.py): AdamW 4e-4 with weight decay 1e-4 on every parameter (the released optimizer
# is rebuilt with _delete_ and has no no-decay keys), drop path 0.1, 2 images per GPU, the
# 500-iteration warm-up and steps 8/11 of its schedule_1x. The FPN starts at level 1 (strides
# 8-128, extra convs on the input) while the backbone returns all four maps, as released, so the
# first output norm gets no gradient: find_unused_parameters as in the release. The paper
# trained with fp16 (loss scale 512): add --amp.
# ImageNet weights: python tools/convert_checkpoint.py rmt RMT-T.pth checkpoints/rmt-tiny_in1k.pth
_base_ = [
    'mmdet::_base_/models/retinanet_r50_fpn.py', '../_base_/datasets/coco_detection.py',
    '../_base_/schedules/schedule_1x.py', '../_base_/default_runtime_det.py'
]
pretrained = 'checkpoints/rmt-tiny_in1k.pth'
model = dict(
    neck=dict(in_channels=[64, 128, 256, 512], start_level=1, add_extra_convs='on_input'),
    backbone=dict(
        _delete_=True,
        type='mmplugins.RMT',
        arch='tiny',
        drop_path_rate=0.1,
        out_indices=(0, 1, 2, 3),
        norm_cfg=dict(type='SyncBN', requires_grad=True),
        norm_eval=False,  # the official norm_eval=True has no effect on its SyncBN layers
        with_cp=False,
        init_cfg=dict(type='Pretrained', checkpoint=pretrained)))
optim_wrapper = dict(
    _delete_=True,
    type='OptimWrapper',
    optimizer=dict(type='AdamW', lr=0.0004, betas=(0.9, 0.999), weight_decay=0.0001))
train_dataloader = dict(batch_size=2)
find_unused_parameters = True
auto_scale_lr = dict(enable=False, base_batch_size=16)
