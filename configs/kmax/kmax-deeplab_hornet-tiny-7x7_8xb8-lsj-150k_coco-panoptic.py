# kMaX-DeepLab with this toolkit's HorNet-T on COCO panoptic, the kMaX recipe of the ResNet-50 config
# (the paper has no HorNet-T entry; backbone settings as in this toolkit's HorNet-T detection configs).
_base_ = ['./kmax-deeplab_r50_8xb8-lsj-150k_coco-panoptic.py']
pretrained = 'checkpoints/hornet-tiny-7x7_in1k.pth'
model = dict(
    panoptic_head=dict(in_channels=[64, 128, 256, 512]),
    backbone=dict(
        _delete_=True,
        type='mmplugins.HorNet',
        arch='tiny',
        drop_path_rate=0.4,  # as the HorNet-T detection configs (official cascade T)
        out_indices=(0, 1, 2, 3),
        init_cfg=dict(type='Pretrained', checkpoint=pretrained)))
