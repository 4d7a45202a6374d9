"""Blocks used by more than one model of the toolkit."""
from .drop_path import drop_path_rates
from .mlp import Mlp

__all__ = ['Mlp', 'drop_path_rates']
