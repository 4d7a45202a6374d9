# UperNet + ViT-CoMer-B (DeiT-B init) on ADE20K, 160k iterations at 512x512, AdamW 6e-5.
_base_ = './upernet_vit-comer-t_160k_ade20k-512x512.py'
pretrained = 'checkpoints/vit-comer-base_in1k.pth'
model = dict(
    backbone=dict(arch='base', drop_path_rate=0.3, init_cfg=dict(checkpoint=pretrained)),
    auxiliary_head=dict(in_channels=768),
    decode_head=dict(in_channels=[768, 768, 768, 768]))
optim_wrapper = dict(optimizer=dict(lr=6e-5))
