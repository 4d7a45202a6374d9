"""Swin Transformer backbone: variants, shapes, freezing, attention, checkpoints."""
import math

import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F

from mmplugins.analysis import count_params
from mmplugins.converters import convert
from mmplugins.models.backbones.swin import (PatchMerging, SwinTransformer, WindowAttention,
                                             relative_position_index, shifted_window_mask,
                                             window_partition, window_reverse)
from mmplugins.models.utils import CheckpointMismatchError

TINY = dict(embed_dims=16, depths=(2, 2, 2, 2), num_heads=(1, 2, 2, 4))

# Classification-model parameter counts of the official release (backbone + final norm +
# 1000-way linear head), which the papers round to 28M / 50M / 88M / 197M.
OFFICIAL_CLS_PARAMS = {'tiny': 28_288_354, 'small': 49_606_258, 'base': 87_768_224,
                       'large': 196_532_476}


@pytest.mark.parametrize('arch', sorted(OFFICIAL_CLS_PARAMS))
def test_param_count_matches_official_classification_model(arch):
    # out_indices=(3,) keeps one output norm: the classification model's final norm.
    with torch.device('meta'):
        model = SwinTransformer(arch=arch, out_indices=(3,))
    head = model.out_channels[0] * 1000 + 1000
    assert count_params(model) + head == OFFICIAL_CLS_PARAMS[arch]


@pytest.mark.parametrize('arch', list(SwinTransformer.arch_zoo))
@pytest.mark.parametrize('size', [(224, 224), (512, 512), (511, 389)])
def test_every_arch_shapes_and_strides(arch, size):
    with torch.device('meta'):
        model = SwinTransformer(arch=arch)
        outs = model(torch.empty(1, 3, *size))
    assert model.out_strides == [4, 8, 16, 32]
    assert [o.shape[1] for o in outs] == model.out_channels
    for out, stride in zip(outs, model.out_strides):
        assert tuple(out.shape[2:]) == (math.ceil(size[0] / stride), math.ceil(size[1] / stride))


@pytest.mark.parametrize('size', [(224, 224), (97, 75), (33, 130)])
def test_forward_any_size(size):
    model = SwinTransformer(arch=TINY, window_size=7, out_indices=(0, 2, 3)).eval()
    outs = model(torch.randn(1, 3, *size))
    assert model.out_channels == [16, 64, 128]
    assert model.out_strides == [4, 16, 32]
    for out, c, s in zip(outs, model.out_channels, model.out_strides):
        assert out.shape == (1, c, math.ceil(size[0] / s), math.ceil(size[1] / s))
        assert torch.isfinite(out).all()


def test_abs_pos_embed_interpolates_to_input():
    model = SwinTransformer(arch=TINY, use_abs_pos_embed=True, pretrain_img_size=64).eval()
    assert model.patch_embed.absolute_pos_embed.shape == (1, 16 * 16, 16)
    outs = model(torch.randn(1, 3, 96, 80))
    assert outs[0].shape == (1, 16, 24, 20)


def naive_window_attention(attn: WindowAttention, x: torch.Tensor, mask=None) -> torch.Tensor:
    """The official formula written out: softmax(q k^T / sqrt(d) + B + M) v."""
    bw, n, c = x.shape
    heads = attn.num_heads
    qkv = attn.qkv(x).reshape(bw, n, 3, heads, c // heads).permute(2, 0, 3, 1, 4)
    q, k, v = qkv[0] * (c // heads) ** -0.5, qkv[1], qkv[2]
    logits = q @ k.transpose(-2, -1)
    ws = attn.window_size
    table = attn.relative_position_bias_table
    bias = torch.empty(heads, n, n)
    for i in range(n):  # gather the bias entry by entry from the official index formula
        for j in range(n):
            hi, wi, hj, wj = i // ws, i % ws, j // ws, j % ws
            bias[:, i, j] = table[(hi - hj + ws - 1) * (2 * ws - 1) + (wi - wj + ws - 1)]
    logits = logits + bias
    if mask is not None:
        nw = mask.shape[0]
        logits = logits.view(bw // nw, nw, heads, n, n) + mask[None, :, None]
        logits = logits.view(bw, heads, n, n)
    out = logits.softmax(-1) @ v
    return attn.proj(out.transpose(1, 2).reshape(bw, n, c))


@pytest.mark.parametrize('shift', [False, True])
def test_window_attention_equals_naive_reference(shift):
    torch.manual_seed(0)
    ws, dim, heads = 4, 16, 2
    attn = WindowAttention(dim, heads, ws).eval()
    nn.init.normal_(attn.relative_position_bias_table, std=1.0)
    x = torch.randn(2, 8, 8, dim)
    windows = window_partition(x, ws)
    mask = shifted_window_mask(8, 8, ws, ws // 2, x.device) if shift else None
    ours = attn(windows, mask)
    ref = naive_window_attention(attn, windows, mask)
    assert torch.allclose(ours, ref, atol=1e-5)


def test_window_partition_roundtrip_and_mask_regions():
    x = torch.randn(2, 8, 12, 3)
    assert torch.equal(window_reverse(window_partition(x, 4), 4, 8, 12), x)
    mask = shifted_window_mask(8, 8, 4, 2, torch.device('cpu'))
    assert mask.shape == (4, 16, 16)
    assert (mask[0] == 0).all()  # the top-left window holds one region only
    assert set(mask.unique().tolist()) == {0.0, -100.0}
    idx = relative_position_index(3)
    assert idx.shape == (9, 9) and idx.min() == 0 and idx.max() == 24
    assert idx[4, 4] == 12  # zero offset sits at the table centre


def test_frozen_stages_and_norm_eval():
    model = SwinTransformer(arch=TINY, frozen_stages=2, norm_cfg=dict(type='LN'))
    model.train()
    frozen = [model.patch_embed, model.stages[0], model.stages[1], model.norm0, model.norm1]
    for module in frozen:
        assert not module.training
        assert all(not p.requires_grad for p in module.parameters())
    assert model.stages[2].training
    assert all(p.requires_grad for p in model.stages[2].parameters())
    outs = model(torch.randn(1, 3, 64, 64))
    sum(o.sum() for o in outs).backward()
    assert model.patch_embed.proj.weight.grad is None
    assert model.stages[2].blocks[0].attn.qkv.weight.grad is not None


def test_norm_eval_keeps_batch_norms_in_eval():
    model = SwinTransformer(arch=TINY, norm_eval=True)
    model.add_module('extra_bn', nn.BatchNorm2d(4))
    model.train()
    assert not model.extra_bn.training
    assert model.stages[0].training


def test_with_cp_gives_equal_outputs_and_gradients():
    torch.manual_seed(0)
    plain = SwinTransformer(arch=TINY, drop_path_rate=0.0)
    ckpt = SwinTransformer(arch=TINY, drop_path_rate=0.0, with_cp=True)
    ckpt.load_state_dict(plain.state_dict())
    x = torch.randn(2, 3, 64, 64)
    outs_a, outs_b = plain(x), ckpt(x)
    sum((o ** 2).sum() for o in outs_a).backward()
    sum((o ** 2).sum() for o in outs_b).backward()
    for a, b in zip(outs_a, outs_b):
        assert torch.allclose(a, b, atol=1e-6)
    for (name, pa), pb in zip(plain.named_parameters(), ckpt.parameters()):
        assert torch.allclose(pa.grad, pb.grad, atol=1e-5), name


@pytest.mark.parametrize('kwargs, message', [
    (dict(arch='huge'), "unknown arch 'huge'"),
    (dict(arch=dict(embed_dims=8)), 'missing'),
    (dict(arch=TINY, out_indices=(4,)), 'out_indices entry 4'),
    (dict(arch=TINY, window_size=0), 'window_size must be a positive int'),
    (dict(arch=TINY, frozen_stages=7), 'frozen_stages'),
])
def test_bad_arguments_name_the_argument(kwargs, message):
    with pytest.raises((KeyError, ValueError), match=message):
        SwinTransformer(**kwargs)


# ----------------------------------------------------------------------------- checkpoints
def official_layout(model: SwinTransformer) -> dict:
    """A random state dict in the official classification layout for ``model``'s arch."""
    sd = {}
    for key, value in model.state_dict().items():
        if key.startswith(('norm0', 'norm1', 'norm2')):
            continue
        key = key.replace('stages.', 'layers.').replace('patch_embed.absolute_pos_embed',
                                                         'absolute_pos_embed')
        key = key.replace('norm3.', 'norm.')
        sd[key] = torch.randn_like(value)
    sd['head.weight'] = torch.randn(1000, model.out_channels[-1])
    sd['head.bias'] = torch.randn(1000)
    sd['layers.0.blocks.1.attn_mask'] = torch.zeros(4, 49, 49)
    sd['layers.0.blocks.0.attn.relative_position_index'] = torch.zeros(49, 49, dtype=torch.long)
    return sd


def test_official_conversion_roundtrip_is_exact():
    model = SwinTransformer(arch=TINY)
    official = official_layout(model)
    report = convert('swin', official)
    assert {'head.weight', 'head.bias', 'layers.0.blocks.1.attn_mask'} <= set(report.dropped)
    result = model.load_state_dict(report.state_dict, strict=False)
    assert sorted(result.missing_keys) == sorted(
        f'norm{i}.{p}' for i in range(3) for p in ('weight', 'bias'))
    assert result.unexpected_keys == []
    assert torch.equal(model.stages[1].downsample.reduction.weight,
                       official['layers.1.downsample.reduction.weight'])
    assert torch.equal(model.norm3.weight, official['norm.weight'])


def test_openmmlab_layout_merging_reorder_gives_same_function():
    """mmdet/mmseg merge 2x2 patches with nn.Unfold; converted weights must compute the same."""
    torch.manual_seed(0)
    dim = 4
    x = torch.randn(1, 6, 6, dim)
    unfold_norm = nn.LayerNorm(4 * dim)
    nn.init.normal_(unfold_norm.weight)
    nn.init.normal_(unfold_norm.bias)
    unfold_reduction = nn.Linear(4 * dim, 2 * dim, bias=False)
    patches = F.unfold(x.permute(0, 3, 1, 2), 2, stride=2).transpose(1, 2)  # (1, 9, 4C)
    expected = unfold_reduction(unfold_norm(patches)).view(1, 3, 3, 2 * dim)
    sd = {'stages.0.downsample.norm.weight': unfold_norm.weight.detach(),
          'stages.0.downsample.norm.bias': unfold_norm.bias.detach(),
          'stages.0.downsample.reduction.weight': unfold_reduction.weight.detach(),
          'stages.0.blocks.0.attn.w_msa.qkv.weight': torch.zeros(1)}
    converted = convert('swin', sd).state_dict
    merging = PatchMerging(dim)
    merging.load_state_dict({'norm.weight': converted['stages.0.downsample.norm.weight'],
                             'norm.bias': converted['stages.0.downsample.norm.bias'],
                             'reduction.weight':
                                 converted['stages.0.downsample.reduction.weight']})
    assert torch.allclose(merging(x), expected, atol=1e-5)
    assert 'stages.0.blocks.0.attn.qkv.weight' in converted


def test_detection_checkpoint_keeps_head_keys():
    sd = {'backbone.layers.0.blocks.0.attn.qkv.weight': torch.zeros(3),
          'backbone.patch_embed.proj.weight': torch.zeros(1),
          'neck.lateral_convs.0.conv.weight': torch.zeros(2),
          'roi_head.bbox_head.fc_cls.weight': torch.zeros(2)}
    out = convert('swin', sd).state_dict
    assert set(out) == {'backbone.stages.0.blocks.0.attn.qkv.weight',
                        'backbone.patch_embed.proj.weight', 'neck.lateral_convs.0.conv.weight',
                        'roi_head.bbox_head.fc_cls.weight'}


def test_window_size_change_resizes_bias_table():
    src = SwinTransformer(arch=TINY, window_size=7)
    dst = SwinTransformer(arch=TINY, window_size=12)
    dst.load_state_dict(src.state_dict())
    assert dst.stages[0].blocks[0].attn.relative_position_bias_table.shape == (23 * 23, 1)


def test_pretrained_load_is_strict_and_loud(tmp_path):
    src = SwinTransformer(arch=TINY)
    good = tmp_path / 'good.pth'
    torch.save({'state_dict': {f'backbone.{k}': v for k, v in src.state_dict().items()}}, good)
    model = SwinTransformer(arch=TINY, init_cfg=dict(type='Pretrained', checkpoint=str(good)))
    model.init_weights()
    assert torch.equal(model.stages[2].blocks[1].mlp.fc1.weight,
                       src.stages[2].blocks[1].mlp.fc1.weight)

    official = tmp_path / 'official.pth'
    torch.save({'model': official_layout(src)}, official)
    model = SwinTransformer(arch=TINY, init_cfg=dict(type='Pretrained', checkpoint=str(official)))
    with pytest.raises(CheckpointMismatchError, match='convert_checkpoint.py'):
        model.init_weights()

    partial = tmp_path / 'partial.pth'
    sd = src.state_dict()
    sd.pop('stages.1.blocks.0.mlp.fc2.weight')
    torch.save(sd, partial)
    model = SwinTransformer(arch=TINY, init_cfg=dict(type='Pretrained', checkpoint=str(partial)))
    with pytest.raises(CheckpointMismatchError, match='stages.1.blocks.0.mlp.fc2.weight'):
        model.init_weights()

    truncated = tmp_path / 'truncated.pth'
    truncated.write_bytes(good.read_bytes()[:100])
    model = SwinTransformer(arch=TINY, init_cfg=dict(type='Pretrained', checkpoint=str(truncated)))
    with pytest.raises(CheckpointMismatchError, match='truncated'):
        model.init_weights()


def test_layer_depth_orders_parameters():
    model = SwinTransformer(arch=TINY)
    num = sum(TINY['depths']) + 2
    assert model.get_layer_depth('patch_embed.proj.weight') == (0, num)
    assert model.get_layer_depth('stages.0.blocks.0.norm1.weight') == (1, num)
    assert model.get_layer_depth('stages.1.blocks.1.attn.qkv.weight') == (4, num)
    assert model.get_layer_depth('stages.0.downsample.reduction.weight') == (3, num)
    assert model.get_layer_depth('norm3.weight') == (num - 1, num)


@pytest.mark.parametrize('shifted', [False, True])
def test_explicit_and_fused_window_attention_agree(monkeypatch, shifted):
    # small windows take the explicit path on CPU, larger ones the fused kernel: same function
    from mmplugins.models.backbones import swin
    torch.manual_seed(0)
    attn = swin.WindowAttention(dim=16, num_heads=2, window_size=4)
    x = torch.randn(2 * 4, 16, 16, requires_grad=True)  # 2 images x 4 windows of 4x4 tokens
    mask = swin.shifted_window_mask(8, 8, 4, 2, x.device) if shifted else None
    outputs = []
    for limit in (64, 0):  # explicit, then fused
        monkeypatch.setattr(swin, 'EXPLICIT_ATTENTION_MAX_TOKENS', limit)
        out = attn(x, mask)
        grads = torch.autograd.grad(out.square().sum(), [x, attn.relative_position_bias_table])
        outputs.append((out, *grads))
    for a, b in zip(*outputs):
        torch.testing.assert_close(a, b, rtol=1e-5, atol=1e-6)
