"""HorNet: official (raoyongming/HorNet) and mmpretrain release files -> this toolkit's layout.

Accepted inputs:

* official classification files (``downsample_layers.*``, ``stages.*``, ``norm``, ``head``): the
  classifier ``head.*`` and the final norm on pooled features ``norm.*`` are dropped (the
  output norms ``norm0-3`` start fresh), the result has no prefix;
* official detection/segmentation files (``backbone.*`` with ``norm0-3``, plus neck/head keys,
  which are kept unchanged);
* mmpretrain files (``backbone.*``, ``gnconv.projs``, ``gamma1.weight``, ``head.fc``): handled
  like classification files (mmpretrain's ``norm3`` holds the classification norm: dropped).

Renames: ``gnconv.pws`` -> ``gnconv.projs``, ``pwconv1/2`` -> ``mlp.fc1/2``,
``gamma{1,2}.weight`` -> ``gamma{1,2}``. Global filters keep their stored size; the model resizes
them on load (:class:`mmplugins.models.layers.gnconv.GlobalLocalFilter`).
"""
import re
from collections import OrderedDict

from .base import ConversionReport, StateDict, register_converter

_BACKBONE = re.compile(r'^(downsample_layers|stages)\.|^norm\d?\.')
_RENAMES = ((re.compile(r'\.gnconv\.pws\.'), '.gnconv.projs.'),
            (re.compile(r'\.pwconv1\.'), '.mlp.fc1.'),
            (re.compile(r'\.pwconv2\.'), '.mlp.fc2.'),
            (re.compile(r'\.(gamma[12])\.weight$'), r'.\1'))


def _rename(key: str) -> str:
    for pattern, repl in _RENAMES:
        key = pattern.sub(repl, key)
    return key


@register_converter('hornet')
def convert_hornet(state_dict: StateDict) -> ConversionReport:
    """Convert a HorNet release ``state_dict`` (see the module docstring for accepted layouts)."""
    keys = list(state_dict)
    if not any(re.match(r'^(backbone\.)?stages\.\d+\.\d+\.gnconv\.', k) for k in keys):
        raise ValueError('convert_hornet: no "stages.<i>.<j>.gnconv." keys; this is not a HorNet '
                         f'checkpoint (first keys: {keys[:5]})')
    mmpretrain = any(k.endswith(('.gamma1.weight', '.gamma2.weight')) for k in keys)
    detseg = not mmpretrain and any(k.startswith('backbone.') for k in keys)
    report = ConversionReport(OrderedDict())
    filters = {}
    for key, value in state_dict.items():
        if mmpretrain:
            if key.startswith('head.') or key.startswith('backbone.norm3.'):
                report.dropped.append(key)
                continue
            key = key[len('backbone.'):] if key.startswith('backbone.') else key
        prefix = 'backbone.' if detseg and key.startswith('backbone.') else ''
        inner = key[len(prefix):]
        if not detseg and (inner.startswith('head.') or re.match(r'^norm\.', inner)):
            report.dropped.append(key)  # classifier and its norm on pooled features
            continue
        if prefix or not detseg:
            if not _BACKBONE.match(inner):
                raise ValueError(f'convert_hornet: unexpected backbone key {key!r}')
            inner = _rename(inner)
        if inner.endswith('complex_weight'):
            filters[tuple(value.shape[1:3])] = filters.get(tuple(value.shape[1:3]), 0) + 1
        report.state_dict[prefix + inner] = value
    layout = 'mmpretrain' if mmpretrain else 'official ' + ('det/seg' if detseg else 'cls')
    report.notes.append(f'layout: {layout}')
    if not detseg:
        report.notes.append('output norms norm0-norm3 start fresh (not in classification files)')
    if filters:
        report.notes.append('global filters stored at ' + ', '.join(
            f'{h}x{w} (x{n})' for (h, w), n in sorted(filters.items()))
            + '; resized bilinearly to the model\'s filter size on load')
    return report
