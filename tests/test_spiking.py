"""The spiking/ package: multi-level neurons, binary expansion, LSQ, Q-SDSA, energy, hooks."""
import json
import math
from types import SimpleNamespace

import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F
from spikingjelly.activation_based import functional, neuron

from spiking import (QSDSA, LSQConv2d, LSQLinear, LSQWeightQuantizer, MultiSpikeNode,
                     QRepConv, energy_report, expand_to_binary, spike_driven_apply)


# ----------------------------------------------------------------------------------- neuron
def test_neuron_levels_round_half_up_and_normalise():
    node = MultiSpikeNode(levels=4)
    x = torch.tensor([-1.0, 0.1, 0.125, 0.3, 0.625, 0.9, 1.0, 3.0])
    # counts round(clamp(4x, 0, 4)) with halves rounded UP (0.5 -> 1, 2.5 -> 3), divided by 4
    expected = torch.tensor([0, 0, 1, 1, 3, 4, 4, 4]) / 4
    assert torch.equal(node(x.view(1, -1))[0], expected)
    att = MultiSpikeNode(levels=4, norm=2)  # the attention neuron: count / 2
    assert torch.equal(att(x.view(1, -1))[0], expected * 2)
    assert torch.equal(node.counts(node(x.view(1, -1)))[0], expected * 4)


def test_neuron_straight_through_gradient_window():
    node = MultiSpikeNode(levels=4)
    x = torch.tensor([-0.2, 0.0, 0.01, 0.5, 0.99, 1.0, 1.3], requires_grad=True)
    node(x.view(1, -1)).sum().backward()
    # d/dx [round(clamp(4x)) / 4] := 4 * 1/4 inside 0 < 4x < 4, else 0
    assert torch.equal(x.grad, torch.tensor([0., 0., 1., 1., 1., 0., 0.]))


def test_step_modes_agree_and_time_steps_are_batched():
    torch.manual_seed(0)
    x = torch.rand(3, 2, 5) * 1.5
    multi = MultiSpikeNode(step_mode='m')(x)
    single = MultiSpikeNode(step_mode='s')
    assert torch.equal(multi, torch.stack([single(xt) for xt in x]))
    functional.set_step_mode(single, 'm')
    assert torch.equal(single(x), multi)


def test_stateful_neuron_dynamics_by_hand_and_reset_net():
    node = MultiSpikeNode(levels=4, decay=0.5, step_mode='s')
    x = torch.full((1,), 0.3)
    outs = [node(x).item() for _ in range(3)]
    # H1 = .3 -> 4H = 1.2 -> c=1, V=.05; H2 = .025+.3 = .325 -> c=1, V=.075;
    # H3 = .0375+.3 = .3375 -> 1.35 -> c=1, V=.0875
    assert outs == [0.25, 0.25, 0.25]
    assert node.v.item() == pytest.approx(0.0875)
    functional.reset_net(node)
    assert node.v == 0.0
    # multi-step over the same sequence gives the same result
    seq = MultiSpikeNode(levels=4, decay=0.5)(x.expand(3, 1))
    assert torch.equal(seq.flatten(), torch.tensor(outs))


def test_bad_neuron_arguments_name_the_argument():
    with pytest.raises(ValueError, match='levels'):
        MultiSpikeNode(levels=0)
    with pytest.raises(ValueError, match='decay'):
        MultiSpikeNode(decay=1.5)
    with pytest.raises(ValueError, match='step_mode'):
        MultiSpikeNode(step_mode='x')


# --------------------------------------------------------------------- spike-driven equality
def test_expand_to_binary_sums_back_to_counts():
    counts = torch.tensor([[0., 1., 2.], [3., 4., 2.]])
    binary = expand_to_binary(counts, 4)
    assert binary.shape == (4, 2, 3)
    assert set(binary.unique().tolist()) <= {0.0, 1.0}
    assert torch.equal(binary.sum(0), counts)
    with pytest.raises(ValueError, match='0..4'):
        expand_to_binary(counts + 1, 4)


@pytest.mark.parametrize('norm', [4.0, 2.0])
def test_integer_and_binary_spikes_give_the_same_layer_output(norm):
    torch.manual_seed(1)
    spikes = MultiSpikeNode(levels=4, norm=norm)(torch.rand(1, 2, 6, 7, 7) * 1.3)[0]
    conv = LSQConv2d(6, 5, 3, padding=1, bias=True).eval()
    weight = conv.quant(conv.weight).detach()
    out_int = conv(spikes)
    out_bin = spike_driven_apply(lambda s: F.conv2d(s, weight, padding=1), spikes, 4, norm,
                                 bias=conv.bias)
    torch.testing.assert_close(out_bin, out_int, atol=1e-5, rtol=1e-5)
    lin = nn.Linear(6, 3, bias=False)
    tokens = spikes.permute(0, 2, 3, 1).reshape(-1, 6)
    torch.testing.assert_close(spike_driven_apply(lin, tokens, 4, norm), lin(tokens),
                               atol=1e-5, rtol=1e-5)


# ---------------------------------------------------------------------------------------- LSQ
@pytest.mark.parametrize('bits', [2, 4, 8])
def test_lsq_bit_range_and_levels(bits):
    torch.manual_seed(0)
    quant = LSQWeightQuantizer(6, bits)
    weight = torch.randn(6, 3, 3, 3)
    wq = quant(weight)
    assert quant.init_state.item() == 1
    assert quant.alpha.detach() == pytest.approx(
        torch.full((6,), float(2 * weight.abs().mean() / math.sqrt(2 ** (bits - 1) - 1))))
    codes = wq / quant.alpha.detach().view(-1, 1, 1, 1)
    torch.testing.assert_close(codes, codes.round())
    assert codes.min() >= -2 ** (bits - 1) and codes.max() <= 2 ** (bits - 1) - 1
    for c in range(6):
        assert codes[c].unique().numel() <= 2 ** bits
    assert torch.equal(quant.integer_weight(weight), codes.round())


def test_lsq_step_size_gradient_matches_the_lsq_formula():
    torch.manual_seed(0)
    quant = LSQWeightQuantizer(3, 4)
    weight = (torch.randn(3, 5) * 0.5).requires_grad_()
    quant(weight.detach())  # initialise the step sizes
    with torch.no_grad():
        quant.alpha.copy_(torch.tensor([0.05, 0.1, 0.2]))
    grad_out = torch.randn(3, 5)
    (quant(weight) * grad_out).sum().backward()
    qn, qp = -8, 7
    v = weight.detach() / quant.alpha.detach().view(-1, 1)
    inside = (v >= qn) & (v <= qp)
    # Esser et al.: d w_q / d alpha = round(v) - v inside, Qn or Qp when clipped; times g
    dwda = torch.where(inside, v.round() - v, v.clamp(qn, qp))
    g = 1 / math.sqrt(weight.numel() * qp)
    torch.testing.assert_close(quant.alpha.grad, (dwda * grad_out).sum(1) * g)
    torch.testing.assert_close(weight.grad, grad_out * inside)
    assert (~inside).any() and inside.any()  # both branches were exercised


def test_lsq_layers_and_bad_bits():
    conv = LSQConv2d(4, 6, 3, bits=4)
    assert conv(torch.randn(1, 4, 5, 5)).shape == (1, 6, 3, 3)
    assert conv.quant.alpha.shape == (6,)
    lin = LSQLinear(4, 3, bits=3)
    assert lin.quant.alpha.shape == (3,) and lin(torch.randn(2, 4)).shape == (2, 3)
    assert LSQConv2d(4, 6, 1, bits=None).quant is None
    with pytest.raises(ValueError, match='bits'):
        LSQWeightQuantizer(3, bits=1)


def test_loaded_step_sizes_are_not_reinitialised():
    conv = LSQConv2d(2, 2, 1)
    state = conv.state_dict()
    state['quant.alpha'] = torch.tensor([0.3, 0.7])
    state['quant.init_state'] = torch.ones(1)
    conv.load_state_dict(state)
    conv(torch.randn(1, 2, 2, 2))
    assert conv.quant.alpha.tolist() == pytest.approx([0.3, 0.7])


# ---------------------------------------------------------------------------------- Q-SDSA
def _randomise_bn(module: nn.Module) -> None:
    for m in module.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.running_mean.uniform_(-0.2, 0.2)
            m.running_var.uniform_(0.5, 1.5)
            m.weight.data.uniform_(0.5, 1.5)
            m.bias.data.uniform_(0.0, 0.5)


@torch.no_grad()
def test_qsdsa_equals_naive_attention_matrix_computation():
    torch.manual_seed(0)
    dim, heads, t, b, h, w = 16, 4, 2, 2, 3, 5
    attn = QSDSA(dim, heads).eval()
    _randomise_bn(attn)
    x = torch.rand(t, b, dim, h, w) * 1.2
    out = attn(x)

    # naive: per time step, sample and head, the N x N matrix Q K^T (no softmax), then V
    def spikes(name, inp):
        conv, bn = getattr(attn, f'{name}_conv'), getattr(attn, f'{name}_bn')
        return torch.floor(torch.clamp(4 * bn(conv(inp)), 0, 4) + 0.5) / 4

    s = torch.floor(torch.clamp(4 * x, 0, 4) + 0.5) / 4
    ref = torch.zeros(t, b, dim, h, w)
    d = dim // heads
    for ti in range(t):
        q, k, v = (spikes(n, s[ti]).flatten(2) for n in ('q', 'k', 'v'))  # [B, C, N]
        for bi in range(b):
            for hi in range(heads):
                qh, kh, vh = (m[bi, hi * d:(hi + 1) * d].T for m in (q, k, v))  # [N, d]
                y = (qh @ kh.T) @ vh * 0.25
                ref[ti, bi, hi * d:(hi + 1) * d] = (
                    torch.floor(torch.clamp(4 * y, 0, 4) + 0.5) / 2).T.reshape(d, h, w)
        ref[ti] = attn.proj_bn(attn.proj_conv(ref[ti].clone()))
    torch.testing.assert_close(out, ref, atol=1e-4, rtol=1e-4)
    with pytest.raises(ValueError, match='num_heads'):
        QSDSA(10, 4)


def test_qrepconv_is_one_3x3_conv_in_eval():
    """Every part is linear and the border carries BN(0): the block is a 3x3 conv."""
    torch.manual_seed(0)
    rep = QRepConv(3, 4).eval()
    _randomise_bn(rep)
    x = torch.randn(1, 3, 6, 6)
    out = rep(x)
    # impulse responses give the equivalent kernel; the response to zero gives the bias
    bias = rep(torch.zeros(1, 3, 6, 6))[0, :, 3, 3]
    kernel = torch.zeros(4, 3, 3, 3)
    for c in range(3):
        imp = torch.zeros(1, 3, 6, 6)
        imp[0, c, 3, 3] = 1
        kernel[:, c] = (rep(imp)[0, :, 2:5, 2:5] - bias.view(-1, 1, 1)).flip(-1, -2)
    torch.testing.assert_close(out, F.conv2d(x, kernel, bias, padding=1), atol=1e-4,
                               rtol=1e-4)


# ---------------------------------------------------------------------------------- energy
def _toy(act: nn.Module) -> nn.Sequential:
    conv1 = nn.Conv2d(1, 2, 1, bias=False)
    conv1.weight.data = torch.tensor([1.0, 0.5]).view(2, 1, 1, 1)
    conv2 = nn.Conv2d(2, 3, 1, bias=False)
    return nn.Sequential(conv1, act, conv2)


TOY_INPUT = torch.tensor([[0.25, 0.5], [1.0, 0.0]]).view(1, 1, 2, 2)


def test_energy_of_a_toy_spiking_network_by_hand():
    net = _toy(MultiSpikeNode(levels=4, step_mode='s'))
    report = energy_report(net, TOY_INPUT)
    # conv1 sees pixels: 2 out channels x 4 positions x 1 input = 8 MACs
    # neuron counts: ch0 round(4x) = 1,2,4,0 ; ch1 round(2x) = 1,1,2,0 (0.5 rounds up) -> 11
    # conv2 dense = 3 x 4 x 2 = 24 MACs; rate = 11 / 8 per element -> 33 ACs (= 11 counts x 3)
    rows = {r.name: r for r in report.layers}
    assert (rows['0'].kind, rows['0'].macs, rows['0'].ops) == ('MAC', 8, 8.0)
    assert (rows['2'].kind, rows['2'].macs) == ('AC', 24)
    assert rows['2'].rate == pytest.approx(11 / 8) and rows['2'].ops == pytest.approx(33)
    assert report.energy_mj == pytest.approx((8 * 4.6 + 33 * 0.9) * 1e-9)
    assert report.firing_rates == {'1': pytest.approx(11 / 8)}
    custom = energy_report(net, TOY_INPUT, e_mac_pj=3.0, e_ac_pj=0.1)
    assert custom.energy_mj == pytest.approx((8 * 3.0 + 33 * 0.1) * 1e-9)
    assert 'total' in report.table() and report.to_dict()['acs'] == pytest.approx(33)


def test_energy_of_ann_is_all_macs_and_binary_spikes_count_one_each():
    ann = energy_report(_toy(nn.ReLU()), TOY_INPUT)
    assert ann.total_acs == 0 and ann.total_macs == 32
    assert ann.energy_mj == pytest.approx(32 * 4.6e-9)
    # without neurons even an exactly-binary input is a real value: MACs
    mask_fed = energy_report(nn.Conv2d(1, 2, 1), torch.ones(1, 1, 2, 2))
    assert mask_fed.total_acs == 0 and mask_fed.total_macs == 8
    snn = energy_report(_toy(neuron.IFNode(v_threshold=0.4)), TOY_INPUT)
    # IF spikes where conv1 > 0.4: ch0 0.5, 1.0 ; ch1 0.5 -> 3 spikes x 3 fan-out = 9 ACs
    assert snn.total_acs == pytest.approx(9) and snn.total_macs == 8


def test_energy_counts_a_qrepconv_as_its_fused_conv():
    torch.manual_seed(0)
    net = nn.Sequential(MultiSpikeNode(step_mode='s'), QRepConv(2, 3))
    x = torch.rand(1, 2, 4, 4)
    fused = energy_report(net, x)
    counts = torch.floor(torch.clamp(4 * x, 0, 4) + 0.5)
    assert [r.name for r in fused.layers] == ['1']
    assert fused.layers[0].macs == 3 * 16 * 2 * 9
    assert fused.layers[0].ops == pytest.approx(counts.mean().item() * 3 * 16 * 2 * 9)
    unfused = energy_report(net, x, fuse_repconv=False)
    kinds = {r.name: r.kind for r in unfused.layers}
    assert kinds == {'1.pw1': 'AC', '1.dw': 'MAC', '1.pw2': 'MAC'}


# ---------------------------------------------------------------------------------- hooks
def _runner(model, tmp_path):
    from mmengine.logging import MessageHub, MMLogger
    return SimpleNamespace(model=model, work_dir=str(tmp_path),
                           message_hub=MessageHub.get_instance('test_spiking'),
                           logger=MMLogger.get_instance('test_spiking'))


def test_reset_hook_leaves_no_state_across_iterations(tmp_path):
    from mmplugins.engine.hooks import SpikingResetHook
    torch.manual_seed(0)
    net = nn.Sequential(nn.Conv2d(1, 2, 1), MultiSpikeNode(decay=0.5, step_mode='s'))
    fresh = nn.Sequential(nn.Conv2d(1, 2, 1), MultiSpikeNode(decay=0.5, step_mode='s'))
    fresh.load_state_dict(net.state_dict())
    runner, hook = _runner(net, tmp_path), SpikingResetHook()
    a, b = torch.rand(1, 1, 3, 3), torch.rand(1, 1, 3, 3)
    hook.before_train_iter(runner, 0)
    net(a)
    assert isinstance(net[1].v, torch.Tensor) and net[1].v.abs().sum() > 0  # state was left
    hook.after_train_iter(runner, 0)
    assert net[1].v == 0.0
    for before in (hook.before_val_iter, hook.before_test_iter, hook.before_train_iter):
        net(a)
        before(runner, 1)
        assert net[1].v == 0.0
        assert torch.equal(net(b), fresh(b))  # as if the model had never seen ``a``
        functional.reset_net(fresh)
        functional.reset_net(net)


def test_firing_rate_hook_records_mean_counts(tmp_path):
    from mmplugins.engine.hooks import FiringRateHook
    net = _toy(MultiSpikeNode(levels=4, step_mode='s'))
    runner, hook = _runner(net, tmp_path), FiringRateHook(phases=('val',))
    hook.before_val_epoch(runner)
    net(TOY_INPUT)
    hook.after_val_epoch(runner)
    assert hook.rates == {'1': pytest.approx(11 / 8)}
    saved = json.loads((tmp_path / 'val_firing_rates.json').read_text())
    assert saved['1'] == pytest.approx(11 / 8)
    # a train phase with a val loop inside keeps the two apart
    train_hook = FiringRateHook(phases=('train', 'val'))
    train_hook.before_train_epoch(runner)
    net(TOY_INPUT)
    train_hook.before_val_epoch(runner)
    net(torch.zeros_like(TOY_INPUT))
    train_hook.after_val_epoch(runner)
    assert train_hook.rates == {'1': 0.0}
    net(TOY_INPUT)
    train_hook.after_train_epoch(runner)
    assert train_hook.rates == {'1': pytest.approx(11 / 8)}
    hook.after_run(runner)
    train_hook.after_run(runner)
    assert not net[1]._forward_hooks
    with pytest.raises(ValueError, match='phases'):
        FiringRateHook(phases=('eval',))
