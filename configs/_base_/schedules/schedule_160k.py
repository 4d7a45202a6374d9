# 160k iterations (mmseg's schedule; model configs set their optimizer and warm-up).
_base_ = 'mmseg::_base_/schedules/schedule_160k.py'
