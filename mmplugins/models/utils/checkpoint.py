"""Strict, loud loading of backbone checkpoints.

mmengine's ``Pretrained`` init loads with ``strict=False`` and only logs what did not match, so a
file of the wrong layout trains from scratch without anyone noticing. Here a load that leaves
backbone weights missing or of the wrong shape raises :class:`CheckpointMismatchError` before
anything is copied, with the keys and the next step: for an official release file, the
converter whose output fits (:func:`guess_converter` tries each registered converter).
Files are read weights-only (:mod:`mmplugins.checkpoint_io`), ``.safetensors`` included.
"""
import os
from collections import OrderedDict
from typing import Dict, Iterable, List, Optional, Tuple

import torch
import torch.nn as nn
from mmengine.logging import MMLogger

from ...checkpoint_io import (RELEASE_FILE_GLOBALS, UnsafeCheckpointError,
                              load_checkpoint_file)

#: containers that release files wrap their weights in
_STATE_DICT_KEYS = ('state_dict', 'model', 'model_state', 'module')


class CheckpointMismatchError(RuntimeError):
    """A checkpoint does not fit the model it is loaded into."""


def read_state_dict(path: str, trust: bool = False) -> Dict[str, torch.Tensor]:
    """Read a checkpoint file (``.pth`` or ``.safetensors``) and return its flat tensor state
    dict.

    Unwraps ``state_dict``/``model`` containers and strips a DistributedDataParallel
    ``module.`` prefix. The file is read weights-only, with the ``args`` Namespace of release
    files allowed; ``trust=True`` (or :func:`mmplugins.checkpoint_io.trusted_checkpoints`)
    unpickles anything, for a file the user trusts.

    Raises:
        FileNotFoundError: the file is missing.
        UnsafeCheckpointError: the file needs a type weights-only loading does not allow.
        CheckpointMismatchError: the file is truncated or holds no tensors.
    """
    return _read_checkpoint(path, trust)[0]


def _read_checkpoint(path: str, trust: bool = False) -> Tuple[Dict[str, torch.Tensor], dict]:
    """``(state dict, meta)`` of a checkpoint file (see :func:`read_state_dict`)."""
    if not os.path.isfile(path):
        raise FileNotFoundError(f'checkpoint file {path!r} does not exist')
    try:
        obj = load_checkpoint_file(path, 'cpu', trust, extra_safe_globals=RELEASE_FILE_GLOBALS)
    except UnsafeCheckpointError:
        raise
    except Exception as err:  # torch and safetensors raise several types for damaged files
        raise CheckpointMismatchError(
            f'cannot read checkpoint {path!r} ({type(err).__name__}: {err}); the file is '
            'truncated or not a PyTorch checkpoint') from err
    meta = obj.get('meta') if isinstance(obj, dict) else None
    for key in _STATE_DICT_KEYS:
        if isinstance(obj, dict) and isinstance(obj.get(key), dict):
            obj = obj[key]
            break
    if not isinstance(obj, dict) or not any(isinstance(v, torch.Tensor) for v in obj.values()):
        raise CheckpointMismatchError(f'checkpoint {path!r} holds no tensor state dict')
    state = OrderedDict()
    for k, v in obj.items():
        state[k[len('module.'):] if k.startswith('module.') else k] = v
    return state, meta if isinstance(meta, dict) else {}


def _fit(own: Dict[str, torch.Tensor], state: Dict[str, torch.Tensor]) -> int:
    """How many of ``own``'s tensors ``state`` provides with the right shape; 0 unless that is
    most of ``state`` and at least a tenth of ``own`` (a backbone may load only part of itself,
    e.g. a plain ViT into ViT-CoMer)."""
    hits = sum(1 for k, v in own.items()
               if isinstance(state.get(k), torch.Tensor) and state[k].shape == v.shape)
    return hits if hits > 0.5 * len(state) and hits >= 0.1 * len(own) else 0


def guess_converter(module: nn.Module, state: Dict[str, torch.Tensor]) -> Optional[str]:
    """Name of the converter whose output loads most of ``module`` (see :func:`_fit`), i.e. the
    official layout ``state`` is in; ``None`` when no converter makes it fit."""
    from mmplugins.converters import available_converters, convert  # converters import models
    own = module.state_dict()
    best, best_fit = None, 0
    for name in available_converters():
        try:
            converted = convert(name, state).state_dict
        except Exception:  # a converter may reject a file of another layout outright
            continue
        if any(k.startswith('backbone.') for k in converted):
            converted = {k[len('backbone.'):]: v for k, v in converted.items()
                         if k.startswith('backbone.')}
        fit = _fit(own, converted)
        if fit > best_fit:
            best, best_fit = name, fit
    return best


def _next_step(module: nn.Module, path: str, state: Dict[str, torch.Tensor],
               meta: dict) -> str:
    """What to do about a file that does not fit ``module``."""
    name = type(module).__name__
    if meta.get('converter'):
        return (f"{path!r} was written by the {meta['converter']!r} converter (from "
                f"{meta.get('source')!r}): weights of another model or another arch than this "
                f'{name}; check the config\'s arch against the file')
    guess = guess_converter(module, state)
    if guess:
        return (f'{path!r} is an official {guess!r} release file: convert it first with '
                f'`python tools/convert_checkpoint.py {guess} {path} CONVERTED.pth` and load '
                'CONVERTED.pth (docs/checkpoints.md)')
    from mmplugins.converters import available_converters
    return (f'{path!r} does not look like a checkpoint of {name} in any layout the converters '
            f'know; if it is an official release file of this model, convert it with `python '
            f'tools/convert_checkpoint.py MODEL SRC DST` (MODEL one of '
            f'{list(available_converters())}, docs/checkpoints.md)')


def _shape_mismatches(module: nn.Module, own: Dict[str, torch.Tensor],
                      state: Dict[str, torch.Tensor]) -> List[str]:
    """``'key: file (..), model (..)'`` for tensors of the wrong shape, except those of modules
    with a loading hook of their own (they may resize, e.g. HorNet's global filters)."""
    adapting = tuple(f'{name}.' for name, m in module.named_modules()
                     if not getattr(type(m)._load_from_state_dict, '__module__',
                                    'torch').startswith('torch.'))
    if '.' in adapting:  # the root adapts itself: leave every shape to it
        return []
    return [f'{k}: file {tuple(state[k].shape)}, model {tuple(v.shape)}'
            for k, v in own.items()
            if isinstance(state.get(k), torch.Tensor) and state[k].shape != v.shape
            and not k.startswith(adapting)]


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
    if not os.path.isfile(path):
        raise FileNotFoundError(
            f'init_cfg Pretrained checkpoint {path!r} of {type(module).__name__} does not exist; '
            'convert the official weights to that path with `python tools/convert_checkpoint.py '
            'MODEL SRC DST` (the command is in the config comment and configs/<model>/README.md), '
            'or set init_cfg=None to train from scratch on purpose')
    state, meta = _read_checkpoint(path)
    full_state = state
    if prefix is None:
        prefix = 'backbone.' if any(k.startswith('backbone.') for k in state) else ''
    if prefix:
        state = OrderedDict((k[len(prefix):], v) for k, v in state.items()
                            if k.startswith(prefix))
    own = module.state_dict()
    if not set(own) & set(state):
        raise CheckpointMismatchError(
            f'checkpoint {path!r} (prefix {prefix!r}) matches no key of '
            f'{type(module).__name__}: file keys start {_preview(list(state), 5)}; model keys '
            f'start {_preview(list(own), 5)}. {_next_step(module, path, full_state, meta)}')
    # Checked before loading, so that a refused file leaves the module as it was.
    allowed = tuple(allowed_missing)
    missing = [k for k in own if k not in state and not (allowed and k.startswith(allowed))]
    unexpected = [k for k in state if k not in own]
    if missing:
        raise CheckpointMismatchError(
            f'checkpoint {path!r} leaves {len(missing)} weights of {type(module).__name__} '
            f'untrained: {_preview(missing)}; unexpected keys: {_preview(unexpected, 5) or "none"}'
            f'. {_next_step(module, path, full_state, meta)}')
    wrong = _shape_mismatches(module, own, state)
    if wrong:
        raise CheckpointMismatchError(
            f'checkpoint {path!r} does not fit {type(module).__name__}: size mismatch for '
            f'{_preview(wrong, 5)}. {_next_step(module, path, full_state, meta)}')
    try:
        result = module.load_state_dict(state, strict=False)
    except RuntimeError as err:  # size mismatches of modules that adapt tensors on load
        raise CheckpointMismatchError(
            f'checkpoint {path!r} does not fit {type(module).__name__}: {err}. '
            f'{_next_step(module, path, full_state, meta)}') from err
    missing = [k for k in result.missing_keys if not (allowed and k.startswith(allowed))]
    if missing:  # a module's own loading hook may skip keys
        raise CheckpointMismatchError(
            f'checkpoint {path!r} leaves {len(missing)} weights of {type(module).__name__} '
            f'untrained: {_preview(missing)}. {_next_step(module, path, full_state, meta)}')
    logger = MMLogger.get_current_instance()
    fresh = [k for k in result.missing_keys if k not in missing]
    logger.info(f'{type(module).__name__}: loaded {len(own) - len(result.missing_keys)} '
                f'tensors from {path}' + (f'; starting fresh: {_preview(fresh)}' if fresh else ''))
    if result.unexpected_keys:
        logger.warning(f'{type(module).__name__}: {path} has {len(result.unexpected_keys)} '
                       f'keys the model does not use: {_preview(result.unexpected_keys)}')
