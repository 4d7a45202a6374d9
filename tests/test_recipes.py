"""Paper recipes, pinned: every real-data config against the released config it reproduces.

A paper's number comes from the whole recipe, not only the backbone. Each table below lists, per
toolkit config, the values of the released config file named next to it (optimizer, lr, weight
decay, layer decay, batch per GPU and total batch, schedule, warm-up, drop path, train/test
sizes, test mode, loss weights), and the test reads the toolkit's config with
``Config.fromfile`` alone (no model build) and compares. A later edit that drifts from the
release fails here; a deliberate difference is written as the toolkit's value with the reason in
``DIFFERENCES`` and in the config's comment.

Sources (the official repositories' config files, read at the commits the reference sheets cite):
  SwinDet  SwinTransformer/Swin-Transformer-Object-Detection configs/swin/*.py
  mmdet    mmdet 3.3 .mim/configs/swin/*.py (the toolkit's Swin Mask R-CNN and RetinaNet rows)
  mmseg    mmseg 1.2.2 .mim/configs/swin/*.py (Swin UperNet, as Swin-Transformer-Semantic-
           Segmentation)
  HorNet   raoyongming/HorNet object_detection/configs/{hornet,horfpn}/*.py,
           semantic_segmentation/configs/{hornet,horfpn}/*.py
  RMT      qhfan/RMT detect/configs/RMT/*.py, segmentation/configs/RMT/*.py
  CoMer    Traffic-X/ViT-CoMer detection/configs/mask_rcnn/dinov2/*.py,
           segmentation/configs/ade20k/upernet_vit_comer_*_512_160k_ade20k.py
  kMaX     bytedance/kmax-deeplab configs/{coco,ade20k}/panoptic_segmentation/kmax_r50.yaml,
           configs/coco/panoptic_segmentation/kmax_convnext_{tiny,small,base,large}.yaml,
           configs/ade20k/panoptic_segmentation/kmax_convnext_large.yaml (on kmax_r50.yaml),
           train_net.py (build_optimizer), train_net_utils.py (TF2WarmupPolyLR),
           kmax_deeplab/kmax_model.py (test padding)
  QSD      bollossom/QSD-Transformer det/configs/q_sformer_mask_rcnn/*.py
"""
from pathlib import Path
from typing import Any, Callable, Dict, List, Tuple

import pytest
from mmengine.config import Config

REPO = Path(__file__).resolve().parents[1]


# ----------------------------------------------------------------------------- extractors
def _schedulers(cfg) -> List[dict]:
    sched = cfg.param_scheduler
    return list(sched) if isinstance(sched, (list, tuple)) else [sched]


def _one(cfg, type_: str) -> dict:
    found = [s for s in _schedulers(cfg) if s['type'].split('.')[-1] == type_]
    assert len(found) == 1, f'{type_}: {_schedulers(cfg)}'
    return found[0]


def _pipeline_step(pipeline, type_: str, index: int = 0) -> dict:
    steps = [t for t in pipeline if t['type'] == type_]
    return steps[index]


def _train_pipeline(cfg):
    return cfg.train_dataloader.dataset.pipeline


def _test_resize(cfg):
    return tuple(_pipeline_step(cfg.test_dataloader.dataset.pipeline, 'Resize')['scale'])


def _ms_crop_sizes(cfg) -> Tuple:
    """(first-branch scales, crop-branch resize scales, crop range) of the DETR-style choice."""
    choice = _pipeline_step(_train_pipeline(cfg), 'RandomChoice')
    plain, crop = choice['transforms']
    return ([tuple(s) for s in plain[0]['scales']], [tuple(s) for s in crop[0]['scales']],
            tuple(crop[1]['crop_size']))


def _total_batch(cfg):
    return cfg.auto_scale_lr.base_batch_size


EXTRACT: Dict[str, Callable[[Config], Any]] = {
    'optimizer': lambda c: c.optim_wrapper.optimizer.type,
    'lr': lambda c: c.optim_wrapper.optimizer.lr,
    'weight_decay': lambda c: c.optim_wrapper.optimizer.weight_decay,
    'layer_decay': lambda c: c.optim_wrapper.get('paramwise_cfg', {}).get('layer_decay_rate'),
    # unset: the HorNet backbone's defaults (12 layers, 'layer_wise')
    'layer_decay_layers': lambda c: c.model.backbone.get('layer_decay_num_layers', 12),
    'layer_decay_type': lambda c: c.model.backbone.get('layer_decay_type', 'layer_wise'),
    'batch_per_gpu': lambda c: c.train_dataloader.batch_size,
    'total_batch': _total_batch,
    'epochs': lambda c: c.train_cfg.max_epochs,
    'iters': lambda c: c.train_cfg.max_iters,
    'milestones': lambda c: list(_one(c, 'MultiStepLR')['milestones']),
    'warmup': lambda c: (_one(c, 'LinearLR')['end'], _one(c, 'LinearLR')['start_factor']),
    'poly': lambda c: (_one(c, 'PolyLR')['power'], _one(c, 'PolyLR')['eta_min']),
    'drop_path': lambda c: c.model.backbone.drop_path_rate,
    'grad_clip': lambda c: (c.optim_wrapper.get('clip_grad') or {}).get('max_norm'),
    'test_scale': _test_resize,
    'test_mode': lambda c: (c.model.test_cfg.mode, tuple(c.model.test_cfg.get('stride', ()))),
    'seg_crop': lambda c: tuple(_pipeline_step(_train_pipeline(c), 'RandomCrop')['crop_size']),
    'seg_scale': lambda c: tuple(_pipeline_step(_train_pipeline(c), 'RandomResize')['scale']),
    'det_train_scale': lambda c: tuple(_pipeline_step(_train_pipeline(c), 'Resize')['scale']),
    'ms_crop': _ms_crop_sizes,
    'first_step': lambda c: (_train_pipeline(c)[2]['type'], tuple(_train_pipeline(c)[2]['scale'])),
    'final_crop': lambda c: tuple(
        _pipeline_step(_train_pipeline(c), 'RandomCrop', -1)['crop_size']),
    'retina_neck': lambda c: (c.model.neck.start_level, c.model.neck.add_extra_convs),
    'backbone_arch': lambda c: c.model.backbone.arch,
    'pretrained': lambda c: c.model.backbone.init_cfg.checkpoint,
    'pretrain_size': lambda c: c.model.backbone.pretrain_size,
    'neck': lambda c: (c.model.neck.type, c.model.neck.get('gnconv_cfg')),
    'uper_head': lambda c: (c.model.decode_head.type, c.model.decode_head.get('gnconv_cfg')),
}

# The released multi-scale + crop augmentation (SwinDet mstrain_480-800 configs; mmdet ms-crop-3x;
# HorNet, RMT, ViT-CoMer and QSD use the same lists). mmdet 2.x writes (short, long) pairs as
# (long, short) for Resize: keep_ratio makes (1333, s) and (s, 1333) the same scale.
MS = [(1333, s) for s in range(480, 801, 32)]
MS_CROP = (MS, [(400, 1333), (500, 1333), (600, 1333)], (384, 600))

SWIN_DET = dict(optimizer='AdamW', lr=1e-4, weight_decay=0.05, batch_per_gpu=2, total_batch=16,
                test_scale=(1333, 800))
SWIN_SEG = dict(optimizer='AdamW', lr=6e-5, weight_decay=0.01, batch_per_gpu=2, iters=160000,
                warmup=(1500, 1e-6), poly=(1.0, 0.0), seg_crop=(512, 512), seg_scale=(2048, 512),
                test_scale=(2048, 512), test_mode=('whole', ()))
HORNET_DET = dict(optimizer='AdamW', weight_decay=0.05, batch_per_gpu=2, total_batch=16,
                  epochs=36, milestones=[27, 33], warmup=(500, 0.001), ms_crop=MS_CROP,
                  layer_decay_type='layer_wise', layer_decay_layers=12)
HORNET_SEG = dict(optimizer='AdamW', lr=1e-4, weight_decay=0.05, batch_per_gpu=2, iters=160000,
                  warmup=(1500, 1e-6), poly=(1.0, 0.0), layer_decay_type='stage_wise')
HORNET_S_1X = dict(optimizer='AdamW', lr=1e-4, weight_decay=0.05, layer_decay=0.95,
                   layer_decay_layers=6, batch_per_gpu=2, total_batch=16, epochs=12,
                   milestones=[8, 11], warmup=(500, 0.001), drop_path=0.6, ms_crop=MS_CROP)
FPN = ('FPN', None)
# HorFPN's gnConv (released GNConvModule): order 2, proj_out, no scale; 'gnconv' = 7x7
# depthwise, 'gngf' = global-local filter of the module's default size 32x17
HORFPN = {'7x7': dict(order=2, mixer=dict(type='dw', kernel_size=7), scale=1.0),
          'gf': dict(order=2, mixer=dict(type='gf', h=32, w=17), scale=1.0)}
HORNET_512 = dict(seg_crop=(512, 512), seg_scale=(2048, 512), test_mode=('slide', (341, 341)))
HORNET_640 = dict(seg_crop=(640, 640), seg_scale=(2560, 640), test_mode=('slide', (426, 426)))
RMT_DET = dict(optimizer='AdamW', weight_decay=0.05, total_batch=16, warmup=(500, 0.001),
               test_scale=(1333, 800))
RMT_1X = dict(RMT_DET, batch_per_gpu=2, epochs=12, milestones=[8, 11], det_train_scale=(1333, 800))
RMT_3X = dict(RMT_DET, batch_per_gpu=2, epochs=36, milestones=[27, 33], ms_crop=MS_CROP)
RMT_RETINA = dict(RMT_1X, weight_decay=1e-4, retina_neck=(1, 'on_input'))
RMT_FPN = dict(optimizer='AdamW', lr=1e-4, weight_decay=1e-4, batch_per_gpu=2, iters=80000,
               poly=(0.9, 1e-6), seg_crop=(512, 512), test_mode=('whole', ()))
RMT_UPER = dict(SWIN_SEG)
COMER_DET = dict(optimizer='AdamW', lr=1e-4, weight_decay=0.05, batch_per_gpu=2, total_batch=16,
                 warmup=(500, 0.001), ms_crop=MS_CROP, final_crop=(1024, 1024))
COMER_SEG = dict(optimizer='AdamW', weight_decay=0.01, layer_decay=0.95, batch_per_gpu=2,
                 iters=160000, warmup=(1500, 1e-6), poly=(1.0, 0.0), seg_crop=(512, 512),
                 test_mode=('slide', (341, 341)))
KMAX = dict(optimizer='AdamW', lr=5e-4, weight_decay=0.05, batch_per_gpu=8, test_scale=(1281, 1281))
QSD_DET = dict(optimizer='AdamW', lr=2e-4, weight_decay=0.05, warmup=(1000, 0.001),
               milestones=[8, 11], first_step=('Resize', (853, 512)), ms_crop=MS_CROP)

# (toolkit config, released source, released values)
RECIPES: List[Tuple[str, str, dict]] = [
    # ---------------------------------------------------------------- Swin
    ('swin/mask-rcnn_swin-t-p4-w7_fpn_1x_coco.py', 'mmdet mask-rcnn_swin-t-p4-w7_fpn_1x_coco.py',
     dict(SWIN_DET, epochs=12, milestones=[8, 11], warmup=(1000, 0.001), drop_path=0.2,
          det_train_scale=(1333, 800))),
    ('swin/mask-rcnn_swin-t-p4-w7_fpn_ms-crop-3x_coco.py',
     'mmdet mask-rcnn_swin-t-p4-w7_fpn_ms-crop-3x_coco.py',
     dict(SWIN_DET, epochs=36, milestones=[27, 33], warmup=(1000, 0.001), drop_path=0.2,
          ms_crop=MS_CROP)),
    ('swin/mask-rcnn_swin-s-p4-w7_fpn_ms-crop-3x_coco.py',
     'mmdet mask-rcnn_swin-s-p4-w7_fpn_amp-ms-crop-3x_coco.py',
     dict(SWIN_DET, epochs=36, milestones=[27, 33], warmup=(1000, 0.001), drop_path=0.2,
          ms_crop=MS_CROP)),
    ('swin/mask-rcnn_swin-t-p4-w7_fpn_ms-crop-1x_coco.py',
     'SwinDet mask_rcnn_swin_tiny_patch4_window7_mstrain_480-800_adamw_1x_coco.py',
     dict(SWIN_DET, epochs=12, milestones=[8, 11], warmup=(500, 0.001), drop_path=0.1,
          ms_crop=MS_CROP)),
    ('swin/cascade-mask-rcnn_swin-t-p4-w7_fpn_ms-crop-1x_coco.py',
     'SwinDet cascade_mask_rcnn_swin_tiny_patch4_window7_mstrain_480-800_giou_4conv1f_adamw'
     '_1x_coco.py', dict(SWIN_DET, epochs=12, milestones=[8, 11], warmup=(500, 0.001),
                         drop_path=0.0, ms_crop=MS_CROP)),
] + [
    (f'swin/cascade-mask-rcnn_swin-{v}-p4-w7_fpn_ms-crop-3x_coco.py',
     f'SwinDet cascade_mask_rcnn_swin_{name}_patch4_window7_mstrain_480-800_giou_4conv1f_adamw'
     '_3x_coco.py (+ _base_/schedules/schedule_1x.py warm-up)',
     dict(SWIN_DET, epochs=36, milestones=[27, 33], warmup=(500, 0.001), drop_path=dp,
          ms_crop=MS_CROP))
    for v, name, dp in [('t', 'tiny', 0.2), ('s', 'small', 0.2), ('b', 'base', 0.3)]
] + [
    (f'swin/upernet_swin-{v}-p4-w7_160k_ade20k-512x512.py',
     f'mmseg swin-{name}-patch4-window7-in1k-pre_upernet_8xb2-160k_ade20k-512x512.py',
     dict(SWIN_SEG, drop_path=0.3, backbone_arch=name))
    for v, name in [('t', 'tiny'), ('s', 'small'), ('b', 'base')]
] + [
    (f'swin/upernet_swin-{name}_160k_ade20k-512x512.py',
     f'mmseg swin-{mm}-pre_upernet_8xb2-160k_ade20k-512x512.py',
     dict(SWIN_SEG, drop_path=0.3, backbone_arch=arch))
    for name, mm, arch in [
        ('b-p4-w12-384', 'base-patch4-window12-in1k-384x384', 'base-384'),
        ('b-p4-w12-384-in22k', 'base-patch4-window12-in22k-384x384', 'base-384'),
        ('b-p4-w7-in22k', 'base-patch4-window7-in22k', 'base'),
        ('l-p4-w7-in22k', 'large-patch4-window7-in22k', 'large'),
        ('l-p4-w12-384-in22k', 'large-patch4-window12-in22k-384x384', 'large-384')]
] + [
    ('swin/retinanet_swin-t-p4-w7_fpn_1x_coco.py', 'mmdet retinanet_swin-t-p4-w7_fpn_1x_coco.py',
     dict(SWIN_DET, optimizer='SGD', lr=0.01, weight_decay=1e-4, epochs=12, milestones=[8, 11],
          warmup=(500, 0.001), drop_path=0.2, det_train_scale=(1333, 800),
          retina_neck=(0, 'on_input'))),
] + [
    # ---------------------------------------------------------------- HorNet
    (f'hornet/cascade-mask-rcnn_hornet-{size}-{mixer}_fpn_ms-crop-3x_coco.py',
     f'HorNet cascade_mask_rcnn_hornet_{size}_{mixer}_3x_coco_{pre}.py',
     dict(HORNET_DET, lr=lr, layer_decay=rate, drop_path=dp))
    for size, lr, rate, dp, pre in [
        ('tiny', 2e-4, 0.7, 0.4, 'in1k'), ('small', 2e-4, 0.7, 0.6, 'in1k'),
        ('base', 2e-4, 0.8, 0.7, 'in1k'), ('large', 1e-4, 0.7, 0.7, 'in22k')]
    for mixer in ('7x7', 'gf')
] + [
    ('hornet/mask-rcnn_hornet-small-7x7_fpn_ms-crop-1x_coco.py',
     'HorNet horfpn/fpn_mask_rcnn_hornet_small_7x7_1x_coco_in1k.py', dict(HORNET_S_1X, neck=FPN)),
] + [
    (f'hornet/mask-rcnn_hornet-small-7x7_horfpn-{mixer}_ms-crop-1x_coco.py',
     f'HorNet horfpn/horfpn_{mixer}_mask_rcnn_hornet_small_7x7_1x_coco_in1k.py (+ necks/gn_fpn.py,'
     ' mmcv_custom/gn_module.py defaults)', dict(HORNET_S_1X, neck=('mmplugins.HorFPN', gn)))
    for mixer, gn in HORFPN.items()
] + [
    (f'hornet/upernet_hornet-small-7x7_horfpn-{mixer}_160k_ade20k-512x512.py',
     f'HorNet semantic_segmentation/configs/horfpn/horfpn_{mixer}_upernet_hornet_small_7x7_512_'
     '160k_ade20k.py (+ decode_heads/gn_uper_head.py, mmcv_custom/gn_module.py defaults)',
     dict(HORNET_SEG, **HORNET_512, layer_decay=0.9, layer_decay_layers=12, drop_path=0.3,
          grad_clip=clip, uper_head=('mmplugins.HorUPerHead', gn)))
    for (mixer, gn), clip in zip(HORFPN.items(), (None, 0.1))
] + [
    (f'hornet/upernet_hornet-{size}-{mixer}_160k_ade20k-{crop}x{crop}.py',
     f'HorNet upernet_hornet_{size}_{mixer}_{crop}_160k_ade20k.py',
     dict(HORNET_SEG, **(HORNET_512 if crop == 512 else HORNET_640), layer_decay=rate,
          layer_decay_layers=layers, drop_path=dp, grad_clip=clip))
    for size, mixer, crop, rate, layers, dp, clip in [
        ('tiny', '7x7', 512, 0.9, 6, 0.4, None), ('tiny', 'gf', 512, 0.9, 6, 0.4, 1),
        ('small', '7x7', 512, 0.9, 12, 0.3, None), ('small', 'gf', 512, 0.9, 12, 0.3, 1),
        ('base', '7x7', 512, 0.9, 12, 0.4, None), ('base', 'gf', 512, 0.9, 12, 0.5, 1),
        ('large', '7x7', 640, 0.8, 12, 0.4, None), ('large', 'gf', 640, 0.8, 12, 0.4, 0.1)]
] + [
    # ---------------------------------------------------------------- RMT
    (f'rmt/mask-rcnn_rmt-{v}_fpn_1x_coco.py', f'RMT detect/configs/RMT/maskrcnn_{code}_1x.py',
     dict(RMT_1X, lr=lr, drop_path=dp))
    for v, code, lr, dp in [('t', 't', 4e-4, 0.1), ('s', 's', 4e-4, 0.15), ('b', 'm', 4e-4, 0.4),
                            ('l', 'l', 2e-4, 0.5)]
] + [
    (f'rmt/mask-rcnn_rmt-{v}_fpn_ms-crop-3x_coco.py',
     f'RMT detect/configs/RMT/maskrcnn_{code}_3x.py',
     dict(RMT_3X, lr=lr, drop_path=dp, **extra))
    for v, code, lr, dp, extra in [('s', 's', 4e-4, 0.15, {}), ('b', 'm', 2e-4, 0.4, {}),
                                   ('l', 'l', 2e-4, 0.5, dict(batch_per_gpu=1, total_batch=8))]
] + [
    (f'rmt/cascade-mask-rcnn_rmt-{v}_fpn_ms-crop-3x_coco.py',
     f'RMT detect/configs/RMT/casrcnn_{code}_3x.py', dict(RMT_3X, lr=lr, drop_path=dp))
    for v, code, lr, dp in [('s', 's', 4e-4, 0.15), ('b', 'm', 2e-4, 0.4)]
] + [
    (f'rmt/retinanet_rmt-{v}_fpn_1x_coco.py', f'RMT detect/configs/RMT/retinanet_{code}_1x.py',
     dict(RMT_RETINA, lr=lr, drop_path=dp))
    for v, code, lr, dp in [('t', 't', 4e-4, 0.1), ('s', 's', 4e-4, 0.15), ('b', 'm', 4e-4, 0.4),
                            ('l', 'l', 2e-4, 0.5)]
] + [
    (f'rmt/fpn_rmt-{v}_80k_ade20k-512x512.py', f'RMT segmentation/configs/RMT/RMT_FPN_{code}_1x.py',
     dict(RMT_FPN, drop_path=dp))
    for v, code, dp in [('t', 't', 0.1), ('s', 's', 0.15), ('b', 'm', 0.4), ('l', 'l', 0.5)]
] + [
    (f'rmt/upernet_rmt-{v}_160k_ade20k-512x512.py',
     f'RMT segmentation/configs/RMT/RMT_Uper_{code}_2x.py', dict(RMT_UPER, drop_path=dp))
    for v, code, dp in [('s', 's', 0.15), ('b', 'm', 0.4), ('l', 'l', 0.5)]
] + [
    # ---------------------------------------------------------------- ViT-CoMer
    # No released config trains ViT-CoMer detection from DeiT weights: the recipe is the DINOv2
    # configs' (the only released ViT-CoMer detection configs; T borrows the S values, its drop
    # path is the T segmentation config's), see DIFFERENCES. The *-dinov2_* rows below are the
    # DINOv2 configs' own counterparts (same values, DINOv2 weights, pretrain_size 592).
    (f'vit_comer/mask-rcnn_vit-comer-{v}_fpn_ms-crop-{s}_coco.py',
     f'CoMer mask_rcnn/dinov2/mask_rcnn_dinov2_comer_{dino}_fpn_{s}_coco.py',
     dict(COMER_DET, layer_decay=rate, drop_path=dp, epochs=12 if s == '1x' else 36,
          milestones=[8, 11] if s == '1x' else [27, 33]))
    for v, dino, rate, dp in [('t', 'small', 0.7, 0.1), ('s', 'small', 0.7, 0.2),
                              ('b', 'base', 0.6, 0.3)]
    for s in ('1x', '3x')
] + [
    (f'vit_comer/mask-rcnn_vit-comer-{v}-dinov2_fpn_ms-crop-{s}_coco.py',
     f'CoMer mask_rcnn/dinov2/mask_rcnn_dinov2_comer_{dino}_fpn_{s}_coco.py',
     dict(COMER_DET, layer_decay=rate, drop_path=dp, pretrain_size=592, backbone_arch=dino,
          epochs=12 if s == '1x' else 36, milestones=[8, 11] if s == '1x' else [27, 33]))
    for v, dino, rate, dp in [('s', 'small', 0.7, 0.2), ('b', 'base', 0.6, 0.3)]
    for s in ('1x', '3x')
] + [
    (f'vit_comer/upernet_vit-comer-{v}_160k_ade20k-512x512.py',
     f'CoMer segmentation/configs/ade20k/upernet_vit_comer_{name}_512_160k_ade20k.py',
     dict(COMER_SEG, lr=lr, drop_path=dp))
    for v, name, lr, dp in [('t', 'tiny', 12e-5, 0.1), ('s', 'small', 6e-5, 0.2),
                            ('b', 'base', 6e-5, 0.3)]
] + [
    # ---------------------------------------------------------------- QSD-Transformer
    ('qsd_transformer/mask-rcnn_qsd-15m_fpn_15e_coco.py',
     'QSD q_sformer_mask_rcnn/mask-rcnn_qformer_fpn_1x_coco.py',
     dict(QSD_DET, batch_per_gpu=8, total_batch=64, epochs=15)),
    ('qsd_transformer/mask-rcnn_qsd-31m_fpn_1x_coco.py',
     'QSD q_sformer_mask_rcnn/mask-rcnn_qformer-t_fpn_1x_coco.py',
     dict(QSD_DET, batch_per_gpu=1, total_batch=8, epochs=12)),
]

# kMaX-DeepLab: every COCO config follows kmax_r50.yaml (COCO), the ADE20K ones the ADE20K yaml.
KMAX_COCO = sorted(p.name for p in (REPO / 'configs/kmax').glob('*_coco-panoptic.py'))
KMAX_ADE = sorted(p.name for p in (REPO / 'configs/kmax').glob('*_ade20k-1281x1281.py'))
# The released ConvNeXt configs (each on its dataset's kmax_r50.yaml): DROP_PATH_RATE, DEPTHS/DIMS
# and WEIGHTS (convnext_{size}_22k_1k_384, converted by tools/convert_checkpoint.py convnext).
KMAX_CONVNEXT = {
    f'kmax-deeplab_convnext-{size[0]}_8xb8-lsj-150k_coco-panoptic.py': (
        f'kMaX configs/coco/panoptic_segmentation/kmax_convnext_{size}.yaml',
        dict(KMAX, total_batch=64, iters=150000, drop_path=dp, backbone_arch=size,
             pretrained=f'checkpoints/convnext-{size}_in22k-in1k-384.pth'))
    for size, dp in [('tiny', 0.3), ('small', 0.4), ('base', 0.5), ('large', 0.6)]}
KMAX_CONVNEXT['kmax-deeplab_convnext-l_8xb8-100k_ade20k-1281x1281.py'] = (
    'kMaX configs/ade20k/panoptic_segmentation/kmax_convnext_large.yaml',
    dict(KMAX, iters=100000, drop_path=0.7, backbone_arch='large',
         pretrained='checkpoints/convnext-large_in22k-in1k-384.pth'))
RECIPES += [(f'kmax/{name}', 'kMaX configs/coco/panoptic_segmentation/kmax_r50.yaml',
             dict(KMAX, total_batch=64, iters=150000))
            for name in KMAX_COCO if name not in KMAX_CONVNEXT]
RECIPES += [(f'kmax/{name}', 'kMaX configs/ade20k/panoptic_segmentation/kmax_r50.yaml',
             dict(KMAX, iters=100000)) for name in KMAX_ADE if name not in KMAX_CONVNEXT]
RECIPES += [(f'kmax/{name}', source, values) for name, (source, values) in KMAX_CONVNEXT.items()]

# The toolkit's deliberate differences from the released configs (each also in the config's
# comment and the model README). Values in RECIPES above are the toolkit's where these apply.
HORNET_1X_IDS = ("layer_decay_type 'layer_wise' clamps the stage-2/3 ids to num_layers (6); the "
                 "release hard-codes 11/12 (lr scales > 1): 'layer_wise_released' restores it")
DIFFERENCES = {
    **{f'hornet/mask-rcnn_hornet-small-7x7_{neck}_ms-crop-1x_coco.py': HORNET_1X_IDS
       for neck in ('fpn', 'horfpn-7x7', 'horfpn-gf')},
    'vit_comer/mask-rcnn_vit-comer-t_fpn_ms-crop-1x_coco.py':
        'DeiT weights with the DINOv2 configs recipe (no released DeiT ViT-CoMer detection '
        'config; T has no released detection config at all)',
}


@pytest.mark.parametrize('config,source,released', RECIPES, ids=[r[0] for r in RECIPES])
def test_config_equals_the_released_recipe(config, source, released):
    path = REPO / 'configs' / config
    assert path.is_file(), f'{config} (counterpart of {source}) is missing'
    cfg = Config.fromfile(str(path))
    wrong = {}
    for key, want in released.items():
        got = EXTRACT[key](cfg)
        if isinstance(want, float) and isinstance(got, (int, float)):
            ok = got == pytest.approx(want, rel=1e-9)
        else:
            ok = got == want
        if not ok:
            wrong[key] = (got, want)
    assert not wrong, f'{config} differs from {source} (got, released): {wrong}'


def test_every_real_config_has_a_recipe_row():
    """A new real-data config of these families needs its released values in this table."""
    rows = {r[0] for r in RECIPES}
    families = ('swin', 'hornet', 'rmt', 'vit_comer', 'kmax')
    real = {f'{p.parent.name}/{p.name}' for fam in families
            for p in (REPO / 'configs' / fam).glob('*.py') if '_shapes-' not in p.name}
    assert real - rows == set(), sorted(real - rows)
    assert set(DIFFERENCES) <= rows


# ----------------------------------------------------------------------------- kMaX specifics
@pytest.mark.parametrize('name', KMAX_COCO + KMAX_ADE)
def test_kmax_released_schedule_losses_and_test_padding(name):
    cfg = Config.fromfile(str(REPO / 'configs/kmax' / name))
    coco = name in KMAX_COCO
    # TF2WarmupPolyLR: warm-up 5k from 1e-3, poly 0.9 over MAX_ITER (train_net_utils.py)
    (sched,) = _schedulers(cfg)
    assert sched['type'] == 'mmplugins.TF2WarmupPolyLR'
    assert (sched['warmup_iters'], sched['warmup_factor'], sched['power']) == (5000, 1e-3, 0.9)
    assert (sched['begin'], sched['end']) == (0, cfg.train_cfg.max_iters)
    # SOLVER.BACKBONE_MULTIPLIER
    assert cfg.optim_wrapper.paramwise_cfg.custom_keys.backbone.lr_mult == 0.1
    head = cfg.model.panoptic_head if coco else cfg.model.decode_head
    # CLASS/DICE/MASK/INSDIS/AUX_SEMANTIC_WEIGHT
    assert dict(head.loss.loss_weights) == dict(cls=3.0, dice=3.0, mask_id=0.3, insdis=1.0,
                                                aux_sem=1.0)
    # DROP_PATH_PROB of the transformer decoder: 0.2 on COCO, 0.0 on ADE20K
    assert head.transformer_decoder.drop_path_rate == (0.2 if coco else 0.0)
    pre = cfg.model.data_preprocessor
    assert pre.mean == pre.std == [127.5] * 3
    # kmax_model.py zero-pads every image to INPUT.IMAGE_SIZE before inference, too
    if coco:
        assert pre.pad_size_divisor == 1281 and pre.get('pad_value', 0) == 0
        jitter = _pipeline_step(_train_pipeline(cfg), 'RandomResize')
        assert jitter['ratio_range'] == (0.2, 2.0)  # MIN_SCALE / MAX_SCALE
    else:
        assert tuple(pre.test_cfg.size) == tuple(pre.size) == (1281, 1281)
        assert pre.pad_val == 0
        assert _pipeline_step(_train_pipeline(cfg), 'RandomResize')['ratio_range'] == (0.5, 2.0)
    if 'hornet-tiny' in name:  # as the HorNet-T detection configs
        assert cfg.model.backbone.drop_path_rate == 0.4
    if name in KMAX_CONVNEXT:
        # train_net.py build_optimizer: no decay on norms, biases, gamma, _rpe, cluster centres
        # (every 1-D parameter is a norm, bias or gamma); MODEL.CONVNEXT.LSIT 1e-6
        assert cfg.optim_wrapper.constructor == 'mmplugins.LayerDecayOptimWrapperConstructor'
        paramwise = cfg.optim_wrapper.paramwise_cfg
        assert paramwise.no_decay_1d and paramwise.get('layer_decay_rate', 1.0) == 1.0
        assert set(paramwise.no_decay_keys) == {'_rpe.', 'cluster_centers'}
        assert cfg.model.backbone.layer_scale_init_value == 1e-6


def test_kmax_scheduler_reproduces_the_released_curve():
    """mmplugins.TF2WarmupPolyLR against the released TF2WarmupPolyLR formula (detectron2's
    linear warm-up factor, then (1 - t / max_iters) ** power from t = warmup_iters)."""
    import torch
    from mmengine.registry import PARAM_SCHEDULERS

    import mmplugins  # noqa: F401  (registers the scheduler)

    warmup, total, base = 50, 400, 5e-4
    param = torch.nn.Parameter(torch.zeros(1))
    optimizer = torch.optim.AdamW([{'params': [param], 'lr': base}])
    scheduler = PARAM_SCHEDULERS.build(dict(
        type='mmplugins.TF2WarmupPolyLR', optimizer=optimizer, warmup_iters=warmup,
        warmup_factor=1e-3, power=0.9, begin=0, end=total))

    def released(t):
        if t < warmup:
            alpha = t / warmup
            return base * (1e-3 * (1 - alpha) + alpha)
        return base * (1 - t / total) ** 0.9

    for t in range(total):
        assert optimizer.param_groups[0]['lr'] == pytest.approx(released(t), rel=1e-12), t
        optimizer.step()
        scheduler.step()
    # not the product LinearLR x PolyLR: no poly factor inside the warm-up, a step down after it
    assert released(warmup - 1) > released(warmup)
    with pytest.raises(ValueError, match='warmup_iters'):
        PARAM_SCHEDULERS.build(dict(type='mmplugins.TF2WarmupPolyLR', optimizer=optimizer,
                                    warmup_iters=total, begin=0, end=total))
