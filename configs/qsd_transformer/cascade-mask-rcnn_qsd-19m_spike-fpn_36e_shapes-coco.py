# cascade-mask-rcnn_qsd-19m_spike-fpn_36e_coco on the synthetic shapes data (python tools/make_shapes_dataset.py).
_base_ = [
    './cascade-mask-rcnn_qsd-19m_spike-fpn_36e_coco.py', '../_base_/datasets/shapes_coco_instance.py',
    '../_base_/models/cascade-heads_shapes.py'
]
train_dataloader = {{_base_.shapes_train_dataloader}}
val_dataloader = {{_base_.shapes_val_dataloader}}
test_dataloader = val_dataloader
val_evaluator = {{_base_.shapes_val_evaluator}}
test_evaluator = val_evaluator
model = dict(
    backbone=dict(init_cfg=None),  # no ImageNet weights for the synthetic data
    roi_head=dict(bbox_head={{_base_.shapes_spike_cascade_bbox_heads}},
                  mask_head=dict(num_classes=5)))
