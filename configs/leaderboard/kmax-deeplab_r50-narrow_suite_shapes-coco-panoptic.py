# Leaderboard suite, panoptic row: kMaX-DeepLab (narrow head, _base_/kmax_narrow.py) on
# ResNet-50 at base width 16, the released recipe's model on the suite's schedule.
_base_ = ['../kmax/kmax-deeplab_r50_8xb8-lsj-150k_shapes-coco-panoptic.py',
          './_base_/task_panoptic.py', './_base_/kmax_narrow.py']
paper_config = 'kmax-deeplab_r50_8xb8-lsj-150k_coco-panoptic'
model = dict(
    backbone={{_base_.suite_r50_narrow}},
    panoptic_head={{_base_.suite_kmax_head}},
    # After the suite's 250 iterations no query reaches the released 0.7 (thing) / 0.5
    # (stuff) class confidence, so the released thresholds leave every image empty: PQ 0.0
    # for the seed-0 weights, 17.1 with 0.1 (tools/test.py ... --cfg-options
    # model.test_cfg.class_threshold_thing=0.1 ...). The suite compares what the models
    # learned, so its mask-transformer rows keep every query above 0.1.
    test_cfg=dict(class_threshold_thing=0.1, class_threshold_stuff=0.1,
                  pixel_confidence_threshold=0.1))
train_dataloader = dict(batch_size={{_base_.suite_batch_size}})
train_cfg = {{_base_.suite_train_cfg}}
optim_wrapper = {{_base_.suite_optim_wrapper}}
param_scheduler = {{_base_.suite_param_scheduler}}
default_hooks = {{_base_.suite_default_hooks}}
log_processor = {{_base_.suite_log_processor}}
