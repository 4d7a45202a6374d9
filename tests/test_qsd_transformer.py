"""QSD-Transformer backbone: variants, shapes, time steps, conversion, energy, training."""
import json
import math
import re

import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F
from spikingjelly.activation_based import functional

from mmplugins.analysis.complexity import count_flops
from mmplugins.converters import convert
from mmplugins.models.backbones.qsd_transformer import QSDTransformer
from mmplugins.registry import MODELS
from spiking import energy_report

TINY = dict(embed_dims=(16, 32, 32, 48), depths=(1, 1), num_heads=2, mlp_ratio=2)
#: parameters of the official ImageNet models (classification/models.py, 1000-class head
#: included, LSQ step sizes and the unused activation-quantizer tensors excluded), measured by
#: building bollossom/QSD-Transformer@cd73383; the paper rounds them to 15.1 / 31.3 / 55.4 M
OFFICIAL = {'15m': (15_116_720, 15.1), '31m': (31_340_392, 31.3), '55m': (55_358_952, 55.4),
            # the release's 19M backbone (seg/.../sdtv3.py built at its 19M config: 18,633,272)
            # plus a 360 -> 1000 linear head; SDT-V3 (E-SpikeFormer) reports it as 19M
            '19m': (18_994_272, 19.0)}


def _tiny(**kwargs) -> QSDTransformer:
    torch.manual_seed(0)
    model = QSDTransformer(TINY, **kwargs)
    for m in model.modules():  # non-trivial norms and layer scales so every path matters
        if isinstance(m, nn.BatchNorm2d):
            m.running_mean.uniform_(-0.2, 0.2)
            m.running_var.uniform_(0.5, 1.5)
            m.bias.data.uniform_(0.0, 0.4)
    for name, p in model.named_parameters():
        if 'layer_scale' in name:
            p.data.fill_(0.7)
    return model


@pytest.mark.parametrize('arch', sorted(OFFICIAL))
def test_param_counts_equal_the_official_models(arch):
    with torch.device('meta'):
        model = QSDTransformer(arch)
    own = sum(p.numel() for n, p in model.named_parameters() if not n.endswith('quant.alpha'))
    c3 = QSDTransformer.arch_zoo[arch]['embed_dims'][3]
    with_head = own + c3 * 1000 + 1000
    assert with_head == OFFICIAL[arch][0]
    assert round(with_head / 1e6, 1) == OFFICIAL[arch][1]


def test_out_indices_channels_and_true_strides():
    with torch.device('meta'):
        det = QSDTransformer('15m')
        seg = QSDTransformer('15m', out_indices=(0, 1, 2, 4))
    assert det.out_channels == [64, 128, 256, 360] and det.out_strides == [4, 8, 16, 16]
    assert seg.out_channels == [32, 64, 128, 360] and seg.out_strides == [2, 4, 8, 16]


@pytest.mark.parametrize('size', [(32, 32), (37, 50)])
def test_forward_shapes_any_size(size):
    model = _tiny(out_indices=(0, 1, 2, 3, 4)).eval()
    outs = model(torch.randn(2, 3, *size))
    assert len(outs) == 5
    for out, c, s in zip(outs, model.out_channels, model.out_strides):
        assert out.shape == (2, c, math.ceil(size[0] / s), math.ceil(size[1] / s))


@torch.no_grad()
def test_time_steps_are_averaged_inside_the_backbone():
    x = torch.rand(1, 3, 32, 32)
    one = _tiny(time_steps=1).eval()
    four = _tiny(time_steps=4).eval()
    # the released neuron is stateless: T identical steps average to the T=1 features
    for a, b in zip(one(x), four(x)):
        torch.testing.assert_close(a, b)
    stateful = _tiny(time_steps=3, decay=0.25).eval()
    first = stateful(x)
    leaked = stateful(x)  # membranes carried over from the previous call
    functional.reset_net(stateful)
    again = stateful(x)
    assert not torch.allclose(first[-1], leaked[-1])
    for a, b in zip(first, again):
        torch.testing.assert_close(a, b)


@pytest.mark.parametrize('kwargs, message', [
    (dict(arch='huge'), 'unknown arch'),
    (dict(arch=dict(embed_dims=(8, 16, 32), depths=(1, 1), num_heads=2, mlp_ratio=2)),
     'embed_dims'),
    (dict(arch=TINY, out_indices=(5,)), 'out_indices'),
    (dict(arch=TINY, time_steps=0), 'time_steps'),
    (dict(arch=TINY, with_cp=True, decay=0.5), 'with_cp'),
    (dict(arch=dict(TINY, block='v4')), 'block'),
    (dict(arch=TINY, spike_rounding='down'), 'rounding'),
])
def test_bad_arguments_name_the_argument(kwargs, message):
    with pytest.raises((KeyError, ValueError), match=message):
        QSDTransformer(**kwargs)


def test_frozen_stages_and_norm_eval():
    model = _tiny(frozen_stages=2, norm_eval=True)
    model.train()
    frozen = [model.stem, model.stages[0], model.stages[1]]
    assert all(not p.requires_grad for m in frozen for p in m.parameters())
    assert all(p.requires_grad for p in model.stages[2].parameters())
    assert all(not m.training for m in model.modules() if isinstance(m, nn.BatchNorm2d))


def test_with_cp_gives_equal_outputs_and_gradients():
    # norm_eval: with updating BN statistics the recomputation would see running stats that
    # the first pass already moved (they set the RepConv border values), as in the release
    x = torch.rand(1, 3, 32, 32)
    grads = []
    for with_cp in (False, True):
        model = _tiny(with_cp=with_cp, norm_eval=True)
        model.train()
        sum(o.sum() for o in model(x)).backward()
        grads.append([p.grad.clone() for p in model.parameters() if p.grad is not None])
    assert len(grads[0]) == len(grads[1]) > 0
    for a, b in zip(*grads):
        torch.testing.assert_close(a, b)


# ---------------------------------------------------------------------------- conversion
_OFFICIAL_STAGE = [('stem.', 'downsample1_1.'), ('stages.0.blocks.0.', 'ConvBlock1_1.0.'),
                   ('stages.1.downsample.', 'downsample1_2.'),
                   ('stages.1.blocks.0.', 'ConvBlock1_2.0.'),
                   ('stages.2.downsample.', 'downsample2.'),
                   ('stages.2.blocks.0.', 'ConvBlock2_1.0.'),
                   ('stages.2.blocks.1.', 'ConvBlock2_2.0.'),
                   ('stages.3.downsample.', 'downsample3.'),
                   ('stages.4.downsample.', 'downsample4.')]


def _to_official(state: dict) -> dict:
    """Write our state dict in the release's layout (classification/models.py), including the
    no-op activation quantizers and an ImageNet head, as a release file would have."""
    out = {}
    for key, value in state.items():
        k = re.sub(r'^stages\.([34])\.blocks\.(\d+)\.', r'block\1.\2.', key)
        for ours, theirs in _OFFICIAL_STAGE:
            if k.startswith(ours):
                k = theirs + k[len(ours):]
        k = re.sub(r'^(downsample[\d_]+)\.conv\.', r'\1.encode_conv.', k)
        k = re.sub(r'^(downsample[\d_]+)\.bn\.', r'\1.encode_bn.', k)
        k = k.replace('.sep.', '.Conv.')
        for part, index in (('pw1', '0.body.0'), ('pad_bn', '0.body.1.bn'), ('dw', '0.body.2.0'),
                            ('pw2', '0.body.2.1'), ('bn', '0.body.2.2')):
            k = re.sub(rf'\.(q|k|v|proj)_conv\.{part}\.', rf'.\1_conv.{index}.', k)
        k = re.sub(r'\.(q|k|v|proj)_bn\.', r'.\1_conv.1.', k)
        k = k.replace('.quant.', '.')
        if re.search(r'fc[12]_conv\.weight$', k):
            value = value.squeeze(-1)
        out[k] = value
        if k.endswith('.init_state'):
            base = k[:-len('init_state')]
            out[base + 'act.alpha'] = torch.ones(3)
            out[base + 'act.zero_point'] = torch.zeros(3)
    out['head.weight'], out['head.bias'] = torch.zeros(1000, 48), torch.zeros(1000)
    return out


def test_official_keys_map_to_ours():
    sd = _to_official(_tiny().state_dict())
    # spot checks against keys printed from the official model
    for key in ('downsample1_1.encode_conv.alpha', 'ConvBlock1_1.0.Conv.dwconv.weight',
                'block3.0.attn.q_conv.0.body.2.1.alpha', 'block4.0.attn.proj_conv.1.running_var',
                'block3.0.attn.k_conv.0.body.1.bn.weight', 'block3.0.mlp.fc1_conv.weight',
                'downsample4.encode_bn.bias'):
        assert key in sd, key
    assert sd['block3.0.mlp.fc1_conv.weight'].dim() == 3
    report = convert('qsd', sd)
    assert report.state_dict['stages.3.blocks.0.attn.q_conv.pw2.quant.alpha'].shape == (32,)
    assert report.state_dict['stages.3.blocks.0.mlp.fc1_conv.weight'].dim() == 4
    assert any(k.startswith('head.') for k in report.dropped)
    assert any('.act.' in k for k in report.dropped)


@torch.no_grad()
def test_official_conversion_roundtrip_is_exact():
    model = _tiny(out_indices=(0, 1, 2, 3, 4)).eval()
    x = torch.rand(1, 3, 40, 48)
    expected = model(x)
    report = convert('qsd', _to_official(model.state_dict()))
    fresh = QSDTransformer(TINY, out_indices=(0, 1, 2, 3, 4)).eval()
    fresh.load_state_dict(report.state_dict, strict=True)
    for a, b in zip(expected, fresh(x)):
        assert torch.equal(a, b)
    # a detector file: backbone.* kept, the rest dropped
    det = {'backbone.' + k: v for k, v in _to_official(model.state_dict()).items()}
    det['neck.lateral_convs.0.conv.weight'] = torch.zeros(1)
    det_report = convert('qsd', det)
    assert set(det_report.state_dict) == set(report.state_dict)
    assert 'neck.lateral_convs.0.conv.weight' in det_report.dropped


def test_pretrained_init_cfg_loads_converted_file(tmp_path):
    model = _tiny().eval()
    path = str(tmp_path / 'qsd.pth')
    torch.save({'state_dict': convert('qsd', _to_official(model.state_dict())).state_dict},
               path)
    built = MODELS.build(dict(type='mmplugins.QSDTransformer', arch=TINY,
                              init_cfg=dict(type='Pretrained', checkpoint=path)))
    built.init_weights()
    built.eval()
    x = torch.rand(1, 3, 32, 32)
    with torch.no_grad():
        for a, b in zip(model(x), built(x)):
            assert torch.equal(a, b)


# --------------------------------------------------------------------------------- energy
def test_energy_report_on_qsd_and_on_an_ann_backbone():
    model = _tiny()
    x = torch.rand(1, 3, 32, 32)
    report = energy_report(model, x, fuse_repconv=False)
    rows = {r.name: r for r in report.layers}
    assert rows['stem.conv'].kind == 'MAC'  # real-valued pixels
    assert rows['stages.3.blocks.0.attn.kv_matmul'].kind == 'AC'
    assert rows['stages.0.blocks.0.conv1'].kind == 'AC'
    assert rows['stages.0.blocks.0.sep.pwconv2'].kind == 'MAC'  # fed by the dw conv
    assert report.dense_macs == count_flops(model, x)
    assert report.energy_mj == pytest.approx(
        (report.total_macs * 4.6 + report.total_acs * 0.9) * 1e-9)
    assert all(0 <= r <= 4 for r in report.firing_rates.values())
    fused = {r.name: r for r in energy_report(model, x).layers}
    # a RepConv counts as the dense 3x3 conv it folds into, fed by its input spikes
    rep = fused['stages.3.blocks.0.attn.q_conv']
    assert rep.kind == 'AC' and rep.macs == 32 * 2 * 2 * 32 * 9  # C_out x H x W x C_in x 9
    assert not any(n.startswith('stages.3.blocks.0.attn.q_conv.') for n in fused)
    assert model.training  # the mode is restored
    swin = MODELS.build(dict(type='mmplugins.SwinTransformer',
                             arch=dict(embed_dims=16, depths=(1, 1, 1, 1),
                                       num_heads=(1, 1, 1, 1))))
    ann = energy_report(swin, torch.rand(1, 3, 64, 64))
    assert ann.total_acs == 0
    assert ann.total_macs == count_flops(swin, torch.rand(1, 3, 64, 64))
    assert ann.energy_mj == pytest.approx(ann.total_macs * 4.6e-9)


# ------------------------------------------------------------- SDT-V3 blocks (arch '19m')
V3 = dict(TINY, block='sdt-v3')


def _v3_spikes(x: torch.Tensor) -> torch.Tensor:
    """SDT-V3's neuron (``spike_threshold=1, spike_rounding='half_even'``):
    ``torch.round(clamp(x, 0, 4)) / 4``."""
    return torch.round(torch.clamp(x, 0, 4)) / 4


def _conv_bn(conv: nn.Module, bn: nn.Module, z: torch.Tensor, pad: int = 0) -> torch.Tensor:
    z = F.conv2d(z, conv.weight, conv.bias, padding=pad, groups=conv.groups)
    return F.batch_norm(z, bn.running_mean, bn.running_var, bn.weight, bn.bias, False, 0.0,
                        bn.eps)


@pytest.mark.parametrize('layer_scale', [1e-6, None])
@torch.no_grad()
def test_sdt_v3_transformer_block_equals_a_hand_computation(layer_scale):
    model = _tiny_v3(layer_scale)
    block = model.stages[3].blocks[0]
    x = torch.randn(1, 2, 32, 5, 6) * 2 + 0.5  # T=1, B=2, C=32, 30 tokens
    ls = [block.layer_scale0, block.layer_scale1, block.layer_scale2]
    if layer_scale is None:
        assert all(p is None for p in ls)
        ls = [torch.ones(32)] * 3
    ls = [p.view(1, -1, 1, 1) for p in ls]
    h = x[0]
    sep = block.sep  # neuron, pw 1x1, BN, neuron, dw 3x3, BN, neuron, pw 1x1, BN
    a = _v3_spikes(_conv_bn(sep.pwconv1, sep.bn1, _v3_spikes(h)))
    a = _v3_spikes(_conv_bn(sep.dwconv, sep.dw_bn, a, pad=1))
    h = h + ls[0] * _conv_bn(sep.pwconv2, sep.bn2, a)
    attn, s = block.attn, _v3_spikes(h)
    q, k, v = (_v3_spikes(_conv_bn(getattr(attn, f'{n}_conv'), getattr(attn, f'{n}_bn'), s))
               for n in 'qkv')
    assert v.shape[1] == 4 * 32  # V four times wider

    def heads(z):  # [B, C, H, W] -> [B, 2 heads, N, C / 2]
        return z.flatten(2).transpose(1, 2).reshape(2, 30, 2, -1).transpose(1, 2)

    # the release's order and scale: (Q K^T) V * 2 / sqrt(C / heads)
    o = (heads(q) @ heads(k).transpose(-2, -1)) @ heads(v) * (2 * 16 ** -0.5)
    o = _v3_spikes(o.transpose(2, 3).reshape(2, 128, 5, 6))
    h = h + ls[1] * _conv_bn(attn.proj_conv, attn.proj_bn, o)
    mlp = block.mlp
    m = _v3_spikes(_conv_bn(mlp.fc1_conv, mlp.fc1_bn, _v3_spikes(h)))
    h = h + ls[2] * _conv_bn(mlp.fc2_conv, mlp.fc2_bn, m)
    torch.testing.assert_close(block(x)[0], h)
    assert block.attn.attn_lif.rounding == 'half_even' and block.attn.attn_lif.norm == 4
    # conv stage blocks: SepConv with the third neuron and a BN after the depth-wise conv
    conv_sep = model.stages[2].blocks[0].sep
    assert conv_sep.lif3 is not None and conv_sep.dwconv.kernel_size == (7, 7)


def _tiny_v3(layer_scale=1e-6) -> QSDTransformer:
    torch.manual_seed(0)
    model = QSDTransformer(V3, bits=None, spike_threshold=1.0, spike_rounding='half_even',
                           layer_scale_init=layer_scale)
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.running_mean.uniform_(-0.2, 0.2)
            m.running_var.uniform_(0.5, 1.5)
            m.bias.data.uniform_(0.0, 0.4)
    for name, p in model.named_parameters():
        if 'layer_scale' in name:
            p.data.uniform_(0.3, 1.0)
    return model.eval()


def test_sdt_v3_keys_of_the_release_map_to_ours():
    # released names (seg sdtv3.py / det sdeformer.py) -> ours, written out by hand
    table = {
        'downsample1_1.encode_conv.bias': 'stem.conv.bias',
        'ConvBlock1_1.0.Conv.pwconv1.0.weight': 'stages.0.blocks.0.sep.pwconv1.weight',
        'ConvBlock1_1.0.Conv.pwconv1.1.running_mean': 'stages.0.blocks.0.sep.bn1.running_mean',
        'ConvBlock2_2.0.Conv.dwconv.1.weight': 'stages.2.blocks.1.sep.dw_bn.weight',
        'ConvBlock2_2.0.Conv.pwconv2.0.weight': 'stages.2.blocks.1.sep.pwconv2.weight',
        'ConvBlock2_2.0.Conv.pwconv2.1.bias': 'stages.2.blocks.1.sep.bn2.bias',
        'ConvBlock2_2.0.bn2.bias': 'stages.2.blocks.1.bn2.bias',
        'block3.0.conv.dwconv.0.weight': 'stages.3.blocks.0.sep.dwconv.weight',
        'block3.0.attn.v_conv.0.weight': 'stages.3.blocks.0.attn.v_conv.weight',
        'block3.0.attn.v_conv.1.weight': 'stages.3.blocks.0.attn.v_bn.weight',
        'block4.0.attn.proj_conv.1.running_var': 'stages.4.blocks.0.attn.proj_bn.running_var',
        'block4.0.layer_scale1': 'stages.4.blocks.0.layer_scale0',  # the conv branch's
        'block4.0.layer_scale2': 'stages.4.blocks.0.layer_scale1',  # attention
        'block4.0.layer_scale3': 'stages.4.blocks.0.layer_scale2',  # MLP
        'block3.0.mlp.fc1_conv.weight': 'stages.3.blocks.0.mlp.fc1_conv.weight',
    }
    ours = _tiny_v3().state_dict()
    released = {k: ours[v] for k, v in table.items()}
    released['block3.0.mlp.fc1_conv.weight'] = ours[table['block3.0.mlp.fc1_conv.weight']][..., 0]
    report = convert('qsd_model', {f'backbone.{k}': v for k, v in released.items()})
    assert {k[len('backbone.'):] for k in report.state_dict} == set(table.values())
    for k, v in report.state_dict.items():
        assert torch.equal(v, ours[k[len('backbone.'):]]), k


# ------------------------------------------------------------ training (slow, mmengine)
@pytest.mark.slow
@pytest.mark.parametrize('config', [
    'configs/qsd_transformer/mask-rcnn_qsd-15m_fpn_15e_shapes-coco.py',
    'configs/qsd_transformer/fpn_qsd-15m_160k_shapes-ade20k.py',
])
def test_two_training_iterations_and_a_test_pass_on_shapes(config, shapes_root, tmp_path):
    from conftest import tiny_runner
    coco = 'coco' in config
    runner = tiny_runner(config, shapes_root, tmp_path, iters=2, validate=False,
                         cfg_options={'model.backbone.arch': dict(TINY, _delete_=True)})
    assert runner.cfg.model.neck.in_channels == ([16, 32, 32, 48] if coco else [8, 16, 32, 48])
    hooks = {type(h).__name__ for h in runner.hooks}
    assert {'SpikingResetHook', 'FiringRateHook'} <= hooks
    backbone = runner.model.backbone
    assert isinstance(backbone, QSDTransformer)
    before = backbone.stages[3].blocks[0].attn.q_conv.pw1.weight.detach().clone()
    runner.train()
    assert runner.iter == 2
    assert not torch.equal(before, backbone.stages[3].blocks[0].attn.q_conv.pw1.weight)
    runner.test()
    rates = (tmp_path / 'work' / 'test_firing_rates.json')
    assert rates.is_file() and len(json.loads(rates.read_text())) > 10


@pytest.mark.parametrize('config', [
    'mask-rcnn_qsd-15m_fpn_15e_coco.py', 'mask-rcnn_qsd-31m_fpn_1x_coco.py',
    'fpn_qsd-15m_160k_ade20k-512x512.py', 'upernet_qsd-15m_160k_ade20k-512x512.py',
    'mask-rcnn_qsd-31m_fpn_1x_shapes-coco.py', 'upernet_qsd-15m_160k_shapes-ade20k.py',
    'fpn_qsd-19m_qfpn_160k_ade20k-512x512.py', 'cascade-mask-rcnn_qsd-19m_spike-fpn_36e_coco.py'])
def test_configs_resolve_channels_and_true_strides(config):
    from pathlib import Path

    from mmplugins.apis import load_config
    cfg = load_config(str(Path(__file__).resolve().parents[1] / 'configs/qsd_transformer' / config))
    model = cfg.model
    assert model.backbone.type == 'mmplugins.QSDTransformer'
    assert {'mmplugins.SpikingResetHook', 'mmplugins.FiringRateHook'} <= {
        h['type'] for h in cfg.custom_hooks}
    dims = QSDTransformer.arch_zoo[model.backbone.arch]['embed_dims']
    if 'mask-rcnn' in config:
        assert model.neck.in_channels == list(dims)
        assert model.rpn_head.anchor_generator.strides == [4, 8, 16, 16, 32]
        assert model.roi_head.bbox_roi_extractor.featmap_strides == [4, 8, 16, 16]
    elif 'upernet' in config:
        assert model.decode_head.in_channels == [dims[0] // 2, dims[0], dims[1], dims[3]]
    else:
        assert model.neck.in_channels == [dims[0] // 2, dims[0], dims[1], dims[3]]
        assert model.decode_head.feature_strides == [2, 4, 8, 16]


# --------------------------------------------------------------------------- distillation
def test_fine_grained_distillation_from_a_teacher_config(tmp_path):
    from spiking.distill import qkv_distribution_loss
    teacher_cfg = tmp_path / 'teacher.py'
    teacher_cfg.write_text(
        f'model = dict(backbone=dict(type="mmplugins.QSDTransformer", arch={TINY!r}, '
        'spiking=False, bits=None))\n')
    teacher = QSDTransformer(TINY, spiking=False, bits=None).eval()
    ckpt = str(tmp_path / 'teacher.pth')
    torch.save({'state_dict': teacher.state_dict()}, ckpt)
    # norm_eval: repeated forwards below must see the same BN statistics
    student = _tiny(distill=dict(teacher=str(teacher_cfg), checkpoint=ckpt, loss_weight=2.0,
                                 tau=0.5), norm_eval=True)
    student.train()
    assert not any(k.startswith('_teacher') for k in student.state_dict())
    x = torch.rand(2, 3, 32, 32)
    outs = student(x)
    # the loss is the naive KL of per-channel token distributions of Q, K, V
    spikes, real = [], []
    for model, store in ((student, spikes), (teacher, real)):
        hooks = [getattr(m, n).register_forward_hook(lambda mod, a, o, s=store: s.append(o))
                 for m in model.modules() if type(m).__name__ == 'QSDSA'
                 for n in ('q_lif', 'k_lif', 'v_lif')]
        with torch.no_grad():
            model._forward(x) if model is student else model(x)
        for h in hooks:
            h.remove()
    assert len(spikes) == len(real) == 6
    assert not torch.allclose(real[0], real[0].round())  # the teacher is real-valued
    ref = torch.stack([
        (F.softmax(t.mean(0).flatten(2) / 0.5, -1)
         * (F.log_softmax(t.mean(0).flatten(2) / 0.5, -1)
            - F.log_softmax(s.mean(0).flatten(2) / 0.5, -1))).sum(-1).mean() * 0.25
        for s, t in zip(spikes, real)]).mean()
    torch.testing.assert_close(student.distill_loss, ref, rtol=1e-4, atol=1e-6)
    torch.testing.assert_close(qkv_distribution_loss(spikes, real, 0.5), ref)
    # the backbone outputs are unchanged and carry loss_weight * loss into backward
    student.zero_grad()
    sum(o.sum() * 0 for o in outs).backward()
    with_loss = student.stages[3].blocks[0].attn.q_conv.pw1.weight.grad.clone()
    assert with_loss.abs().sum() > 0  # only the distillation loss reached the weight
    student.zero_grad()
    (2.0 * qkv_distribution_loss(
        [s for s in _record_student(student, x)], real, 0.5)).backward()
    torch.testing.assert_close(student.stages[3].blocks[0].attn.q_conv.pw1.weight.grad,
                               with_loss, rtol=1e-4, atol=1e-7)
    student.eval()
    assert len(student(x)) == 4  # no teacher at inference
    with pytest.raises(KeyError, match='teacher'):
        QSDTransformer(TINY, distill=dict(checkpoint=ckpt))


def _record_student(student, x):
    maps = []
    hooks = [getattr(m, n).register_forward_hook(lambda mod, a, o: maps.append(o))
             for m in student.modules() if type(m).__name__ == 'QSDSA'
             for n in ('q_lif', 'k_lif', 'v_lif')]
    student._forward(x)
    for h in hooks:
        h.remove()
    return maps
