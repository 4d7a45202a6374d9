# Mask R-CNN + RMT-T, 1x single-scale (the paper's recipe, qhfan/RMT detect/configs/RMT/
# maskrcnn_t_1x.py): AdamW 4e-4, wd 0.05, no decay on norms, drop path 0.1, 2 images per GPU,
# 500-iteration warm-up, lr steps at epochs 8 and 11. The paper trained with fp16: add --amp.
# The official backbone uses SyncBN in the stem/downsampling and its norm_eval=True has no
# effect on SyncBN, so BN statistics were updated while fine-tuning: norm_eval=False here.
# ImageNet weights: convert the official release with
#   python tools/convert_checkpoint.py rmt RMT-T.pth checkpoints/rmt-tiny_in1k.pth
_base_ = [
    '../_base_/models/mask-rcnn_fpn.py', '../_base_/datasets/coco_instance.py',
    '../_base_/schedules/schedule_1x.py', '../_base_/default_runtime_det.py'
]
pretrained = 'checkpoints/rmt-tiny_in1k.pth'
model = dict(
    neck=dict(in_channels=[64, 128, 256, 512]),
    backbone=dict(
        _delete_=True,
        type='mmplugins.RMT',
        arch='tiny',
        drop_path_rate=0.1,
        out_indices=(0, 1, 2, 3),
        norm_cfg=dict(type='SyncBN', requires_grad=True),
        norm_eval=False,
        with_cp=False,
        init_cfg=dict(type='Pretrained', checkpoint=pretrained)))
optim_wrapper = dict(
    type='OptimWrapper',
    paramwise_cfg=dict(custom_keys={
        'absolute_pos_embed': dict(decay_mult=0.),
        'relative_position_bias_table': dict(decay_mult=0.),
        'norm': dict(decay_mult=0.)
    }),
    optimizer=dict(_delete_=True, type='AdamW', lr=0.0004, betas=(0.9, 0.999),
                   weight_decay=0.05))
train_dataloader = dict(batch_size=2)
auto_scale_lr = dict(enable=False, base_batch_size=16)
