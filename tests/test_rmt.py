"""RMT backbone: presets and parameter counts, shapes at any size, frozen stages, norm_eval,
Manhattan self-attention against a naive reference, checkpoint conversion, gradient
checkpointing, layer depths, and (slow) a few training iterations in Mask R-CNN and UperNet."""
import math
from collections import OrderedDict
from pathlib import Path

import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F

from mmplugins.converters import convert
from mmplugins.models.backbones import RMT
from mmplugins.models.layers.manhattan_attention import (ManhattanRelPos,
                                                         ManhattanSelfAttention)

# a tiny arch with both attention forms and layer scale on the last two stages
TINY = dict(embed_dims=(16, 24, 32, 48), depths=(1, 2, 1, 1), num_heads=(2, 3, 2, 3),
            init_values=(2, 2, 2, 2), heads_ranges=(4, 4, 6, 6), mlp_ratios=(2, 2, 2, 2),
            decomposed=(True, True, False, False), layer_scales=(False, False, True, True),
            layer_scale_init=0.5)

# parameters of the official classification models (qhfan/RMT classfication_release/RMT.py,
# counted from the code) and the paper's rounded figures (millions)
OFFICIAL_CLS_PARAMS = {'tiny': 14_334_216, 'small': 26_967_240, 'base': 54_154_896,
                       'large': 95_464_864}
PAPER_PARAMS_M = {'tiny': 14, 'small': 27, 'base': 54, 'large': 95}
PRESET_CHANNELS = {'tiny': [64, 128, 256, 512], 'small': [64, 128, 256, 512],
                   'base': [80, 160, 320, 512], 'large': [112, 224, 448, 640]}


def _cls_tail_params(channels: int, projection: int = 1024, classes: int = 1000) -> int:
    """Official classification tail: Linear(C, 1024) + BN(1024) + Linear(1024, 1000)."""
    return channels * projection + projection + 2 * projection + projection * classes + classes


def _randomize_norms(model: nn.Module) -> None:
    """Give norms non-trivial statistics so that equality checks mean something."""
    g = torch.Generator().manual_seed(0)
    for m in model.modules():
        if isinstance(m, nn.modules.batchnorm._BatchNorm):
            m.running_mean.copy_(torch.randn(m.num_features, generator=g) * 0.1)
            m.running_var.copy_(torch.rand(m.num_features, generator=g) + 0.5)


# ------------------------------------------------------------------------------ presets
@pytest.mark.parametrize('arch', ['tiny', 'small', 'base', 'large'])
def test_every_preset_builds_with_official_param_count(arch):
    with torch.device('meta'):
        model = RMT(arch, out_indices=(3,))
    assert model.out_channels == PRESET_CHANNELS[arch][3:]
    backbone = sum(p.numel() for n, p in model.named_parameters() if not n.startswith('norm3.'))
    total = backbone + _cls_tail_params(PRESET_CHANNELS[arch][3])
    assert total == OFFICIAL_CLS_PARAMS[arch]
    # the paper prints whole millions: equal up to that rounding
    assert abs(total / 1e6 - PAPER_PARAMS_M[arch]) <= 0.5


def test_preset_names_are_case_insensitive_and_errors_name_the_argument():
    with torch.device('meta'):
        assert RMT('Small').depths == (3, 4, 18, 4)
    with pytest.raises(KeyError, match='unknown arch'):
        RMT('rmt_t3')
    with pytest.raises(KeyError, match='missing'):
        RMT(dict(embed_dims=(8,) * 4, depths=(1,) * 4))
    with pytest.raises(ValueError, match="'num_heads' has 3 entries"):
        RMT(dict(TINY, num_heads=(2, 2, 2)))
    with pytest.raises(ValueError, match='even head_dim'):
        RMT(dict(TINY, num_heads=(1, 8, 2, 3)))
    with pytest.raises(ValueError, match='out_indices entry 4'):
        RMT(TINY, out_indices=(4,))


# ------------------------------------------------------------------------------- shapes
@pytest.mark.parametrize('size', [(224, 224), (512, 512), (97, 75)])
def test_shapes_and_strides(size):
    model = RMT(TINY).eval()
    assert model.out_channels == [16, 24, 32, 48]
    assert model.out_strides == [4, 8, 16, 32]
    with torch.no_grad():
        outs = model(torch.randn(1, 3, *size))
    assert len(outs) == 4
    for out, c, s in zip(outs, model.out_channels, model.out_strides):
        assert out.shape == (1, c, math.ceil(size[0] / s), math.ceil(size[1] / s))
        assert torch.isfinite(out).all()


def test_tiny_preset_forward_at_224():
    model = RMT('tiny', out_indices=(1, 3)).eval()
    assert model.out_channels == [128, 512] and model.out_strides == [8, 32]
    with torch.no_grad():
        outs = model(torch.randn(1, 3, 224, 224))
    assert [tuple(o.shape) for o in outs] == [(1, 128, 28, 28), (1, 512, 7, 7)]
    assert not hasattr(model, 'norm0')  # output norms only for returned stages


# ------------------------------------------------------------------ frozen / norm_eval
def test_frozen_stages_have_no_grad_and_stay_in_eval():
    model = RMT(TINY, frozen_stages=2)
    model.train()
    frozen = [model.patch_embed, model.stages[0], model.stages[1], model.norm0, model.norm1]
    for module in frozen:
        assert not module.training
        assert all(not p.requires_grad for p in module.parameters())
    for module in (model.stages[2], model.stages[3], model.norm2):
        assert module.training
        assert all(p.requires_grad for p in module.parameters())
    model(torch.randn(2, 3, 64, 64))[-1].sum().backward()
    assert all(p.grad is None for m in frozen for p in m.parameters())
    assert model.stages[3].blocks[0].attn.q_proj.weight.grad is not None


def test_norm_eval_takes_effect_also_for_sync_batchnorm():
    # the official check tests isinstance(m, nn.BatchNorm2d), which SyncBatchNorm is not
    model = RMT(TINY, norm_eval=True, norm_cfg=dict(type='SyncBN'))
    model.train()
    sync = [m for m in model.modules() if isinstance(m, nn.SyncBatchNorm)]
    assert len(sync) == 4 + 3  # stem + downsampling
    assert all(not m.training for m in sync)
    assert model.stages[0].blocks[0].training

    model = RMT(TINY, norm_eval=True)
    model.train()
    bn = model.patch_embed.proj[1]
    before = bn.running_mean.clone()
    model(torch.randn(2, 3, 32, 32))
    assert torch.equal(bn.running_mean, before)
    model = RMT(TINY, norm_eval=False).train()
    model(torch.randn(2, 3, 32, 32))
    assert not torch.equal(model.patch_embed.proj[1].running_mean, before)


# ------------------------------------------------------------- attention vs. reference
def _naive_masa(x, attn, init_value, heads_range, decomposed):
    """MaSA written out: explicit gamma, Manhattan decay matrix, rotary pairs, softmax."""
    b, h, w, c = x.shape
    n = attn.num_heads
    d = c // n
    gammas = [1 - 2 ** (-(init_value + heads_range * i / n)) for i in range(n)]
    q = F.linear(x, attn.q_proj.weight, attn.q_proj.bias)
    k = F.linear(x, attn.k_proj.weight, attn.k_proj.bias) / math.sqrt(d)
    v = F.linear(x, attn.v_proj.weight, attn.v_proj.bias)
    lepe = F.conv2d(v.permute(0, 3, 1, 2), attn.lepe.weight, attn.lepe.bias, padding=2,
                    groups=c).permute(0, 2, 3, 1)

    # rotary: pair (2i, 2i+1) at raster position p rotates by p * 10000^-(i / (d/2 - 1))
    freqs = [10000 ** -(i / (d // 2 - 1)) for i in range(d // 2)]

    def rotate(t):  # t: (b, h, w, n, d)
        out = torch.empty_like(t)
        for y in range(h):
            for xx in range(w):
                pos = y * w + xx
                for i, f in enumerate(freqs):
                    cos, sin = math.cos(pos * f), math.sin(pos * f)
                    a, bb = t[:, y, xx, :, 2 * i], t[:, y, xx, :, 2 * i + 1]
                    out[:, y, xx, :, 2 * i] = a * cos - bb * sin
                    out[:, y, xx, :, 2 * i + 1] = bb * cos + a * sin
        return out

    q = rotate(q.reshape(b, h, w, n, d))
    k = rotate(k.reshape(b, h, w, n, d))
    v = v.reshape(b, h, w, n, d)
    out = torch.zeros(b, h, w, n, d)
    for head in range(n):
        lg = math.log(gammas[head])
        qh, kh, vh = q[..., head, :], k[..., head, :], v[..., head, :]
        if not decomposed:
            coords = [(y, xx) for y in range(h) for xx in range(w)]
            decay = torch.tensor([[lg * (abs(y1 - y2) + abs(x1 - x2)) for (y2, x2) in coords]
                                  for (y1, x1) in coords])
            logits = qh.reshape(b, h * w, d) @ kh.reshape(b, h * w, d).transpose(1, 2) + decay
            p = logits.exp() / logits.exp().sum(-1, keepdim=True)
            out[..., head, :] = (p @ vh.reshape(b, h * w, d)).reshape(b, h, w, d)
        else:
            dec_w = torch.tensor([[lg * abs(i - j) for j in range(w)] for i in range(w)])
            dec_h = torch.tensor([[lg * abs(i - j) for j in range(h)] for i in range(h)])
            rows = torch.zeros(b, h, w, d)
            for y in range(h):  # along the width of every row
                p = torch.softmax(qh[:, y] @ kh[:, y].transpose(1, 2) + dec_w, -1)
                rows[:, y] = p @ vh[:, y]
            for xx in range(w):  # then along the height of every column, on the row output
                p = torch.softmax(qh[:, :, xx] @ kh[:, :, xx].transpose(1, 2) + dec_h, -1)
                out[:, :, xx, head] = p @ rows[:, :, xx]
    out = out.reshape(b, h, w, c) + lepe
    return F.linear(out, attn.out_proj.weight, attn.out_proj.bias)


@pytest.mark.parametrize('decomposed', [True, False])
@pytest.mark.parametrize('fused', [True, False])
def test_manhattan_attention_matches_naive_reference(decomposed, fused):
    torch.manual_seed(0)
    c, n, init_value, heads_range = 24, 3, 2.0, 4.0
    attn = ManhattanSelfAttention(c, n, decomposed=decomposed, fused=fused)
    for lin in (attn.q_proj, attn.k_proj, attn.v_proj):
        nn.init.normal_(lin.weight, std=0.3)  # sharp attention, so the decay matters
    rel_pos = ManhattanRelPos(c, n, init_value, heads_range)
    expected_log_gamma = torch.tensor(
        [math.log(1 - 2 ** -(init_value + heads_range * i / n)) for i in range(n)])
    assert torch.allclose(rel_pos.decay, expected_log_gamma)
    x = torch.randn(2, 5, 7, c)
    with torch.no_grad():
        ours = attn(x, rel_pos(5, 7, decomposed))
        ref = _naive_masa(x, attn, init_value, heads_range, decomposed)
    assert ours.shape == x.shape
    assert (ours - ref).abs().max() < 1e-5


def test_fused_attention_equals_explicit_in_the_backbone():
    torch.manual_seed(0)
    fused = RMT(TINY).eval()
    explicit = RMT(TINY, fused_attention=False).eval()
    explicit.load_state_dict(fused.state_dict())
    x = torch.randn(1, 3, 75, 97)
    with torch.no_grad():
        for a, b in zip(fused(x), explicit(x)):
            assert (a - b).abs().max() < 1e-5


def test_decay_changes_the_output():
    # guards the reference test: a model whose decay were ignored would differ here
    torch.manual_seed(0)
    attn = ManhattanSelfAttention(24, 3, decomposed=False)
    rel_pos = ManhattanRelPos(24, 3, 2.0, 4.0)
    x = torch.randn(1, 4, 4, 24)
    tables = rel_pos(4, 4, False)
    flat = tables._replace(decay=torch.zeros_like(tables.decay))
    with torch.no_grad():
        assert (attn(x, tables) - attn(x, flat)).abs().max() > 1e-4


# --------------------------------------------------------------------------- conversion
def _official_layout(arch: dict, seed: int = 0) -> OrderedDict:
    """A synthetic state dict with the key layout of the official classification model."""
    g = torch.Generator().manual_seed(seed)
    rnd = lambda *shape: torch.randn(*shape, generator=g)  # noqa: E731
    sd = OrderedDict()
    c0 = arch['embed_dims'][0]
    stem = [(3, c0 // 2), (c0 // 2, c0 // 2), (c0 // 2, c0), (c0, c0)]
    for k, (cin, cout) in enumerate(stem):
        sd[f'patch_embed.proj.{3 * k}.weight'] = rnd(cout, cin, 3, 3)
        sd[f'patch_embed.proj.{3 * k}.bias'] = rnd(cout)
        bn = f'patch_embed.proj.{3 * k + 1}.'
        sd[bn + 'weight'], sd[bn + 'bias'] = rnd(cout), rnd(cout)
        sd[bn + 'running_mean'], sd[bn + 'running_var'] = rnd(cout), rnd(cout).abs() + 0.5
        sd[bn + 'num_batches_tracked'] = torch.tensor(7)
    for i, (c, depth, n) in enumerate(zip(arch['embed_dims'], arch['depths'],
                                          arch['num_heads'])):
        ref = ManhattanRelPos(c, n, arch['init_values'][i], arch['heads_ranges'][i])
        sd[f'layers.{i}.Relpos.angle'] = ref.angle.clone()
        sd[f'layers.{i}.Relpos.decay'] = ref.decay.clone()
        hidden = int(arch['mlp_ratios'][i] * c)
        for j in range(depth):
            p = f'layers.{i}.blocks.{j}.'
            sd[p + 'pos.conv.weight'], sd[p + 'pos.conv.bias'] = rnd(c, 1, 3, 3), rnd(c)
            for norm in ('retention_layer_norm', 'final_layer_norm'):
                sd[p + norm + '.weight'], sd[p + norm + '.bias'] = rnd(c), rnd(c)
            for proj in ('q_proj', 'k_proj', 'v_proj', 'out_proj'):
                sd[p + f'retention.{proj}.weight'] = rnd(c, c) * 0.2
                sd[p + f'retention.{proj}.bias'] = rnd(c) * 0.1
            sd[p + 'retention.lepe.conv.weight'] = rnd(c, 1, 5, 5)
            sd[p + 'retention.lepe.conv.bias'] = rnd(c)
            sd[p + 'ffn.fc1.weight'], sd[p + 'ffn.fc1.bias'] = rnd(hidden, c) * 0.2, rnd(hidden)
            sd[p + 'ffn.dwconv.conv.weight'] = rnd(hidden, 1, 3, 3)
            sd[p + 'ffn.dwconv.conv.bias'] = rnd(hidden)
            sd[p + 'ffn.fc2.weight'], sd[p + 'ffn.fc2.bias'] = rnd(c, hidden) * 0.2, rnd(c)
            if arch['layer_scales'][i]:
                sd[p + 'gamma_1'], sd[p + 'gamma_2'] = rnd(1, 1, 1, c), rnd(1, 1, 1, c)
        if i < len(arch['depths']) - 1:
            cn = arch['embed_dims'][i + 1]
            p = f'layers.{i}.downsample.'
            sd[p + 'reduction.weight'], sd[p + 'reduction.bias'] = rnd(cn, c, 3, 3), rnd(cn)
            sd[p + 'norm.weight'], sd[p + 'norm.bias'] = rnd(cn), rnd(cn)
            sd[p + 'norm.running_mean'] = rnd(cn)
            sd[p + 'norm.running_var'] = rnd(cn).abs() + 0.5
            sd[p + 'norm.num_batches_tracked'] = torch.tensor(7)
    c3 = arch['embed_dims'][-1]
    sd['proj.weight'], sd['proj.bias'] = rnd(64, c3), rnd(64)
    for key in ('weight', 'bias', 'running_mean', 'running_var'):
        sd['norm.' + key] = rnd(64)
    sd['norm.num_batches_tracked'] = torch.tensor(7)
    sd['head.weight'], sd['head.bias'] = rnd(10, 64), rnd(10)
    return sd


def test_conversion_round_trip(tmp_path):
    official = _official_layout(TINY)
    report = convert('rmt', official)
    assert sorted(report.dropped) == sorted(k for k in official
                                            if k.split('.')[0] in ('proj', 'norm', 'head'))
    assert any('norm0-norm3' in note for note in report.notes)
    sd = report.state_dict
    # every official backbone tensor lands exactly once, unchanged in value
    assert len(sd) == len(official) - len(report.dropped)
    pairs = {
        'stages.3.blocks.0.gamma1': 'layers.3.blocks.0.gamma_1',
        'stages.1.blocks.1.cpe.weight': 'layers.1.blocks.1.pos.conv.weight',
        'stages.1.blocks.1.attn.lepe.weight': 'layers.1.blocks.1.retention.lepe.conv.weight',
        'stages.1.blocks.1.attn.k_proj.bias': 'layers.1.blocks.1.retention.k_proj.bias',
        'stages.2.blocks.0.norm1.weight': 'layers.2.blocks.0.retention_layer_norm.weight',
        'stages.2.blocks.0.norm2.bias': 'layers.2.blocks.0.final_layer_norm.bias',
        'stages.0.blocks.0.ffn.dwconv.weight': 'layers.0.blocks.0.ffn.dwconv.conv.weight',
        'stages.2.downsample.norm.running_var': 'layers.2.downsample.norm.running_var',
        'stages.0.rel_pos.decay': 'layers.0.Relpos.decay',
        'patch_embed.proj.10.running_mean': 'patch_embed.proj.10.running_mean',
    }
    for ours, theirs in pairs.items():
        assert torch.equal(sd[ours].reshape(official[theirs].shape), official[theirs]), ours
    assert sd['stages.3.blocks.0.gamma1'].shape == (48,)

    # loads through init_cfg (strict: only the output norms may start fresh)
    path = tmp_path / 'rmt_converted.pth'
    torch.save(dict(state_dict=sd), path)
    model = RMT(TINY, init_cfg=dict(type='Pretrained', checkpoint=str(path)))
    model.init_weights()
    own = model.state_dict()
    assert all(torch.equal(own[k], v) for k, v in sd.items())
    assert {k for k in own if k not in sd} == {f'norm{i}.{p}' for i in range(4)
                                              for p in ('weight', 'bias')}
    # and back: our keys map one-to-one onto the official layout
    assert len(set(own) - {k for k in own if k.startswith('norm')}) == len(sd)


def test_conversion_of_detection_files_and_unknown_keys():
    backbone = convert('rmt', _official_layout(TINY)).state_dict
    det = OrderedDict(('backbone.' + k, v) for k, v in _official_layout(TINY).items()
                      if not k.startswith(('proj.', 'norm.', 'head.')))
    det['backbone.extra_norms.2.weight'] = torch.ones(32)
    det['neck.lateral_convs.0.conv.weight'] = torch.ones(1)
    out = convert('rmt', det).state_dict
    assert torch.equal(out['backbone.norm2.weight'], torch.ones(32))
    assert 'neck.lateral_convs.0.conv.weight' in out
    assert set(backbone) <= {k[len('backbone.'):] for k in out}
    with pytest.raises(KeyError, match='not in the official RMT layout'):
        convert('rmt', dict(_official_layout(TINY), **{'layers.0.blocks.0.mystery': torch.ones(1)}))
    with pytest.raises(KeyError, match='no RMT backbone key'):
        convert('rmt', {'head.weight': torch.ones(1)})


# ------------------------------------------------------------------- with_cp, depths
def test_with_cp_gives_equal_outputs_and_grads():
    torch.manual_seed(0)
    plain = RMT(TINY, drop_path_rate=0.0).train()
    ckpt = RMT(TINY, drop_path_rate=0.0, with_cp=True).train()
    ckpt.load_state_dict(plain.state_dict())
    x = torch.randn(2, 3, 40, 56)
    for model in (plain, ckpt):
        sum(o.square().mean() for o in model(x)).backward()
    for (name, a), (_, b) in zip(plain.named_parameters(), ckpt.named_parameters()):
        assert a.grad is not None, name
        assert torch.allclose(a.grad, b.grad, atol=1e-6, rtol=1e-5), name


def test_get_layer_depth():
    with torch.device('meta'):
        model = RMT(TINY)
    total = sum(TINY['depths']) + 2  # 7
    assert model.get_layer_depth('patch_embed.proj.0.weight') == (0, total)
    assert model.get_layer_depth('stages.0.blocks.0.attn.q_proj.weight') == (1, total)
    assert model.get_layer_depth('stages.1.blocks.1.ffn.fc1.weight') == (3, total)
    assert model.get_layer_depth('stages.1.downsample.reduction.weight') == (4, total)
    assert model.get_layer_depth('stages.3.blocks.0.gamma1') == (5, total)
    assert model.get_layer_depth('norm2.weight') == (6, total)
    # every parameter maps into 0..total-1, monotone along the network
    depths = [model.get_layer_depth(n)[0] for n, _ in model.named_parameters()
              if not n.startswith('norm')]
    assert depths == sorted(depths) and depths[-1] == total - 2


# ---------------------------------------------------------------------------- configs
# (arch, drop path, lr, weight decay, images per GPU) of the official qhfan/RMT configs
OFFICIAL_RECIPES = {
    'mask-rcnn_rmt-t_fpn_1x_coco': ('tiny', 0.1, 4e-4, 0.05, 2),
    'mask-rcnn_rmt-s_fpn_1x_coco': ('small', 0.15, 4e-4, 0.05, 2),
    'mask-rcnn_rmt-b_fpn_1x_coco': ('base', 0.4, 4e-4, 0.05, 2),
    'mask-rcnn_rmt-l_fpn_1x_coco': ('large', 0.5, 2e-4, 0.05, 2),
    'mask-rcnn_rmt-s_fpn_ms-crop-3x_coco': ('small', 0.15, 4e-4, 0.05, 2),
    'mask-rcnn_rmt-b_fpn_ms-crop-3x_coco': ('base', 0.4, 2e-4, 0.05, 2),
    'mask-rcnn_rmt-l_fpn_ms-crop-3x_coco': ('large', 0.5, 2e-4, 0.05, 1),
    'cascade-mask-rcnn_rmt-s_fpn_ms-crop-3x_coco': ('small', 0.15, 4e-4, 0.05, 2),
    'cascade-mask-rcnn_rmt-b_fpn_ms-crop-3x_coco': ('base', 0.4, 2e-4, 0.05, 2),
    'retinanet_rmt-t_fpn_1x_coco': ('tiny', 0.1, 4e-4, 1e-4, 2),
    'retinanet_rmt-s_fpn_1x_coco': ('small', 0.15, 4e-4, 1e-4, 2),
    'retinanet_rmt-b_fpn_1x_coco': ('base', 0.4, 4e-4, 1e-4, 2),
    'retinanet_rmt-l_fpn_1x_coco': ('large', 0.5, 2e-4, 1e-4, 2),
    'upernet_rmt-s_160k_ade20k-512x512': ('small', 0.15, 6e-5, 0.01, 2),
    'upernet_rmt-b_160k_ade20k-512x512': ('base', 0.4, 6e-5, 0.01, 2),
    'upernet_rmt-l_160k_ade20k-512x512': ('large', 0.5, 6e-5, 0.01, 2),
    'fpn_rmt-t_80k_ade20k-512x512': ('tiny', 0.1, 1e-4, 1e-4, 2),
    'fpn_rmt-s_80k_ade20k-512x512': ('small', 0.15, 1e-4, 1e-4, 2),
    'fpn_rmt-b_80k_ade20k-512x512': ('base', 0.4, 1e-4, 1e-4, 2),
    'fpn_rmt-l_80k_ade20k-512x512': ('large', 0.5, 1e-4, 1e-4, 2),
}


def test_configs_follow_the_official_recipes():
    from mmengine.config import Config
    folder = Path(__file__).resolve().parents[1] / 'configs' / 'rmt'
    real = sorted(p.stem for p in folder.glob('*.py') if 'shapes' not in p.name)
    assert real == sorted(OFFICIAL_RECIPES)
    for name, (arch, dpr, lr, wd, batch) in OFFICIAL_RECIPES.items():
        cfg = Config.fromfile(str(folder / f'{name}.py'))
        backbone = cfg.model.backbone
        assert (backbone.type, backbone.arch, backbone.drop_path_rate) == ('mmplugins.RMT', arch,
                                                                           dpr), name
        assert backbone.norm_eval is False and backbone.norm_cfg.type == 'SyncBN', name
        optimizer = cfg.optim_wrapper.optimizer
        assert (optimizer.type, optimizer.lr, optimizer.weight_decay) == ('AdamW', lr, wd), name
        assert cfg.train_dataloader.batch_size == batch, name
        schedule = cfg.param_scheduler
        if 'rcnn' in name or 'retinanet' in name:  # 500-it warm-up, steps 8/11 or 27/33
            assert schedule[0].end == 500 and schedule[1].milestones == (
                [27, 33] if '3x' in name else [8, 11]), name
            assert ('RandomChoice' in str(cfg.train_dataloader.dataset.pipeline)) == ('3x' in name)
        elif 'upernet' in name:
            assert [s.type for s in schedule] == ['LinearLR', 'PolyLR'] and schedule[0].end == 1500
            assert cfg.train_cfg.max_iters == 160000
        else:
            assert [(s.type, s.power, s.eta_min) for s in schedule] == [('PolyLR', 0.9, 1e-6)]
            assert cfg.train_cfg.max_iters == 80000
        shapes = name.replace('_coco', '_shapes-coco').replace('_ade20k-512x512', '_shapes-ade20k')
        assert (folder / f'{shapes}.py').is_file(), shapes


# ------------------------------------------------------------ training (slow, mmengine)
@pytest.mark.slow
@pytest.mark.parametrize('config', [
    'configs/rmt/mask-rcnn_rmt-t_fpn_1x_shapes-coco.py',
    'configs/rmt/retinanet_rmt-t_fpn_1x_shapes-coco.py',
    'configs/rmt/upernet_rmt-s_160k_shapes-ade20k.py',
])
def test_two_training_iterations_on_shapes(config, shapes_root, tmp_path):
    pytest.importorskip('mmdet')
    pytest.importorskip('mmseg')
    from conftest import train_tiny

    # _delete_: the preset name (a str) is replaced by the tiny arch dict
    options = {'model.backbone.arch': dict(TINY, _delete_=True),
               'model.backbone.drop_path_rate': 0.1}
    if 'upernet' in config:  # thin heads keep the two iterations fast
        options.update({'model.decode_head.channels': 16, 'model.auxiliary_head.channels': 16})
    runner = train_tiny(config, shapes_root, tmp_path, iters=2, cfg_options=options)
    backbone = runner.model.backbone
    assert type(backbone).__name__ == 'RMT'
    assert backbone.out_channels == [16, 24, 32, 48]
    assert runner.iter == 2
    # the configs' SyncBN became BN on one process
    assert not any(isinstance(m, nn.SyncBatchNorm) for m in backbone.modules())
    # gradients reached the last (full-attention) stage in both iterations
    state = runner.optim_wrapper.optimizer.state[backbone.stages[3].blocks[0].attn.q_proj.weight]
    assert int(state['step']) == 2
    assert math.isfinite(runner.message_hub.get_scalar('train/loss').current())
