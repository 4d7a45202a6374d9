"""Visualizers: mmdet's, with the fixes the toolkit's models need."""
from .det_visualizer import DetLocalVisualizer

__all__ = ['DetLocalVisualizer']
