"""Every backbone treats the images of a batch independently in eval mode: the input gradient
of an image is the same alone (batch 1) and next to another image (batch 2).

This guards against layouts that trip a kernel: torch 2.13's CPU BatchNorm backward is wrong
for batch-1 maps whose strides come from a transposed token view (docs/troubleshooting.md).
"""
import pytest
import torch
import torch.nn as nn

import mmplugins  # noqa: F401
from mmplugins.analysis.side_by_side import forward_for
from mmplugins.models.backbones import (RMT, ConvNeXt, HorNet, QSDTransformer, SwinTransformer,
                                        ViTCoMer)

from test_convnext import TINY as CONVNEXT
from test_hornet import TINY as HORNET
from test_qsd_transformer import TINY as QSD
from test_rmt import TINY as RMT_TINY
from test_swin import TINY as SWIN
from test_vit_comer import TINY as VIT_COMER

BACKBONES = {
    'swin': lambda: SwinTransformer(arch=SWIN, drop_path_rate=0.0),
    'hornet': lambda: HorNet(HORNET, drop_path_rate=0.0),
    'rmt': lambda: RMT(RMT_TINY, drop_path_rate=0.0),
    'vit_comer': lambda: ViTCoMer(arch=dict(VIT_COMER), conv_inplane=8, drop_path_rate=0.0),
    'qsd': lambda: QSDTransformer(QSD),
    'convnext': lambda: ConvNeXt(CONVNEXT),
}


def _randomize_norms(model: nn.Module) -> None:
    # non-trivial running statistics and affine parameters, so a wrong norm gradient shows
    for m in model.modules():
        if isinstance(m, nn.modules.batchnorm._BatchNorm):
            m.running_mean.uniform_(-0.5, 0.5)
            m.running_var.uniform_(0.5, 2.0)
            m.weight.data.uniform_(0.5, 1.5)
            m.bias.data.uniform_(-0.5, 0.5)


@pytest.mark.parametrize('name', sorted(BACKBONES))
def test_input_gradient_of_an_image_does_not_depend_on_the_batch(name):
    torch.manual_seed(0)
    model = BACKBONES[name]().eval()
    with torch.no_grad():
        _randomize_norms(model)
    forward = forward_for(model)
    x = torch.randn(2, 3, 64, 64)
    weights = None

    def input_grad(batch: torch.Tensor) -> torch.Tensor:
        nonlocal weights
        batch = batch.clone().requires_grad_()
        outs = forward(model, batch)
        if weights is None:  # fixed random read-outs, one per output map
            weights = [torch.randn_like(o[:1]) for o in outs]
        loss = sum((o * w).sum() for o, w in zip(outs, weights))
        return torch.autograd.grad(loss, batch)[0]

    alone = input_grad(x[:1])
    together = input_grad(x)[:1]
    assert alone.abs().max() > 0
    torch.testing.assert_close(alone, together, rtol=1e-4, atol=1e-5 * alone.abs().max().item())
