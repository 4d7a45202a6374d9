"""RMT: official qhfan/RMT release files -> this toolkit's layout (see ``backbones/rmt.py``).

Accepted inputs:

* classification files (``classfication_release`` / ``classification_token_label_release``):
  ``patch_embed.*``, ``layers.*`` plus the classification tail ``proj``, ``norm`` (BN over the
  projection), ``head`` and, for the token-label models, ``aux_head``, which are dropped;
* detection/segmentation files (``backbone.layers.*``, ``backbone.extra_norms.{i}``): the
  extra norms become ``norm{i}``; neck/head keys pass through unchanged.

Renames inside a block: ``pos.conv`` -> ``cpe``, ``retention_layer_norm`` -> ``norm1``,
``retention`` -> ``attn`` (``lepe.conv`` -> ``lepe``), ``final_layer_norm`` -> ``norm2``,
``ffn.dwconv.conv`` -> ``ffn.dwconv``, ``gamma_1/2`` ``(1, 1, 1, C)`` -> ``gamma1/2`` ``(C,)``;
``layers.{i}.Relpos`` -> ``stages.{i}.rel_pos`` (its ``decay``/``angle`` buffers are kept, so the
checkpoint's per-head decays are used, as in the official code).
"""
import re
from collections import OrderedDict
from typing import Optional, Tuple

import torch

from .base import ConversionReport, StateDict, register_converter

_CLS_TAIL = re.compile(r'^(proj|norm|head|aux_head)\.')
_RENAMES = (
    (re.compile(r'^layers\.(\d+)\.Relpos\.'), r'stages.\1.rel_pos.'),
    (re.compile(r'^layers\.(\d+)\.downsample\.'), r'stages.\1.downsample.'),
    (re.compile(r'^layers\.(\d+)\.blocks\.(\d+)\.'), r'stages.\1.blocks.\2.'),
    (re.compile(r'^extra_norms\.(\d+)\.'), r'norm\1.'),
)
_BLOCK_RENAMES = (
    ('.pos.conv.', '.cpe.'),
    ('.retention_layer_norm.', '.norm1.'),
    ('.retention.lepe.conv.', '.attn.lepe.'),
    ('.retention.', '.attn.'),
    ('.final_layer_norm.', '.norm2.'),
    ('.ffn.dwconv.conv.', '.ffn.dwconv.'),
)
_GAMMA = re.compile(r'\.gamma_([12])$')
# every key of the toolkit's layout (see backbones/rmt.py); anything else is refused
_OUR_LAYOUT = re.compile(
    r'^(patch_embed\.proj\.\d+\.|norm\d\.'
    r'|stages\.\d+\.(rel_pos\.(angle|decay)$|downsample\.(reduction|norm)\.'
    r'|blocks\.\d+\.(cpe\.|norm[12]\.|attn\.(q_proj|k_proj|v_proj|out_proj|lepe)\.'
    r'|ffn\.(fc1|dwconv|fc2)\.|gamma[12]$)))')


def _rename(key: str, value: torch.Tensor) -> Optional[Tuple[str, torch.Tensor]]:
    """Map one official backbone key; ``None`` when the key is not part of the backbone."""
    if key.startswith('patch_embed.proj.'):
        return key, value
    for pattern, repl in _RENAMES:
        new, hits = pattern.subn(repl, key)
        if hits:
            break
    else:
        return None
    if '.blocks.' in new:
        for old, repl in _BLOCK_RENAMES:
            new = new.replace(old, repl, 1)
        match = _GAMMA.search(new)
        if match:
            new = new[:match.start()] + f'.gamma{match.group(1)}'
            value = value.reshape(-1)
    return (new, value) if _OUR_LAYOUT.match(new) else None


@register_converter('rmt')
def convert_rmt(state_dict: StateDict) -> ConversionReport:
    """Convert an official RMT ``state_dict`` (see the module docstring for accepted layouts).

    Raises:
        KeyError: a backbone-looking key that this converter does not know (a changed layout
            must not load half the weights silently).
    """
    report = ConversionReport(OrderedDict())
    unknown = []
    has_extra_norms = False
    for key, value in state_dict.items():
        key = key[len('module.'):] if key.startswith('module.') else key
        prefix = 'backbone.' if key.startswith('backbone.') else ''
        inner = key[len(prefix):]
        if not prefix and _CLS_TAIL.match(inner):
            report.dropped.append(key)
            continue
        if prefix or inner.startswith(('patch_embed.', 'layers.', 'extra_norms.')):
            mapped = _rename(inner, value)
            if mapped is None:
                unknown.append(key)
                continue
            has_extra_norms |= inner.startswith('extra_norms.')
            report.state_dict[prefix + mapped[0]] = mapped[1]
        elif key.startswith(('neck.', 'rpn_head.', 'roi_head.', 'bbox_head.', 'decode_head.',
                             'auxiliary_head.', 'mask_head.')):
            report.state_dict[key] = value  # detector/segmentor parts pass through
        else:
            unknown.append(key)
    if unknown:
        raise KeyError(f'convert_rmt: {len(unknown)} keys are not in the official RMT layout: '
                       f'{unknown[:10]}')
    if not report.state_dict:
        raise KeyError('convert_rmt: no RMT backbone key (patch_embed.*, layers.*) found')
    if has_extra_norms:
        report.notes.append('extra_norms.{i} became the output norms norm{i}')
    else:
        report.notes.append('starting fresh: the output norms norm0-norm3 (LayerNorm; the '
                            'classification file has none)')
    if report.dropped:
        report.notes.append('dropped the classification tail (proj, norm, head, aux_head): '
                            f'{len(report.dropped)} tensors')
    return report
