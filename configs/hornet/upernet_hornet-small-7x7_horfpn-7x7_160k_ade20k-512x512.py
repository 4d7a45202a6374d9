# UperNet-HorFPN-7x7 + HorNet-S (7x7) on ADE20K, 160k at 512x512, as the official
# semantic_segmentation/configs/horfpn/horfpn_7x7_upernet_hornet_small_7x7_512_160k_ade20k.py:
# the recipe of upernet_hornet-small-7x7_160k_ade20k-512x512.py (the same released values)
# with UperNet's fusion conv (fpn_bottleneck) an order-2 gnConv layer, 7x7 depthwise mixer, no
# scale factor, then BN + ReLU (released GNUPerHead).
_base_ = './upernet_hornet-small-7x7_160k_ade20k-512x512.py'
model = dict(
    decode_head=dict(
        type='mmplugins.HorUPerHead',
        gnconv_cfg=dict(order=2, mixer=dict(type='dw', kernel_size=7), scale=1.0)))
