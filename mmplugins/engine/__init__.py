"""Training-loop pieces: optimizer wrapper constructors and hooks."""
from .hooks import FiringRateHook, SpikingResetHook
from .optimizers import LayerDecayOptimWrapperConstructor

__all__ = ['LayerDecayOptimWrapperConstructor', 'FiringRateHook', 'SpikingResetHook']
