"""ConvNeXt: ImageNet release files (facebookresearch/ConvNeXt, the weights the kMaX-DeepLab
configs start from) -> :class:`mmplugins.ConvNeXt`'s layout.

Accepted inputs: the official classification files (``downsample_layers.*``, ``stages.*``,
``norm.*``, ``head.*``; the classifier and its norm on pooled features are dropped) and the
kMaX release's ``convert-pretrained-model-to-d2.py`` output of them (the same keys without
``norm.*``). Renames: ``pwconv1/2`` -> ``mlp.fc1/2``; everything else keeps its name.
:func:`convnext_backbone_key` also serves the whole-model kMaX converter (``kmax``).
"""
import re
from collections import OrderedDict

from .base import ConversionReport, StateDict, register_converter

_KEY = re.compile(r'downsample_layers\.\d+\.[01]\.(weight|bias)'
                  r'|stages\.\d+\.\d+\.((dwconv|norm|pwconv[12])\.(weight|bias)|gamma)')
_CLASSIFIER = re.compile(r'(head|norm)\.(weight|bias)')


def convnext_backbone_key(key: str) -> str:
    """Official ConvNeXt backbone key (no prefix) -> this toolkit's; ``KeyError`` otherwise."""
    if not _KEY.fullmatch(key):
        raise KeyError(key)
    return re.sub(r'\.pwconv([12])\.', r'.mlp.fc\1.', key)


@register_converter('convnext')
def convert_convnext(state_dict: StateDict) -> ConversionReport:
    """Convert an official ConvNeXt ImageNet ``state_dict`` (see the module docstring)."""
    report = ConversionReport(OrderedDict())
    unknown = []
    for key, value in state_dict.items():
        if _CLASSIFIER.fullmatch(key):
            report.dropped.append(key)  # classifier head and the norm on pooled features
            continue
        try:
            report.state_dict[convnext_backbone_key(key)] = value
        except KeyError:
            unknown.append(key)
    if unknown or not report.state_dict:
        raise ValueError(
            f'convert_convnext: {len(unknown)} keys are not from an official ConvNeXt file '
            f'(e.g. {unknown[:4] or list(state_dict)[:4]}); a whole kMaX-DeepLab checkpoint '
            'converts with the kmax / kmax-seg converters')
    report.notes.append('layout: official ConvNeXt classification weights (backbone only; the '
                        'kMaX ConvNeXt has no output norms, nothing starts fresh)')
    return report
