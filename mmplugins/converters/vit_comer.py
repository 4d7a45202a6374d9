"""Official ViT-CoMer release files and plain timm ViTs (DeiT, AugReg) -> ``mmplugins.ViTCoMer``.

The toolkit keeps the official module names, so an official file needs only three changes:

* ``pos_embed`` loses its class-token slot (the official model slices it off at run time);
* never-used norms are dropped: ``cti_toc.{query,feat}_norm`` and ``extra_CTIs.k.{query,
  feat}_norm`` of interactions without CNN feature interaction (``cfinter``), and the MRFP of
  segmentation interactions whose CTI-to-ViT is off;
* keys outside ``backbone.`` (neck and heads of an mmdet 2 / mmseg 0.x file) are passed
  through unchanged: Mask R-CNN/FPN and UperNet kept their key names in mmdet 3 / mmseg 1.

A plain ViT (DeiT or AugReg in timm layout) keeps its blocks; the class/distillation tokens,
final norm and classifier are dropped, and ``gamma1``/``gamma2`` = 1 are added because the
ViT-CoMer blocks have layer scale (a scale of one is the plain block).

Position embeddings are interpolated (bicubic) only when ``pretrain_size`` is given, so the
grid matches ``ViTCoMer(pretrain_size=...)``; otherwise the file's grid is kept.

DINOv2 (``dinov2`` converter; facebookresearch/dinov2 ``dinov2_vit{s,b}14_pretrain.pth``, the
weights of the released ``detection/configs/mask_rcnn/dinov2/`` configs): the layer scales
``ls{1,2}.gamma`` become ``gamma{1,2}``, chunked blocks (``blocks.<chunk>.<i>.``) are flattened,
``mask_token`` / ``register_tokens`` are dropped, and the 14x14 patch kernel is resized to 16x16
by bicubic interpolation (``align_corners=False``): the "p14to16" conversion of EVA and ViTDet
that the release's ``dinov2_vit*14_pretrain_14to16_torch17.pth`` names (that file itself is on
Baidu Pan only and could not be checked). The 37x37 position grid is kept: the released configs
set ``pretrain_size=592`` (37 patches of 16), so ``ViTCoMer(pretrain_size=592)`` loads it.
"""
import math
import re
from collections import OrderedDict
from typing import Optional

import torch
import torch.nn.functional as F

from .base import ConversionReport, StateDict, register_converter

_VIT_ONLY_DROP = ('cls_token', 'dist_token', 'norm.', 'fc_norm.', 'head.', 'head_dist.',
                  'pre_logits.', 'reg_token', 'register_tokens', 'mask_token')


def _pos_embed_grid(pos: torch.Tensor, pretrain_size: Optional[int], patch_size: int,
                    notes: list) -> torch.Tensor:
    """Strip prefix tokens from ``(1, T, C)`` and resize the square grid if asked."""
    tokens = pos.shape[1]
    for prefix in (1, 2, 0):  # class token; class + distillation tokens; none
        side = math.isqrt(tokens - prefix)
        if side * side == tokens - prefix:
            break
    else:
        raise ValueError(f'pos_embed with {tokens} tokens is not a square grid plus 0-2 '
                         'prefix tokens')
    grid = pos[:, prefix:]
    if prefix:
        notes.append(f'pos_embed: dropped {prefix} prefix token(s); grid {side}x{side}')
    if pretrain_size is not None and pretrain_size // patch_size != side:
        new = pretrain_size // patch_size
        g = grid.reshape(1, side, side, -1).permute(0, 3, 1, 2).float()
        g = F.interpolate(g, size=(new, new), mode='bicubic', align_corners=False)
        grid = g.permute(0, 2, 3, 1).reshape(1, new * new, -1).to(pos.dtype)
        notes.append(f'pos_embed: interpolated {side}x{side} -> {new}x{new} '
                     f'(pretrain_size {pretrain_size})')
    return grid


def _convert_backbone(sd: StateDict, pretrain_size: Optional[int], patch_size: int,
                      report: ConversionReport, prefix: str) -> None:
    is_comer = any(k.startswith(('interactions.', 'spm.')) for k in sd)
    blocks = sorted({int(m.group(1)) for k in sd for m in [re.match(r'blocks\.(\d+)\.', k)] if m})
    out = report.state_dict
    for key, value in sd.items():
        drop = False
        if key == 'pos_embed':
            out[prefix + key] = _pos_embed_grid(value, pretrain_size, patch_size, report.notes)
            continue
        if key.startswith(_VIT_ONLY_DROP):
            drop = True
        m = re.match(r'(interactions\.\d+\.(cti_toc|extra_CTIs\.\d+))\.(query_norm|feat_norm)\.',
                     key)
        if m and not any(k.startswith(m.group(1) + '.cfinter.') for k in sd):
            drop = True  # the official module never uses these norms without cfinter
        m = re.match(r'(interactions\.\d+)\.mrfp\.', key)
        if m and not any(k.startswith(m.group(1) + '.cti_tov.') for k in sd):
            drop = True  # the segmentation code builds MRFP even when CTI-to-ViT is off
        if drop:
            report.dropped.append(prefix + key)
        else:
            out[prefix + key] = value
    if not is_comer:
        added = 0
        for i in blocks:
            for g in ('gamma1', 'gamma2'):
                if f'blocks.{i}.{g}' not in sd:
                    out[f'{prefix}blocks.{i}.{g}'] = torch.ones_like(sd[f'blocks.{i}.norm1.weight'])
                    added += 1
        if added:
            report.notes.append(f'plain ViT: added {added} layer-scale gammas = 1 (identity); '
                                'load with pretrained_scope="vit" (CoMer modules start fresh)')


@register_converter('vit_comer', 'deit')
def convert_vit_comer(state_dict: StateDict, pretrain_size: Optional[int] = None,
                      patch_size: int = 16) -> ConversionReport:
    """Convert an official ViT-CoMer file (detector/segmentor or bare backbone) or a timm
    DeiT/AugReg ViT to the ``mmplugins.ViTCoMer`` layout.

    Args:
        state_dict: the file's weights (``state_dict``/``model`` already unwrapped).
        pretrain_size: if given, resize the position grid to ``pretrain_size / patch_size``.
        patch_size: patch size of the checkpoint (16 for every supported release).
    """
    report = ConversionReport(OrderedDict())
    sd = OrderedDict((k[len('module.'):] if k.startswith('module.') else k, v)
                     for k, v in state_dict.items())
    if 'patch_embed.proj.weight' not in sd and 'backbone.patch_embed.proj.weight' not in sd:
        raise KeyError('vit_comer converter: no patch_embed.proj.weight (or backbone.-prefixed) '
                       'key; this is not a ViT-CoMer or timm ViT checkpoint. Keys start: '
                       + ', '.join(list(sd)[:8]))
    kernel = (sd.get('patch_embed.proj.weight', sd.get('backbone.patch_embed.proj.weight'))
              .shape[-1])
    if kernel != patch_size:
        raise ValueError(f'vit_comer converter: the checkpoint has {kernel}x{kernel} patches; '
                         f'ViTCoMer needs {patch_size}x{patch_size} (resize DINOv2-style '
                         'patch-14 kernels first)')
    if any(k.startswith('backbone.') for k in sd):
        backbone = OrderedDict((k[len('backbone.'):], v) for k, v in sd.items()
                               if k.startswith('backbone.'))
        _convert_backbone(backbone, pretrain_size, patch_size, report, 'backbone.')
        others = [k for k in sd if not k.startswith('backbone.')]
        for k in others:
            report.state_dict[k] = sd[k]
        if others:
            report.notes.append(f'passed {len(others)} neck/head tensors through unchanged')
    else:
        _convert_backbone(sd, pretrain_size, patch_size, report, '')
    return report


def resize_patch_kernel(weight: torch.Tensor, size: int) -> torch.Tensor:
    """Resize a ``(C, 3, k, k)`` patch-embedding kernel to ``size x size`` (bicubic,
    ``align_corners=False``, the p14to16 convention); computed in fp32, returned in the input
    dtype."""
    return F.interpolate(weight.float(), size=(size, size), mode='bicubic',
                         align_corners=False).to(weight.dtype)


@register_converter('dinov2')
def convert_dinov2(state_dict: StateDict, patch_size: int = 16) -> ConversionReport:
    """Convert a DINOv2 ViT-S/B (patch 14, or an already resized patch-16 file) to the
    ``mmplugins.ViTCoMer`` layout (module docstring); load with ``pretrain_size=592`` and
    ``pretrained_scope='vit'``."""
    sd = OrderedDict((k[len('module.'):] if k.startswith('module.') else k, v)
                     for k, v in state_dict.items())
    if any(k.startswith('backbone.') for k in sd):
        sd = OrderedDict((k[len('backbone.'):], v) for k, v in sd.items()
                         if k.startswith('backbone.'))
    if any('.mlp.w12.' in k for k in sd):
        raise ValueError('dinov2 converter: SwiGLU blocks (mlp.w12, ViT-g) are not supported; '
                         'ViT-CoMer uses the ViT-S/B models')
    timm = OrderedDict()
    for key, value in sd.items():
        key = re.sub(r'^blocks\.\d+\.(\d+)\.', r'blocks.\1.', key)  # block chunks
        key = re.sub(r'\.ls([12])\.gamma$', r'.gamma\1', key)
        timm[key] = value
    notes = []
    kernel = timm.get('patch_embed.proj.weight')
    if kernel is not None and kernel.shape[-1] != patch_size:
        notes.append(f'patch_embed.proj.weight: bicubic {kernel.shape[-1]}x{kernel.shape[-1]} '
                     f'-> {patch_size}x{patch_size}')
        timm['patch_embed.proj.weight'] = resize_patch_kernel(kernel, patch_size)
    report = convert_vit_comer(timm, patch_size=patch_size)
    report.notes[:0] = notes
    return report
