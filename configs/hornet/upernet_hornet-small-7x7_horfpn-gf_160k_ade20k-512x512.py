# UperNet-HorFPN-GF + HorNet-S (7x7) on ADE20K, 160k at 512x512, as the official
# semantic_segmentation/configs/horfpn/horfpn_gf_upernet_hornet_small_7x7_512_160k_ade20k.py:
# the HorFPN-7x7 config with the global-local filter as the bottleneck's mixer (the released
# GNConvModule's default filter size 32x17) and gradient clipping at max norm 0.1 (only this
# released HorFPN config clips).
_base_ = './upernet_hornet-small-7x7_horfpn-7x7_160k_ade20k-512x512.py'
model = dict(
    decode_head=dict(gnconv_cfg=dict(mixer=dict(_delete_=True, type='gf', h=32, w=17))))
optim_wrapper = dict(clip_grad=dict(max_norm=0.1, norm_type=2))
