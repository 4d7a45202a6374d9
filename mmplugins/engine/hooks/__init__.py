"""Hooks of the toolkit."""

__all__ = ['FiringRateHook', 'SpikingResetHook']
