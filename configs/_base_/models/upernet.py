# UperNet with an FCN auxiliary head on stage 3. Model configs replace the backbone
# (with _delete_=True); the heads' in_channels are derived from the backbone by the tools.
_base_ = 'mmseg::_base_/models/upernet_r50.py'
model = dict(
    pretrained=None,  # no download at run time
    decode_head=dict(in_channels='auto'),
    auxiliary_head=dict(in_channels='auto'))
