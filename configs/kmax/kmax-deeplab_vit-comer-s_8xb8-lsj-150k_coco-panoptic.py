# kMaX-DeepLab with this toolkit's ViT-CoMer-S on COCO panoptic, the kMaX recipe of the ResNet-50 config
# (the paper has no ViT-CoMer-S entry; backbone settings as in this toolkit's ViT-CoMer-S detection configs).
_base_ = ['./kmax-deeplab_r50_8xb8-lsj-150k_coco-panoptic.py']
pretrained = 'checkpoints/vit-comer-small_in1k.pth'
model = dict(
    panoptic_head=dict(in_channels=[384, 384, 384, 384]),
    backbone=dict(
        _delete_=True,
        type='mmplugins.ViTCoMer',
        arch='small',
        flavour='det',
        cnn_feature_interaction=True,
        pretrain_size=224,
        drop_path_rate=0.2,
        window_attn=[True, True, False] * 4,
        window_size=14,
        norm_cfg=dict(type='SyncBN', requires_grad=True),
        pretrained_scope='vit',  # ViT weights only: the CoMer modules start fresh
        init_cfg=dict(type='Pretrained', checkpoint=pretrained)))
