# RetinaNet with FPN. Model configs replace the backbone (with _delete_=True) and write the
# neck's in_channels for it (tests/test_plain_configs.py checks them against the backbone).
_base_ = 'mmdet::_base_/models/retinanet_r50_fpn.py'
model = dict(backbone=dict(init_cfg=None))  # no download at run time
