"""Backbones registered as ``mmplugins.<Name>``."""
from .swin import SwinTransformer
from .hornet import HorNet
from .rmt import RMT
from .vit_comer import ViTCoMer
from .qsd_transformer import QSDTransformer
from .convnext import ConvNeXt

__all__ = ['SwinTransformer', 'HorNet', 'RMT', 'ViTCoMer', 'QSDTransformer', 'ConvNeXt']
