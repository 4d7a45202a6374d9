# Semantic FPN (Kirillov et al.). Model configs replace the backbone (with _delete_=True) and
# write the neck's in_channels for it.
_base_ = 'mmseg::_base_/models/fpn_r50.py'
model = dict(pretrained=None)
