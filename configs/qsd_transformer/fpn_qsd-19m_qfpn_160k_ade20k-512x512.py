# QFPN + QFPNHead + the 19M backbone on ADE20K, as the released
# seg/configs/q_sformer_seg/fpn_sdtv3_512x512_19M_ade20k.py: its Spiking_vit_MetaFormerv2
# (seg/mmseg/models/backbones/sdtv3.py) is the Spike-Driven Transformer V3 / E-SpikeFormer 19M,
# i.e. QSDTransformer arch='19m' (the SDT-V3 blocks) with full-precision weights and neurons
# firing round(clamp(x, 0, 4)) / 4 (spike_threshold=1). The release's T=4 is the neuron's
# normaliser D, not time: its backbone runs the image once, so time_steps=1. Recipe as the
# 15M QFPN config (AdamW 1e-3, wd 5e-3, head lr x2, 1500-iteration warm-up then linear decay,
# 160k iterations, 16 images per GPU; the release trained with AMP), with the release's
# validation every 8000 iterations and checkpoints every 10000 keeping the best mIoU.
# ImageNet weights: python tools/convert_checkpoint.py qsd E_19M_T4_checkpoint-197.pth checkpoints/qsd-19m_in1k.pth
# Released whole-model weights: python tools/convert_checkpoint.py qsd_model SRC DST
_base_ = ['./fpn_qsd-15m_qfpn_160k_ade20k-512x512.py']
model = dict(
    backbone=dict(
        arch='19m',
        bits=None,
        spike_threshold=1.0,
        spike_rounding='half_even',
        init_cfg=dict(type='Pretrained', checkpoint='checkpoints/qsd-19m_in1k.pth')),
    neck=dict(in_channels=[32, 64, 128, 360]))
train_cfg = dict(val_interval=8000)
default_hooks = dict(checkpoint=dict(by_epoch=False, interval=10000, save_best='mIoU'))
