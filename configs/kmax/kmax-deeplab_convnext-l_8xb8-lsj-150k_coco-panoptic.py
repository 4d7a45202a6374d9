# kMaX-DeepLab with ConvNeXt-L on COCO panoptic, the released recipe (kMaX-PT
# configs/coco/panoptic_segmentation/kmax_convnext_large.yaml): the ConvNeXt-T config with
# arch large, drop path 0.6, from convnext_large_22k_1k_384.pth (convert it with
#   python tools/convert_checkpoint.py convnext convnext_large_22k_1k_384.pth checkpoints/convnext-large_in22k-in1k-384.pth).
_base_ = ['./kmax-deeplab_convnext-t_8xb8-lsj-150k_coco-panoptic.py']
pretrained = 'checkpoints/convnext-large_in22k-in1k-384.pth'
model = dict(
    panoptic_head=dict(in_channels=[192, 384, 768, 1536]),
    backbone=dict(arch='large', drop_path_rate=0.6,
                  init_cfg=dict(type='Pretrained', checkpoint=pretrained)))
