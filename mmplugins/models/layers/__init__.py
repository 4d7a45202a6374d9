"""Blocks used by more than one model of the toolkit."""
from .drop_path import drop_path_rates
from .mlp import Mlp
from .gnconv import GlobalLocalFilter, GnConv, GnConvModule, RecursiveGatedConv  # noqa: F401
from .norm import LayerNorm2d  # noqa: F401
from .ms_deform_attn import MSDeformAttn, multi_scale_deform_attn  # noqa: F401
from .manhattan_attention import ManhattanRelPos, ManhattanSelfAttention  # noqa: F401

__all__ = ['Mlp', 'drop_path_rates', 'LayerNorm2d', 'GnConv', 'GnConvModule',
           'RecursiveGatedConv', 'GlobalLocalFilter', 'MSDeformAttn', 'multi_scale_deform_attn']
