# The suite's one schedule, the same for every row of every task: 250 iterations from scratch
# with AdamW and a cosine decay after a 25-iteration warm-up, one evaluation at the end, two
# seeds. A row's config assigns these values over its model config's own
# (`train_cfg = {{_base_.suite_train_cfg}}`, ...); they are named suite_* because mmengine
# forbids two bases defining one key. The task files (task_*.py) add the task's batch size.
suite_seeds = [0, 1]
suite_input_size = (128, 128)  # params/FLOPs/latency/memory/energy are measured at this size
suite_max_iters = 250
suite_train_cfg = dict(_delete_=True, type='IterBasedTrainLoop', max_iters=suite_max_iters,
                       val_interval=suite_max_iters)
suite_optim_wrapper = dict(
    _delete_=True, type='OptimWrapper',
    optimizer=dict(type='AdamW', lr=1e-3, betas=(0.9, 0.999), weight_decay=0.05),
    clip_grad=dict(max_norm=10.0))
suite_param_scheduler = [
    dict(type='LinearLR', start_factor=0.01, by_epoch=False, begin=0, end=25),
    dict(type='CosineAnnealingLR', eta_min=1e-5, by_epoch=False, begin=25, end=suite_max_iters)
]
# a checkpoint every 50 iterations, so an interrupted suite resumes close to where it stopped;
# the toolkit's safety hooks (configs/_base_/default_runtime_det.py) for rows whose model
# config comes straight from mmdet
suite_default_hooks = dict(logger=dict(interval=10),
                           checkpoint=dict(by_epoch=False, interval=50, max_keep_ckpts=1),
                           finite_loss=dict(type='mmplugins.FiniteLossHook'),
                           rng_state=dict(type='mmplugins.RNGStateHook'))
suite_custom_imports = dict(imports=['mmplugins'], allow_failed_imports=False)
suite_log_processor = dict(by_epoch=False)
