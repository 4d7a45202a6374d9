"""The pairs ``tools/compare_speed.py`` times: this toolkit's networks against the ones the
OpenMMLab libraries ship.

Backbone pairs share weights (converted with the family's converter); whole-model pairs
(a detector or segmentor with this toolkit's backbone against the same config with the
library's backbone, and kMaX-DeepLab against mmdet's Mask2Former) are timed through one
training step on the same batch of the synthetic shapes data, generated at the requested
size. Each pair is built lazily per side (``build(side)``), so that a memory probe in a
fresh process builds one side only.
"""
import copy
import os.path as osp
import tempfile
from typing import Any, Callable, Dict, Optional, Tuple

import torch
import torch.nn as nn

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


# ----------------------------------------------------------------------------- backbones
def _swin_kwargs(arch: str) -> Dict[str, Any]:
    from mmplugins.models.backbones import SwinTransformer
    s = SwinTransformer.resolve_arch(arch)
    return dict(embed_dims=s['embed_dims'], depths=tuple(s['depths']),
                num_heads=tuple(s['num_heads']), window_size=s.get('window_size', 7),
                out_indices=(0, 1, 2, 3), drop_path_rate=0.0)


def _swin_side(lib: str, arch: str, side: str) -> nn.Module:
    if side == 'ours':
        from mmplugins.models.backbones import SwinTransformer
        return SwinTransformer(arch=arch, drop_path_rate=0.0)
    if lib == 'mmdet':
        from mmdet.models.backbones import SwinTransformer as Theirs
    else:
        from mmseg.models.backbones import SwinTransformer as Theirs
    return Theirs(**_swin_kwargs(arch))


def _hornet_side(arch: str, side: str) -> nn.Module:
    if side == 'ours':
        from mmplugins.models.backbones import HorNet
        return HorNet(arch=arch)
    try:
        from mmpretrain.models import HorNet as Theirs
    except ImportError as err:
        raise ImportError(f'the hornet-mmpretrain pair needs mmpretrain ({err})') from err
    return Theirs(arch=arch, out_indices=(0, 1, 2, 3))


def _share_converted(family: str, keep_norms: bool = False) -> Callable:
    """Load the other side's weights into ours through the ``family`` converter."""
    def share(ours: nn.Module, theirs: nn.Module) -> None:
        from mmplugins.converters import convert
        state = dict(convert(family, theirs.state_dict()).state_dict)
        if keep_norms:  # mmpretrain's output norms are dropped by the converter; carry them
            for key, value in theirs.state_dict().items():
                if key.startswith('norm') and key not in state:
                    state[key] = value
        ours.load_state_dict(state, strict=True)
    return share


BACKBONE_PAIRS: Dict[str, Dict[str, Callable]] = {
    'swin-mmdet': dict(build=lambda side, arch: _swin_side('mmdet', arch, side),
                       share=_share_converted('swin'), arch='tiny'),
    'swin-mmseg': dict(build=lambda side, arch: _swin_side('mmseg', arch, side),
                       share=_share_converted('swin'), arch='tiny'),
    'hornet-mmpretrain': dict(build=lambda side, arch: _hornet_side(arch, side),
                              share=_share_converted('hornet', keep_norms=True), arch='tiny'),
}


# ----------------------------------------------------------------------------- whole models
#: name -> (config of ours, how the other side's model config is derived, library scope)
MODEL_PAIRS: Dict[str, Dict[str, Any]] = {
    'maskrcnn-swin': dict(config='configs/swin/mask-rcnn_swin-t-p4-w7_fpn_1x_shapes-coco.py',
                          scope='mmdet', theirs='library_swin'),
    'upernet-swin': dict(config='configs/swin/upernet_swin-t-p4-w7_160k_shapes-ade20k.py',
                         scope='mmseg', theirs='library_swin'),
    'kmax-mask2former': dict(
        config='configs/kmax/kmax-deeplab_r50_8xb8-lsj-150k_shapes-coco-panoptic.py',
        scope='mmdet', theirs='mask2former'),
}


def _resize_pipeline(pipeline: list, shape: Tuple[int, int]) -> None:
    """Every resize/crop/pad of ``pipeline`` set to ``shape`` (no random scale jitter)."""
    for t in pipeline:
        if 'scale' in t:
            t['scale'] = tuple(shape)
            t['keep_ratio'] = True
        if 'ratio_range' in t:
            t['ratio_range'] = (1.0, 1.0)
        for key in ('crop_size', 'size'):
            if key in t:
                t[key] = tuple(shape)


def _library_swin_model(model_cfg: dict, scope: str) -> dict:
    """The same model config with the library's own SwinTransformer at the same settings."""
    ours = model_cfg['backbone']
    from mmplugins.models.backbones import SwinTransformer
    s = SwinTransformer.resolve_arch(ours.get('arch', 'tiny'))
    theirs = copy.deepcopy(model_cfg)
    theirs['backbone'] = dict(
        type=f'{scope}.SwinTransformer', embed_dims=s['embed_dims'], depths=list(s['depths']),
        num_heads=list(s['num_heads']), window_size=s.get('window_size', 7), mlp_ratio=4,
        qkv_bias=True, drop_path_rate=ours.get('drop_path_rate', 0.2), patch_norm=True,
        out_indices=tuple(ours.get('out_indices', (0, 1, 2, 3))), with_cp=False,
        init_cfg=None)
    if scope == 'mmdet':
        theirs['backbone']['convert_weights'] = False
    return theirs


def _mask2former_model(model_cfg: dict, shape: Tuple[int, int]) -> dict:
    """mmdet's Mask2Former R-50 panoptic model with the classes and batch pad of ours."""
    from mmengine.config import Config
    m2f = Config.fromfile(osp.join(_mmdet_configs(), 'mask2former',
                                   'mask2former_r50_8xb2-lsj-50e_coco-panoptic.py')).model
    things = model_cfg['panoptic_head']['num_things_classes']
    stuff = model_cfg['panoptic_head']['num_stuff_classes']
    m2f.panoptic_head.num_things_classes = things
    m2f.panoptic_head.num_stuff_classes = stuff
    m2f.panoptic_head.loss_cls.class_weight = [1.0] * (things + stuff) + [0.1]
    m2f.panoptic_fusion_head.num_things_classes = things
    m2f.panoptic_fusion_head.num_stuff_classes = stuff
    m2f.backbone = copy.deepcopy(model_cfg['backbone'])  # the same ResNet-50 as ours
    m2f.backbone.pop('init_cfg', None)
    m2f.data_preprocessor = copy.deepcopy(model_cfg['data_preprocessor'])
    return m2f.to_dict()


def _mmdet_configs() -> str:
    import mmdet
    return osp.join(osp.dirname(mmdet.__file__), '.mim', 'configs')


def model_pair_config(name: str, shape: Tuple[int, int]):
    """The loaded config of ours (data resized to ``shape``) and the other side's model dict."""
    from mmplugins.apis import load_config
    spec = MODEL_PAIRS[name]
    cfg = load_config(osp.join(REPO, spec['config']))
    _resize_pipeline(cfg.train_dataloader.dataset.pipeline, shape)
    for aug in cfg.model.data_preprocessor.get('batch_augments') or []:
        _resize_pipeline([aug], shape)
    model_cfg = cfg.model.to_dict()
    if spec['theirs'] == 'library_swin':
        theirs = _library_swin_model(model_cfg, spec['scope'])
    else:
        theirs = _mask2former_model(model_cfg, shape)
    return cfg, model_cfg, theirs


def build_model(model_cfg: dict, scope: str) -> nn.Module:
    """A detector/segmentor from a model dict (SyncBN as BN: one CPU process), built under
    ``scope``'s registry."""
    from mmengine.config import ConfigDict
    from mmengine.registry import DefaultScope, init_default_scope

    from mmplugins.apis.runtime import replace_sync_bn
    model_cfg = copy.deepcopy(model_cfg)
    replace_sync_bn(model_cfg)
    init_default_scope(scope)
    if scope == 'mmdet':
        from mmdet.registry import MODELS
    else:
        from mmseg.registry import MODELS
    with DefaultScope.overwrite_default_scope(scope):
        return MODELS.build(ConfigDict(model_cfg))


def shapes_batch(cfg: Any, shape: Tuple[int, int], batch_size: int = 2,
                 root: Optional[str] = None) -> dict:
    """``batch_size`` training samples of the shapes data generated at ``shape``, collated."""
    from mmengine.dataset import pseudo_collate
    from mmengine.registry import DATASETS

    from mmplugins.apis import set_data_root
    from mmplugins.datasets import generate_shapes_dataset
    root = root or osp.join(tempfile.mkdtemp(prefix='speed_shapes_'), 'shapes')
    generate_shapes_dataset(out=root, num_train=batch_size, num_val=1, size=tuple(shape),
                            seed=0)  # returns at once when the root is already complete
    cfg = copy.deepcopy(cfg)
    set_data_root(cfg, root)
    dataset = DATASETS.build(cfg.train_dataloader.dataset)
    return pseudo_collate([dataset[i] for i in range(batch_size)])


def share_weights(name: str, ours: nn.Module, theirs: nn.Module) -> None:
    """Give ``ours`` the other side's weights where the two have the same parts, so both see
    the same proposals and samples: the whole model for the Swin pairs (backbone through the
    ``swin`` converter), the ResNet-50 backbone for kMaX against Mask2Former. (A detector's
    step time depends on its weights: a randomly initialised RPN of one side can send far
    more positive RoIs to the mask head than the other.)"""
    from mmplugins.converters import convert
    theirs_state = theirs.state_dict()
    if MODEL_PAIRS[name]['theirs'] == 'library_swin':
        backbone = {k[len('backbone.'):]: v for k, v in theirs_state.items()
                    if k.startswith('backbone.')}
        state = {f'backbone.{k}': v for k, v in convert('swin', backbone).state_dict.items()}
        state.update({k: v for k, v in theirs_state.items() if not k.startswith('backbone.')})
        missing, unexpected = ours.load_state_dict(state, strict=False)
        # output norms of ours are the library's norm{i}: same keys, loaded above
        if missing or unexpected:
            raise RuntimeError(f'{name}: weights do not carry over: missing {missing}, '
                               f'unexpected {unexpected}')
    else:
        ours.backbone.load_state_dict(theirs.backbone.state_dict(), strict=True)


def train_step(model: nn.Module, data: dict, seed: int = 0) -> None:
    """Forward with losses and backward on ``data``; seeded so that both sides of a pair
    draw the same samples (RPN/RoI sampling, point sampling)."""
    torch.manual_seed(seed)
    model.zero_grad(set_to_none=True)
    batch = model.data_preprocessor(copy.copy(data), True)
    losses = model(**batch, mode='loss')
    loss, _ = model.parse_losses(losses)
    loss.backward()
