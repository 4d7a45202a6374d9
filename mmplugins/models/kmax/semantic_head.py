"""Auxiliary semantic head of kMaX (training only): a Panoptic-DeepLab style decoder, ASPP on the
stride-32 backbone feature fused with stride-8 and stride-4 features."""
from typing import Optional, Sequence

import torch
import torch.nn as nn

from .blocks import ConvBN, tf_resize, trunc_normal_tf_

_GELU = dict(type='GELU')


class ASPP(nn.Module):
    """Atrous spatial pyramid pooling: 1x1, three dilated 3x3, image pooling; then 1x1 + dropout."""

    def __init__(self, in_channels: int, out_channels: int,
                 atrous_rates: Sequence[int] = (6, 12, 18),
                 norm_cfg: Optional[dict] = None) -> None:
        super().__init__()
        kw = dict(norm_cfg=norm_cfg, act_cfg=_GELU)
        self.aspp_conv0 = ConvBN(in_channels, out_channels, **kw)
        self.aspp_conv1 = ConvBN(in_channels, out_channels, 3, dilation=atrous_rates[0], **kw)
        self.aspp_conv2 = ConvBN(in_channels, out_channels, 3, dilation=atrous_rates[1], **kw)
        self.aspp_conv3 = ConvBN(in_channels, out_channels, 3, dilation=atrous_rates[2], **kw)
        self.aspp_pool = ConvBN(in_channels, out_channels, **kw)
        self.proj_conv_bn_act = ConvBN(out_channels * 5, out_channels, **kw)
        self.proj_drop = nn.Dropout(p=0.1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        pooled = self.aspp_pool(x.mean(dim=(2, 3), keepdim=True))
        # a 1x1 map has an odd width, so TF's rule aligns corners: a constant broadcast.
        branches = [self.aspp_conv0(x), self.aspp_conv1(x), self.aspp_conv2(x),
                    self.aspp_conv3(x), pooled.expand(-1, -1, *x.shape[-2:])]
        return self.proj_drop(self.proj_conv_bn_act(torch.cat(branches, dim=1)))


class SemanticPredictor(nn.Module):
    """``(x32, x8, x4) -> (B, K+1, H/4, W/4)`` semantic logits (void included).

    Args:
        in_channels: channels of the stride-32 backbone feature.
        os8_channels, os4_channels: channels of the stride-8 and stride-4 backbone features.
        num_classes: K + 1 logits.
        channels: decoder width (official 256).
        norm_cfg: batch-norm config.
    """

    def __init__(self, in_channels: int, os8_channels: int, os4_channels: int, num_classes: int,
                 channels: int = 256, norm_cfg: Optional[dict] = None) -> None:
        super().__init__()
        kw = dict(norm_cfg=norm_cfg, act_cfg=_GELU)
        dw = dict(kernel_size=5, conv_init='xavier_uniform', **kw)
        c8, c4 = channels + 64, channels + 32
        self.aspp = ASPP(in_channels, channels, norm_cfg=norm_cfg)
        self.low_level_projection_os8 = ConvBN(os8_channels, 64, **kw)
        self.low_level_fusion_os8_conv0_bn_act = ConvBN(c8, c8, groups=c8, **dw)
        self.low_level_fusion_os8_conv1_bn_act = ConvBN(c8, channels, **kw)
        self.low_level_projection_os4 = ConvBN(os4_channels, 32, **kw)
        self.low_level_fusion_os4_conv0_bn_act = ConvBN(c4, c4, groups=c4, **dw)
        self.low_level_fusion_os4_conv1_bn_act = ConvBN(c4, channels, **kw)
        self.conv_block_0 = ConvBN(channels, channels, groups=channels, **dw)
        self.conv_block_1 = ConvBN(channels, channels, **kw)
        self.final_conv = ConvBN(channels, num_classes, bias=True, with_norm=False)
        trunc_normal_tf_(self.final_conv.conv.weight, std=0.01)

    def forward(self, x: torch.Tensor, low_os8: torch.Tensor, low_os4: torch.Tensor
                ) -> torch.Tensor:
        x = self.aspp(x)
        low_os8 = self.low_level_projection_os8(low_os8)
        x = torch.cat([tf_resize(x, low_os8.shape[-2:]), low_os8], dim=1)
        x = self.low_level_fusion_os8_conv1_bn_act(self.low_level_fusion_os8_conv0_bn_act(x))
        low_os4 = self.low_level_projection_os4(low_os4)
        x = torch.cat([tf_resize(x, low_os4.shape[-2:]), low_os4], dim=1)
        x = self.low_level_fusion_os4_conv1_bn_act(self.low_level_fusion_os4_conv0_bn_act(x))
        return self.final_conv(self.conv_block_1(self.conv_block_0(x)))
