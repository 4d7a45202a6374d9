"""kMaX-DeepLab (k-means mask transformer): mmdet panoptic detector and mmseg decode head."""
from .panoptic import KMaXDeepLab, KMaXFusionHead, KMaXPanopticHead, kmax_panoptic_fusion
from .seg_head import KMaXHead

__all__ = ['KMaXDeepLab', 'KMaXFusionHead', 'KMaXPanopticHead', 'KMaXHead',
           'kmax_panoptic_fusion']
