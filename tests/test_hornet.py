"""HorNet backbone and gnConv: presets, params/FLOPs vs the paper, shapes, freezing, gnConv and
the global filter against naive computations, filter resizing, conversion, layer decay,
checkpointing, and (slow) a few training iterations in Mask R-CNN and UperNet."""
import math
from collections import OrderedDict
from pathlib import Path

import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F

from mmplugins.analysis import count_flops, count_params
from mmplugins.converters import convert
from mmplugins.models.backbones import HorNet
from mmplugins.models.layers.gnconv import (GlobalLocalFilter, GnConv, build_spatial_mixer,
                                            gnconv_split_dims, resize_complex_weight)

REPO = Path(__file__).resolve().parents[1]

# tiny widths with both mixers (GF on the last two stages, as HorNet-GF)
TINY = dict(embed_dims=8, depths=(1, 1, 2, 1), orders=(2, 3, 4, 5),
            mixers=[dict(type='dw', kernel_size=7)] * 2 + [dict(type='gf', h=4, w=3),
                                                           dict(type='gf', h=2, w=2)])

# Parameters of the official classification models (raoyongming/HorNet hornet.py factories,
# counted from the code with a 1000-way head).
OFFICIAL_CLS_PARAMS = {
    'tiny': 22_409_512, 'tiny-gf': 22_991_848, 'small': 49_528_264, 'small-gf': 50_401_768,
    'base': 87_256_680, 'base-gf': 88_421_352, 'base-gf384': 92_099_560,
    'large': 194_542_504, 'large-gf': 196_289_512, 'large-gf384': 201_806_824}
# The papers' table (README): params (M) and FLOPs (G) at 224 (384 for *-gf384).
PAPER = {'tiny': (22, 4.0), 'tiny-gf': (23, 3.9), 'small': (50, 8.8), 'small-gf': (50, 8.7),
         'base': (87, 15.6), 'base-gf': (88, 15.5), 'large': (209, 34.8),
         'large-gf': (211, 34.7), 'large-gf384': (216, 101.8)}
# HorNet-L was pre-trained on ImageNet-22K: its README figures include that classifier, which
# fits a 10,450-way head (ImageNet-21K-P) to 0.2 % for all three L models.
L_CLASSES = 10_450


def _cls_model_params(model: HorNet, classes: int = 1000) -> int:
    """Backbone with out_indices=(3,) (its norm3 = the final norm) + the linear classifier."""
    c = model.out_channels[-1]
    return count_params(model) + c * classes + classes


# ------------------------------------------------------------------------------ presets
@pytest.mark.parametrize('arch', sorted(OFFICIAL_CLS_PARAMS))
def test_params_and_flops_equal_official_and_paper(arch):
    size = 384 if arch.endswith('384') else 224
    with torch.device('meta'):  # no memory, no compute: the big variants build in a second
        model = HorNet(arch, out_indices=(3,))
        x = torch.empty(1, 3, size, size)
    assert _cls_model_params(model) == OFFICIAL_CLS_PARAMS[arch]
    if arch not in PAPER:
        return
    classes = L_CLASSES if arch.startswith('large') else 1000
    params = _cls_model_params(model, classes) / 1e6
    # the paper prints whole millions (T-7x7: 22.41 -> 22): equal up to that rounding
    assert abs(params - PAPER[arch][0]) <= 0.5
    # count_flops: multiply-adds of convs/linears (the FFT is not counted); + the classifier
    flops = (count_flops(model, x) + model.out_channels[-1] * 1000) / 1e9
    assert abs(flops / PAPER[arch][1] - 1) < 0.01, flops


def test_preset_aliases_and_layout():
    zoo = HorNet.arch_zoo
    assert zoo['tiny'] == zoo['tiny-7x7'] == zoo['t']
    assert zoo['base-gf'] == zoo['b-gf']
    assert [m['type'] for m in zoo['small-gf']['mixers']] == ['dw', 'dw', 'gf', 'gf']
    assert [(m['h'], m['w']) for m in zoo['large-gf384']['mixers'][2:]] == [(24, 13), (12, 7)]
    assert [(m['h'], m['w']) for m in zoo['tiny-gf']['mixers'][2:]] == [(14, 8), (7, 4)]
    for arch in zoo.values():
        assert tuple(arch['depths']) == (2, 3, 18, 2) and tuple(arch['orders']) == (2, 3, 4, 5)


def test_errors_name_the_argument():
    with pytest.raises(KeyError, match='unknown arch'):
        HorNet('tiny-gf224')
    with pytest.raises(KeyError, match='orders'):
        HorNet(dict(embed_dims=8, depths=(1, 1, 1, 1), mixers=TINY['mixers']))
    with pytest.raises(ValueError, match='divisible by 2\\*\\*\\(order-1\\)'):
        HorNet(dict(TINY, orders=(2, 3, 4, 8)))
    with pytest.raises(ValueError, match="mixer type must be 'dw' or 'gf'"):
        HorNet(dict(TINY, mixers=[dict(type='conv')] * 4))
    with pytest.raises(ValueError, match='unknown keys'):
        build_spatial_mixer(dict(type='gf', h=4, w=3, kernel_size=3), 8)
    with pytest.raises(ValueError, match='gf_sizes gives 1 sizes'):
        HorNet(TINY, gf_sizes=[(4, 3)])
    with pytest.raises(ValueError, match='layer_decay_type'):
        HorNet(TINY, layer_decay_type='block_wise')
    with pytest.raises(ValueError, match='out_indices'):
        HorNet(TINY, out_indices=(4,))


# ------------------------------------------------------------------------------ shapes
@pytest.mark.parametrize('arch', ['tiny', 'base-gf', 'large-gf384'])
def test_every_arch_shapes_and_strides(arch):
    with torch.device('meta'):
        model = HorNet(arch)
    assert model.out_strides == [4, 8, 16, 32]
    dims = HorNet.arch_zoo[arch]['embed_dims']
    assert model.out_channels == [dims, 2 * dims, 4 * dims, 8 * dims]
    for size in [(224, 224), (512, 512), (97, 75)]:
        with torch.device('meta'):
            outs = model(torch.empty(1, 3, *size))
        for out, c, s in zip(outs, model.out_channels, model.out_strides):
            assert tuple(out.shape) == (1, c, math.ceil(size[0] / s), math.ceil(size[1] / s))


@pytest.mark.parametrize('size', [(224, 224), (97, 75), (33, 130)])
def test_forward_any_size_real_values(size):
    torch.manual_seed(0)
    model = HorNet(TINY, out_indices=(0, 2, 3)).eval()
    outs = model(torch.randn(1, 3, *size))
    assert model.out_channels == [8, 32, 64] and model.out_strides == [4, 16, 32]
    for out, c, s in zip(outs, model.out_channels, model.out_strides):
        assert out.shape == (1, c, math.ceil(size[0] / s), math.ceil(size[1] / s))
        assert torch.isfinite(out).all()


def test_padding_is_only_at_the_bottom_right():
    # an image already a multiple of 32 gives the crop of the features of its zero-padded self
    torch.manual_seed(0)
    model = HorNet(TINY, drop_path_rate=0.0).eval()
    x = torch.randn(1, 3, 50, 70)
    with torch.no_grad():
        odd = model(x)
        padded = model(F.pad(x, (0, 26, 0, 14)))
    for a, b in zip(odd, padded):
        torch.testing.assert_close(a, b[..., :a.shape[2], :a.shape[3]])


# ------------------------------------------------------------------------------ freezing
@pytest.mark.parametrize('frozen', [0, 1, 2, 4])
def test_frozen_stages_have_no_grads_and_stay_eval(frozen):
    model = HorNet(TINY, frozen_stages=frozen)
    model.train()
    frozen_modules = [m for i in range(frozen + 1) for m in model.stage_modules(i)]
    frozen_ids = {id(p) for m in frozen_modules for p in m.parameters()}
    for m in frozen_modules:
        assert not m.training
    for name, p in model.named_parameters():
        assert p.requires_grad == (id(p) not in frozen_ids), name
    # stage i is its downsampling layer (i > 1), its blocks and its output norm
    if frozen >= 2:
        assert not model.downsample_layers[1][1].weight.requires_grad
        assert not model.norm1.weight.requires_grad
        assert model.downsample_layers[2][1].weight.requires_grad or frozen >= 3
    outs = model(torch.randn(1, 3, 64, 64))
    if frozen < 4:
        sum(o.sum() for o in outs).backward()
    else:  # everything frozen: nothing to differentiate
        assert not any(o.requires_grad for o in outs)
    for name, p in model.named_parameters():
        if id(p) in frozen_ids:
            assert p.grad is None, name


def test_frozen_stem_only():
    model = HorNet(TINY, frozen_stages=0).train()
    assert not model.downsample_layers[0][0].weight.requires_grad
    assert model.downsample_layers[1][0].weight.requires_grad
    assert model.stages[0][0].gnconv.proj_in.weight.requires_grad


def test_norm_eval_keeps_batch_norms_in_eval():
    model = HorNet(TINY, norm_eval=True)
    model.stages[1][0].norm1 = nn.BatchNorm2d(16)  # HorNet has LayerNorms only; a user's BN
    model.train()
    assert model.training and model.stages[1][0].gnconv.training
    assert not model.stages[1][0].norm1.training
    model = HorNet(TINY, norm_eval=False)
    model.stages[1][0].norm1 = nn.BatchNorm2d(16)
    assert model.train().stages[1][0].norm1.training


# ------------------------------------------------------------------------------ gnConv
def _naive_dw(x, weight, bias):
    """Depthwise conv as one ordinary conv per channel."""
    k = weight.shape[-1]
    out = torch.cat([F.conv2d(x[:, c:c + 1], weight[c:c + 1], None, padding=k // 2)
                     for c in range(x.shape[1])], dim=1)
    return out if bias is None else out + bias.view(1, -1, 1, 1)


def _naive_ln2d(x, norm):
    mean = x.mean(1, keepdim=True)
    var = ((x - mean) ** 2).mean(1, keepdim=True)
    return (x - mean) / torch.sqrt(var + norm.eps) * norm.weight.view(1, -1, 1, 1) \
        + norm.bias.view(1, -1, 1, 1)


def _naive_bilinear_align_corners(w, size):
    """(C, h, w, 2) -> (C, H, W, 2) by the align_corners=True bilinear formula."""
    c, h, wd, _ = w.shape
    out = torch.empty(c, size[0], size[1], 2, dtype=w.dtype)
    for i in range(size[0]):
        y = i * (h - 1) / (size[0] - 1) if size[0] > 1 else 0.0
        y0 = min(int(math.floor(y)), h - 1)
        y1, fy = min(y0 + 1, h - 1), y - y0
        for j in range(size[1]):
            x = j * (wd - 1) / (size[1] - 1) if size[1] > 1 else 0.0
            x0 = min(int(math.floor(x)), wd - 1)
            x1, fx = min(x0 + 1, wd - 1), x - x0
            out[:, i, j] = ((1 - fy) * (1 - fx) * w[:, y0, x0] + (1 - fy) * fx * w[:, y0, x1]
                            + fy * (1 - fx) * w[:, y1, x0] + fy * fx * w[:, y1, x1])
    return out


def _naive_global_filter(x, weight):
    """Real 2-D signal * complex filter on its half spectrum, with explicit DFT sums (ortho)."""
    x = x.double()
    b, c, h, w = x.shape
    half = w // 2 + 1
    k = torch.arange(h, dtype=torch.float64)
    l_ = torch.arange(w, dtype=torch.float64)
    fh = torch.exp(-2j * math.pi * k[:, None] * k[None, :] / h) / math.sqrt(h)  # (h, h)
    fw = torch.exp(-2j * math.pi * l_[:, None] * l_[None, :] / w) / math.sqrt(w)  # (w, w)
    spec = torch.einsum('km,bcmn,ln->bckl', fh, x.to(torch.complex128), fw)[..., :half]
    filt = _naive_bilinear_align_corners(weight.double(), (h, half))
    spec = spec * torch.complex(filt[..., 0], filt[..., 1])
    # inverse: ifft over rows, then the Hermitian sum over the half columns (C2R)
    rows = torch.einsum('mk,bckl->bcml', fh.conj(), spec)
    coef = torch.full((half,), 2.0, dtype=torch.float64)
    coef[0] = 1.0
    if w % 2 == 0:
        coef[-1] = 1.0
    phase = torch.exp(2j * math.pi * torch.arange(half, dtype=torch.float64)[:, None]
                      * l_[None, :] / w) / math.sqrt(w)  # (half, w)
    out = torch.einsum('bcml,l,ln->bcmn', rows, coef.to(torch.complex128), phase).real
    return out.float()


def _naive_gf(module: GlobalLocalFilter, x):
    x = _naive_ln2d(x, module.pre_norm)
    half = x.shape[1] // 2
    x1 = _naive_dw(x[:, :half], module.dw.weight, None)
    x2 = _naive_global_filter(x[:, half:], module.complex_weight.detach())
    inter = torch.empty_like(x)
    inter[:, 0::2], inter[:, 1::2] = x1, x2  # channels interleaved: x1_0, x2_0, x1_1, ...
    return _naive_ln2d(inter, module.post_norm)


def _naive_gnconv(m: GnConv, x):
    def pw(conv, t):
        return torch.einsum('oi,bihw->bohw', conv.weight[:, :, 0, 0], t) \
            + conv.bias.view(1, -1, 1, 1)

    dims = m.dims
    y = pw(m.proj_in, x)
    p, q = y[:, :dims[0]], y[:, dims[0]:]
    if isinstance(m.dwconv, GlobalLocalFilter):
        d = _naive_gf(m.dwconv, q)
    else:
        d = _naive_dw(q, m.dwconv.weight, m.dwconv.bias)
    d = d * m.scale
    offsets = [0] + list(torch.tensor(dims).cumsum(0).tolist())
    gates = [d[:, offsets[k]:offsets[k + 1]] for k in range(m.order)]
    p = p * gates[0]
    for k in range(1, m.order):
        p = pw(m.projs[k - 1], p) * gates[k]
    return pw(m.proj_out, p)


def _randomize(module: nn.Module, seed: int = 0) -> None:
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in module.parameters():
            p.copy_(torch.randn(p.shape, generator=g) * 0.3 + (1.0 if p.dim() == 1 else 0.0))


def test_split_dims():
    assert gnconv_split_dims(64, 1) == [64]
    assert gnconv_split_dims(64, 4) == [8, 16, 32, 64]
    assert gnconv_split_dims(512, 5) == [32, 64, 128, 256, 512]


@pytest.mark.parametrize('order', [1, 2, 3, 5])
@pytest.mark.parametrize('size', [(9, 7), (8, 12)])
def test_gnconv_dw_matches_naive(order, size):
    m = GnConv(16, order=order, mixer=dict(type='dw', kernel_size=7))
    _randomize(m)
    x = torch.randn(2, 16, *size)
    with torch.no_grad():
        torch.testing.assert_close(m(x), _naive_gnconv(m, x), rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize('order', [2, 4])
@pytest.mark.parametrize('size', [(8, 8), (9, 7), (6, 11)])
@pytest.mark.parametrize('filter_size', [(8, 5), (4, 3)])
def test_gnconv_gf_matches_naive(order, size, filter_size):
    m = GnConv(16, order=order, mixer=dict(type='gf', h=filter_size[0], w=filter_size[1]),
               scale=1 / 3)
    _randomize(m, seed=1)
    x = torch.randn(2, 16, *size)
    with torch.no_grad():
        torch.testing.assert_close(m(x), _naive_gnconv(m, x), rtol=1e-4, atol=1e-4)


def test_gnconv_gradients_flow_everywhere():
    m = GnConv(16, order=3, mixer=dict(type='gf', h=4, w=3))
    m(torch.randn(1, 16, 6, 6)).square().sum().backward()
    for name, p in m.named_parameters():
        assert p.grad is not None and p.grad.abs().sum() > 0, name


def test_global_filter_fft_runs_in_fp32_under_autocast(monkeypatch):
    m = GlobalLocalFilter(8, h=4, w=3)
    x = torch.randn(1, 8, 6, 5)
    seen = []
    rfft2 = torch.fft.rfft2

    def spy(t, *args, **kwargs):
        seen.append(t.dtype)
        return rfft2(t, *args, **kwargs)

    monkeypatch.setattr(torch.fft, 'rfft2', spy)
    with torch.no_grad():
        ref = m(x)
        with torch.autocast('cpu', dtype=torch.bfloat16):
            low = m(x.bfloat16())
    assert seen == [torch.float32, torch.float32]
    assert low.shape == ref.shape and torch.isfinite(low.float()).all()
    torch.testing.assert_close(low.float(), ref, rtol=0.1, atol=0.1)


def test_resize_complex_weight_is_bilinear_align_corners():
    w = torch.randn(3, 14, 8, 2)
    torch.testing.assert_close(resize_complex_weight(w, (24, 13)),
                               _naive_bilinear_align_corners(w, (24, 13)))
    assert resize_complex_weight(w, (14, 8)) is w


@pytest.mark.parametrize('stored', [(24, 13), (14, 8), (7, 4)])
def test_gf_filter_resized_on_load(stored):
    src = GlobalLocalFilter(8, h=stored[0], w=stored[1])
    dst = GlobalLocalFilter(8, h=14, w=8)
    dst.load_state_dict(src.state_dict())
    assert dst.complex_weight.shape == (4, 14, 8, 2)
    torch.testing.assert_close(dst.complex_weight.data,
                               _naive_bilinear_align_corners(src.complex_weight.data, (14, 8)))
    # at the input size whose spectrum is 14x8 both compute the same thing
    x = torch.randn(1, 8, 14, 14)
    with torch.no_grad():
        torch.testing.assert_close(dst(x), src(x), rtol=1e-5, atol=1e-5)


def test_gf_load_still_rejects_wrong_channels():
    dst = GlobalLocalFilter(8, h=14, w=8)
    with pytest.raises(RuntimeError, match='complex_weight'):
        dst.load_state_dict(GlobalLocalFilter(16, h=24, w=13).state_dict())


def test_backbone_loads_384_filters_into_224_model():
    src = HorNet(dict(TINY, mixers=TINY['mixers'][:2] + [dict(type='gf', h=6, w=4),
                                                          dict(type='gf', h=3, w=2)]))
    dst = HorNet(TINY)
    dst.load_state_dict(src.state_dict())
    w = dst.stages[2][0].gnconv.dwconv.complex_weight
    assert w.shape[1:3] == (4, 3)


# ------------------------------------------------------------------------------ conversion
def _official_layout(ours: "OrderedDict[str, torch.Tensor]") -> "OrderedDict[str, torch.Tensor]":
    """Our keys -> the official release's names (written here independently of the converter)."""
    out = OrderedDict()
    for k, v in ours.items():
        k = k.replace('.gnconv.projs.', '.gnconv.pws.').replace('.mlp.fc1.', '.pwconv1.')
        out[k.replace('.mlp.fc2.', '.pwconv2.')] = v
    return out


def _tiny_state():
    torch.manual_seed(0)
    model = HorNet(TINY)
    _randomize(model)
    return model, model.state_dict()


def test_convert_official_classification_file():
    model, ours = _tiny_state()
    official = _official_layout(OrderedDict((k, v) for k, v in ours.items()
                                            if not k.startswith('norm')))
    official['norm.weight'], official['norm.bias'] = torch.ones(64), torch.zeros(64)
    official['head.weight'], official['head.bias'] = torch.zeros(1000, 64), torch.zeros(1000)
    assert any('.gnconv.pws.' in k for k in official) and any('pwconv1' in k for k in official)
    report = convert('hornet', official)
    assert sorted(report.dropped) == ['head.bias', 'head.weight', 'norm.bias', 'norm.weight']
    expected = {k: v for k, v in ours.items() if not k.startswith('norm')}
    assert set(report.state_dict) == set(expected)
    for k, v in expected.items():
        assert torch.equal(report.state_dict[k], v), k
    assert any('4x3' in n and '2x2' in n for n in report.notes)
    missing = HorNet(TINY).load_state_dict(report.state_dict, strict=False).missing_keys
    assert sorted(missing) == sorted(k for k in ours if k.startswith('norm'))


def test_convert_official_detection_file_keeps_neck_and_heads():
    _, ours = _tiny_state()
    official = OrderedDict(('backbone.' + k, v) for k, v in _official_layout(ours).items())
    official['neck.fpn_convs.0.conv.weight'] = torch.ones(2, 2, 3, 3)
    official['roi_head.bbox_head.fc_cls.weight'] = torch.ones(3, 4)
    report = convert('hornet', official)
    assert not report.dropped
    assert set(report.state_dict) == {'backbone.' + k for k in ours} | {
        'neck.fpn_convs.0.conv.weight', 'roi_head.bbox_head.fc_cls.weight'}
    for k, v in ours.items():
        assert torch.equal(report.state_dict['backbone.' + k], v)


def test_convert_mmpretrain_file():
    _, ours = _tiny_state()
    mmpre = OrderedDict()
    for k, v in ours.items():
        k = k.replace('.mlp.fc1.', '.pwconv1.').replace('.mlp.fc2.', '.pwconv2.')
        k = k.replace('.gamma1', '.gamma1.weight').replace('.gamma2', '.gamma2.weight')
        mmpre['backbone.' + k] = v
    mmpre['head.fc.weight'] = torch.zeros(1000, 64)
    report = convert('hornet', mmpre)
    assert set(report.dropped) == {'head.fc.weight', 'backbone.norm3.weight',
                                   'backbone.norm3.bias'}
    assert set(report.state_dict) == {k for k in ours if not k.startswith('norm3')}


def test_convert_rejects_other_models():
    with pytest.raises(ValueError, match='not a HorNet checkpoint'):
        convert('hornet', {'layers.0.blocks.0.attn.qkv.weight': torch.zeros(3, 3)})


def test_pretrained_init_cfg_loads_converted_file(tmp_path):
    model, ours = _tiny_state()
    official = _official_layout(OrderedDict((k, v) for k, v in ours.items()
                                            if not k.startswith('norm')))
    path = tmp_path / 'hornet.pth'
    torch.save({'model': convert('hornet', official).state_dict}, path)
    fresh = HorNet(TINY, init_cfg=dict(type='Pretrained', checkpoint=str(path)))
    fresh.init_weights()
    for k, v in fresh.state_dict().items():
        if not k.startswith('norm'):
            assert torch.equal(v, ours[k]), k


# ------------------------------------------------------------------------------ layer decay
def _official_layer_wise(name: str, num_max_layer: int = 12) -> int:
    """raoyongming/HorNet object_detection/mmcv_custom/layer_decay_optimizer_constructor.py."""
    if name.startswith('backbone.downsample_layers'):
        stage = int(name.split('.')[2])
        return {0: 0, 1: 2, 2: 3, 3: 12}[stage]
    if name.startswith('backbone.stages'):
        stage, block = int(name.split('.')[2]), int(name.split('.')[3])
        return {0: 1, 1: 2, 2: min(3 + block // 2, 11), 3: 12}[stage]
    return num_max_layer + 1


def _official_stage_wise(name: str, num_layers: int) -> int:
    if name.startswith('backbone.downsample_layers'):
        return 0
    if name.startswith('backbone.stages'):
        return int(name.split('.')[2]) + 1
    return num_layers - 1


def test_layer_depth_layer_wise_equals_official():
    with torch.device('meta'):
        model = HorNet('tiny-gf')
    for name, _ in model.named_parameters():
        layer_id, num_layers = model.get_layer_depth(name)
        assert num_layers == 14
        assert layer_id == _official_layer_wise('backbone.' + name), name
    assert model.get_layer_depth('stages.2.17.gnconv.proj_in.weight') == (11, 14)
    assert model.get_layer_depth('downsample_layers.3.1.weight') == (12, 14)
    assert model.get_layer_depth('norm2.weight') == (13, 14)


def test_layer_depth_layer_wise_released_keeps_the_hard_coded_ids():
    # the Mask R-CNN 1x (HorFPN baseline) recipe: num_layers 6 with the released ids 11/12
    with torch.device('meta'):
        released = HorNet('small', layer_decay_type='layer_wise_released',
                          layer_decay_num_layers=6)
        clamped = HorNet('small', layer_decay_type='layer_wise', layer_decay_num_layers=6)
    for name, _ in released.named_parameters():
        layer_id, num_layers = released.get_layer_depth(name)
        assert num_layers == 8
        assert layer_id == _official_layer_wise('backbone.' + name, num_max_layer=6), name
    assert released.get_layer_depth('stages.3.0.gamma1') == (12, 8)  # lr scale rate ** -5
    assert clamped.get_layer_depth('stages.3.0.gamma1') == (6, 8)
    assert clamped.get_layer_depth('stages.2.17.gamma1') == (5, 8)


@pytest.mark.parametrize('num_layers', [6, 12])
def test_layer_depth_stage_wise_equals_official(num_layers):
    with torch.device('meta'):
        model = HorNet('small', layer_decay_type='stage_wise', layer_decay_num_layers=num_layers)
    for name, _ in model.named_parameters():
        layer_id, total = model.get_layer_depth(name)
        assert total == num_layers + 2
        assert layer_id == _official_stage_wise('backbone.' + name, num_layers + 2), name


def test_layer_decay_constructor_gives_official_lr_scales():
    from mmengine.optim import build_optim_wrapper  # the constructor is registered on import

    class Wrapper(nn.Module):
        def __init__(self):
            super().__init__()
            self.backbone = HorNet(TINY, layer_decay_type='layer_wise')
            self.head = nn.Linear(4, 2)

    model = Wrapper()
    wrapper = build_optim_wrapper(model, dict(
        type='OptimWrapper', constructor='mmplugins.LayerDecayOptimWrapperConstructor',
        optimizer=dict(type='AdamW', lr=1.0, weight_decay=0.05),
        paramwise_cfg=dict(layer_decay_rate=0.7)))
    lr_of = {}
    decay_of = {}
    for group in wrapper.optimizer.param_groups:
        for p in group['params']:
            lr_of[id(p)], decay_of[id(p)] = group['lr'], group['weight_decay']
    for name, p in model.named_parameters():
        layer_id = _official_layer_wise(name)
        assert lr_of[id(p)] == pytest.approx(0.7 ** (14 - layer_id - 1)), name
        # official: no weight decay on 1-D parameters and biases
        assert decay_of[id(p)] == (0.0 if p.dim() == 1 else 0.05), name


# ------------------------------------------------------------------------------ with_cp
def test_with_cp_gives_equal_outputs_and_grads():
    torch.manual_seed(0)
    plain = HorNet(TINY, drop_path_rate=0.0)
    _randomize(plain, seed=2)
    ckpt = HorNet(TINY, drop_path_rate=0.0, with_cp=True)
    ckpt.load_state_dict(plain.state_dict())
    x = torch.randn(2, 3, 40, 48)
    outs = [m(x.clone().requires_grad_()) for m in (plain, ckpt)]
    for a, b in zip(*outs):
        torch.testing.assert_close(a, b)
    for model, out in zip((plain, ckpt), outs):
        sum((o * o).mean() for o in out).backward()
    for (name, a), (_, b) in zip(plain.named_parameters(), ckpt.named_parameters()):
        torch.testing.assert_close(a.grad, b.grad, msg=name)


def test_drop_path_rates_grow_linearly():
    model = HorNet(TINY, drop_path_rate=0.4)
    rates = [getattr(b.drop_path, 'drop_prob', 0.0) for s in model.stages for b in s]
    assert rates == pytest.approx([0.0, 0.1, 0.2, 0.3, 0.4])


# ------------------------------------------------------------ training (slow, mmengine)
@pytest.mark.slow
@pytest.mark.parametrize('config', [
    'configs/hornet/mask-rcnn_hornet-small-7x7_fpn_ms-crop-1x_shapes-coco.py',
    'configs/hornet/upernet_hornet-tiny-gf_160k_shapes-ade20k.py',
])
def test_two_training_iterations_on_shapes(config, shapes_root, tmp_path):
    pytest.importorskip('mmdet')
    pytest.importorskip('mmseg')
    from conftest import tiny_runner
    options = {'model.backbone.arch': dict(TINY, _delete_=True),
               'model.backbone.drop_path_rate': 0.1, 'model.backbone.gf_sizes': None}
    runner = tiny_runner(config, shapes_root, tmp_path, iters=2, cfg_options=options,
                         validate=False)
    backbone = runner.model.backbone
    assert type(backbone).__name__ == 'HorNet'
    assert backbone.out_channels == [8, 16, 32, 64]
    before = backbone.stages[3][0].gnconv.proj_in.weight.detach().clone()
    runner.train()
    assert runner.iter == 2
    # the paper's layer-wise / stage-wise decay reached the optimizer: one lr per depth
    assert len({g['lr'] for g in runner.optim_wrapper.optimizer.param_groups}) > 2
    assert not torch.equal(before, backbone.stages[3][0].gnconv.proj_in.weight)
