# kMaX-DeepLab with ConvNeXt-T on COCO panoptic, the released recipe (kMaX-PT
# configs/coco/panoptic_segmentation/kmax_convnext_tiny.yaml on kmax_r50.yaml): the ResNet-50
# config's schedule, data and head, with the release's ConvNeXt (zero padding before every
# downsampling, no output norms: mmplugins.ConvNeXt), drop path 0.3, from the ImageNet-22K -> 1K
# 384 weights. Convert them (facebookresearch/ConvNeXt convnext_tiny_22k_1k_384.pth) with
#   python tools/convert_checkpoint.py convnext convnext_tiny_22k_1k_384.pth checkpoints/convnext-tiny_in22k-in1k-384.pth
# and the released kMaX ConvNeXt models with `tools/convert_checkpoint.py kmax` (load_from).
_base_ = [
    './kmax-deeplab_r50_8xb8-lsj-150k_coco-panoptic.py',
    '../_base_/schedules/kmax_convnext_optim.py'  # the released optimizer rules
]
pretrained = 'checkpoints/convnext-tiny_in22k-in1k-384.pth'
model = dict(
    panoptic_head=dict(in_channels=[96, 192, 384, 768]),
    backbone=dict(
        _delete_=True,
        type='mmplugins.ConvNeXt',
        arch='tiny',
        drop_path_rate=0.3,
        layer_scale_init_value=1e-6,  # MODEL.CONVNEXT.LSIT
        out_indices=(0, 1, 2, 3),
        init_cfg=dict(type='Pretrained', checkpoint=pretrained)))
optim_wrapper = {{_base_.kmax_convnext_optim_wrapper}}
