# 12 epochs, lr steps at 8 and 11 (mmdet's 1x).
_base_ = 'mmdet::_base_/schedules/schedule_1x.py'
