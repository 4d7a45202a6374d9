# The ANN counterpart of QSD-Transformer-15M (full-precision weights, neurons that clamp without
# rounding), used as the teacher of the fine-grained distillation configs (*_fgd_*). Only
# model.backbone is read; the distillation config names the teacher weights.
model = dict(
    backbone=dict(
        type='mmplugins.QSDTransformer',
        arch='15m',
        bits=None,
        spiking=False,
        out_indices=(1, 2, 3, 4)))
