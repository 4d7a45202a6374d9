"""Entry points shared by the command-line tools."""
from .config import load_config, resolve_auto_channels, set_data_root
from .runtime import add_safety_hooks, prepare_runtime, release_runtime

__all__ = ['add_safety_hooks', 'load_config', 'resolve_auto_channels', 'prepare_runtime', 'release_runtime',
           'set_data_root']
