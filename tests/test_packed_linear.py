"""PackedLinear: nn.Linear's function with oneDNN's packed-weight inference path."""
import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F

from mmplugins.analysis import count_flops
from mmplugins.models.layers import Mlp
from mmplugins.models.layers.packed_linear import PackedLinear, linear_act, packing_disabled

needs_onednn = pytest.mark.skipif(not torch.backends.mkldnn.is_available(),
                                  reason='oneDNN is not built into this torch')


def _pair(bias: bool = True):
    torch.manual_seed(0)
    packed = PackedLinear(24, 40, bias=bias)
    plain = nn.Linear(24, 40, bias=bias)
    plain.load_state_dict(packed.state_dict())
    return packed, plain


@needs_onednn
@pytest.mark.parametrize('bias', [True, False])
def test_inference_path_equals_nn_linear_and_fuses_gelu(bias):
    packed, plain = _pair(bias)
    x = torch.randn(3, 7, 24)
    with torch.no_grad():
        torch.testing.assert_close(packed(x), plain(x), rtol=1e-5, atol=1e-5)
        torch.testing.assert_close(packed.forward_gelu(x), F.gelu(plain(x)), rtol=1e-5,
                                   atol=1e-5)
        # a non-contiguous input and another number of rows than the packing was made for
        xt = torch.randn(24, 5).t()
        torch.testing.assert_close(packed(xt), plain(xt), rtol=1e-5, atol=1e-5)
    assert '_packed' in packed.__dict__ and '_packed' not in packed.state_dict()


@needs_onednn
def test_packed_weight_follows_in_place_updates():
    packed, plain = _pair()
    x = torch.randn(4, 24)
    with torch.no_grad():
        packed(x)
        new = {k: torch.randn_like(v) for k, v in packed.state_dict().items()}
        packed.load_state_dict(new)
        plain.load_state_dict(new)
        torch.testing.assert_close(packed(x), plain(x), rtol=1e-5, atol=1e-5)
        packed.weight.mul_(2)  # e.g. an optimizer step
        plain.weight.mul_(2)
        torch.testing.assert_close(packed(x), plain(x), rtol=1e-5, atol=1e-5)


def test_training_uses_autograd_and_gives_nn_linear_gradients():
    packed, plain = _pair()
    x = torch.randn(5, 24)
    out = packed(x)
    assert out.grad_fn is not None
    out.square().sum().backward()
    plain(x).square().sum().backward()
    torch.testing.assert_close(packed.weight.grad, plain.weight.grad)
    torch.testing.assert_close(packed.bias.grad, plain.bias.grad)


def test_flops_are_counted_and_the_switch_restores_the_fast_path():
    mlp = Mlp(16, 64)
    x = torch.randn(10, 16)
    assert count_flops(mlp, x) == 10 * 16 * 64 * 2
    with packing_disabled():
        with torch.no_grad():
            assert mlp.fc1(x).grad_fn is None
    assert linear_act(nn.Linear(16, 8), nn.ReLU(), x).shape == (10, 8)


@needs_onednn
def test_copies_and_pickles_leave_the_packed_cache_out():
    import copy
    import io
    import pickle
    packed, _ = _pair()
    x = torch.randn(3, 24)
    with torch.no_grad():
        y = packed(x)
    assert '_packed' in packed.__dict__
    clone = copy.deepcopy(packed)  # e.g. an EMA copy made after a validation pass
    torch.save(packed, io.BytesIO())  # the whole module serialises
    # a pickled module is not weights-only loadable: read this in-memory copy back with
    # pickle (the same __getstate__ as torch.save)
    loaded = pickle.loads(pickle.dumps(packed))
    for other in (clone, loaded):
        assert '_packed' not in other.__dict__
        with torch.no_grad():
            torch.testing.assert_close(other(x), y)
