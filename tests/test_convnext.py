"""ConvNeXt of the kMaX-DeepLab release: every preset builds and reports its channels/strides,
one block and the padded downsampling against hand-written formulas, frozen stages and
norm_eval, batch-1 gradients, the converters (ImageNet files and whole kMaX-DeepLab ConvNeXt
checkpoints with the released key names, through the strict loader), and (slow) the shapes
twin of a kMaX ConvNeXt config training 2 iterations."""
import math

import pytest
import torch
import torch.nn.functional as F

from mmplugins.converters import convert
from mmplugins.models.backbones import ConvNeXt
from mmplugins.models.backbones.convnext import ConvNeXtBlock
from mmplugins.models.utils import CheckpointMismatchError, load_backbone_checkpoint

TINY = dict(depths=(1, 2, 1, 1), dims=(8, 16, 24, 32))


def _randomize(model: torch.nn.Module, seed: int = 0) -> None:
    """Non-trivial values everywhere (layer scale and norms too, not their initial values)."""
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.randn(p.shape, generator=gen) * (0.1 if p.dim() > 1 else 0.5))


# ---------------------------------------------------------------------------- architecture
@pytest.mark.parametrize('arch, depths, dims', [
    ('tiny', (3, 3, 9, 3), (96, 192, 384, 768)),
    ('small', (3, 3, 27, 3), (96, 192, 384, 768)),
    ('base', (3, 3, 27, 3), (128, 256, 512, 1024)),
    ('large', (3, 3, 27, 3), (192, 384, 768, 1536)),
])
def test_presets_build_and_report_channels_and_strides(arch, depths, dims):
    with torch.device('meta'):  # no memory, no compute: the big variants build in a second
        model = ConvNeXt(arch).eval()
        assert model.depths == depths
        assert model.out_channels == list(dims) and model.out_strides == [4, 8, 16, 32]
        assert [len(s) for s in model.stages] == list(depths)
        outs = model(torch.empty(1, 3, 33, 47))
    assert [tuple(o.shape) for o in outs] == [
        (1, c, math.ceil(33 / s), math.ceil(47 / s)) for c, s in zip(dims, (4, 8, 16, 32))]


@pytest.mark.parametrize('size', [1281, 64, 65, 31])
def test_any_size_gives_ceil_of_the_stride(size):
    # 1281 -> 321/161/81/41: the feature sizes the kMaX pixel decoder of the release expects
    model = ConvNeXt(TINY, out_indices=(3, 0)).eval()
    assert model.out_channels == [32, 8] and model.out_strides == [32, 4]
    with torch.no_grad():
        outs = model(torch.randn(1, 3, size, 9))
    assert [tuple(o.shape[-2:]) for o in outs] == [
        (math.ceil(size / 32), 1), (math.ceil(size / 4), 3)]


def test_drop_path_grows_linearly_and_layer_scale_starts_at_1e_6():
    model = ConvNeXt(TINY, drop_path_rate=0.4)
    rates = [0.0 if isinstance(b.drop_path, torch.nn.Identity) else b.drop_path.drop_prob
             for stage in model.stages for b in stage]
    assert rates == pytest.approx([0.0, 0.1, 0.2, 0.3, 0.4])
    assert all(torch.equal(b.gamma, torch.full_like(b.gamma, 1e-6))
               for stage in model.stages for b in stage)
    assert ConvNeXt(TINY, layer_scale_init_value=0).stages[0][0].gamma is None


def _layer_norm(x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor, dim: int,
                eps: float = 1e-6) -> torch.Tensor:
    mean = x.mean(dim, keepdim=True)
    var = (x - mean).pow(2).mean(dim, keepdim=True)
    shape = [1] * x.dim()
    shape[dim] = -1
    return (x - mean) / torch.sqrt(var + eps) * weight.view(shape) + bias.view(shape)


def test_block_equals_hand_written_formula():
    torch.manual_seed(0)
    block = ConvNeXtBlock(6).double().eval()
    _randomize(block)
    x = torch.randn(2, 6, 9, 11, dtype=torch.float64)
    # depthwise 7x7 with zero padding 3, written as a sum over the 49 shifted copies
    padded = F.pad(x, (3, 3, 3, 3))
    y = torch.zeros_like(x)
    for i in range(7):
        for j in range(7):
            kernel = block.dwconv.weight[:, 0, i, j].view(1, -1, 1, 1)
            y += padded[:, :, i:i + 9, j:j + 11] * kernel
    y = y + block.dwconv.bias.view(1, -1, 1, 1)
    y = _layer_norm(y, block.norm.weight, block.norm.bias, dim=1)
    fc1, fc2 = block.mlp.fc1, block.mlp.fc2
    h = torch.einsum('bchw,oc->bohw', y, fc1.weight) + fc1.bias.view(1, -1, 1, 1)
    h = 0.5 * h * (1 + torch.erf(h / math.sqrt(2)))  # exact GELU
    h = torch.einsum('bchw,oc->bohw', h, fc2.weight) + fc2.bias.view(1, -1, 1, 1)
    expected = x + block.gamma.view(1, -1, 1, 1) * h
    with torch.no_grad():
        torch.testing.assert_close(block(x), expected, rtol=1e-12, atol=1e-12)


def test_stem_and_downsampling_pad_before_the_layer_norm():
    """Stem: pad 1 top/left, 2 bottom/right, conv 4x4/4, LN; later: pad 1 bottom/right, LN,
    conv 2x2/2 (padded zeros leave the LN as its bias), as released."""
    torch.manual_seed(0)
    model = ConvNeXt(dict(depths=(0, 0), dims=(4, 6)), out_indices=(0, 1)).double().eval()
    _randomize(model)
    x = torch.randn(1, 3, 10, 7, dtype=torch.float64)
    stem, down = model.downsample_layers
    s = F.conv2d(F.pad(x, (1, 2, 1, 2)), stem[0].weight, stem[0].bias, stride=4)
    s = _layer_norm(s, stem[1].weight, stem[1].bias, dim=1)
    d = _layer_norm(F.pad(s, (0, 1, 0, 1)), down[0].weight, down[0].bias, dim=1)
    assert torch.allclose(d[..., -1, -1], down[0].bias)  # a padded pixel after the LN
    d = F.conv2d(d, down[1].weight, down[1].bias, stride=2)
    with torch.no_grad():
        outs = model(x)
    assert tuple(s.shape[-2:]) == (3, 2) and tuple(d.shape[-2:]) == (2, 1)
    torch.testing.assert_close(outs[0], s, rtol=1e-12, atol=1e-12)
    torch.testing.assert_close(outs[1], d, rtol=1e-12, atol=1e-12)


# ---------------------------------------------------------------------------- training modes
@pytest.mark.parametrize('frozen', [-1, 0, 1, 2, 4])
def test_frozen_stages(frozen):
    model = ConvNeXt(TINY, frozen_stages=frozen, drop_path_rate=0.1)
    model.train()
    frozen_modules = [m for i in range(frozen + 1) for m in model.stage_modules(i)]
    for module in frozen_modules:
        assert not module.training
        assert not any(p.requires_grad for p in module.parameters())
    frozen_params = {id(p) for m in frozen_modules for p in m.parameters()}
    trainable = [p for p in model.parameters() if id(p) not in frozen_params]
    assert all(p.requires_grad for p in trainable)
    # stem = downsample_layers.0; stage i brings its downsampling layer in front of it
    if frozen >= 2:
        assert not model.downsample_layers[1].training and not model.stages[1].training
    if frozen < 4:
        assert model.stages[-1].training
    with pytest.raises(ValueError, match=r'ConvNeXt: frozen_stages must be in -1\.\.4, got 5'):
        ConvNeXt(TINY, frozen_stages=5)


def test_norm_eval_is_a_no_op_without_batch_norms():
    """ConvNeXt normalises with LayerNorms only: norm_eval keeps every module trainable and the
    training-mode output unchanged."""
    torch.manual_seed(0)
    plain, evaled = ConvNeXt(TINY), ConvNeXt(TINY, norm_eval=True)
    evaled.load_state_dict(plain.state_dict())
    plain.train(), evaled.train()
    assert not any(isinstance(m, torch.nn.modules.batchnorm._BatchNorm) for m in plain.modules())
    assert all(m.training for m in evaled.modules())
    x = torch.randn(1, 3, 32, 32)
    for a, b in zip(plain(x), evaled(x)):
        torch.testing.assert_close(a, b)


def test_batch_one_gradients_and_checkpointing():
    """Batch 1 in training mode (drop path on) reaches every parameter; with_cp gives the same
    gradients; the input gradient of an image does not depend on the batch (eval mode)."""
    torch.manual_seed(0)
    model = ConvNeXt(TINY, drop_path_rate=0.2)
    _randomize(model)
    x = torch.randn(1, 3, 40, 24, requires_grad=True)
    sum(o.square().mean() for o in model(x)).backward()
    for name, p in model.named_parameters():
        assert p.grad is not None and torch.isfinite(p.grad).all(), name
    assert x.grad.abs().sum() > 0

    model.eval()
    cp = ConvNeXt(TINY, with_cp=True).eval()
    cp.load_state_dict(model.state_dict())
    grads = []
    for m in (model, cp):
        m.zero_grad()
        sum(o.sum() for o in m(x.detach().requires_grad_())).backward()
        grads.append([p.grad.clone() for p in m.parameters()])
    for a, b in zip(*grads):
        torch.testing.assert_close(a, b)

    pair = torch.randn(2, 3, 40, 24)

    def input_grad(batch):
        batch = batch.clone().requires_grad_()
        sum(o[:1].sum() for o in model(batch)).backward()
        return batch.grad[:1]
    torch.testing.assert_close(input_grad(pair[:1]), input_grad(pair))


# ---------------------------------------------------------------------------- converters
def _to_released(key: str) -> str:
    """This toolkit's ConvNeXt key -> the kMaX release's (``pwconv1/2``)."""
    return key.replace('.mlp.fc1.', '.pwconv1.').replace('.mlp.fc2.', '.pwconv2.')


def test_imagenet_file_converts_and_loads_strictly(tmp_path):
    model = ConvNeXt(TINY)
    _randomize(model, seed=1)
    released = {_to_released(k): v for k, v in model.state_dict().items()}
    assert 'stages.1.1.pwconv2.weight' in released and 'stages.0.0.gamma' in released
    released.update({'norm.weight': torch.ones(32), 'norm.bias': torch.zeros(32),
                     'head.weight': torch.zeros(10, 32), 'head.bias': torch.zeros(10)})
    report = convert('convnext', released)
    assert sorted(report.dropped) == ['head.bias', 'head.weight', 'norm.bias', 'norm.weight']
    path = tmp_path / 'convnext.pth'
    torch.save({'state_dict': report.state_dict}, path)
    fresh = ConvNeXt(TINY)
    load_backbone_checkpoint(fresh, str(path))
    for k, v in model.state_dict().items():
        assert torch.equal(fresh.state_dict()[k], v), k
    with pytest.raises(ValueError, match='not from an official ConvNeXt file'):
        convert('convnext', {**released, 'stages.0.0.pwconv3.weight': torch.zeros(1)})


def test_whole_kmax_convnext_checkpoint_converts(tmp_path):
    """A hand-made kMaX-DeepLab ConvNeXt checkpoint with the released key names (backbone,
    pixel decoder, transformer decoder, auxiliary semantic head) -> mmdet and mmseg layouts;
    the backbone goes through the strict loader, which refuses a file missing a block."""
    pytest.importorskip('mmdet')
    from test_kmax import TINY_HEAD, _to_official
    from mmplugins.models.kmax import KMaXPanopticHead

    backbone = ConvNeXt(TINY)
    _randomize(backbone, seed=2)
    head = KMaXPanopticHead(list(TINY['dims']), num_things_classes=3, num_stuff_classes=2,
                            **TINY_HEAD)
    official = {'backbone.' + _to_released(k): v for k, v in backbone.state_dict().items()}
    official.update({_to_official('panoptic_head.' + k): v for k, v in head.state_dict().items()})
    official.update({'pixel_mean': torch.zeros(3, 1, 1), 'pixel_std': torch.ones(3, 1, 1)})
    # names read in the release (kmax_deeplab/modeling/backbone/convnext.py and the decoders)
    for key in ('backbone.downsample_layers.0.0.weight', 'backbone.downsample_layers.3.0.bias',
                'backbone.stages.1.1.dwconv.weight', 'backbone.stages.2.0.pwconv1.bias',
                'backbone.stages.3.0.gamma',
                'sem_seg_head.pixel_decoder._stages.0._blocks.0._attention._height_axis.'
                '_query_rpe._embeddings.weight',
                'sem_seg_head.predictor._kmax_transformer_layers.0._predcitor.'
                '_transformer_class_head.conv.bias'):
        assert key in official, key

    report = convert('kmax', official)
    assert set(report.dropped) == {'pixel_mean', 'pixel_std'}
    assert any("mmplugins.ConvNeXt, arch={'depths': (1, 2, 1, 1)" in n for n in report.notes)
    sd = report.state_dict
    assert {k for k in sd if k.startswith('backbone.')} == {
        'backbone.' + k for k in backbone.state_dict()}
    head_sd = {k[len('panoptic_head.'):]: v for k, v in sd.items()
               if k.startswith('panoptic_head.')}
    assert head.load_state_dict(head_sd, strict=True)
    path = tmp_path / 'kmax_convnext.pth'
    torch.save({'state_dict': sd}, path)
    fresh = ConvNeXt(TINY)
    load_backbone_checkpoint(fresh, str(path))  # picks the 'backbone.' prefix
    assert torch.equal(fresh.stages[1][1].mlp.fc2.weight, backbone.stages[1][1].mlp.fc2.weight)
    seg = convert('kmax-seg', official).state_dict
    assert any(k.startswith('decode_head.transformer_decoder.') for k in seg)
    assert {k[len('decode_head.'):] for k in seg if k.startswith('decode_head.')} == set(head_sd)

    # the preset is named for a released size
    tiny = {'backbone.' + _to_released(k): v for k, v in ConvNeXt('tiny').state_dict().items()}
    tiny.update({k: v for k, v in official.items() if k.startswith('sem_seg_head.')})
    assert "backbone: mmplugins.ConvNeXt, arch='tiny'" in convert('kmax', tiny).notes
    # the strict loader's report: the wrong arch, or a block missing from the file
    with pytest.raises(CheckpointMismatchError,
                       match=r'size mismatch for downsample_layers\.3\.1\.weight'):
        load_backbone_checkpoint(ConvNeXt(dict(TINY, dims=(8, 16, 24, 40))), str(path))
    del sd['backbone.stages.1.1.gamma']
    torch.save({'state_dict': sd}, path)
    with pytest.raises(CheckpointMismatchError, match=r'leaves 1 weights of ConvNeXt untrained: '
                                                       r'stages\.1\.1\.gamma'):
        load_backbone_checkpoint(ConvNeXt(TINY), str(path))
    with pytest.raises(KeyError, match='not from the official kMaX-DeepLab ConvNeXt release'):
        convert('kmax', {**official, 'backbone.res2.0.conv1.weight': torch.zeros(1)})


# ---------------------------------------------------------------------------- shapes training
@pytest.mark.slow
def test_shapes_twin_trains_two_iterations(shapes_root, tmp_path):
    pytest.importorskip('panopticapi')
    from conftest import train_tiny
    from test_kmax import TINY_HEAD
    opts = {'model.backbone.arch': dict(_delete_=True, **TINY)}
    opts.update({f'model.panoptic_head.{k}': v for k, v in TINY_HEAD.items()})
    config = 'configs/kmax/kmax-deeplab_convnext-t_8xb8-lsj-150k_shapes-coco-panoptic.py'
    runner = train_tiny(config, shapes_root, tmp_path, iters=2, cfg_options=opts)
    assert type(runner.model.backbone).__name__ == 'ConvNeXt'
    assert list(runner.cfg.model.panoptic_head.in_channels) == list(TINY['dims'])
    assert runner.iter == 2
    assert math.isfinite(runner.message_hub.get_scalar('train/loss').current())
    # the released optimizer rules (kMaX-PT train_net.py build_optimizer): backbone lr x0.1,
    # no decay on norms, biases, gamma, relative position embeddings and cluster centres
    groups = {name: (g['lr'], g['weight_decay'])
              for g in runner.optim_wrapper.optimizer.param_groups for name in g['param_names']}
    base = 5e-4
    for name, want in {'backbone.stages.0.0.gamma': (0.1 * base, 0.0),
                       'backbone.stages.0.0.norm.weight': (0.1 * base, 0.0),
                       'backbone.downsample_layers.1.1.bias': (0.1 * base, 0.0),
                       'backbone.stages.0.0.mlp.fc1.weight': (0.1 * base, 0.05),
                       'backbone.downsample_layers.0.0.weight': (0.1 * base, 0.05)}.items():
        assert groups[name] == pytest.approx(want), name
    head = {n: v for n, v in groups.items() if n.startswith('panoptic_head.')}
    assert {v for n, v in head.items() if 'cluster_centers' in n or '_rpe.' in n} == {(base, 0.0)}
    assert (base, 0.05) in head.values()
