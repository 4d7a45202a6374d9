# kMaX-DeepLab with ConvNeXt-L for ADE20K semantic segmentation (mmseg), the released recipe
# (kMaX-PT configs/ade20k/panoptic_segmentation/kmax_convnext_large.yaml on the ADE20K
# kmax_r50.yaml): the ResNet-50 ADE20K config's schedule, data and head (decoder drop path 0.0),
# with the release's ConvNeXt-L (mmplugins.ConvNeXt), drop path 0.7, from the ImageNet-22K -> 1K
# 384 weights (convert convnext_large_22k_1k_384.pth with
#   python tools/convert_checkpoint.py convnext convnext_large_22k_1k_384.pth checkpoints/convnext-large_in22k-in1k-384.pth).
# The released model trains on ADE20K panoptic labels; this head learns from semantic labels.
_base_ = [
    './kmax-deeplab_r50_8xb8-100k_ade20k-1281x1281.py',
    '../_base_/schedules/kmax_convnext_optim.py'  # the released optimizer rules
]
pretrained = 'checkpoints/convnext-large_in22k-in1k-384.pth'
model = dict(
    decode_head=dict(in_channels=[192, 384, 768, 1536]),
    backbone=dict(
        _delete_=True,
        type='mmplugins.ConvNeXt',
        arch='large',
        drop_path_rate=0.7,
        layer_scale_init_value=1e-6,  # MODEL.CONVNEXT.LSIT
        out_indices=(0, 1, 2, 3),
        init_cfg=dict(type='Pretrained', checkpoint=pretrained)))
optim_wrapper = {{_base_.kmax_convnext_optim_wrapper}}
