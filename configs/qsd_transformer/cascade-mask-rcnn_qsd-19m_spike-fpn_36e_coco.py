# Cascade Mask R-CNN spike-driven end to end, as the released
# det/configs/q_sformer_mask_rcnn/cascade_mask-rcnn_qformer_fpn_1x_coco.py: its SDEFormer
# backbone (det/mmdet/models/backbones/sdeformer.py) is the Spike-Driven Transformer V3 /
# E-SpikeFormer 19M, i.e. QSDTransformer arch='19m' with full-precision weights, neurons firing
# round(clamp(x, 0, 4)) / 4 (spike_threshold=1) and no LayerScale; its [1, B, C, H, W] maps of
# stages 1-4 go to SpikeFPN, SpikeRPNHead and SpikeCascadeRoIHead with three 4conv1fc
# SpikeConvFCBBoxHeads (SyncBN, GIoU) and a SpikeFCNMaskHead. Recipe as released: AdamW 2e-4,
# wd 0.05 (its paramwise key 'norm' matches no parameter name here or there, so the norms
# decay too), 36 epochs with steps at 27 and 33 after a 1000-iteration warm-up, DETR-style
# multi-scale + crop augmentation, 6 images per GPU (its det data base), no AMP.
# Differences, on purpose: the TRUE strides 4/8/16/16(/32) (the release says 4/8/16/32(/64)),
# the neck's neurons fire 0..4 in evaluation as in training (the release clamps to 0..1), and
# the detector type CascadeRCNN (the release says MaskRCNN; both are mmdet's TwoStageDetector
# with nothing overridden, so they build and run the same).
# ImageNet weights: python tools/convert_checkpoint.py qsd checkpoint-197.pth checkpoints/qsd-19m_in1k.pth
# Released whole-model weights: python tools/convert_checkpoint.py qsd_model SRC DST
_base_ = [
    '../_base_/models/cascade-mask-rcnn_fpn.py', '../_base_/datasets/coco_instance.py',
    '../_base_/datasets/coco_ms-crop_pipeline.py', '../_base_/schedules/schedule_3x.py',
    '../_base_/default_runtime_det.py'
]
pretrained = 'checkpoints/qsd-19m_in1k.pth'
strides = [4, 8, 16, 16]
model = dict(
    backbone=dict(
        _delete_=True,
        type='mmplugins.QSDTransformer',
        arch='19m',
        bits=None,
        spike_threshold=1.0,
        spike_rounding='half_even',
        layer_scale_init=None,
        time_steps=1,
        keep_time=True,
        out_indices=(1, 2, 3, 4),
        init_cfg=dict(type='Pretrained', checkpoint=pretrained)),
    neck=dict(type='mmplugins.SpikeFPN', in_channels=[64, 128, 256, 360], out_channels=256,
              num_outs=5),
    rpn_head=dict(type='mmplugins.SpikeRPNHead', anchor_generator=dict(strides=strides + [32])),
    roi_head=dict(
        type='mmplugins.SpikeCascadeRoIHead',
        bbox_roi_extractor=dict(featmap_strides=strides),
        mask_roi_extractor=dict(featmap_strides=strides),
        bbox_head={{_base_.spike_cascade_bbox_heads}},
        mask_head=dict(type='mmplugins.SpikeFCNMaskHead')))
custom_hooks = [
    dict(type='mmplugins.SpikingResetHook'),
    dict(type='mmplugins.FiringRateHook', phases=('val', 'test')),
]
train_dataloader = dict(batch_size=6, dataset=dict(pipeline={{_base_.ms_crop_train_pipeline}}))
optim_wrapper = dict(
    type='OptimWrapper',
    paramwise_cfg=dict(custom_keys={'norm': dict(decay_mult=0.)}),
    optimizer=dict(_delete_=True, type='AdamW', lr=0.0002, betas=(0.9, 0.999),
                   weight_decay=0.05))
auto_scale_lr = dict(enable=False, base_batch_size=48)
