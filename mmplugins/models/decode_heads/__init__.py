"""Decode heads of the toolkit (mmseg): HorNet's UperNet with the HorFPN bottleneck."""
from .hor_uper_head import HorUPerHead

__all__ = ['HorUPerHead']
