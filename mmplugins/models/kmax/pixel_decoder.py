"""kMaX pixel decoder: axial-attention and bottleneck stages from stride 32 down to stride 4.

Module names follow the official PyTorch release (bytedance/kmax-deeplab) without the leading
underscores, so its checkpoints convert by renaming only. Unlike the official code, whose relative
positional encodings index a distance matrix built for one fixed crop (1281 px), the encodings here
are gathered for the actual feature length on every call, so any input size works.
"""
from typing import List, Optional, Sequence, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmcv.cnn.bricks import DropPath

from .blocks import ConvBN, build_kmax_norm, tf_resize, trunc_normal_tf_

#: Largest relative distance with its own embedding (DeepLab2's ``MAX_SPAN``).
MAX_SPAN = 255

_GELU = dict(type='GELU')


class RelativePositionalEncoding(nn.Module):
    """Learned 1-D relative positional embeddings, ``2 * MAX_SPAN - 1`` of them.

    ``forward(length)`` returns the ``(length, length, depth)`` table ``E[q, k] = emb[k - q]``.
    Distances beyond ``MAX_SPAN - 1`` (only for axes longer than 255 features, i.e. > 4080 px at
    stride 16) share the outermost embedding, the usual clipping of relative positions.
    """

    def __init__(self, depth: int) -> None:
        super().__init__()
        self.embeddings = nn.Embedding(MAX_SPAN * 2 - 1, depth)
        trunc_normal_tf_(self.embeddings.weight, std=1.0)

    def forward(self, length: int) -> torch.Tensor:
        pos = torch.arange(length, device=self.embeddings.weight.device)
        distance = (pos[None, :] - pos[:, None]).clamp(-(MAX_SPAN - 1), MAX_SPAN - 1)
        return self.embeddings.weight[distance + MAX_SPAN - 1]


class AxialAttention(nn.Module):
    """Multi-head attention along one axis of ``(B, C, L)`` sequences with relative positions.

    As in DeepLab2: batch norm on q/k/v, on the three similarity terms (content, query-position,
    key-position) and on the two retrieved terms (content, position); no ``1/sqrt(d)`` scaling.
    """

    def __init__(self, in_channels: int, key_depth: int, value_depth: int, num_heads: int = 8,
                 norm_cfg: Optional[dict] = None) -> None:
        super().__init__()
        if key_depth % num_heads or value_depth % num_heads:
            raise ValueError(f'key_depth ({key_depth}) and value_depth ({value_depth}) must be '
                             f'divisible by num_heads ({num_heads})')
        self.key_depth, self.value_depth, self.num_heads = key_depth, value_depth, num_heads
        qkv_channels = key_depth * 2 + value_depth
        self.qkv_transform = ConvBN(in_channels, qkv_channels, with_norm=False, conv_type='1d')
        trunc_normal_tf_(self.qkv_transform.conv.weight, std=in_channels ** -0.5)
        self.query_rpe = RelativePositionalEncoding(key_depth // num_heads)
        self.key_rpe = RelativePositionalEncoding(key_depth // num_heads)
        self.value_rpe = RelativePositionalEncoding(value_depth // num_heads)
        self.batch_norm_qkv = build_kmax_norm(norm_cfg, qkv_channels, 1)
        self.batch_norm_similarity = build_kmax_norm(norm_cfg, num_heads * 3, 2)
        self.batch_norm_retrieved_output = build_kmax_norm(norm_cfg, value_depth * 2, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``(B, C, L) -> (B, value_depth, L)``."""
        b, _, length = x.shape
        h = self.num_heads
        qkv = self.batch_norm_qkv(self.qkv_transform(x))
        q, k, v = torch.split(qkv, [self.key_depth, self.key_depth, self.value_depth], dim=1)
        q = q.reshape(b, h, -1, length)
        k = k.reshape(b, h, -1, length)
        v = v.reshape(b, h, -1, length)
        query_rpe = self.query_rpe(length)
        key_rpe = self.key_rpe(length)
        similarity = torch.cat([
            torch.einsum('bhdl,bhdm->bhlm', q, k),
            torch.einsum('bhdl,lmd->bhlm', q, query_rpe),
            torch.einsum('bhdm,lmd->bhlm', k, key_rpe),
        ], dim=1)
        similarity = self.batch_norm_similarity(similarity).reshape(b, 3, h, length, length).sum(1)
        weights = F.softmax(similarity.float(), dim=-1).to(v.dtype)
        retrieved = torch.cat([
            torch.einsum('bhlm,bhdm->bhdl', weights, v),
            torch.einsum('bhlm,lmd->bhdl', weights, self.value_rpe(length)),
        ], dim=1).reshape(b, 2 * self.value_depth, length)
        retrieved = self.batch_norm_retrieved_output(retrieved)
        return retrieved.reshape(b, 2, self.value_depth, length).sum(1)


class AxialAttention2D(nn.Module):
    """Height-axis then width-axis attention on ``(B, C, H, W)`` maps."""

    def __init__(self, in_channels: int, filters: int, key_expansion: float = 1,
                 value_expansion: float = 2, num_heads: int = 8,
                 norm_cfg: Optional[dict] = None) -> None:
        super().__init__()
        key_depth = int(round(filters * key_expansion))
        self.value_depth = int(round(filters * value_expansion))
        self.height_axis = AxialAttention(in_channels, key_depth, self.value_depth, num_heads,
                                          norm_cfg)
        self.width_axis = AxialAttention(self.value_depth, key_depth, self.value_depth, num_heads,
                                         norm_cfg)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, c, h, w = x.shape
        x = x.permute(0, 3, 1, 2).reshape(b * w, c, h)
        x = self.height_axis(x)
        x = x.reshape(b, w, self.value_depth, h).permute(0, 3, 2, 1).reshape(b * h, -1, w)
        x = self.width_axis(x)
        return x.reshape(b, h, self.value_depth, w).permute(0, 2, 1, 3).contiguous()


class SingleBlock(nn.Module):
    """Residual block of the pixel decoder: ``'axial'`` (1x1, axial attention, 1x1) or
    ``'bottleneck'`` (1x1, 3x3, 1x1), with GELU, a zero-initialised last norm and drop path.

    ``filter_list`` is ``[conv1 channels, attention/3x3 filters, output channels]``.
    """

    def __init__(self, in_channels: int, filter_list: Sequence[int], block_type: str,
                 num_heads: int = 8, drop_path_rate: float = 0.0,
                 norm_cfg: Optional[dict] = None) -> None:
        super().__init__()
        if block_type not in ('axial', 'bottleneck'):
            raise ValueError(f"block_type must be 'axial' or 'bottleneck', got {block_type!r}")
        self.block_type = block_type
        self.conv1_bn_act = ConvBN(in_channels, filter_list[0], norm_cfg=norm_cfg,
                                   act_cfg=_GELU)
        if block_type == 'axial':
            self.attention = AxialAttention2D(filter_list[0], filter_list[1], num_heads=num_heads,
                                              norm_cfg=norm_cfg)
            mid_channels = self.attention.value_depth
        else:
            self.conv2_bn_act = ConvBN(filter_list[0], filter_list[1], kernel_size=3,
                                       norm_cfg=norm_cfg, act_cfg=_GELU)
            mid_channels = filter_list[1]
        self.conv3_bn = ConvBN(mid_channels, filter_list[2], norm_cfg=norm_cfg, norm_init=0.0)
        self.shortcut = (ConvBN(in_channels, filter_list[2], norm_cfg=norm_cfg)
                         if in_channels != filter_list[2] else None)
        self.drop_path = DropPath(drop_path_rate) if drop_path_rate > 0 else nn.Identity()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = F.gelu(x)
        shortcut = x if self.shortcut is None else self.shortcut(x)
        x = self.conv1_bn_act(x)
        if self.block_type == 'axial':
            x = F.gelu(self.attention(x))
        else:
            x = self.conv2_bn_act(x)
        return self.drop_path(self.conv3_bn(x)) + shortcut


class BlockGroup(nn.Module):
    """``num_blocks`` :class:`SingleBlock` s; output channels are ``4 * base_filters``."""

    def __init__(self, in_channels: int, base_filters: int, num_blocks: int, block_type: str,
                 **kwargs) -> None:
        super().__init__()
        filter_list = ([base_filters * 2, base_filters, base_filters * 4] if block_type == 'axial'
                       else [base_filters, base_filters, base_filters * 4])
        blocks = []
        for _ in range(num_blocks):
            blocks.append(SingleBlock(in_channels, filter_list, block_type, **kwargs))
            in_channels = filter_list[-1]
        self.blocks = nn.ModuleList(blocks)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for block in self.blocks:
            x = block(x)
        return x


class ResizedFuse(nn.Module):
    """Upsample the coarser map and add the finer backbone feature, projecting both to
    ``out_channels`` (GELU + 1x1 ConvBN) when their widths differ."""

    def __init__(self, low_in_channels: int, high_in_channels: int, out_channels: int,
                 norm_cfg: Optional[dict] = None) -> None:
        super().__init__()
        self.conv_bn_low = (ConvBN(low_in_channels, out_channels, norm_cfg=norm_cfg)
                            if low_in_channels != out_channels else None)
        self.conv_bn_high = (ConvBN(high_in_channels, out_channels, norm_cfg=norm_cfg)
                             if high_in_channels != out_channels else None)

    def forward(self, lowres_x: torch.Tensor, highres_x: torch.Tensor) -> torch.Tensor:
        if self.conv_bn_low is not None:
            lowres_x = self.conv_bn_low(F.gelu(lowres_x))
        lowres_x = tf_resize(lowres_x, highres_x.shape[-2:])
        if self.conv_bn_high is not None:
            highres_x = self.conv_bn_high(F.gelu(highres_x))
        return lowres_x + highres_x


class KMaXPixelDecoder(nn.Module):
    """The kMaX pixel decoder.

    Args:
        in_channels: backbone channels at strides 4, 8, 16, 32 (fine to coarse, as mmdet's
            ``out_indices=(0, 1, 2, 3)`` gives them).
        dec_layers: blocks per stage, coarse to fine (official ``[1, 5, 1, 1]``).
        dec_channels: base filters per stage, coarse to fine (official ``[512, 256, 128, 64]``);
            stage outputs are 4x these.
        layer_types: ``'axial'`` or ``'bottleneck'`` per stage (official axial, axial,
            bottleneck, bottleneck).
        num_heads: heads of the axial attention.
        drop_path_rate: drop-path probability of every block.
        norm_cfg: batch-norm config (default kMaX's SyncBN, eps 1e-3, momentum 0.01).

    ``forward(feats)`` returns ``(panoptic_feature, multi_scale_features)``: the finest stage
    output and the outputs at strides 32, 16, 8 (coarse to fine) for the transformer decoder.
    """

    def __init__(self, in_channels: Sequence[int], dec_layers: Sequence[int] = (1, 5, 1, 1),
                 dec_channels: Sequence[int] = (512, 256, 128, 64),
                 layer_types: Sequence[str] = ('axial', 'axial', 'bottleneck', 'bottleneck'),
                 num_heads: int = 8, drop_path_rate: float = 0.0,
                 norm_cfg: Optional[dict] = None) -> None:
        super().__init__()
        coarse_in = list(in_channels)[::-1]
        if not len(coarse_in) == len(dec_layers) == len(dec_channels) == len(layer_types):
            raise ValueError(
                'in_channels, dec_layers, dec_channels and layer_types must have one entry per '
                f'stage; got {len(coarse_in)}, {len(dec_layers)}, {len(dec_channels)}, '
                f'{len(layer_types)}')
        self.num_stages = len(coarse_in)
        self.out_channels = [c * 4 for c in dec_channels]
        # channels-first LayerNorm of the official code == nn.LayerNorm on channels-last.
        self.in_norms = nn.ModuleList(nn.LayerNorm(c, eps=1e-6) for c in coarse_in)
        self.stages = nn.ModuleList()
        self.resized_fuses = nn.ModuleList()
        for i in range(self.num_stages):
            self.stages.append(BlockGroup(
                coarse_in[0] if i == 0 else dec_channels[i], dec_channels[i], dec_layers[i],
                layer_types[i], num_heads=num_heads, drop_path_rate=drop_path_rate,
                norm_cfg=norm_cfg))
            if i > 0:
                self.resized_fuses.append(ResizedFuse(dec_channels[i - 1] * 4, coarse_in[i],
                                                      dec_channels[i], norm_cfg=norm_cfg))

    def _in_norm(self, i: int, x: torch.Tensor) -> torch.Tensor:
        return self.in_norms[i](x.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)

    def forward(self, feats: Sequence[torch.Tensor]
                ) -> Tuple[torch.Tensor, List[torch.Tensor]]:
        coarse = list(feats)[::-1]
        outs = []
        x = self._in_norm(0, coarse[0])
        for i in range(self.num_stages - 1):
            x = self.stages[i](x)
            outs.append(x)
            x = self.resized_fuses[i](x, self._in_norm(i + 1, coarse[i + 1]))
        x = self.stages[-1](x)
        outs.append(x)
        return outs[-1], outs[:3]
