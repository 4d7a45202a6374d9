"""Multi-scale deformable attention (Deformable DETR) that runs on CPU and GPU.

:class:`MSDeformAttn` keeps the parameter names of the Deformable-DETR / ViT-Adapter /
ViT-CoMer module (``sampling_offsets``, ``attention_weights``, ``value_proj``, ``output_proj``),
so their checkpoints load unchanged. It reuses mmcv's :class:`MultiScaleDeformableAttention`
for the parameters and their initialisation, but its forward is batch-first and returns the
output projection *without* mmcv's dropout + residual, as the original module does.

The sampling core dispatches to mmcv's compiled kernel on CUDA and to mmcv's pure-PyTorch
``multi_scale_deformable_attn_pytorch`` (grid_sample) everywhere else.
"""
import warnings
from typing import List, Optional, Sequence, Tuple

import torch
from mmcv.ops import get_compiling_cuda_version
from mmcv.ops.multi_scale_deform_attn import (MultiScaleDeformableAttention,
                                              MultiScaleDeformableAttnFunction,
                                              multi_scale_deformable_attn_pytorch)

#: mmcv built with its CUDA kernels (a CPU-only build, like the one the test machines use,
#: reports 'not available' and has no ms_deform_attn CUDA kernel to call)
MMCV_HAS_CUDA_OPS = get_compiling_cuda_version() not in ('not available', '')
_warned_cpu_build = False


def multi_scale_deform_attn(value: torch.Tensor, spatial_shapes: torch.Tensor,
                            level_start_index: torch.Tensor,
                            sampling_locations: torch.Tensor,
                            attention_weights: torch.Tensor,
                            im2col_step: int = 64) -> torch.Tensor:
    """Sample ``value`` at ``sampling_locations`` and sum with ``attention_weights``.

    Args:
        value: ``(B, num_keys, num_heads, head_dims)``.
        spatial_shapes: ``(num_levels, 2)`` long tensor of ``(H, W)`` per level.
        level_start_index: ``(num_levels,)`` first key of each level.
        sampling_locations: ``(B, num_queries, num_heads, num_levels, num_points, 2)``,
            normalised ``(x, y)`` in [0, 1] (``align_corners=False`` convention).
        attention_weights: ``(B, num_queries, num_heads, num_levels, num_points)``.
        im2col_step: batch chunk of the CUDA kernel.

    Returns:
        ``(B, num_queries, num_heads * head_dims)``.
    """
    global _warned_cpu_build
    if value.is_cuda and not MMCV_HAS_CUDA_OPS and not _warned_cpu_build:
        warnings.warn('mmcv was built without CUDA ops: multi-scale deformable attention runs '
                      'the PyTorch grid_sample path on the GPU (correct, slower and more '
                      'memory); install an mmcv build with CUDA for the fused kernel')
        _warned_cpu_build = True
    if value.is_cuda and MMCV_HAS_CUDA_OPS:
        # the CUDA kernel has no half-precision path that matches the reference; run it in
        # fp32 as the original ``custom_fwd(cast_inputs=float32)`` did, then cast back
        dtype = value.dtype
        out = MultiScaleDeformableAttnFunction.apply(
            value.float(), spatial_shapes, level_start_index, sampling_locations.float(),
            attention_weights.float(), im2col_step)
        return out.to(dtype)
    return multi_scale_deformable_attn_pytorch(value, spatial_shapes, sampling_locations,
                                               attention_weights)


def grid_reference_points(spatial_shapes: Sequence[Tuple[int, int]],
                          device: Optional[torch.device] = None) -> torch.Tensor:
    """Normalised centres of every cell of every level, ``(1, sum(H*W), 1, 2)`` as ``(x, y)``.

    The trailing level axis has size 1 so the same point is used on every level, as in the
    Deformable-DETR encoder and the ViT-Adapter/ViT-CoMer interaction modules.
    """
    points: List[torch.Tensor] = []
    for h, w in spatial_shapes:
        ys, xs = torch.meshgrid(
            torch.linspace(0.5, h - 0.5, h, dtype=torch.float32, device=device) / h,
            torch.linspace(0.5, w - 0.5, w, dtype=torch.float32, device=device) / w,
            indexing='ij')
        points.append(torch.stack((xs.reshape(-1), ys.reshape(-1)), -1))
    return torch.cat(points, 0)[None, :, None]


def level_start_index(spatial_shapes: torch.Tensor) -> torch.Tensor:
    """First flattened index of each level for ``(num_levels, 2)`` ``spatial_shapes``."""
    sizes = spatial_shapes.prod(1)
    return torch.cat((sizes.new_zeros(1), sizes.cumsum(0)[:-1]))


class MSDeformAttn(MultiScaleDeformableAttention):
    """Batch-first multi-scale deformable attention with the original parameter names.

    Args:
        embed_dims: query/value width.
        num_heads: attention heads (``embed_dims * value_proj_ratio`` must divide by it).
        num_levels: feature levels sampled.
        num_points: sampling points per head and level.
        value_proj_ratio: width of the value projection relative to ``embed_dims``
            (ViT-Adapter/ViT-CoMer ``deform_ratio``).
        im2col_step: batch chunk of the CUDA kernel.
    """

    def __init__(self, embed_dims: int = 256, num_heads: int = 8, num_levels: int = 4,
                 num_points: int = 4, value_proj_ratio: float = 1.0,
                 im2col_step: int = 64) -> None:
        value_dims = int(embed_dims * value_proj_ratio)
        if value_dims % num_heads:
            raise ValueError(f'MSDeformAttn: embed_dims * value_proj_ratio = {value_dims} must '
                             f'be divisible by num_heads = {num_heads}')
        super().__init__(embed_dims=embed_dims, num_heads=num_heads, num_levels=num_levels,
                         num_points=num_points, im2col_step=im2col_step, dropout=0.,
                         batch_first=True, value_proj_ratio=value_proj_ratio)
        del self.dropout  # the original module has none; keep the module tree identical

    def forward(self, query: torch.Tensor, reference_points: torch.Tensor,  # type: ignore
                value: torch.Tensor, spatial_shapes: torch.Tensor,
                level_start_index: torch.Tensor,
                padding_mask: Optional[torch.Tensor] = None) -> torch.Tensor:
        """Attend from ``query`` to the flattened multi-level ``value``.

        Args:
            query: ``(B, Lq, C)``.
            reference_points: ``(B or 1, Lq, num_levels or 1, 2)`` normalised ``(x, y)``, or
                ``(..., 4)`` boxes ``(cx, cy, w, h)``.
            value: ``(B, Lv, C)`` with ``Lv = sum(H_l * W_l)``.
            spatial_shapes: ``(num_levels, 2)`` long tensor.
            level_start_index: ``(num_levels,)``.
            padding_mask: ``(B, Lv)`` bool, True where ``value`` is padding.

        Returns:
            ``(B, Lq, C)``: the output projection, no residual.
        """
        bs, num_query, _ = query.shape
        num_value = value.shape[1]
        if int((spatial_shapes[:, 0] * spatial_shapes[:, 1]).sum()) != num_value:
            raise ValueError(f'MSDeformAttn: spatial_shapes {spatial_shapes.tolist()} cover '
                             f'{int(spatial_shapes.prod(1).sum())} keys but value has '
                             f'{num_value}')
        value = self.value_proj(value)
        if padding_mask is not None:
            value = value.masked_fill(padding_mask[..., None], 0.0)
        value = value.view(bs, num_value, self.num_heads, -1)
        offsets = self.sampling_offsets(query).view(
            bs, num_query, self.num_heads, self.num_levels, self.num_points, 2)
        weights = self.attention_weights(query).view(
            bs, num_query, self.num_heads, self.num_levels * self.num_points)
        weights = weights.softmax(-1).view(bs, num_query, self.num_heads, self.num_levels,
                                           self.num_points)
        if reference_points.shape[-1] == 2:
            normalizer = torch.stack([spatial_shapes[..., 1], spatial_shapes[..., 0]], -1)
            locations = (reference_points[:, :, None, :, None, :]
                         + offsets / normalizer[None, None, None, :, None, :])
        elif reference_points.shape[-1] == 4:
            locations = (reference_points[:, :, None, :, None, :2]
                         + offsets / self.num_points
                         * reference_points[:, :, None, :, None, 2:] * 0.5)
        else:
            raise ValueError('MSDeformAttn: the last dim of reference_points must be 2 or 4, '
                             f'got {reference_points.shape[-1]}')
        out = multi_scale_deform_attn(value, spatial_shapes, level_start_index, locations,
                                      weights, self.im2col_step)
        return self.output_proj(out)
