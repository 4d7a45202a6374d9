# kMaX-DeepLab with this toolkit's Swin-T on COCO panoptic, the kMaX recipe of the ResNet-50
# config (the paper has no Swin entry; drop path 0.3 as for its ConvNeXt-T).
_base_ = ['./kmax-deeplab_r50_8xb8-lsj-150k_coco-panoptic.py']
pretrained = 'checkpoints/swin-tiny_in1k.pth'
model = dict(
    panoptic_head=dict(in_channels=[96, 192, 384, 768]),
    backbone=dict(
        _delete_=True,
        type='mmplugins.SwinTransformer',
        arch='tiny',
        drop_path_rate=0.3,
        out_indices=(0, 1, 2, 3),
        init_cfg=dict(type='Pretrained', checkpoint=pretrained)))
# custom_keys match longest first, so the Swin tables repeat the backbone lr multiplier.
optim_wrapper = dict(
    paramwise_cfg=dict(custom_keys={
        'backbone': dict(lr_mult=0.1),
        'absolute_pos_embed': dict(lr_mult=0.1, decay_mult=0.0),
        'relative_position_bias_table': dict(lr_mult=0.1, decay_mult=0.0),
        '_rpe.': dict(decay_mult=0.0),
        'cluster_centers': dict(decay_mult=0.0),
    }))
