"""QSD-Transformer: official release (``bollossom/QSD-Transformer``) -> ``QSDTransformer`` keys.

Accepts the ImageNet model (``Spiking_vit_MetaFormer`` of ``classification/models.py``) or a
detector/segmentor file whose backbone keys start with ``backbone.``. Renames the stages to
``stem`` / ``stages.{i}``, the RepConv ``Sequential`` indices to named parts, moves LSQ step
sizes under ``.quant``, reshapes the MLP's Conv1d weights to 1x1 Conv2d, and drops the no-op
activation quantizers (``.act.*``, ``ActLSQ`` returns its input unchanged) and the ImageNet head.

The SDT-V3 (E-SpikeFormer) backbones of the release's 19M segmentor (``sdtv3.py``
``Spiking_vit_MetaFormerv2``) and Cascade Mask R-CNN (``sdeformer.py`` ``SDEFormer``), i.e.
``arch='19m'``, convert too: their ``Sequential(conv, BN)`` pairs become named parts, the
transformer blocks' conv branch ``conv`` becomes ``sep`` and their LayerScales 1/2/3 (conv,
attention, MLP) become 0/1/2.
"""
import re
from typing import Dict, List, Tuple

import torch

from .base import ConversionReport, register_converter

#: official stage prefixes -> ours (block3/block4 indices are kept)
_STAGES: List[Tuple[str, str]] = [
    (r'^downsample1_1\.', 'stem.'),
    (r'^ConvBlock1_1\.0\.', 'stages.0.blocks.0.'),
    (r'^downsample1_2\.', 'stages.1.downsample.'),
    (r'^ConvBlock1_2\.0\.', 'stages.1.blocks.0.'),
    (r'^downsample2\.', 'stages.2.downsample.'),
    (r'^ConvBlock2_1\.0\.', 'stages.2.blocks.0.'),
    (r'^ConvBlock2_2\.0\.', 'stages.2.blocks.1.'),
    (r'^downsample3\.', 'stages.3.downsample.'),
    (r'^block3\.(\d+)\.', r'stages.3.blocks.\1.'),
    (r'^downsample4\.', 'stages.4.downsample.'),
    (r'^block4\.(\d+)\.', r'stages.4.blocks.\1.'),
]
#: renames inside a stage (order matters: RepConv body before the outer BN)
_INNER: List[Tuple[str, object]] = [
    (r'\.encode_conv\.', '.conv.'),
    (r'\.encode_bn\.', '.bn.'),
    (r'\.Conv\.', '.sep.'),
    (r'\.(q|k|v|proj)_conv\.0\.body\.0\.', r'.\1_conv.pw1.'),
    (r'\.(q|k|v|proj)_conv\.0\.body\.1\.bn\.', r'.\1_conv.pad_bn.'),
    (r'\.(q|k|v|proj)_conv\.0\.body\.2\.0\.', r'.\1_conv.dw.'),
    (r'\.(q|k|v|proj)_conv\.0\.body\.2\.1\.', r'.\1_conv.pw2.'),
    (r'\.(q|k|v|proj)_conv\.0\.body\.2\.2\.', r'.\1_conv.bn.'),
    (r'\.(q|k|v|proj)_conv\.1\.', r'.\1_bn.'),
    # SDT-V3 blocks: 1x1 Q/K/V/proj convs, Sequential(conv, BN) inside SepConv_Spike
    (r'\.(q|k|v|proj)_conv\.0\.weight$', r'.\1_conv.weight'),
    (r'\.(blocks\.\d+)\.conv\.', r'.\1.sep.'),
    (r'\.sep\.(pwconv1|dwconv|pwconv2)\.0\.', r'.sep.\1.'),
    (r'\.sep\.(pwconv1|dwconv|pwconv2)\.1\.',
     lambda m: f".sep.{dict(pwconv1='bn1', dwconv='dw_bn', pwconv2='bn2')[m.group(1)]}."),
    (r'\.(alpha|init_state)$', r'.quant.\1'),
]


def _rename(key: str) -> str:
    for pattern, repl in _STAGES:
        new, n = re.subn(pattern, repl, key)
        if n:
            key = new
            break
    else:
        raise KeyError(f'qsd converter: unexpected key {key!r}')
    for pattern, repl in _INNER:
        key = re.sub(pattern, repl, key)
    return key


@register_converter('qsd', 'qsd_transformer')
def convert_qsd(state_dict: Dict[str, torch.Tensor]) -> ConversionReport:
    """Convert an official QSD-Transformer state dict (see the module docstring)."""
    dropped, notes = [], []
    if any(k.startswith('backbone.') for k in state_dict):
        others = [k for k in state_dict if not k.startswith('backbone.')]
        dropped += others
        state_dict = {k[len('backbone.'):]: v for k, v in state_dict.items()
                      if k.startswith('backbone.')}
        notes.append(f'kept the backbone of a detector/segmentor file ({len(others)} '
                     'neck/head keys dropped)')
    # SDT-V3 transformer blocks open with a conv branch and number their LayerScales from it
    sdt_v3 = any(re.match(r'block[34]\.\d+\.conv\.', k) for k in state_dict)
    out = {}
    for key, value in state_dict.items():
        if '.act.' in key or key.startswith(('head.', 'lif.')):
            dropped.append(key)
            continue
        new = _rename(key)
        if sdt_v3:
            new = re.sub(r'\.layer_scale([123])$', lambda m: f'.layer_scale{int(m.group(1)) - 1}',
                         new)
        if re.search(r'\.fc[12]_conv\.weight$', new) and value.dim() == 3:
            value = value.unsqueeze(-1)  # Conv1d k=1 -> Conv2d 1x1
        out[new] = value
    if any(k.startswith('head.') for k in dropped):
        notes.append('dropped the ImageNet classifier (head.*)')
    if sdt_v3:
        notes.append("SDT-V3 blocks (build QSDTransformer with arch='19m')")
    return ConversionReport(out, dropped, notes)


def _retina_branch(match: 're.Match') -> str:
    # the released branch is a flat [neuron, conv, neuron, conv, ...] list; ours one
    # SpikeLayer per conv
    return f'{match.group(1)}.{(int(match.group(2)) - 1) // 2}.layer.'


#: released spiking neck/head keys -> ``mmplugins.models.spiking_heads`` (first match wins;
#: ``SeqToANNContainer(...).module`` -> ``SpikeLayer.layer``)
_NECK_HEAD: List[Tuple[str, object]] = [
    (r'^(bbox_head\.(?:cls|reg)_convs)\.(\d+)\.module\.', _retina_branch),
    (r'^(bbox_head\.retina_(?:cls|reg))\.module\.', r'\1.layer.'),
    (r'\.1\.module\.', '.layer.'),  # Sequential(neuron, SeqToANNContainer(layer))
    (r'^(neck\.(?:lateral|fpn)_convs\.\d+)\.([01])\.', r'\1.layer.\2.'),  # QFPN conv, BN
    (r'^(decode_head\.scale_heads\.\d+\.\d+)\.1\.', r'\1.layer.conv.'),  # QFPNHead conv
    (r'^(decode_head\.scale_heads\.\d+\.\d+)\.2\.', r'\1.layer.bn.'),  # and its BN
]


@register_converter('qsd_model')
def convert_qsd_model(state_dict: Dict[str, torch.Tensor]) -> ConversionReport:
    """Convert a whole released QSD detector or segmentor (``det/`` Mask R-CNN, Cascade,
    RetinaNet; ``seg/`` QFPN): the backbone as :func:`convert_qsd` (kept under
    ``backbone.``), the spiking neck and heads renamed to this toolkit's modules."""
    if not any(k.startswith('backbone.') for k in state_dict):
        raise KeyError('qsd_model converter: no backbone.* keys; for an ImageNet file use the '
                       "'qsd' converter")
    backbone = convert_qsd({k: v for k, v in state_dict.items() if k.startswith('backbone.')})
    out = {f'backbone.{k}': v for k, v in backbone.state_dict.items()}
    dropped = [f'backbone.{k}' for k in backbone.dropped]
    for key, value in state_dict.items():
        if key.startswith('backbone.'):
            continue
        if key.startswith(('data_preprocessor.', 'auxiliary_head.')):
            dropped.append(key)
            continue
        for pattern, repl in _NECK_HEAD:
            new, n = re.subn(pattern, repl, key)
            if n:
                key = new
                break
        out[key] = value
    notes = [n for n in backbone.notes if 'neck/head keys dropped' not in n]
    notes.append(f'renamed the spiking neck/head keys ({len(out) - len(backbone.state_dict)} '
                 'tensors)')
    return ConversionReport(out, dropped, notes)
