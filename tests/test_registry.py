"""One registration for mmdet and mmseg; channel matching for swapped backbones; the
mmplugins scope resolving the host library's names; the layer-decay constructor."""
import pytest
import torch
import torch.nn as nn
from mmengine.config import Config
from mmengine.registry import init_default_scope

import mmplugins
from mmplugins.apis import load_config, match_backbone_channels
from mmplugins.engine import LayerDecayOptimWrapperConstructor

TINY = dict(embed_dims=16, depths=(1, 1, 1, 1), num_heads=(1, 1, 2, 2))


@pytest.mark.parametrize('scope', ['mmdet', 'mmseg'])
def test_backbone_builds_through_both_libraries(scope):
    init_default_scope(scope)
    if scope == 'mmdet':
        from mmdet.registry import MODELS
    else:
        from mmseg.registry import MODELS
    model = MODELS.build(dict(type='mmplugins.SwinTransformer', arch=TINY, out_indices=(1, 3)))
    assert isinstance(model, mmplugins.models.backbones.SwinTransformer)
    outs = model(torch.randn(1, 3, 64, 64))
    assert [o.shape[1] for o in outs] == [32, 128]


def test_matched_channels_follow_the_backbone():
    cfg = Config(dict(
        default_scope='mmseg',
        model=dict(
            type='EncoderDecoder',
            backbone=dict(type='mmplugins.SwinTransformer', arch=TINY),
            decode_head=dict(type='UPerHead', in_channels=[96, 192, 384, 768],
                             in_index=[0, 1, 2, 3]),
            auxiliary_head=dict(type='FCNHead', in_channels=384, in_index=2))))
    match_backbone_channels(cfg)
    assert cfg.model.decode_head.in_channels == [16, 32, 64, 128]
    assert cfg.model.auxiliary_head.in_channels == 64


def test_matched_channels_for_backbones_without_out_channels():
    """mmdet's ResNet has no out_channels attribute: a meta-device forward finds them."""
    cfg = Config(dict(default_scope='mmdet', model=dict(
        type='MaskRCNN',
        backbone=dict(type='ResNet', depth=18, out_indices=(0, 1, 2, 3), init_cfg=None),
        neck=dict(type='FPN', in_channels=[256, 512, 1024, 2048], out_channels=8, num_outs=5))))
    match_backbone_channels(cfg)
    assert cfg.model.neck.in_channels == [64, 128, 256, 512]


def test_real_and_shapes_configs_load():
    cfg = load_config('configs/swin/mask-rcnn_swin-t-p4-w7_fpn_1x_shapes-coco.py')
    assert cfg.model.neck.in_channels == [96, 192, 384, 768]
    assert cfg.model.roi_head.bbox_head.num_classes == 5
    assert cfg.model.backbone.init_cfg is None
    real = load_config('configs/swin/mask-rcnn_swin-t-p4-w7_fpn_1x_coco.py')
    assert real.model.roi_head.bbox_head.num_classes == 80
    assert real.model.backbone.init_cfg.type == 'Pretrained'
    assert real.train_dataloader.dataset.data_root == 'data/coco/'


def test_shapes_configs_use_the_generators_metainfo():
    from mmplugins.datasets import (SHAPES_INSTANCE_METAINFO, SHAPES_PANOPTIC_METAINFO,
                                    SHAPES_SEMANTIC_METAINFO)
    for name, expected in [('shapes_coco_instance', SHAPES_INSTANCE_METAINFO),
                           ('shapes_coco_panoptic', SHAPES_PANOPTIC_METAINFO),
                           ('shapes_ade20k', SHAPES_SEMANTIC_METAINFO)]:
        meta = Config.fromfile(f'configs/_base_/datasets/{name}.py').shapes_metainfo
        for key, value in expected.items():
            assert [tuple(v) if isinstance(v, list) else v for v in meta[key]] == \
                [tuple(v) if isinstance(v, list) else v for v in value], (name, key)


class _Toy(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = mmplugins.models.backbones.SwinTransformer(arch=TINY)
        self.head = nn.Linear(4, 4)


def test_layer_decay_scales_lr_by_depth():
    model = _Toy()
    constructor = LayerDecayOptimWrapperConstructor(
        dict(type='OptimWrapper', optimizer=dict(type='AdamW', lr=1.0, weight_decay=0.05)),
        dict(layer_decay_rate=0.5, no_decay_keys=['relative_position_bias_table']))
    optim = constructor(model).optimizer
    lr_of = {}
    for group in optim.param_groups:
        for name in group['param_names']:
            lr_of[name] = (group['lr'], group['weight_decay'])
    num = sum(TINY['depths']) + 2
    assert lr_of['head.weight'] == (1.0, 0.05)
    assert lr_of['head.bias'] == (1.0, 0.0)  # 1-D: no weight decay
    assert lr_of['backbone.patch_embed.proj.weight'] == (0.5 ** (num - 1), 0.05)
    assert lr_of['backbone.stages.2.blocks.0.attn.qkv.weight'][0] == 0.5 ** (num - 1 - 3)
    assert lr_of['backbone.stages.0.blocks.0.attn.relative_position_bias_table'][1] == 0.0


def test_layer_decay_refuses_backbones_without_depths():
    class NoDepth(nn.Module):
        def __init__(self):
            super().__init__()
            self.backbone = nn.Linear(2, 2)

    constructor = LayerDecayOptimWrapperConstructor(
        dict(type='OptimWrapper', optimizer=dict(type='SGD', lr=0.1)),
        dict(layer_decay_rate=0.9))
    with pytest.raises(TypeError, match='get_layer_depth'):
        constructor(NoDepth())


@pytest.mark.parametrize('host', ['mmdet', 'mmseg'])
def test_mmplugins_scope_resolves_unscoped_names_in_the_host_library(host):
    """mmengine builds every typed node of a config inherited as ``mmplugins::...`` in the
    mmplugins scope; a stock name there is the host library's (mmdet's or mmseg's FPN)."""
    from mmengine.registry import DefaultScope
    from mmengine.registry import MODELS as ROOT_MODELS
    from mmengine.registry import TRANSFORMS as ROOT_TRANSFORMS

    from mmplugins.registry import MODELS as PLUGIN_MODELS
    init_default_scope(host)
    library = __import__(f'{host}.registry', fromlist=['MODELS', 'TRANSFORMS'])
    with DefaultScope.overwrite_default_scope('mmplugins'):
        with ROOT_MODELS.switch_scope_and_registry(None) as registry:
            assert registry is PLUGIN_MODELS
            assert registry.get('FPN') is library.MODELS.get('FPN')
            assert registry.get('SwinTransformer') is mmplugins.models.backbones.SwinTransformer
        with ROOT_TRANSFORMS.switch_scope_and_registry(None) as registry:
            # mmseg's LoadAnnotations, not mmcv's of the root registry
            assert registry.get('LoadAnnotations') is library.TRANSFORMS.get('LoadAnnotations')
    # a config node of the plugin scope builds a host model with plugin parts inside
    model = ROOT_MODELS.build(dict(
        _scope_='mmplugins', type='FPN', in_channels=[16, 32], out_channels=8, num_outs=2))
    assert type(model) is library.MODELS.get('FPN')
