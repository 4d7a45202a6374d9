# Leaderboard suite, instance row: Swin (embed 32, depths 1-1-2-1, window 4), as make demo's.
_base_ = './_base_/instance.py'
paper_config = 'mask-rcnn_swin-t-p4-w7_fpn_1x_coco'
