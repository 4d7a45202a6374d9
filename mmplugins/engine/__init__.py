"""Training-loop pieces: optimizer wrapper constructors and hooks."""
from .optimizers import LayerDecayOptimWrapperConstructor

__all__ = ['LayerDecayOptimWrapperConstructor', 'FiringRateHook', 'SpikingResetHook']
