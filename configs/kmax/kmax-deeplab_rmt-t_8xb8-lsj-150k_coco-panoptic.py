# kMaX-DeepLab with this toolkit's RMT-T on COCO panoptic, the kMaX recipe of the ResNet-50 config
# (the paper has no RMT-T entry; backbone settings as in this toolkit's RMT-T detection configs).
_base_ = ['./kmax-deeplab_r50_8xb8-lsj-150k_coco-panoptic.py']
pretrained = 'checkpoints/rmt-tiny_in1k.pth'
model = dict(
    panoptic_head=dict(in_channels=[64, 128, 256, 512]),
    backbone=dict(
        _delete_=True,
        type='mmplugins.RMT',
        arch='tiny',
        drop_path_rate=0.1,
        out_indices=(0, 1, 2, 3),
        norm_cfg=dict(type='SyncBN', requires_grad=True),
        norm_eval=False,
        init_cfg=dict(type='Pretrained', checkpoint=pretrained)))
