"""Checkpoint files are read weights-only: loading a file never runs code stored in it.

torch>=2.6 unpickles ``torch.load`` files weights-only by default: tensors, plain containers
and the types on an allowlist. This module is the one place the toolkit reads checkpoints, and
it installs itself under mmengine's loaders when :mod:`mmplugins` is imported (configs import
the package through ``custom_imports``, so mmdet's and mmseg's own tools get it too):

* :func:`load_checkpoint_file` reads ``.pth`` weights-only and ``.safetensors`` (which holds
  no code at all); a file that needs another type stops with :class:`UnsafeCheckpointError`
  naming the file, the type and the opt-in for a file the user trusts;
* mmengine's own checkpoints (``--resume``, ``load_from``, ``tools/test.py``) hold a few
  non-tensor objects: exactly those types are allowlisted (:data:`TRAINING_STATE_GLOBALS`);
* the opt-in is per call: ``trust=True``, or :func:`trusted_checkpoints` around one run
  (``--trust-checkpoint`` of the tools), never an environment default.
"""
import argparse
import contextlib
import contextvars
import json
import os
import os.path as osp
import pickle
import re
from typing import Any, Callable, Dict, Iterator, Optional, Sequence

import numpy as np
import torch

#: the command-line opt-in of the tools that load checkpoints
TRUST_FLAG = '--trust-checkpoint'
#: key of the toolkit's ``meta`` dict (JSON) in a ``.safetensors`` file's string metadata
_SAFETENSORS_META_KEY = 'mmplugins_meta'

_trusted: contextvars.ContextVar = contextvars.ContextVar('mmplugins_trusted_checkpoints',
                                                          default=False)


#: statistics methods mmengine's HistoryBuffer pickles with each buffer (its defaults)
_HISTORY_BUFFER_STATISTICS = ('min', 'max', 'current', 'mean')


def _history_buffer_method(owner: Any, name: str) -> Callable:
    """Stands for ``builtins.getattr`` in weights-only loads.

    A HistoryBuffer pickles its statistics methods, which protocol 2 writes as
    ``getattr(HistoryBuffer, 'min')``; a real ``getattr`` would let a file reach any attribute
    of any allowed object, so only these lookups are answered.
    """
    from mmengine.logging.history_buffer import HistoryBuffer
    if owner is HistoryBuffer and name in _HISTORY_BUFFER_STATISTICS:
        return getattr(HistoryBuffer, name)
    where = getattr(owner, '__qualname__', type(owner).__qualname__)
    raise pickle.UnpicklingError(f'Unsupported global: GLOBAL getattr:{where}.{name} was not an '
                                 'allowed global')


def _training_state_globals() -> list:
    """The non-tensor types in mmengine 0.10.7 checkpoints of this toolkit.

    Measured by saving checkpoints in tiny trainings and listing what weights-only loading
    refuses (``tests/test_weights_only.py`` checks that each entry is needed): the message
    hub's :class:`HistoryBuffer` with its statistics methods and NumPy arrays, NumPy scalars
    (message hub runtime information) and the NumPy array of the RNG state hook. The NumPy
    functions are also registered under their NumPy 1.x path (``numpy.core``), which files
    written with NumPy 1 name.
    """
    from mmengine.logging.history_buffer import HistoryBuffer
    multiarray = np._core.multiarray
    numpy_functions = [multiarray._reconstruct, multiarray.scalar]
    legacy = [(fn, f'numpy.core.multiarray.{fn.__name__}') for fn in numpy_functions]
    return [HistoryBuffer, (_history_buffer_method, 'builtins.getattr'), *numpy_functions,
            *legacy, np.ndarray, np.dtype, type(np.dtype(np.float64)),
            type(np.dtype(np.int64)), type(np.dtype(np.uint32))]


#: allowlisted for every weights-only load once :mod:`mmplugins` is imported
TRAINING_STATE_GLOBALS: list = _training_state_globals()

#: also allowed when a state dict is read from a release file (:func:`read_state_dict` of
#: :mod:`mmplugins.models.utils.checkpoint`): the DeiT/ConvNeXt/MAE-style trainers of RMT,
#: HorNet and QSD-Transformer store their command-line ``args`` next to the weights. A
#: Namespace only receives attributes; building one runs no code of the file.
RELEASE_FILE_GLOBALS: list = [argparse.Namespace]


class UnsafeCheckpointError(RuntimeError):
    """A checkpoint needs a type that weights-only loading does not allow."""

    def __init__(self, path: str, name: str) -> None:
        self.path, self.name = path, name
        super().__init__(
            f'refusing to load checkpoint {path!r}: it needs {name}, which weights-only loading '
            'does not allow (unpickling it could run code stored in the file). If you trust '
            f'this file, load it with {TRUST_FLAG} (tools/train.py, tools/test.py, '
            'tools/convert_checkpoint.py) or, in Python, trust=True / `with '
            'mmplugins.checkpoint_io.trusted_checkpoints():`; better, convert it once to '
            '.safetensors and use that (docs/checkpoints.md)')


@contextlib.contextmanager
def trusted_checkpoints(trust: bool = True) -> Iterator[None]:
    """Within the block, loads may unpickle any type (``trust=True``): the explicit opt-in of
    one run for checkpoint files the user trusts (``--trust-checkpoint``)."""
    token = _trusted.set(bool(trust))
    try:
        yield
    finally:
        _trusted.reset(token)


def is_safetensors(path: Any) -> bool:
    """Whether ``path`` names a ``.safetensors`` file."""
    return isinstance(path, (str, os.PathLike)) and os.fspath(path).endswith('.safetensors')


#: weights-only refusals that name the type (texts of torch 2.13's ``_weights_only_unpickler``)
_REFUSED = (re.compile(r'GLOBAL (\S+) was not an allowed global'),
            re.compile(r'GLOBAL (\S+) whose module \S+ is blocked'),
            re.compile(r"allowlisted via `add_safe_globals`,? but got <class '([^']+)'>"),
            re.compile(r'reduce for unrecognized function (<[^>]+>|\S+)'))


def _guarded(source: str, load: Callable[[bool], Any], trust: bool) -> Any:
    """``load(weights_only)``, weights-only unless ``trust`` or :func:`trusted_checkpoints`;
    a refused type becomes :class:`UnsafeCheckpointError` naming ``source``."""
    trusted = trust or _trusted.get()
    try:
        return load(not trusted)
    except pickle.UnpicklingError as err:
        for pattern in _REFUSED:
            match = pattern.search(str(err))
            if match:
                raise UnsafeCheckpointError(source, match.group(1)) from None
        raise  # damaged or not a checkpoint: the caller reports it as such


def _safetensors_device(map_location: Any) -> str:
    return str(map_location) if isinstance(map_location, (str, torch.device)) else 'cpu'


def _load_safetensors(path: str, map_location: Any) -> Dict[str, Any]:
    from safetensors import safe_open
    from safetensors.torch import load_file
    with safe_open(path, framework='pt') as f:
        metadata = f.metadata() or {}
    state = load_file(path, device=_safetensors_device(map_location))
    return dict(state_dict=state, meta=json.loads(metadata.get(_SAFETENSORS_META_KEY, '{}')))


def load_checkpoint_file(path: str, map_location: Any = 'cpu', trust: bool = False,
                         extra_safe_globals: Sequence = ()) -> Any:
    """Read a checkpoint file without running code from it.

    Args:
        path: a ``.pth`` (any ``torch.save`` file) or a ``.safetensors`` file.
        map_location: as for :func:`torch.load`.
        trust: unpickle any type (only for a file the user trusts); also on inside
            :func:`trusted_checkpoints`.
        extra_safe_globals: types allowed for this load only, besides
            :data:`TRAINING_STATE_GLOBALS`.

    Returns:
        What ``torch.load`` returns; for ``.safetensors`` ``{'state_dict': tensors, 'meta':
        the toolkit's meta or {}}``, the layout of the toolkit's and mmengine's checkpoints.

    Raises:
        UnsafeCheckpointError: the file needs a type weights-only loading does not allow.
    """
    path = os.fspath(path)
    if is_safetensors(path):
        return _load_safetensors(path, map_location)
    extra = [g for g in extra_safe_globals
             if g not in torch.serialization.get_safe_globals()]
    with torch.serialization.safe_globals(extra):
        return _guarded(path, lambda weights_only: torch.load(
            path, map_location=map_location, weights_only=weights_only), trust)


def save_state_dict(path: str, state_dict: Dict[str, torch.Tensor], meta: dict) -> None:
    """Write ``{'state_dict', 'meta'}`` to ``path`` atomically (a temporary file, then a
    rename): as ``.safetensors`` (``meta`` as JSON metadata) when the name ends so, else with
    ``torch.save``."""
    from .compat import atomic_write
    if is_safetensors(path):
        from safetensors.torch import save
        # safetensors stores each tensor's own contiguous bytes (no views of shared storage)
        tensors = {k: v.detach().contiguous().clone() for k, v in state_dict.items()}
        data = save(tensors, metadata={'format': 'pt', _SAFETENSORS_META_KEY: json.dumps(meta)})
        atomic_write(path, lambda f: f.write(data))
    else:
        atomic_write(path, lambda f: torch.save(dict(state_dict=state_dict, meta=meta), f))


# --------------------------------------------------------------- mmengine's loaders, guarded
def load_from_local(filename: str, map_location: Any = None) -> Any:
    """mmengine's local-file loader (``load_from``, ``--resume``, ``Pretrained`` of mmengine
    modules, ``tools/test.py``), weights-only and with ``.safetensors``. Named as mmengine's,
    whose log line shows the name."""
    filename = osp.expanduser(filename)
    if not osp.isfile(filename):
        raise FileNotFoundError(f'{filename} can not be found.')
    return load_checkpoint_file(filename, map_location)


def load_url(url: str, model_dir: Optional[str] = None, map_location: Any = None,
             progress: bool = True, check_hash: bool = False,
             file_name: Optional[str] = None) -> Any:
    """mmengine's download loader (``http(s)://``, ``torchvision://``, ``open-mmlab://``,
    ``mmcls://``): ``torch.hub.load_state_dict_from_url`` unpickles anything unless told
    ``weights_only``."""
    return _guarded(url, lambda weights_only: torch.hub.load_state_dict_from_url(
        url, model_dir=model_dir, map_location=map_location, progress=progress,
        check_hash=check_hash, file_name=file_name, weights_only=weights_only), False)


def install() -> None:
    """Allowlist :data:`TRAINING_STATE_GLOBALS` and put the guarded loaders under mmengine's
    ``CheckpointLoader`` (mmengine 0.10.7 calls ``torch.load`` without ``weights_only``, which
    an environment variable can turn off, and downloads through torch.hub, whose default is
    full unpickling). Idempotent."""
    import mmengine.runner.checkpoint as mmengine_checkpoint
    torch.serialization.add_safe_globals(TRAINING_STATE_GLOBALS)
    mmengine_checkpoint.CheckpointLoader.register_scheme('', load_from_local, force=True)
    mmengine_checkpoint.load_url = load_url  # used by load_from_http and the named schemes
