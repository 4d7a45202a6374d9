# Mask R-CNN + QSD-Transformer-31M as the official mask-rcnn_qformer-t_fpn_1x_coco.py: a wider
# neck and box head (384 channels, 1536-d FCs), 12 epochs, 1 image per GPU at the same lr 2e-4
# (the released batch_size=1), otherwise the 15M recipe.
# ImageNet weights: python tools/convert_checkpoint.py qsd <official 31M file> checkpoints/qsd-31m_in1k.pth
_base_ = ['./mask-rcnn_qsd-15m_fpn_15e_coco.py']
pretrained = 'checkpoints/qsd-31m_in1k.pth'
model = dict(
    backbone=dict(arch='31m', init_cfg=dict(type='Pretrained', checkpoint=pretrained)),
    neck=dict(in_channels=[96, 192, 384, 480], out_channels=384),
    rpn_head=dict(in_channels=384, feat_channels=384),
    roi_head=dict(
        bbox_roi_extractor=dict(out_channels=384),
        mask_roi_extractor=dict(out_channels=384),
        bbox_head=dict(in_channels=384, fc_out_channels=1536),
        mask_head=dict(in_channels=384, conv_out_channels=384)))
max_epochs = 12
train_cfg = dict(max_epochs=max_epochs)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.001, by_epoch=False, begin=0, end=1000),
    dict(type='MultiStepLR', begin=0, end=max_epochs, by_epoch=True, milestones=[8, 11],
         gamma=0.1)
]
train_dataloader = dict(batch_size=1)
auto_scale_lr = dict(base_batch_size=8)
