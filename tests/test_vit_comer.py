"""ViT-CoMer: presets, shapes at any size, deformable attention against a naive reference,
paper parameter counts, checkpoint conversion, layer decay, freezing and short trainings."""
import math
from pathlib import Path

import pytest
import torch

from mmplugins.converters import convert
from mmplugins.models.backbones.vit_comer import ViTCoMer
from mmplugins.models.layers.ms_deform_attn import MSDeformAttn, grid_reference_points
from mmplugins.models.utils.checkpoint import CheckpointMismatchError, load_backbone_checkpoint

REPO = Path(__file__).resolve().parents[1]
CFG_DIR = REPO / 'configs' / 'vit_comer'
#: a small arch with every module of the real ones (4 interactions, extra CTIs)
TINY = dict(embed_dims=32, depth=4, num_heads=2, deform_num_heads=2, deform_ratio=1.0,
            seg_mrfp_ratio=1.0, interaction_indexes=[[0, 0], [1, 1], [2, 2], [3, 3]])


def tiny(**kw) -> ViTCoMer:
    return ViTCoMer(arch=dict(TINY), conv_inplane=8, **kw)


# ------------------------------------------------------------------------- presets / shapes
@pytest.mark.parametrize('arch,dims,depth,heads,deform_heads,ratio', [
    ('tiny', 192, 12, 3, 6, 1.0), ('small', 384, 12, 6, 6, 1.0),
    ('base', 768, 12, 12, 12, 0.5), ('large', 1024, 24, 16, 16, 0.5)])
@pytest.mark.parametrize('flavour', ['det', 'seg'])
def test_presets_build(arch, dims, depth, heads, deform_heads, ratio, flavour):
    with torch.device('meta'):
        m = ViTCoMer(arch=arch, flavour=flavour)
    assert len(m.blocks) == depth and m.pos_embed.shape == (1, 196, dims)
    assert m.blocks[0].attn.num_heads == heads
    attn = m.interactions[0].cti_tov.attn
    assert (attn.num_heads, attn.value_proj.out_features) == (deform_heads, int(dims * ratio))
    assert m.out_channels == [dims] * 4 and m.out_strides == [4, 8, 16, 32]
    assert len(m.interactions[-1].extra_CTIs) == 4 and m.interactions[0].extra_CTIs is None
    seg_ratio = {'tiny': 6.0, 'small': 1.5, 'base': 1.0, 'large': 1.0}[arch]
    hidden = m.interactions[0].mrfp.fc1.out_features
    assert hidden == int(dims * (seg_ratio if flavour == 'seg' else 0.5))
    assert hasattr(m.interactions[0].cti_toc, 'cfinter') == (flavour == 'seg')
    assert m.vit_feature_per_interaction == (flavour == 'seg')


@pytest.mark.parametrize('size', [(224, 224), (512, 512), (70, 45)])
def test_output_shapes_any_size(size):
    m = tiny(out_indices=(0, 1, 2, 3)).eval()
    with torch.no_grad():
        outs = m(torch.randn(1, 3, *size))
    assert [tuple(o.shape) for o in outs] == [
        (1, 32, math.ceil(size[0] / s), math.ceil(size[1] / s)) for s in (4, 8, 16, 32)]


def test_out_indices():
    m = tiny(out_indices=(1, -1)).eval()
    assert m.out_indices == (1, 3) and m.out_channels == [32, 32] and m.out_strides == [8, 32]
    with torch.no_grad():
        outs = m(torch.randn(1, 3, 50, 70))
    assert [tuple(o.shape[-2:]) for o in outs] == [(7, 9), (2, 3)]
    with pytest.raises(ValueError, match='out_indices entry 4'):
        tiny(out_indices=(4,))


@pytest.mark.parametrize('with_cp', [False, True])
def test_every_parameter_gets_a_gradient(with_cp):
    torch.manual_seed(0)
    m = tiny(flavour='seg', window_attn=[True, False] * 2, window_size=3, with_cp=with_cp)
    x = torch.randn(1, 3, 50, 70)
    outs = m(x)
    sum(o.square().mean() for o in outs).backward()
    # no parameter is left out of the graph (DistributedDataParallel needs none unused)
    assert [n for n, p in m.named_parameters() if p.grad is None] == []
    if with_cp:  # checkpointing recomputes the same function
        ref = tiny(flavour='seg', window_attn=[True, False] * 2, window_size=3)
        ref.load_state_dict(m.state_dict())
        ref.train()
        torch.testing.assert_close(ref(x)[2], outs[2].detach())


def test_norm_cfg_and_flavour_overrides():
    m = tiny(norm_cfg=dict(type='GN', num_groups=4), flavour='det',
             cnn_feature_interaction=[True, False, True, False], mrfp_ratio=2.0)
    assert isinstance(m.norm1, torch.nn.GroupNorm)
    assert [hasattr(i.cti_toc, 'cfinter') for i in m.interactions] == [True, False, True, False]
    assert m.interactions[0].mrfp.fc1.out_features == 64
    m.eval()
    with torch.no_grad():
        assert m(torch.randn(1, 3, 64, 64))[0].shape == (1, 32, 16, 16)
    assert isinstance(tiny(norm_cfg=dict(type='SyncBN')).norm4, torch.nn.SyncBatchNorm)


def test_clear_errors():
    with pytest.raises(ValueError, match="flavour must be one of"):
        tiny(flavour='cls')
    with pytest.raises(ValueError, match='interaction_indexes'):
        ViTCoMer(arch=dict(TINY, interaction_indexes=[[0, 1], [3, 3]]))
    with pytest.raises(ValueError, match='list of 4 bools'):
        tiny(use_cti_toc=[True, False])
    with pytest.raises(ValueError, match="pretrained_scope must be 'vit' or 'all'"):
        tiny(pretrained_scope='everything')
    with pytest.raises(KeyError, match='accepted presets'):
        ViTCoMer(arch='huge')


# --------------------------------------------------------- deformable attention vs. loops
def _bilinear(img: torch.Tensor, x: float, y: float) -> torch.Tensor:
    """img (C, H, W); (x, y) normalised, align_corners=False, zeros outside."""
    c, h, w = img.shape
    px, py = x * w - 0.5, y * h - 0.5
    x0, y0 = math.floor(px), math.floor(py)
    out = torch.zeros(c, dtype=img.dtype)
    for yy, xx in ((y0, x0), (y0, x0 + 1), (y0 + 1, x0), (y0 + 1, x0 + 1)):
        if 0 <= yy < h and 0 <= xx < w:
            out += img[:, yy, xx] * (1 - abs(px - xx)) * (1 - abs(py - yy))
    return out


@pytest.mark.parametrize('ratio', [1.0, 0.5])
def test_ms_deform_attn_matches_naive_reference(ratio):
    torch.manual_seed(0)
    heads, levels, points, dims = 2, 2, 3, 8
    shapes = [(3, 4), (2, 2)]
    attn = MSDeformAttn(dims, heads, levels, points, value_proj_ratio=ratio).double()
    with torch.no_grad():  # large offsets so samples fall between pixels and outside
        for p in attn.parameters():
            p.normal_(0, 0.7)
    query = torch.randn(1, 5, dims, dtype=torch.double)
    value = torch.randn(1, sum(h * w for h, w in shapes), dims, dtype=torch.double)
    ref = torch.rand(1, 5, levels, 2, dtype=torch.double)
    spatial = torch.tensor(shapes)
    start = torch.tensor([0, 12])
    with torch.no_grad():
        out = attn(query, ref, value, spatial, start)
        expected = _naive_ms_deform_attn(attn, query, ref, value, shapes, start)
    torch.testing.assert_close(out[0], expected, rtol=1e-9, atol=1e-9)


def _naive_ms_deform_attn(attn, query, ref, value, shapes, start):
    """Explicit loops over queries, heads, levels and points."""
    nq, heads = query.shape[1], attn.num_heads
    levels, points = attn.num_levels, attn.num_points

    v = attn.value_proj(value)[0]
    hd = v.shape[-1] // heads
    off = attn.sampling_offsets(query)[0].view(nq, heads, levels, points, 2)
    logits = attn.attention_weights(query)[0].view(nq, heads, levels * points)
    expected = torch.zeros(nq, heads * hd, dtype=torch.double)
    for q in range(nq):
        for h in range(heads):
            w = torch.softmax(logits[q, h], 0).view(levels, points)
            for lvl, (H, W) in enumerate(shapes):
                s = int(start[lvl])
                img = v[s:s + H * W, h * hd:(h + 1) * hd].t().reshape(hd, H, W)
                for p in range(points):
                    x = ref[0, q, lvl, 0] + off[q, h, lvl, p, 0] / W
                    y = ref[0, q, lvl, 1] + off[q, h, lvl, p, 1] / H
                    expected[q, h * hd:(h + 1) * hd] += w[lvl, p] * _bilinear(img, float(x),
                                                                             float(y))
    return attn.output_proj(expected)


def test_windowed_attention_matches_naive_reference():
    """Windows of the zero-padded projected q/k/v, padding keys not masked (official)."""
    from mmplugins.models.backbones.vit_comer import ViTAttention
    torch.manual_seed(0)
    dim, heads, h, w, ws = 8, 2, 5, 7, 3
    attn = ViTAttention(dim, heads, window_size=ws).double().eval()
    x = torch.randn(1, h * w, dim, dtype=torch.double)
    with torch.no_grad():
        out = attn(x, h, w)
        qkv = torch.zeros(6, 9, 3 * dim, dtype=torch.double)  # padded to 6 x 9
        qkv[:h, :w] = attn.qkv(x)[0].view(h, w, 3 * dim)
        expected = torch.zeros(h, w, dim, dtype=torch.double)
        hd = dim // heads
        for wy in range(0, 6, ws):
            for wx in range(0, 9, ws):
                win = qkv[wy:wy + ws, wx:wx + ws].reshape(ws * ws, 3, heads, hd)
                for head in range(heads):
                    q, k, v = win[:, 0, head], win[:, 1, head], win[:, 2, head]
                    a = torch.softmax(q @ k.t() / math.sqrt(hd), -1) @ v
                    a = a.view(ws, ws, hd)
                    for i in range(ws):
                        for j in range(ws):
                            if wy + i < h and wx + j < w:
                                expected[wy + i, wx + j, head * hd:(head + 1) * hd] = a[i, j]
        expected = attn.proj(expected.view(1, h * w, dim))
    torch.testing.assert_close(out, expected, rtol=1e-10, atol=1e-10)


def test_grid_reference_points():
    ref = grid_reference_points([(2, 4), (1, 1)])
    assert ref.shape == (1, 9, 1, 2)
    torch.testing.assert_close(ref[0, :4, 0], torch.tensor(
        [[0.125, 0.25], [0.375, 0.25], [0.625, 0.25], [0.875, 0.25]]))
    torch.testing.assert_close(ref[0, 8, 0], torch.tensor([0.5, 0.5]))


# --------------------------------------------------------------------- parameter counts
def _model_params(config: str, arch: str) -> float:
    from mmengine.registry import init_default_scope

    from mmplugins.analysis.complexity import count_params
    from mmplugins.apis import load_config
    cfg = load_config(str(CFG_DIR / config))
    cfg.model.backbone.init_cfg = None
    scope = cfg.default_scope
    init_default_scope(scope)
    if scope == 'mmdet':
        from mmdet.registry import MODELS
    else:
        from mmseg.registry import MODELS
    with torch.device('meta'):
        model = MODELS.build(cfg.model)
    assert model.backbone.embed_dims == ViTCoMer.arch_zoo[arch]['embed_dims']
    return count_params(model) / 1e6


@pytest.mark.parametrize('config,arch,paper', [
    ('mask-rcnn_vit-comer-t_fpn_ms-crop-1x_coco.py', 'tiny', 29.0),
    ('mask-rcnn_vit-comer-s_fpn_ms-crop-1x_coco.py', 'small', 50.0),
    ('mask-rcnn_vit-comer-b_fpn_ms-crop-1x_coco.py', 'base', 129.0),
    # DINOv2: the paper lists the DeiT models' counts; the 37x37 position grid (pretrain_size
    # 592) holds (37**2 - 14**2) * C more parameters (whole detector S: 50.76M, B: 129.74M)
    ('mask-rcnn_vit-comer-s-dinov2_fpn_ms-crop-1x_coco.py', 'small',
     50.0 + (37 ** 2 - 14 ** 2) * 384 / 1e6),
    ('mask-rcnn_vit-comer-b-dinov2_fpn_ms-crop-3x_coco.py', 'base',
     129.0 + (37 ** 2 - 14 ** 2) * 768 / 1e6),
    ('upernet_vit-comer-t_160k_ade20k-512x512.py', 'tiny', 38.7),
    ('upernet_vit-comer-s_160k_ade20k-512x512.py', 'small', 61.4),
    ('upernet_vit-comer-b_160k_ade20k-512x512.py', 'base', 144.7)])
def test_param_counts_match_paper(config, arch, paper):
    """Whole detector/segmentor built from the config on the meta device (paper Table 1 and the
    official segmentation README count the full model)."""
    millions = _model_params(config, arch)
    assert abs(millions - paper) / paper < 0.01, f'{config}: {millions:.2f}M vs paper {paper}M'


# ---------------------------------------------------------------------------- conversion
def _official_layout(model: ViTCoMer) -> dict:
    """What an official mmdet-2 Mask R-CNN file of ``model`` holds: ``backbone.`` prefix, a
    class-token slot in ``pos_embed``, the never-used norms, and neck/head tensors."""
    sd = {}
    for k, v in model.state_dict().items():
        if k == 'pos_embed':
            v = torch.cat([torch.randn(1, 1, v.shape[-1]), v], 1)
        sd['backbone.' + k] = v.clone()
    for i, inter in enumerate(model.interactions):
        mods = [('cti_toc', inter.cti_toc)] + [
            (f'extra_CTIs.{j}', m) for j, m in enumerate(inter.extra_CTIs or [])]
        for name, mod in mods:
            if not mod.cnn_feature_interaction:
                for n in ('query_norm', 'feat_norm'):
                    for p in ('weight', 'bias'):
                        sd[f'backbone.interactions.{i}.{name}.{n}.{p}'] = torch.randn(32)
    sd['neck.lateral_convs.0.conv.weight'] = torch.randn(4, 32, 1, 1)
    return sd


def test_convert_official_round_trip():
    src = tiny(flavour='det', cnn_feature_interaction=[True, False, False, False])
    official = _official_layout(src)
    rep = convert('vit_comer', official)
    own = {'backbone.' + k: v for k, v in src.state_dict().items()}
    assert set(rep.state_dict) == set(own) | {'neck.lateral_convs.0.conv.weight'}
    for k, v in own.items():
        assert torch.equal(rep.state_dict[k], v), k
    # cti_toc of interactions 1..3 (2 norms x 2 tensors) and 4 extra CTIs (4 x 4 tensors)
    assert len(rep.dropped) == 3 * 4 + 4 * 4
    assert all('query_norm' in k or 'feat_norm' in k for k in rep.dropped)
    dst = tiny(flavour='det', cnn_feature_interaction=[True, False, False, False],
               pretrained_scope='all')
    dst.load_state_dict({k[9:]: v for k, v in rep.state_dict.items()
                         if k.startswith('backbone.')}, strict=True)


def _deit_layout(dims: int, depth: int, grid: int, distilled: bool = False) -> dict:
    sd = {'cls_token': torch.randn(1, 1, dims),
          'pos_embed': torch.randn(1, grid * grid + 1 + distilled, dims),
          'patch_embed.proj.weight': torch.randn(dims, 3, 16, 16),
          'patch_embed.proj.bias': torch.randn(dims),
          'norm.weight': torch.randn(dims), 'norm.bias': torch.randn(dims),
          'head.weight': torch.randn(10, dims), 'head.bias': torch.randn(10)}
    if distilled:
        sd['dist_token'] = torch.randn(1, 1, dims)
        sd['head_dist.weight'] = torch.randn(10, dims)
    for i in range(depth):
        for name, shape in (('norm1', (dims,)), ('attn.qkv', (3 * dims, dims)),
                            ('attn.proj', (dims, dims)), ('norm2', (dims,)),
                            ('mlp.fc1', (4 * dims, dims)), ('mlp.fc2', (dims, 4 * dims))):
            sd[f'blocks.{i}.{name}.weight'] = torch.randn(shape)
            sd[f'blocks.{i}.{name}.bias'] = torch.randn(shape[0])
    return sd


@pytest.mark.parametrize('distilled', [False, True])
def test_convert_deit_and_load_vit_only(tmp_path, distilled):
    deit = _deit_layout(32, 4, 14, distilled)
    rep = convert('deit', deit)
    sd = rep.state_dict
    torch.testing.assert_close(sd['pos_embed'], deit['pos_embed'][:, 1 + distilled:])
    assert torch.equal(sd['blocks.3.gamma2'], torch.ones(32))
    assert {'cls_token', 'norm.weight', 'head.weight'} <= set(rep.dropped)
    path = tmp_path / 'deit.pth'
    torch.save({'state_dict': sd}, path)
    model = tiny()  # pretrained_scope='vit': the CoMer modules may start fresh
    load_backbone_checkpoint(model, str(path), allowed_missing=model.fresh_param_prefixes)
    assert torch.equal(model.blocks[2].mlp.fc1.weight, deit['blocks.2.mlp.fc1.weight'])
    strict = tiny(pretrained_scope='all')
    with pytest.raises(CheckpointMismatchError, match='untrained'):
        load_backbone_checkpoint(strict, str(path), allowed_missing=strict.fresh_param_prefixes)


def test_convert_interpolates_pos_embed_and_rejects_other_layouts():
    from mmplugins.converters.vit_comer import convert_vit_comer
    deit = _deit_layout(32, 1, 14)
    same = convert_vit_comer(deit, pretrain_size=224).state_dict['pos_embed']
    torch.testing.assert_close(same, deit['pos_embed'][:, 1:])
    big = convert_vit_comer(deit, pretrain_size=384).state_dict['pos_embed']
    assert big.shape == (1, 24 * 24, 32)
    model = ViTCoMer(arch=dict(TINY, depth=1, interaction_indexes=[[0, 0]]), conv_inplane=8,
                     pretrain_size=384, flavour='det')
    assert model.pos_embed.shape == big.shape
    with pytest.raises(KeyError, match='not a ViT-CoMer or timm ViT'):
        convert('vit_comer', {'layers.0.weight': torch.zeros(1)})
    patch14 = dict(deit, **{'patch_embed.proj.weight': torch.zeros(32, 3, 14, 14)})
    with pytest.raises(ValueError, match='14x14 patches'):
        convert('deit', patch14)


def _dinov2_layout(dims: int, depth: int) -> dict:
    """A DINOv2 ViT file (facebookresearch/dinov2 layout): patch 14, a 37x37 grid (518 / 14)
    after the class token, ``ls{1,2}.gamma`` layer scales, ``mask_token``; blocks 2.. stored in
    chunks (``blocks.<chunk>.<i>.``) as in DINOv2's training checkpoints."""
    sd = _deit_layout(dims, depth, 37)
    sd.pop('head.weight'), sd.pop('head.bias')
    sd['patch_embed.proj.weight'] = torch.randn(dims, 3, 14, 14)
    sd['mask_token'] = torch.zeros(1, dims)
    for i in range(depth):
        for g in (1, 2):
            sd[f'blocks.{i}.ls{g}.gamma'] = torch.rand(dims)
    return {(k.replace(f'blocks.{k.split(".")[1]}.', f'blocks.1.{k.split(".")[1]}.')
             if k.startswith('blocks.') and int(k.split('.')[1]) >= 2 else k): v
            for k, v in sd.items()}


def test_convert_dinov2_resizes_the_patch_kernel_and_keeps_layer_scale(tmp_path):
    import torch.nn.functional as F
    dino = _dinov2_layout(32, 4)
    rep = convert('dinov2', dino)
    sd = rep.state_dict
    # layer scales become the ViT-CoMer block's gammas (chunked blocks flattened)
    assert torch.equal(sd['blocks.0.gamma1'], dino['blocks.0.ls1.gamma'])
    assert torch.equal(sd['blocks.3.gamma2'], dino['blocks.1.3.ls2.gamma'])
    assert torch.equal(sd['blocks.3.attn.qkv.weight'], dino['blocks.1.3.attn.qkv.weight'])
    assert {'cls_token', 'mask_token', 'norm.weight'} <= set(rep.dropped)
    # 14x14 -> 16x16 bicubic (align_corners=False); a constant kernel stays constant, since
    # the bicubic weights of every output tap sum to one
    kernel = sd['patch_embed.proj.weight']
    assert kernel.shape == (32, 3, 16, 16)
    torch.testing.assert_close(kernel, F.interpolate(dino['patch_embed.proj.weight'], (16, 16),
                                                     mode='bicubic', align_corners=False))
    flat = convert('dinov2', dict(dino, **{'patch_embed.proj.weight':
                                           torch.full((32, 3, 14, 14), 0.5)}))
    torch.testing.assert_close(flat.state_dict['patch_embed.proj.weight'],
                               torch.full((32, 3, 16, 16), 0.5))
    # the 37x37 grid is kept: pretrain_size=592 (37 patches of 16), as the released configs
    torch.testing.assert_close(sd['pos_embed'], dino['pos_embed'][:, 1:])
    path = tmp_path / 'dinov2.pth'
    torch.save({'state_dict': sd}, path)
    model = tiny(pretrain_size=592)
    load_backbone_checkpoint(model, str(path), allowed_missing=model.fresh_param_prefixes)
    assert torch.equal(model.blocks[2].gamma1, dino['blocks.1.2.ls1.gamma'])
    assert torch.equal(model.patch_embed.proj.weight, kernel)
    # an already resized (patch-16) file passes through; ViT-g's SwiGLU blocks are refused
    again = convert('dinov2', dict(dino, **{'patch_embed.proj.weight': kernel}))
    assert torch.equal(again.state_dict['patch_embed.proj.weight'], kernel)
    with pytest.raises(ValueError, match='SwiGLU'):
        convert('dinov2', dict(dino, **{'blocks.0.mlp.w12.weight': torch.zeros(1)}))


# ------------------------------------------------------------- layer decay and freezing
def test_layer_depth_and_decay_constructor():
    from mmengine.optim import build_optim_wrapper

    from mmplugins.engine.optimizers.layer_decay import LayerDecayOptimWrapperConstructor  # noqa
    m = tiny()
    assert m.get_layer_depth('pos_embed') == (0, 6)
    assert m.get_layer_depth('patch_embed.proj.weight') == (0, 6)
    assert m.get_layer_depth('blocks.3.attn.qkv.weight') == (4, 6)
    assert m.get_layer_depth('interactions.0.cti_tov.gamma') == (5, 6)

    class Wrapper(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.backbone = m
            self.head = torch.nn.Linear(2, 2)

    wrapper = build_optim_wrapper(Wrapper(), dict(
        constructor='mmplugins.LayerDecayOptimWrapperConstructor',
        optimizer=dict(type='AdamW', lr=1.0, weight_decay=0.05),
        paramwise_cfg=dict(layer_decay_rate=0.5)))
    lr = {n: g['lr'] for g in wrapper.optimizer.param_groups for n in g['param_names']}
    assert lr['backbone.pos_embed'] == pytest.approx(0.5 ** 5)
    assert lr['backbone.blocks.0.attn.qkv.weight'] == pytest.approx(0.5 ** 4)
    assert lr['backbone.blocks.3.mlp.fc2.weight'] == pytest.approx(0.5)
    assert lr['backbone.spm.fc1.weight'] == lr['head.weight'] == 1.0


def test_frozen_stages():
    m = tiny(frozen_stages=2)
    m.train()
    frozen = {n for n, p in m.named_parameters() if not p.requires_grad}
    assert 'pos_embed' in frozen and 'patch_embed.proj.weight' in frozen
    assert {n.split('.')[1] for n in frozen if n.startswith('blocks.')} == {'0', '1'}
    assert not any(n.startswith(('blocks.2', 'spm', 'interactions')) for n in frozen)
    assert not m.blocks[1].training and m.blocks[2].training


# ---------------------------------------------------------------- few-iteration trainings
def _train_shapes(config: str, shapes_root: str, tmp_path) -> None:
    pytest.importorskip('mmdet')
    pytest.importorskip('mmseg')
    from conftest import tiny_runner
    runner = tiny_runner(f'configs/vit_comer/{config}', shapes_root, tmp_path, iters=1,
                         validate=False, cfg_options={
                             'model.backbone.arch': dict(TINY, _delete_=True),
                             'model.backbone.conv_inplane': 8,
                             'model.backbone.drop_path_rate': 0.1,
                             'model.backbone.window_attn': [True, True, False, True],
                             'model.backbone.window_size': 3})
    cfg = runner.cfg
    assert cfg.model.backbone.init_cfg is None and cfg.model.backbone.flavour == (
        'det' if 'coco' in config else 'seg')
    assert type(runner.model.backbone).__name__ == 'ViTCoMer'
    before = runner.model.backbone.blocks[0].attn.qkv.weight.detach().clone()
    runner.train()
    assert runner.iter == 1
    assert not torch.equal(before, runner.model.backbone.blocks[0].attn.qkv.weight)


@pytest.mark.slow
def test_train_mask_rcnn_shapes(shapes_root, tmp_path):
    _train_shapes('mask-rcnn_vit-comer-t_fpn_ms-crop-1x_shapes-coco.py', shapes_root, tmp_path)


@pytest.mark.slow
def test_train_upernet_shapes(shapes_root, tmp_path):
    _train_shapes('upernet_vit-comer-t_160k_shapes-ade20k.py', shapes_root, tmp_path)
