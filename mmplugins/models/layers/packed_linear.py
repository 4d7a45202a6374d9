"""``nn.Linear`` that runs inference through oneDNN with its weight packed once.

On CPU, oneDNN's matmul with a pre-packed (blocked) weight runs the transformer's linear layers
9-40 % faster than ATen's default GEMM at 2 threads, and fuses the MLP's GELU into the first
layer (shapes of Swin-T at 512x512, ``tools/compare_speed.py``). This is the kernel PyTorch's
own compiler uses for frozen CPU models; here it is used eagerly:

* only when no gradient is needed (``torch.no_grad``/``inference_mode`` or frozen weights and
  input), on CPU, in float32 and with oneDNN built in; anything else (training, CUDA, AMP)
  takes ``nn.Linear``'s path unchanged;
* the packed weight is cached on the module and rebuilt when the weight changes (new storage
  or an in-place update such as ``load_state_dict`` or an optimizer step); it is not part of
  the state dict;
* its operator has a formula in ``torch.utils.flop_counter``, so FLOP counters and the energy
  report see the same multiply-adds as for ``nn.Linear``; :func:`packing_disabled` turns the
  fast path off.
"""
import contextlib
import threading
from typing import Iterator, Optional

import torch
import torch.nn as nn
import torch.nn.functional as F

from torch.utils.flop_counter import register_flop_formula

_state = threading.local()


@register_flop_formula(torch.ops.mkldnn._linear_pointwise)
def _linear_pointwise_flops(x_shape, weight_shape, *args, out_shape=None, **kwargs) -> int:
    """2 FLOPs per multiply-add, as the counter's formula for ``addmm``."""
    rows = 1
    for size in x_shape[:-1]:
        rows *= size
    return 2 * rows * x_shape[-1] * weight_shape[0]


@contextlib.contextmanager
def packing_disabled() -> Iterator[None]:
    """Run every :class:`PackedLinear` through ``nn.Linear``'s path inside the block."""
    previous = getattr(_state, 'disabled', False)
    _state.disabled = True
    try:
        yield
    finally:
        _state.disabled = previous


def _fast_path_ok(layer: nn.Linear, x: torch.Tensor) -> bool:
    if getattr(_state, 'disabled', False) or x.device.type != 'cpu':
        return False
    if x.dtype != torch.float32 or layer.weight.dtype != torch.float32:
        return False
    if torch.is_grad_enabled() and (x.requires_grad or layer.weight.requires_grad):
        return False
    return torch.backends.mkldnn.is_available() and not torch.is_autocast_cpu_enabled()


class PackedLinear(nn.Linear):
    """Drop-in ``nn.Linear`` (same parameters and keys) with the oneDNN inference path.

    The packed copy of the weight (one more copy of the layer's weight in memory after the
    first inference call) is a cache: it is left out of copies and pickles, as oneDNN's
    opaque tensors cannot be serialised.
    """

    def __getstate__(self) -> dict:
        state = super().__getstate__()
        state = dict(state)
        state.pop('_packed', None)
        return state

    def _packed_weight(self, rows: int) -> torch.Tensor:
        key = (self.weight.data_ptr(), self.weight._version)
        cached = self.__dict__.get('_packed')
        if cached is None or cached[0] != key:
            packed = torch.ops.mkldnn._reorder_linear_weight(self.weight.detach(), rows)
            self.__dict__['_packed'] = cached = (key, packed)
        return cached[1]

    def _run(self, x: torch.Tensor, post: str) -> Optional[torch.Tensor]:
        if not _fast_path_ok(self, x):
            return None
        rows = x.numel() // max(x.shape[-1], 1)
        if rows == 0:
            return None
        algorithm = 'none' if post == 'gelu' else ''
        return torch.ops.mkldnn._linear_pointwise(
            x.contiguous(), self._packed_weight(rows), self.bias, post, [], algorithm)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self._run(x, 'none')
        return super().forward(x) if out is None else out

    def forward_gelu(self, x: torch.Tensor) -> torch.Tensor:
        """``gelu(self(x))`` (exact erf GELU), fused into the matmul on the fast path."""
        out = self._run(x, 'gelu')
        return F.gelu(super().forward(x)) if out is None else out


def linear_act(layer: nn.Linear, act: nn.Module, x: torch.Tensor) -> torch.Tensor:
    """``act(layer(x))``, with an exact GELU fused into a :class:`PackedLinear`'s matmul."""
    if isinstance(layer, PackedLinear) and type(act) is nn.GELU and act.approximate == 'none':
        return layer.forward_gelu(x)
    return act(layer(x))
