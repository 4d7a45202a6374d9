# Leaderboard suite, panoptic row: mmdet's Panoptic FPN on ResNet-50 at base width 16, with the
# narrow FPN and RoI heads of the instance task's Mask R-CNN (_base_/instance.py) and a
# 32-channel semantic head.
_base_ = ['mmdet::panoptic_fpn/panoptic-fpn_r50_fpn_1x_coco.py',
          '../_base_/datasets/shapes_coco_panoptic.py', './_base_/task_panoptic.py']
paper_config = None  # mmdet's panoptic-fpn_r50_fpn_1x_coco: PQ 40.2
things, stuff = 5, 3  # the shapes classes (_base_/datasets/shapes_coco_panoptic.py)
ch = 64
model = dict(
    backbone=dict(frozen_stages=-1, norm_eval=False, base_channels=16, init_cfg=None),
    neck=dict(in_channels=[64, 128, 256, 512], out_channels=ch),
    rpn_head=dict(in_channels=ch, feat_channels=ch, anchor_generator=dict(scales=[4])),
    roi_head=dict(
        bbox_roi_extractor=dict(out_channels=ch, roi_layer=dict(sampling_ratio=2)),
        bbox_head=dict(in_channels=ch, fc_out_channels=256, num_classes=things),
        mask_roi_extractor=dict(out_channels=ch, roi_layer=dict(sampling_ratio=2)),
        mask_head=dict(in_channels=ch, num_convs=2, conv_out_channels=32,
                       num_classes=things)),
    semantic_head=dict(in_channels=ch, inner_channels=32, num_things_classes=things,
                       num_stuff_classes=stuff),
    panoptic_fusion_head=dict(num_things_classes=things, num_stuff_classes=stuff),
    train_cfg=dict(rpn_proposal=dict(nms_pre=500, max_per_img=150),
                   rcnn=dict(sampler=dict(num=64))),
    # the shapes images are 128 px: stuff regions below 4096 px (the COCO default) would be
    # a quarter of the image
    test_cfg=dict(rpn=dict(nms_pre=500, max_per_img=100), rcnn=dict(max_per_img=30),
                  panoptic=dict(stuff_area_limit=256)))
train_dataloader = dict(batch_size={{_base_.suite_batch_size}},
                        dataset={{_base_.shapes_train_dataloader.dataset}})
val_dataloader = {{_base_.shapes_val_dataloader}}
test_dataloader = val_dataloader
val_evaluator = {{_base_.shapes_val_evaluator}}
test_evaluator = val_evaluator
train_cfg = {{_base_.suite_train_cfg}}
optim_wrapper = {{_base_.suite_optim_wrapper}}
param_scheduler = {{_base_.suite_param_scheduler}}
default_hooks = {{_base_.suite_default_hooks}}
log_processor = {{_base_.suite_log_processor}}
custom_imports = {{_base_.suite_custom_imports}}
