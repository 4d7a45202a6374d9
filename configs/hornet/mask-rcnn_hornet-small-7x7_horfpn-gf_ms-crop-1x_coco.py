# Mask R-CNN + HorNet-S (7x7) with HorFPN-GF, 1x, as the official
# object_detection/configs/horfpn/horfpn_gf_mask_rcnn_hornet_small_7x7_1x_coco_in1k.py: the
# HorFPN-7x7 config with the global-local filter as the gnConv mixer (the released
# GNConvModule's 'gngf' default filter size 32x17, resized to every level at run time).
_base_ = './mask-rcnn_hornet-small-7x7_horfpn-7x7_ms-crop-1x_coco.py'
model = dict(neck=dict(gnconv_cfg=dict(mixer=dict(_delete_=True, type='gf', h=32, w=17))))
