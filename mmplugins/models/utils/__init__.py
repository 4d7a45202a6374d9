"""Helpers shared by the models."""
from ...checkpoint_io import UnsafeCheckpointError
from .checkpoint import (CheckpointMismatchError, load_backbone_checkpoint,
                         read_state_dict)
from .padding import crop_to, pad_to_multiple

__all__ = ['CheckpointMismatchError', 'UnsafeCheckpointError', 'load_backbone_checkpoint',
           'read_state_dict', 'pad_to_multiple', 'crop_to']
