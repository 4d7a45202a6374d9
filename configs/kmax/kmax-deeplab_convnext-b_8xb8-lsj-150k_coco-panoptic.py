# kMaX-DeepLab with ConvNeXt-B on COCO panoptic, the released recipe (kMaX-PT
# configs/coco/panoptic_segmentation/kmax_convnext_base.yaml): the ConvNeXt-T config with
# arch base, drop path 0.5, from convnext_base_22k_1k_384.pth (convert it with
#   python tools/convert_checkpoint.py convnext convnext_base_22k_1k_384.pth checkpoints/convnext-base_in22k-in1k-384.pth).
_base_ = ['./kmax-deeplab_convnext-t_8xb8-lsj-150k_coco-panoptic.py']
pretrained = 'checkpoints/convnext-base_in22k-in1k-384.pth'
model = dict(
    panoptic_head=dict(in_channels=[128, 256, 512, 1024]),
    backbone=dict(arch='base', drop_path_rate=0.5,
                  init_cfg=dict(type='Pretrained', checkpoint=pretrained)))
