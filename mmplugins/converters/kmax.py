"""kMaX-DeepLab: official PyTorch release (bytedance/kmax-deeplab, detectron2) -> this toolkit.

The official ``.pth`` holds ``backbone.*`` (detectron2 ResNet-50 or the release's ConvNeXt
T/S/B/L) and ``sem_seg_head.*`` (``pixel_decoder``, ``predictor`` = transformer decoder with the
auxiliary semantic head). The kMaX modules here keep the official names without their leading
underscores, so the head converts by renaming; the ResNet-50 converts to mmdet/mmseg ``ResNet``
keys (``depth=50``, ``style='pytorch'``, i.e. the stride in the 3x3 conv as
``STRIDE_IN_1X1: False``), the ConvNeXt to :class:`mmplugins.ConvNeXt` keys (``pwconv1/2`` ->
``mlp.fc1/2``, see :mod:`mmplugins.converters.convnext`).

Converters: ``'kmax'`` -> ``KMaXDeepLab`` (``panoptic_head.*``) and ``'kmax-seg'`` -> an mmseg
``EncoderDecoder`` with ``KMaXHead`` (``decode_head.*``).
"""
import re
from typing import Dict, List, Tuple

import torch

from .base import ConversionReport, register_converter
from .convnext import convnext_backbone_key

_HEAD_PREFIXES: Tuple[Tuple[str, str], ...] = (
    ('sem_seg_head.predictor._auxiliary_semantic_predictor.', '{head}.aux_semantic_head.'),
    ('sem_seg_head.predictor.', '{head}.transformer_decoder.'),
    ('sem_seg_head.pixel_decoder.', '{head}.pixel_decoder.'),
)
# buffers of the detectron2 meta-architecture (input normalisation lives in the data
# preprocessor here: mean = std = 127.5).
_DROPPED = ('pixel_mean', 'pixel_std')


def _head_key(key: str, head: str) -> str:
    for old, new in _HEAD_PREFIXES:
        if key.startswith(old):
            rest = key[len(old):]
            # official names carry a leading underscore; its "_predcitor" typo is fixed here.
            rest = '.'.join(part.lstrip('_') for part in rest.split('.'))
            rest = re.sub(r'(^|\.)predcitor\.', r'\1predictor.', rest)
            return new.format(head=head) + rest
    raise KeyError(key)


def _resnet_key(key: str) -> str:
    """detectron2 ResNet key (without ``backbone.``) -> mmdet ``ResNet`` key."""
    m = re.fullmatch(r'stem\.conv1\.(weight|norm\.(.+))', key)
    if m:
        return 'conv1.weight' if m.group(2) is None else f'bn1.{m.group(2)}'
    m = re.fullmatch(r'res(\d)\.(\d+)\.(conv\d|shortcut)\.(weight|norm\.(.+))', key)
    if not m:
        raise KeyError(key)
    stage, block, conv, _, norm_param = m.groups()
    prefix = f'layer{int(stage) - 1}.{block}.'
    if conv == 'shortcut':
        return prefix + ('downsample.0.weight' if norm_param is None
                         else f'downsample.1.{norm_param}')
    return prefix + (f'{conv}.weight' if norm_param is None else f'bn{conv[-1]}.{norm_param}')


def _convnext_arch(state_dict: Dict[str, torch.Tensor]) -> str:
    """The preset (or depths and dims) of the converted ``backbone.stages.*`` keys."""
    from ..models.backbones.convnext import ConvNeXt  # converters load before the models
    depths, dims = [], []
    for i in range(4):
        blocks = {int(k.split('.')[3]) for k in state_dict
                  if k.startswith(f'backbone.stages.{i}.')}
        depths.append(len(blocks))
        dims.append(state_dict[f'backbone.stages.{i}.0.dwconv.weight'].shape[0] if blocks else 0)
    arch = dict(depths=tuple(depths), dims=tuple(dims))
    # full names only ('tiny', not its alias 't')
    presets = [k for k, v in ConvNeXt.arch_zoo.items() if v == arch and len(k) > 1]
    return f"arch='{presets[0]}'" if presets else f'arch={arch} (no preset)'


def _convert(state_dict: Dict[str, torch.Tensor], head: str) -> ConversionReport:
    # the release's two backbones: D2ConvNeXt (downsample_layers/stages) or the ResNet-50
    convnext = any(k.startswith(('backbone.downsample_layers.', 'backbone.stages.'))
                   for k in state_dict)
    backbone_key = convnext_backbone_key if convnext else _resnet_key
    out: Dict[str, torch.Tensor] = {}
    dropped: List[str] = []
    unknown: List[str] = []
    for key, value in state_dict.items():
        if key in _DROPPED or key.startswith('criterion.'):
            dropped.append(key)
        elif key.startswith('sem_seg_head.'):
            out[_head_key(key, head)] = value
        elif key.startswith('backbone.'):
            try:
                out['backbone.' + backbone_key(key[len('backbone.'):])] = value
            except KeyError:
                unknown.append(key)
        else:
            unknown.append(key)
    name = 'ConvNeXt' if convnext else 'ResNet-50'
    if unknown:
        raise KeyError(
            f'{len(unknown)} keys are not from the official kMaX-DeepLab {name} release '
            f'(e.g. {unknown[:4]}); the converter takes its ResNet-50 and ConvNeXt T/S/B/L '
            'checkpoints')
    if not any(k.startswith(f'{head}.') for k in out):
        raise KeyError('no sem_seg_head.* keys: this is not a kMaX-DeepLab checkpoint')
    notes = ['official input normalisation: mean = std = 127.5 (RGB), zero padding']
    if convnext:
        notes.append(f'backbone: mmplugins.ConvNeXt, {_convnext_arch(out)}')
    else:
        notes.append('official ResNet norm: SyncBN eps=1e-3 momentum=0.01')
    return ConversionReport(out, dropped, notes)


@register_converter('kmax')
def convert_kmax(state_dict: Dict[str, torch.Tensor]) -> ConversionReport:
    """Official kMaX-DeepLab (ResNet-50 or ConvNeXt) -> ``mmplugins.KMaXDeepLab`` (mmdet)."""
    return _convert(state_dict, 'panoptic_head')


@register_converter('kmax-seg')
def convert_kmax_seg(state_dict: Dict[str, torch.Tensor]) -> ConversionReport:
    """Official kMaX-DeepLab (ResNet-50 or ConvNeXt) -> mmseg ``EncoderDecoder`` with
    ``mmplugins.KMaXHead``."""
    return _convert(state_dict, 'decode_head')
