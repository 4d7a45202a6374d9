# mmseg's runtime, plus the import that registers this toolkit's models and its safety hooks.
_base_ = 'mmseg::_base_/default_runtime.py'
custom_imports = dict(imports=['mmplugins'], allow_failed_imports=False)
# Merged into default_hooks by tools/train.py (mmplugins.apis.prepare_runtime); not written as
# default_hooks here because mmseg's schedules define default_hooks and mmengine forbids a key
# in two bases of one config. FiniteLossHook stops at the first NaN/inf loss; RNGStateHook keeps
# the random streams across --resume. Opt out: default_hooks = dict(finite_loss=None).
safety_hooks = dict(
    finite_loss=dict(type='mmplugins.FiniteLossHook'),
    rng_state=dict(type='mmplugins.RNGStateHook'))
