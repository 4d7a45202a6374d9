"""The ``mmplugins::`` config scope: lets any mmengine program inherit this toolkit's configs.

``_base_ = 'mmplugins::swin/mask-rcnn_swin-t-p4-w7_fpn_1x_coco.py'`` works the way
``mmdet::...`` does: mmengine resolves ``SCOPE::path`` through its ``MODULE2PACKAGE`` table to an
installed package and reads ``<package>/.mim/configs/path``. This package is that home: it holds
the configs under ``.mim/`` (links into the checkout for an editable install, copies in a wheel)
and nothing heavy, so the start-up hook below costs no import of torch or the MM libraries.

mmengine parses ``_base_`` before a config's ``custom_imports`` run, so the scope must be known
before any config is read: ``mmplugins_mim.pth`` (installed beside the package in site-packages)
calls :func:`install` at interpreter start, which adds the scope to ``MODULE2PACKAGE`` as soon as
``mmengine.config.utils`` is imported. ``import mmplugins`` calls it too.
"""
import importlib.abc
import importlib.machinery
import sys
from types import ModuleType
from typing import Optional, Sequence

#: the prefix users write before ``::``
SCOPE = 'mmplugins'
_CONFIG_UTILS = 'mmengine.config.utils'


def _register(module: ModuleType) -> None:
    # the value is what mmengine's is_installed/get_installed_path receive: this package
    # resolves through importlib even when installed in editable mode, where the distribution's
    # location is site-packages rather than the checkout
    module.MODULE2PACKAGE.setdefault(SCOPE, __name__)


class _RegisteringLoader(importlib.abc.Loader):
    """Runs the real loader of ``mmengine.config.utils``, then registers the scope."""

    def __init__(self, loader: importlib.abc.Loader) -> None:
        self._loader = loader

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> Optional[ModuleType]:
        return self._loader.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        self._loader.exec_module(module)
        _register(module)

    def __getattr__(self, name: str):  # get_source, get_filename, ... for tracebacks
        return getattr(self._loader, name)


class _ConfigUtilsFinder(importlib.abc.MetaPathFinder):
    """Finds ``mmengine.config.utils`` with the other finders and wraps its loader."""

    def find_spec(self, fullname: str, path: Optional[Sequence[str]],
                  target: Optional[ModuleType] = None
                  ) -> Optional[importlib.machinery.ModuleSpec]:
        if fullname != _CONFIG_UTILS:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, 'find_spec'):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None and spec.loader is not None:
                spec.loader = _RegisteringLoader(spec.loader)
                return spec
        return None


def install() -> None:
    """Make ``mmplugins::`` resolvable by mmengine (idempotent, imports nothing heavy)."""
    if _CONFIG_UTILS in sys.modules:
        _register(sys.modules[_CONFIG_UTILS])
    elif not any(isinstance(finder, _ConfigUtilsFinder) for finder in sys.meta_path):
        sys.meta_path.insert(0, _ConfigUtilsFinder())
