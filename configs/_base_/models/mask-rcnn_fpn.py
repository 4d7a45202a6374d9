# Mask R-CNN with FPN. Model configs replace the backbone (with _delete_=True); the neck's
# in_channels are derived from the backbone by the toolkit's tools.
_base_ = 'mmdet::_base_/models/mask-rcnn_r50_fpn.py'
model = dict(
    backbone=dict(init_cfg=None),  # no download at run time
    neck=dict(in_channels='auto'))
