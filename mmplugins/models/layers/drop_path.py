"""Stochastic-depth schedule shared by the backbones."""
from typing import List


def drop_path_rates(max_rate: float, num_blocks: int) -> List[float]:
    """Linearly increasing drop-path rates ``0 .. max_rate`` over ``num_blocks`` blocks.

    Plain Python (not ``torch.linspace``) so that backbones can be built on the meta device.
    """
    if num_blocks <= 1:
        return [0.0] * num_blocks
    return [max_rate * i / (num_blocks - 1) for i in range(num_blocks)]
