"""Hooks of the toolkit."""
from .finite_loss import FiniteLossHook
from .rng_state import RNGStateHook
from .spiking import FiringRateHook, SpikingResetHook

__all__ = ['FiniteLossHook', 'FiringRateHook', 'RNGStateHook', 'SpikingResetHook']
