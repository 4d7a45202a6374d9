# mask-rcnn_qsd-15m_fpn_15e_coco with the paper's fine-grained distillation (opt-in): the ANN
# teacher of teachers/qsd-15m-ann.py guides the Q/K/V distributions of every Q-SDSA layer
# (spiking.distill; the release has no code for it). Run from the repository root.
_base_ = ['./mask-rcnn_qsd-15m_fpn_15e_coco.py']
model = dict(
    backbone=dict(
        distill=dict(
            teacher='configs/qsd_transformer/teachers/qsd-15m-ann.py',
            checkpoint='checkpoints/qsd-15m-ann_teacher.pth',
            loss_weight=1.0,
            tau=1.0)))
