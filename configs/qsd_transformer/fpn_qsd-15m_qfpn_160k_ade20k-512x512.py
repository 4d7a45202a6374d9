# QFPN + QFPNHead + QSD-Transformer-15M spike-driven end to end on ADE20K, as the released
# seg/configs/q_sformer_seg/fpn_sdtv3_512x512_15M_ade20k.py: maps of stages 0, 1, 2, 4 kept
# as [T, B, C, H, W] (T=1) into QFPN (neuron -> conv -> BN laterals and outputs) and QFPNHead
# (neuron -> conv -> BN scale heads, a neuron before the classifier), neurons firing
# round(clamp(x, 0, 4)) / 4 (the release's MultiSpike_norm(Norm=T=4)); logits averaged over T
# after the classifier. Recipe as fpn_qsd-15m_160k_ade20k-512x512.py (AdamW 1e-3, head lr x2,
# 160k iterations, 16 images per GPU; the release trained with AMP).
# Released whole-model weights: python tools/convert_checkpoint.py qsd_model SRC DST
_base_ = ['./fpn_qsd-15m_160k_ade20k-512x512.py']
model = dict(
    backbone=dict(keep_time=True),
    neck=dict(type='mmplugins.QFPN', in_channels=[32, 64, 128, 360], out_channels=128),
    decode_head=dict(type='mmplugins.QFPNHead', act_cfg=None))
