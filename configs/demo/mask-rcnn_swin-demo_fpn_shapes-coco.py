# `make demo`: Mask R-CNN with a narrow Swin (embed 32, depths 1-1-2-1, window 4) and a narrow
# FPN (64 channels) trained from scratch on the shapes data, sized to train in minutes on two
# CPU cores. Everything else is the Swin-T 1x recipe it inherits.
_base_ = '../swin/mask-rcnn_swin-t-p4-w7_fpn_1x_shapes-coco.py'
ch = 64
model = dict(
    backbone=dict(
        arch=dict(_delete_=True, embed_dims=32, depths=(1, 1, 2, 1), num_heads=(1, 2, 4, 8)),
        window_size=4,
        drop_path_rate=0.1),
    neck=dict(in_channels=[32, 64, 128, 256], out_channels=ch),
    rpn_head=dict(
        in_channels=ch, feat_channels=ch,
        # the shapes are 10-60 px: anchors of 16-256 px instead of 32-512
        anchor_generator=dict(scales=[4])),
    roi_head=dict(
        # sampling_ratio=2 bounds RoIAlign's cost (its CPU backward dominates a step)
        bbox_roi_extractor=dict(out_channels=ch, roi_layer=dict(sampling_ratio=2)),
        bbox_head=dict(in_channels=ch, fc_out_channels=256),
        mask_roi_extractor=dict(out_channels=ch, roi_layer=dict(sampling_ratio=2)),
        mask_head=dict(in_channels=ch, num_convs=2, conv_out_channels=32)),
    train_cfg=dict(rpn_proposal=dict(nms_pre=500, max_per_img=150),
                   rcnn=dict(sampler=dict(num=64))),
    test_cfg=dict(rpn=dict(nms_pre=500, max_per_img=100), rcnn=dict(max_per_img=30)))
demo_input_size = (128, 128)
randomness = dict(seed=0)
max_epochs = 14
train_dataloader = dict(batch_size=4, num_workers=2, persistent_workers=True)
val_dataloader = dict(batch_size=8, num_workers=2)
test_dataloader = val_dataloader
train_cfg = dict(max_epochs=max_epochs, val_interval=max_epochs)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.01, by_epoch=False, begin=0, end=100),
    dict(type='MultiStepLR', begin=0, end=max_epochs, by_epoch=True,
         milestones=[9, 12], gamma=0.1)
]
optim_wrapper = dict(optimizer=dict(lr=1e-3, foreach=True), clip_grad=dict(max_norm=10.0))
default_hooks = dict(logger=dict(interval=10),
                     checkpoint=dict(interval=max_epochs, max_keep_ckpts=1))
