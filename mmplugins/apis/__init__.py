"""Entry points shared by the command-line tools."""
from .config import load_config, resolve_auto_channels, set_data_root
from .runtime import prepare_runtime, release_runtime

__all__ = ['load_config', 'resolve_auto_channels', 'prepare_runtime', 'release_runtime',
           'set_data_root']
