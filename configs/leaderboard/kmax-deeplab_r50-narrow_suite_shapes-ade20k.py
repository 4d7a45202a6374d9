# Leaderboard suite, semantic row: kMaX-DeepLab (narrow head, _base_/kmax_narrow.py) on
# ResNet-50 at base width 16, the released ADE20K recipe's model on the suite's schedule.
_base_ = ['../kmax/kmax-deeplab_r50_8xb8-100k_shapes-ade20k.py', './_base_/task_semantic.py',
          './_base_/kmax_narrow.py']
paper_config = 'kmax-deeplab_r50_8xb8-100k_ade20k-1281x1281'
model = dict(
    backbone={{_base_.suite_r50_narrow}},
    decode_head={{_base_.suite_kmax_head}})
train_dataloader = dict(batch_size={{_base_.suite_batch_size}})
train_cfg = {{_base_.suite_train_cfg}}
optim_wrapper = {{_base_.suite_optim_wrapper}}
param_scheduler = {{_base_.suite_param_scheduler}}
default_hooks = {{_base_.suite_default_hooks}}
log_processor = {{_base_.suite_log_processor}}
