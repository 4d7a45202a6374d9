# Leaderboard suite, instance segmentation on the shapes data: every row trains this Mask R-CNN
# (make demo's narrow FPN and heads: 64-channel FPN, 16-256 px anchors, 2-conv mask head) with
# the suite's schedule, from scratch; a row swaps the backbone and writes the FPN's in_channels
# for it. Rerun one row: python tools/train.py configs/leaderboard/<row>.py
#                        --cfg-options randomness.seed=1
_base_ = ['../../demo/mask-rcnn_swin-demo_fpn_shapes-coco.py', './task_instance.py']
train_dataloader = dict(batch_size={{_base_.suite_batch_size}})
train_cfg = {{_base_.suite_train_cfg}}
optim_wrapper = {{_base_.suite_optim_wrapper}}
param_scheduler = {{_base_.suite_param_scheduler}}
default_hooks = {{_base_.suite_default_hooks}}
log_processor = {{_base_.suite_log_processor}}
