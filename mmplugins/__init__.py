"""mmplugins: vision and spiking backbones and heads for mmdet 3.x and mmsegmentation 1.x.

Importing the package registers every model into the ``mmplugins`` registry scope, so configs of
either library can say ``type='mmplugins.SwinTransformer'``, and makes every checkpoint load
weights-only (:mod:`mmplugins.checkpoint_io`).
"""
import mmplugins_mim

from . import compat  # noqa: F401  (stack fixes that must run before mmdet/mmseg import)
from . import checkpoint_io
from .version import __version__  # noqa: F401
from .registry import HOOKS, MODELS, OPTIM_WRAPPER_CONSTRUCTORS  # noqa: F401
from . import models, engine, visualization  # noqa: F401

# torch>=2.6 loads weights-only by default, but mmengine 0.10.7 stores its message hub as
# pickled objects: allow exactly those types and route mmengine's loaders through the guarded
# ones. No process-wide opt-out: a downloaded file must not be able to run code.
checkpoint_io.install()
# `mmplugins::` base configs resolve in this process even without the start-up hook
mmplugins_mim.install()

__all__ = ['__version__', 'MODELS', 'HOOKS', 'OPTIM_WRAPPER_CONSTRUCTORS']
