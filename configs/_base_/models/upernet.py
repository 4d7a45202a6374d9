# UperNet with an FCN auxiliary head on stage 3. Model configs replace the backbone
# (with _delete_=True) and write the heads' in_channels for it.
_base_ = 'mmseg::_base_/models/upernet_r50.py'
model = dict(pretrained=None)  # no download at run time
