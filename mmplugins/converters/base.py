"""Registry of checkpoint converters."""
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Tuple

import torch

StateDict = Dict[str, torch.Tensor]


@dataclass
class ConversionReport:
    """What a conversion did: the new state dict and the keys it dropped or renamed."""
    state_dict: StateDict
    dropped: List[str] = field(default_factory=list)
    notes: List[str] = field(default_factory=list)

    def summary(self) -> str:
        """One human-readable paragraph for the command-line tool."""
        lines = [f'{len(self.state_dict)} tensors written']
        if self.dropped:
            lines.append(f'dropped {len(self.dropped)} keys: ' + ', '.join(self.dropped[:12])
                         + (' ...' if len(self.dropped) > 12 else ''))
        lines += self.notes
        return '\n'.join(lines)


_CONVERTERS: Dict[str, Callable[[StateDict], ConversionReport]] = {}


def register_converter(*names: str) -> Callable:
    """Decorator: register ``fn(state_dict) -> ConversionReport`` under ``names``."""
    def wrap(fn: Callable[[StateDict], ConversionReport]) -> Callable:
        for name in names:
            if name in _CONVERTERS:
                raise KeyError(f'converter {name!r} is registered twice')
            _CONVERTERS[name] = fn
        return fn
    return wrap


def available_converters() -> Tuple[str, ...]:
    """Names accepted by :func:`convert`."""
    return tuple(sorted(_CONVERTERS))


def convert(model: str, state_dict: StateDict) -> ConversionReport:
    """Convert an official ``state_dict`` of ``model`` (e.g. ``'swin'``) to this toolkit's layout."""
    if model not in _CONVERTERS:
        raise KeyError(f'no converter for {model!r}; available: {list(available_converters())}')
    return _CONVERTERS[model](dict(state_dict))
