# Mask R-CNN + QSD-Transformer-15M spike-driven end to end, as the released
# det/configs/q_sformer_mask_rcnn/mask-rcnn_qformer_fpn_1x_coco.py: the backbone hands its
# [T, B, C, H, W] maps (T=1) to SpikeFPN, SpikeRPNHead and SpikeStandardRoIHead with the
# SharedSpike2FCBBoxHead and SpikeFCNMaskHead (multi-level neurons before every conv/fc);
# each head averages over T after its last layer. Recipe as mask-rcnn_qsd-15m_fpn_15e_coco.py
# (AdamW 2e-4, 15 epochs, L1 box losses, 8 images per GPU; the release trained with AMP).
# Differences, on purpose: the TRUE strides 4/8/16/16(/32) (the release says 4/8/16/32(/64)),
# and the neck's neurons fire 0..4 in evaluation as in training (the release clamps to 0..1).
# Released whole-model weights: python tools/convert_checkpoint.py qsd_model SRC DST
_base_ = ['./mask-rcnn_qsd-15m_fpn_15e_coco.py']
model = dict(
    backbone=dict(keep_time=True),
    neck=dict(type='mmplugins.SpikeFPN', in_channels=[64, 128, 256, 360]),
    rpn_head=dict(type='mmplugins.SpikeRPNHead'),
    roi_head=dict(
        type='mmplugins.SpikeStandardRoIHead',
        bbox_head=dict(type='mmplugins.SharedSpike2FCBBoxHead'),
        mask_head=dict(type='mmplugins.SpikeFCNMaskHead')))
