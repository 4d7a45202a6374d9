"""The transformer feed-forward block with timm/official key names (``fc1``, ``fc2``)."""
from typing import Optional

import torch
import torch.nn as nn
from mmcv.cnn import build_activation_layer

from .packed_linear import PackedLinear, linear_act


class Mlp(nn.Module):
    """``fc1 -> act -> drop -> fc2 -> drop`` on the last dimension.

    Args:
        in_features: input channels.
        hidden_features: hidden channels (default ``in_features``).
        out_features: output channels (default ``in_features``).
        act_cfg: activation config for :func:`mmcv.cnn.build_activation_layer`.
        drop: dropout probability after the activation and after ``fc2``.
    """

    def __init__(self, in_features: int, hidden_features: Optional[int] = None,
                 out_features: Optional[int] = None, act_cfg: Optional[dict] = None,
                 drop: float = 0.0) -> None:
        super().__init__()
        hidden_features = hidden_features or in_features
        out_features = out_features or in_features
        self.fc1 = PackedLinear(in_features, hidden_features)
        self.act = build_activation_layer(act_cfg or dict(type='GELU'))
        self.fc2 = PackedLinear(hidden_features, out_features)
        self.drop = nn.Dropout(drop)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.drop(self.fc2(self.drop(linear_act(self.fc1, self.act, x))))
