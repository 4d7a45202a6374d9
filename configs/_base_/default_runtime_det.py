# mmdet's runtime, plus the import that registers this toolkit's models and its safety hooks:
# FiniteLossHook stops at the first NaN/inf loss naming the iteration and the loss term;
# RNGStateHook keeps the random streams across --resume. They are ordinary default_hooks entries,
# so every entry point (mmdet's tools/train.py, Runner.from_cfg, this toolkit's tools) runs them.
# Opt out of the NaN stop with default_hooks = dict(finite_loss=dict(enabled=False)).
_base_ = 'mmdet::_base_/default_runtime.py'
custom_imports = dict(imports=['mmplugins'], allow_failed_imports=False)
default_hooks = dict(
    finite_loss=dict(type='mmplugins.FiniteLossHook'),
    rng_state=dict(type='mmplugins.RNGStateHook'))
# mmdet's visualizer, able to draw a panoptic prediction without segments (see the class)
visualizer = dict(type='mmplugins.DetLocalVisualizer')
