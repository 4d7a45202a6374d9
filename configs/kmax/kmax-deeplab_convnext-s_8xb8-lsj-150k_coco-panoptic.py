# kMaX-DeepLab with ConvNeXt-S on COCO panoptic, the released recipe (kMaX-PT
# configs/coco/panoptic_segmentation/kmax_convnext_small.yaml): the ConvNeXt-T config with
# arch small, drop path 0.4, from convnext_small_22k_1k_384.pth (convert it with
#   python tools/convert_checkpoint.py convnext convnext_small_22k_1k_384.pth checkpoints/convnext-small_in22k-in1k-384.pth).
_base_ = ['./kmax-deeplab_convnext-t_8xb8-lsj-150k_coco-panoptic.py']
pretrained = 'checkpoints/convnext-small_in22k-in1k-384.pth'
model = dict(
    panoptic_head=dict(in_channels=[96, 192, 384, 768]),
    backbone=dict(arch='small', drop_path_rate=0.4,
                  init_cfg=dict(type='Pretrained', checkpoint=pretrained)))
