"""Swin Transformer: official and OpenMMLab release files -> this toolkit's layout.

Accepted inputs:

* official classification files (microsoft/Swin-Transformer, ``layers.*``);
* official detection/segmentation files (``backbone.layers.*`` plus neck/head keys, which are
  kept unchanged);
* OpenMMLab-converted files (mmdet/mmseg/mmpretrain, ``stages.*.attn.w_msa.*``, unfold-ordered
  patch merging), whose merging weights are put back into the official channel order.
"""
import re
from collections import OrderedDict

import torch

from .base import ConversionReport, StateDict, register_converter

_BACKBONE_KEYS = ('layers.', 'stages.', 'patch_embed.', 'absolute_pos_embed', 'norm.')
_DROP = re.compile(r'(^|\.)(head\.|attn_mask$|relative_position_index$)')


def _unfold_to_official_reduction(w: torch.Tensor) -> torch.Tensor:
    """Inverse of mmdet's ``correct_unfold_reduction_order`` for a ``(out, 4C)`` weight."""
    out, inc = w.shape
    w = w.reshape(out, inc // 4, 4).transpose(1, 2)
    return w[:, [0, 2, 1, 3], :].reshape(out, inc)


def _unfold_to_official_norm(v: torch.Tensor) -> torch.Tensor:
    """Inverse of mmdet's ``correct_unfold_norm_order`` for a ``(4C,)`` vector."""
    inc = v.shape[0]
    v = v.reshape(inc // 4, 4).transpose(0, 1)
    return v[[0, 2, 1, 3], :].reshape(inc)


def _rename_backbone_key(key: str, value: torch.Tensor, openmmlab: bool):
    """Map one backbone key (without prefix); returns ``(new_key, value)``."""
    if openmmlab:
        key = key.replace('patch_embed.projection.', 'patch_embed.proj.')
        key = key.replace('.attn.w_msa.', '.attn.').replace('.ffn.layers.0.0.', '.mlp.fc1.')
        key = key.replace('.ffn.layers.1.', '.mlp.fc2.')
        if key.endswith('downsample.reduction.weight'):
            value = _unfold_to_official_reduction(value)
        elif re.search(r'downsample\.norm\.(weight|bias)$', key):
            value = _unfold_to_official_norm(value)
    else:
        key = re.sub(r'^layers\.', 'stages.', key)
    if key == 'absolute_pos_embed':
        key = 'patch_embed.absolute_pos_embed'
    if re.fullmatch(r'norm\.(weight|bias)', key):  # final classification norm = stage-3 norm
        key = 'norm3.' + key.split('.')[1]
    return key, value


@register_converter('swin')
def convert_swin(state_dict: StateDict) -> ConversionReport:
    """Convert a Swin release ``state_dict`` (see the module docstring for accepted layouts)."""
    openmmlab = any('.attn.w_msa.' in k for k in state_dict)
    report = ConversionReport(OrderedDict())
    for key, value in state_dict.items():
        # Detection/segmentation files prefix the backbone; their neck/head keys pass through.
        prefix = 'backbone.' if key.startswith('backbone.') else ''
        inner = key[len(prefix):]
        is_backbone = bool(prefix) or inner.startswith(_BACKBONE_KEYS)
        if _DROP.search(inner) and (is_backbone or inner.startswith('head.')):
            report.dropped.append(key)
            continue
        if is_backbone:
            inner, value = _rename_backbone_key(inner, value, openmmlab)
        report.state_dict[prefix + inner] = value
    report.notes.append('layout: ' + ('OpenMMLab (merging weights re-ordered)' if openmmlab
                                      else 'official'))
    report.notes.append('norm0-norm2 start fresh; the classification norm became norm3')
    return report
