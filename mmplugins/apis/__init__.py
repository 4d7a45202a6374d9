"""Conveniences of the command-line tools; the configs never need them."""
from .config import (backbone_consumers, channels_for, load_config, match_backbone_channels,
                     metafiles_parsed_once, set_data_root)
from .runtime import prepare_runtime, release_runtime, run

__all__ = ['backbone_consumers', 'channels_for', 'load_config', 'match_backbone_channels',
           'metafiles_parsed_once', 'prepare_runtime', 'release_runtime', 'run', 'set_data_root']
