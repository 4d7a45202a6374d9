"""mmplugins: vision and spiking backbones and heads for mmdet 3.x and mmsegmentation 1.x.

Importing the package registers every model into the ``mmplugins`` registry scope, so configs of
either library can say ``type='mmplugins.SwinTransformer'``.
"""
import os

# torch>=2.6 loads checkpoints weights-only by default, but mmengine 0.10.7 stores its message
# hub and history buffers as pickled objects and passes no ``weights_only`` flag, so --resume and
# load_from fail. Checkpoints here are the user's own files; restore the old default.
os.environ.setdefault('TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD', '1')

from . import compat  # noqa: E402,F401  (stack fixes that must run before mmdet/mmseg import)
from .version import __version__  # noqa: E402,F401
from .registry import HOOKS, MODELS, OPTIM_WRAPPER_CONSTRUCTORS  # noqa: E402,F401
from . import models, engine  # noqa: E402,F401

__all__ = ['__version__', 'MODELS', 'HOOKS', 'OPTIM_WRAPPER_CONSTRUCTORS']
