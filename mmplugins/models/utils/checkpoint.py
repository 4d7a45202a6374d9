"""Strict, loud loading of backbone checkpoints.

mmengine's ``Pretrained`` init loads with ``strict=False`` and only logs what did not match, so a
file of the wrong layout trains from scratch without anyone noticing. Here a load that leaves
backbone weights missing raises :class:`CheckpointMismatchError` with the list of keys.
"""
import os
from collections import OrderedDict
from typing import Dict, Iterable, List, Optional

import torch
import torch.nn as nn
from mmengine.logging import MMLogger

#: containers that release files wrap their weights in
_STATE_DICT_KEYS = ('state_dict', 'model', 'model_state', 'module')


class CheckpointMismatchError(RuntimeError):
    """A checkpoint does not fit the model it is loaded into."""


def read_state_dict(path: str) -> Dict[str, torch.Tensor]:
    """Read a checkpoint file and return its flat tensor state dict.

    Unwraps ``state_dict``/``model`` containers and strips a DistributedDataParallel
    ``module.`` prefix. Raises ``FileNotFoundError`` or :class:`CheckpointMismatchError` with the
    file name when the file is missing, truncated or holds no tensors.
    """
    if not os.path.isfile(path):
        raise FileNotFoundError(f'checkpoint file {path!r} does not exist')
    try:
        obj = torch.load(path, map_location='cpu', weights_only=False)
    except Exception as err:  # torch raises several types for damaged files
        raise CheckpointMismatchError(
            f'cannot read checkpoint {path!r} ({type(err).__name__}: {err}); the file is '
            'truncated or not a PyTorch checkpoint') from err
    for key in _STATE_DICT_KEYS:
        if isinstance(obj, dict) and isinstance(obj.get(key), dict):
            obj = obj[key]
            break
    if not isinstance(obj, dict) or not any(isinstance(v, torch.Tensor) for v in obj.values()):
        raise CheckpointMismatchError(f'checkpoint {path!r} holds no tensor state dict')
    state = OrderedDict()
    for k, v in obj.items():
        state[k[len('module.'):] if k.startswith('module.') else k] = v
    return state


def _preview(keys: List[str], limit: int = 20) -> str:
    shown = ', '.join(keys[:limit])
    return shown + (f' ... (+{len(keys) - limit} more)' if len(keys) > limit else '')


def load_backbone_checkpoint(module: nn.Module, path: str, prefix: Optional[str] = None,
                             allowed_missing: Iterable[str] = ()) -> None:
    """Load ``path`` into ``module`` and refuse a load that leaves weights untrained.

    Args:
        module: the backbone.
        path: checkpoint in this toolkit's layout (see ``tools/convert_checkpoint.py``).
        prefix: key prefix to select (``'backbone.'`` for detector/segmentor checkpoints);
            ``None`` picks ``'backbone.'`` when the file has such keys, else no prefix.
        allowed_missing: key prefixes that may start fresh (e.g. new output norms).

    Raises:
        CheckpointMismatchError: nothing matched, a parameter is missing, or a shape differs.
    """
    state = read_state_dict(path)
    if prefix is None:
        prefix = 'backbone.' if any(k.startswith('backbone.') for k in state) else ''
    if prefix:
        state = OrderedDict((k[len(prefix):], v) for k, v in state.items()
                            if k.startswith(prefix))
    hint = (f'If {path!r} is an official release file, convert it first: '
            'python tools/convert_checkpoint.py MODEL SRC DST')
    own = module.state_dict()
    if not set(own) & set(state):
        raise CheckpointMismatchError(
            f'checkpoint {path!r} (prefix {prefix!r}) matches no key of '
            f'{type(module).__name__}: file keys start {_preview(list(state), 5)}; model keys '
            f'start {_preview(list(own), 5)}. {hint}')
    try:
        result = module.load_state_dict(state, strict=False)
    except RuntimeError as err:  # size mismatches
        raise CheckpointMismatchError(
            f'checkpoint {path!r} does not fit {type(module).__name__}: {err}') from err
    allowed = tuple(allowed_missing)
    missing = [k for k in result.missing_keys if not (allowed and k.startswith(allowed))]
    if missing:
        raise CheckpointMismatchError(
            f'checkpoint {path!r} leaves {len(missing)} weights of {type(module).__name__} '
            f'untrained: {_preview(missing)}. {hint}')
    logger = MMLogger.get_current_instance()
    fresh = [k for k in result.missing_keys if k not in missing]
    logger.info(f'{type(module).__name__}: loaded {len(own) - len(result.missing_keys)} '
                f'tensors from {path}' + (f'; starting fresh: {_preview(fresh)}' if fresh else ''))
    if result.unexpected_keys:
        logger.warning(f'{type(module).__name__}: {path} has {len(result.unexpected_keys)} '
                       f'keys the model does not use: {_preview(result.unexpected_keys)}')
