# mmseg's runtime, plus the import that registers this toolkit's models. mmseg keeps
# default_hooks in its schedules (and mmengine forbids a key in two bases of one config), so the
# safety hooks (FiniteLossHook, RNGStateHook) are default_hooks entries of this toolkit's seg
# schedules, configs/_base_/schedules/schedule_*k.py; a config without one of them lists the
# hooks itself. Every entry point then runs them. Opt out of the NaN stop:
# default_hooks = dict(finite_loss=dict(enabled=False)).
_base_ = 'mmseg::_base_/default_runtime.py'
custom_imports = dict(imports=['mmplugins'], allow_failed_imports=False)
