"""Gradient checkpointing shared by every backbone's ``with_cp`` option."""
from typing import Any

import torch
import torch.nn as nn
import torch.utils.checkpoint as cp


def maybe_checkpoint(module: nn.Module, *args: Any, with_cp: bool) -> torch.Tensor:
    """``module(*args)``, recomputed in the backward pass when ``with_cp`` and the first input
    needs gradients (checkpointing a frozen or inference pass saves nothing)."""
    if with_cp and args[0].requires_grad:
        return cp.checkpoint(module, *args, use_reentrant=False)
    return module(*args)
