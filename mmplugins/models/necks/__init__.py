"""Necks of the toolkit (mmdet): HorNet's HorFPN."""
from .horfpn import HorFPN

__all__ = ['HorFPN']
