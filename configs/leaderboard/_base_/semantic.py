# Leaderboard suite, semantic segmentation on the shapes data: every UperNet row trains this
# UperNet (make demo's narrow heads: 64-channel decode head, 32-channel auxiliary head on the
# third stage) with the suite's schedule, from scratch; a row swaps the backbone and writes the
# heads' in_channels for it. Rerun one row: python tools/train.py configs/leaderboard/<row>.py
#                                            --cfg-options randomness.seed=1
_base_ = ['../../demo/upernet_swin-demo_shapes-ade20k.py', './task_semantic.py']
train_dataloader = dict(batch_size={{_base_.suite_batch_size}})
train_cfg = {{_base_.suite_train_cfg}}
optim_wrapper = {{_base_.suite_optim_wrapper}}
param_scheduler = {{_base_.suite_param_scheduler}}
default_hooks = {{_base_.suite_default_hooks}}
log_processor = {{_base_.suite_log_processor}}
