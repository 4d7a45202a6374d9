# UperNet + HorNet-T (7x7) on ADE20K, 160k iterations at 512x512, as the official raoyongming/HorNet
# semantic_segmentation/configs/hornet/upernet_hornet_tiny_7x7_512_160k_ade20k.py: AdamW 1e-4,
# wd 0.05 (none on 1-D params), stage-wise lr decay 0.9 with num_layers 6 (the backbone's
# get_layer_depth, layer_decay_type='stage_wise'), 1500-iteration linear warm-up from 1e-6 then
# poly (power 1.0) to 0, drop path 0.4, batch 16 (8 GPUs x 2), sliding-window test (stride 341).
# ImageNet weights: python tools/convert_checkpoint.py hornet hornet_tiny_7x7.pth checkpoints/hornet-tiny-7x7_in1k.pth
_base_ = [
    '../_base_/models/upernet.py', '../_base_/datasets/ade20k.py',
    '../_base_/schedules/schedule_160k.py', '../_base_/default_runtime_seg.py'
]
crop_size = (512, 512)
pretrained = 'checkpoints/hornet-tiny-7x7_in1k.pth'
model = dict(
    data_preprocessor=dict(size=crop_size),
    backbone=dict(
        _delete_=True,
        type='mmplugins.HorNet',
        arch='tiny',
        drop_path_rate=0.4,
        out_indices=(0, 1, 2, 3),
        layer_decay_type='stage_wise',
        layer_decay_num_layers=6,
        with_cp=False,
        init_cfg=dict(type='Pretrained', checkpoint=pretrained)),
    decode_head=dict(in_channels=[64, 128, 256, 512], num_classes=150),
    auxiliary_head=dict(in_channels=256, num_classes=150),
    test_cfg=dict(mode='slide', crop_size=crop_size, stride=(341, 341)))
optim_wrapper = dict(
    _delete_=True,
    type='OptimWrapper',
    constructor='mmplugins.LayerDecayOptimWrapperConstructor',
    optimizer=dict(type='AdamW', lr=1e-4, betas=(0.9, 0.999), weight_decay=0.05),
    paramwise_cfg=dict(layer_decay_rate=0.9))
param_scheduler = [
    dict(type='LinearLR', start_factor=1e-6, by_epoch=False, begin=0, end=1500),
    dict(type='PolyLR', eta_min=0.0, power=1.0, begin=1500, end=160000, by_epoch=False)
]
train_dataloader = dict(batch_size=2)
val_dataloader = dict(batch_size=1)
test_dataloader = val_dataloader
