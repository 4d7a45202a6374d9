"""UperNet with HorFPN (Rao et al., NeurIPS 2022, section 4.4): the released ``GNUPerHead``
(raoyongming/HorNet ``semantic_segmentation/decode_heads/gn_uper_head.py``).

It is mmseg's :class:`UPerHead` (PPM, laterals, top-down sum, 3x3 FPN convs, resize and concat)
whose fusion layer ``fpn_bottleneck`` (a 3x3 ConvModule from ``4 * channels`` to ``channels``)
is a gnConv layer with the head's norm and activation: ``proj_in`` 1x1 from the concatenated
pyramid to ``2 * channels``, the spatial mixer, order-2 recursion without a scale factor,
``proj_out``, then BN and ReLU. Halving the bottleneck's FLOPs is where the paper's saving of
HorFPN in UperNet comes from.
"""
from typing import Optional

from mmseg.models.decode_heads import UPerHead

from ...registry import MODELS
from ..layers.gnconv import GnConvModule
from ..necks.horfpn import HORFPN_7X7


@MODELS.register_module()
class HorUPerHead(UPerHead):
    """mmseg's UPerHead with a gnConv ``fpn_bottleneck``.

    Args:
        gnconv_cfg: the bottleneck's gnConv, ``dict(order, mixer, scale)``; default the
            released HorFPN-7x7 UperNet (order 2, 7x7 depthwise, scale 1). The released
            HorFPN-GF UperNet: ``mixer=dict(type='gf', h=32, w=17)``.
        **kwargs: as :class:`mmseg.models.decode_heads.UPerHead`.
    """

    def __init__(self, gnconv_cfg: Optional[dict] = None, **kwargs) -> None:
        super().__init__(**kwargs)
        cfg = dict(HORFPN_7X7 if gnconv_cfg is None else gnconv_cfg)
        self.fpn_bottleneck = GnConvModule(len(self.in_channels) * self.channels,
                                           self.channels, norm_cfg=self.norm_cfg,
                                           act_cfg=self.act_cfg, **cfg)
