"""LayerNorm over the channel dimension of NCHW maps (ConvNeXt/HorNet ``channels_first`` LN)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class LayerNorm2d(nn.LayerNorm):
    """:class:`torch.nn.LayerNorm` applied to the channels of a ``(N, C, H, W)`` tensor.

    Keys are ``weight``/``bias`` of shape ``(C,)``, as the official channels-first LayerNorms of
    ConvNeXt and HorNet, so their checkpoints load unchanged.
    """

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.dim() != 4:
            raise ValueError(f'LayerNorm2d expects an (N, C, H, W) tensor, got shape '
                             f'{tuple(x.shape)}')
        x = F.layer_norm(x.permute(0, 2, 3, 1), self.normalized_shape, self.weight, self.bias,
                         self.eps)
        return x.permute(0, 3, 1, 2)
