"""Hooks of the toolkit."""
from .spiking import FiringRateHook, SpikingResetHook

__all__ = ['FiringRateHook', 'SpikingResetHook']
