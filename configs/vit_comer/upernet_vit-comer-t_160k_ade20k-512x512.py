# UperNet + ViT-CoMer-T (DeiT-T init) on ADE20K, 160k iterations at 512x512. The official
# recipe: AdamW 12e-5 (T; 6e-5 for S/B), betas (0.9, 0.999), wd 0.01, layer-wise lr decay 0.95,
# 1500-iteration linear warm-up then poly decay, batch 16 (8 GPUs x 2), fp16 (add --amp); the
# segmentation flavour of the official code (CNN feature interaction on, MRFP width from the
# arch, per-interaction ViT features). Sliding-window test, 512 crops with stride 341.
# ImageNet weights: python tools/convert_checkpoint.py deit deit_tiny_patch16_224-a1311bcf.pth \
#   checkpoints/vit-comer-tiny_in1k.pth
_base_ = [
    '../_base_/models/upernet.py', '../_base_/datasets/ade20k.py',
    '../_base_/schedules/schedule_160k.py', '../_base_/default_runtime_seg.py'
]
crop_size = (512, 512)
pretrained = 'checkpoints/vit-comer-tiny_in1k.pth'
model = dict(
    data_preprocessor=dict(size=crop_size),
    backbone=dict(
        _delete_=True,
        type='mmplugins.ViTCoMer',
        arch='tiny',
        flavour='seg',
        pretrain_size=224,
        drop_path_rate=0.1,
        norm_cfg=dict(type='SyncBN', requires_grad=True),
        pretrained_scope='vit',  # ViT weights only: the CoMer modules start fresh
        init_cfg=dict(type='Pretrained', checkpoint=pretrained)),
    decode_head=dict(in_channels=[192, 192, 192, 192], num_classes=150),
    auxiliary_head=dict(in_channels=192, num_classes=150),
    test_cfg=dict(mode='slide', crop_size=crop_size, stride=(341, 341)))
optim_wrapper = dict(
    _delete_=True,
    type='OptimWrapper',
    constructor='mmplugins.LayerDecayOptimWrapperConstructor',
    optimizer=dict(type='AdamW', lr=12e-5, betas=(0.9, 0.999), weight_decay=0.01),
    paramwise_cfg=dict(layer_decay_rate=0.95))
param_scheduler = [
    dict(type='LinearLR', start_factor=1e-6, by_epoch=False, begin=0, end=1500),
    dict(type='PolyLR', eta_min=0.0, power=1.0, begin=1500, end=160000, by_epoch=False)
]
train_dataloader = dict(batch_size=2)
val_dataloader = dict(batch_size=1)
test_dataloader = val_dataloader
