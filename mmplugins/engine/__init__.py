"""Training-loop pieces: optimizer wrapper constructors, hooks and lr schedulers."""
from .hooks import FiringRateHook, SpikingResetHook
from .optimizers import LayerDecayOptimWrapperConstructor
from .schedulers import TF2WarmupPolyLR

__all__ = ['LayerDecayOptimWrapperConstructor', 'FiringRateHook', 'SpikingResetHook',
           'TF2WarmupPolyLR']
