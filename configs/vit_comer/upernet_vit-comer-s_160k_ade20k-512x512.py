# UperNet + ViT-CoMer-S (DeiT-S init) on ADE20K, 160k iterations at 512x512, AdamW 6e-5.
_base_ = './upernet_vit-comer-t_160k_ade20k-512x512.py'
pretrained = 'checkpoints/vit-comer-small_in1k.pth'
model = dict(
    backbone=dict(arch='small', drop_path_rate=0.2, init_cfg=dict(checkpoint=pretrained)),
    auxiliary_head=dict(in_channels=384),
    decode_head=dict(in_channels=[384, 384, 384, 384]))
optim_wrapper = dict(optimizer=dict(lr=6e-5))
