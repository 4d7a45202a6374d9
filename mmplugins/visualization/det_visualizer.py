"""mmdet's ``DetLocalVisualizer`` that also draws a panoptic prediction without segments.

mmdet 3.3's ``_draw_panoptic_seg`` stacks the areas of the predicted segments and fails with
"need at least one array to stack" when every pixel is void, which a young (or simply unsure)
panoptic model predicts: the inferencer, ``tools/test.py --show-dir`` and the visualization hook
then crash instead of showing the empty prediction. The det runtime base uses this class.
"""
import numpy as np
from mmdet.visualization import DetLocalVisualizer as _MMDetLocalVisualizer
from mmengine.structures import PixelData

from ..registry import VISUALIZERS


@VISUALIZERS.register_module()
class DetLocalVisualizer(_MMDetLocalVisualizer):
    """``mmdet.DetLocalVisualizer``; an all-void panoptic map draws as the plain image."""

    def _draw_panoptic_seg(self, image: np.ndarray, panoptic_seg: PixelData, classes,
                           palette) -> np.ndarray:
        if 'label_names' in panoptic_seg:  # open-set maps name their own void id
            void = panoptic_seg.metainfo.get('ignore_index',
                                             len(panoptic_seg.metainfo['label_names']))
        else:
            void = len(classes)
        if not np.any(panoptic_seg.sem_seg[0] != void):
            self.set_image(image)
            return self.get_image()
        return super()._draw_panoptic_seg(image, panoptic_seg, classes, palette)
