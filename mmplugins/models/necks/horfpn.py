"""HorFPN (Rao et al., NeurIPS 2022, section 4.4): an FPN whose 3x3 output convs are gnConv
layers (the released ``GNFPN``, raoyongming/HorNet ``object_detection/necks/gn_fpn.py``).

Laterals, the top-down sum and the max-pooled extra levels are mmdet's :class:`FPN`; every
output conv of a backbone level is a :class:`~mmplugins.models.layers.gnconv.GnConvModule`
(released ``GNConvModule``: 1x1 ``proj_in`` to ``2 * out_channels``, one spatial mixer over
the gates, order-2 recursion without a scale factor, 1x1 ``proj_out``, then the FPN's norm and
activation, none by default).

Difference from the release: with ``add_extra_convs`` the extra levels keep mmdet's 3x3
stride-2 convs; the released class means to follow each with a gnConv layer but wraps a list
in ``nn.Sequential``, which raises, so no released config uses extra convs.
"""
from typing import List, Optional

import torch.nn as nn
from mmdet.models.necks import FPN

from ...registry import MODELS
from ..layers.gnconv import GnConvModule

#: the gnConv of the released HorFPN-7x7 configs (``type='gnconv', kernel_size=7, order=2``)
HORFPN_7X7 = dict(order=2, mixer=dict(type='dw', kernel_size=7), scale=1.0)


@MODELS.register_module()
class HorFPN(FPN):
    """mmdet's FPN with gnConv output layers.

    Args:
        in_channels, out_channels, num_outs: as :class:`mmdet.models.necks.FPN`.
        gnconv_cfg: the output layers' gnConv, ``dict(order, mixer, scale)``
            (:class:`GnConvModule`); default the released HorFPN-7x7 (order 2, 7x7
            depthwise, scale 1). The released HorFPN-GF: ``mixer=dict(type='gf', h=32,
            w=17)``.
        **kwargs: the other arguments of mmdet's FPN (``norm_cfg`` and ``act_cfg`` also
            apply after each gnConv layer, as in the release).
    """

    def __init__(self, in_channels: List[int], out_channels: int, num_outs: int,
                 gnconv_cfg: Optional[dict] = None, **kwargs) -> None:
        super().__init__(in_channels, out_channels, num_outs, **kwargs)
        cfg = dict(HORFPN_7X7 if gnconv_cfg is None else gnconv_cfg)
        levels = self.backbone_end_level - self.start_level
        self.fpn_convs = nn.ModuleList(
            [GnConvModule(out_channels, out_channels, norm_cfg=kwargs.get('norm_cfg'),
                          act_cfg=kwargs.get('act_cfg'), **cfg) for _ in range(levels)]
            + list(self.fpn_convs[levels:]))
