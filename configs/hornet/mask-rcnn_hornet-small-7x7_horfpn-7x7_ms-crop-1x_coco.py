# Mask R-CNN + HorNet-S (7x7) with HorFPN-7x7, 1x with multi-scale + crop, as the official
# object_detection/configs/horfpn/horfpn_7x7_mask_rcnn_hornet_small_7x7_1x_coco_in1k.py: the
# recipe of its plain-FPN twin (mask-rcnn_hornet-small-7x7_fpn_ms-crop-1x_coco.py, the same
# released values and the same layer-decay note) with the FPN's 3x3 output convs replaced by
# order-2 gnConv layers (7x7 depthwise mixer, no scale factor; released GNFPN).
_base_ = './mask-rcnn_hornet-small-7x7_fpn_ms-crop-1x_coco.py'
model = dict(
    neck=dict(
        type='mmplugins.HorFPN',
        gnconv_cfg=dict(order=2, mixer=dict(type='dw', kernel_size=7), scale=1.0)))
