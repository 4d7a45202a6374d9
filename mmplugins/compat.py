"""Fixes for known breakages of the pinned stack that must run before mmdet/mmseg are imported.

Each fix is narrow and says which upstream problem it works around.
"""
import importlib.util


def check_stack() -> None:
    """Raise a clear error when a package the toolkit cannot work without is missing."""
    missing = [name for name in ('mmcv', 'mmengine', 'mmdet', 'mmseg')
               if importlib.util.find_spec(name) is None]
    if missing:
        raise ImportError(
            f'mmplugins needs {", ".join(missing)}; run `make setup` (or tools/setup_env.sh) '
            'to build the pinned environment.')
    if importlib.util.find_spec('pkg_resources') is None:
        raise ImportError(
            'mmengine 0.10.7 imports pkg_resources at run time, which setuptools>=81 removed: '
            'pip install "setuptools<81"')


check_stack()
