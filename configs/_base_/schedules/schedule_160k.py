# 160k iterations (mmseg's schedule; model configs set their optimizer and warm-up), with the
# toolkit's safety hooks among mmseg's default hooks (see default_runtime_seg.py).
_base_ = 'mmseg::_base_/schedules/schedule_160k.py'
default_hooks = dict(
    finite_loss=dict(type='mmplugins.FiniteLossHook'),
    rng_state=dict(type='mmplugins.RNGStateHook'))
