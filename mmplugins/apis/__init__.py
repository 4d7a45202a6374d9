"""Entry points shared by the command-line tools."""
from .config import load_config, resolve_auto_channels

__all__ = ['load_config', 'resolve_auto_channels']
