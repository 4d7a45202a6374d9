"""Backbones registered as ``mmplugins.<Name>``."""
from .swin import SwinTransformer

__all__ = ['SwinTransformer']
