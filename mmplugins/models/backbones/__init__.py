"""Backbones registered as ``mmplugins.<Name>``."""
from .swin import SwinTransformer
from .hornet import HorNet

__all__ = ['SwinTransformer', 'HorNet', 'RMT', 'ViTCoMer', 'QSDTransformer']
