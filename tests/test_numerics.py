"""Numerics: a NaN/inf loss stops training with a clear message; AMP keeps FFT and spiking
parts in fp32 and every backbone finite."""
import math
import uuid
from types import SimpleNamespace

import pytest
import torch
import torch.nn as nn
from mmengine.model import BaseModel
from mmengine.runner import Runner

from conftest import REPO, load_tiny, tiny_config
from mmplugins.engine.hooks import FiniteLossHook


# ------------------------------------------------------------------------ FiniteLossHook
def test_finite_loss_hook_names_iteration_and_terms():
    hook = FiniteLossHook()
    runner = SimpleNamespace(iter=6)
    finite = {'loss': torch.tensor(1.5), 'loss_cls': torch.tensor(1.0),
              'loss_mask': torch.tensor(0.5), 'acc': torch.tensor(float('nan'))}
    hook.after_train_iter(runner, 6, outputs=finite)  # a NaN accuracy is not a loss
    bad = dict(finite, loss=torch.tensor(float('nan')), loss_mask=torch.tensor(float('nan')))
    with pytest.raises(FloatingPointError) as err:
        hook.after_train_iter(runner, 6, outputs=bad)
    msg = str(err.value)
    assert msg.startswith("iteration 7: loss term 'loss_mask' is nan (loss total nan)")
    assert 'loss_cls' not in msg and 'default_hooks=dict(finite_loss=dict(enabled=False))' in msg
    with pytest.raises(FloatingPointError, match=r"'decode.loss_ce' is inf"):
        hook.after_train_iter(runner, 6, outputs={'loss': torch.tensor(float('inf')),
                                                  'decode.loss_ce': torch.tensor(math.inf)})
    # finite terms whose sum overflows
    with pytest.raises(FloatingPointError, match='no single term'):
        hook.after_train_iter(runner, 6, outputs={'loss': torch.tensor(float('inf')),
                                                  'loss_a': torch.tensor(3e38)})
    with pytest.raises(ValueError, match='interval must be an int >= 1'):
        FiniteLossHook(interval=0)


class NanAtIteration(BaseModel):
    """A two-term loss whose second term turns NaN at call ``nan_at`` (1-based)."""

    def __init__(self, nan_at: int) -> None:
        super().__init__()
        self.w = nn.Parameter(torch.ones(3))
        self.nan_at, self.calls = nan_at, 0

    def forward(self, inputs, data_samples=None, mode='tensor'):
        self.calls += 1
        pred = inputs @ self.w
        bad = float('nan') if self.calls == self.nan_at else 1.0
        return dict(loss_fit=pred.square().mean(), loss_reg=self.w.abs().sum() * bad)


def toy_runner(model: nn.Module, work_dir, iters: int, by_epoch: bool = False,
               **kwargs) -> Runner:
    """An mmengine Runner on a 3-feature toy dataset of 4 batches (fast, no mmdet/mmseg);
    ``by_epoch``: ``iters`` epochs of 4 iterations."""
    g = torch.Generator().manual_seed(0)  # the same data in every run
    data = [dict(inputs=torch.randn(3, generator=g)) for _ in range(8)]
    name = uuid.uuid4().hex
    hooks = dict(checkpoint=dict(type='CheckpointHook', interval=100, by_epoch=False))
    hooks.update(kwargs.pop('default_hooks', {}))
    return Runner(
        model=model, work_dir=str(work_dir), experiment_name=name,
        train_dataloader=dict(dataset=data, batch_size=2,
                              collate_fn=dict(type='default_collate'),
                              sampler=dict(type='DefaultSampler' if by_epoch
                                           else 'InfiniteSampler', shuffle=True)),
        optim_wrapper=dict(optimizer=dict(type='SGD', lr=0.01)),
        train_cfg=dict(by_epoch=True, max_epochs=iters) if by_epoch
        else dict(by_epoch=False, max_iters=iters),
        visualizer=dict(type='Visualizer', name=name),
        default_hooks=hooks, **kwargs)


def test_nan_loss_stops_training_at_that_iteration(tmp_path):
    runner = toy_runner(NanAtIteration(nan_at=3), tmp_path / 'a', iters=6,
                        default_hooks=dict(finite_loss=dict(type='mmplugins.FiniteLossHook')))
    with pytest.raises(FloatingPointError, match="iteration 3: loss term 'loss_reg' is nan"):
        runner.train()
    assert runner.iter == 2  # iteration 3 was not counted as done
    assert not list((tmp_path / 'a').glob('*.pth'))  # no checkpoint of NaN weights
    # opted out: runs on with NaN weights (what the hook prevents)
    runner = toy_runner(NanAtIteration(nan_at=3), tmp_path / 'b', iters=6)
    runner.train()
    assert runner.iter == 6 and torch.isnan(runner.model.w).all()


def test_safety_hooks_in_default_runtimes_and_opt_out():
    from mmengine.config import Config
    for config in ('configs/swin/mask-rcnn_swin-t-p4-w7_fpn_1x_coco.py',
                   'configs/swin/upernet_swin-t-p4-w7_160k_ade20k-512x512.py'):
        cfg = Config.fromfile(str(REPO / config))  # plain mmengine: no toolkit loader
        assert cfg.default_hooks.finite_loss.type == 'mmplugins.FiniteLossHook', config
        assert cfg.default_hooks.rng_state.type == 'mmplugins.RNGStateHook', config
        assert cfg.default_hooks.checkpoint.type == 'CheckpointHook'  # library defaults kept


def test_finite_loss_opt_out_trains_on(tmp_path):
    """The documented opt-out (mmengine refuses None for a hook it does not define)."""
    runner = toy_runner(NanAtIteration(nan_at=2), tmp_path, iters=4, default_hooks=dict(
        finite_loss=dict(type='mmplugins.FiniteLossHook', enabled=False)))
    runner.train()
    assert runner.iter == 4 and torch.isnan(runner.model.w).all()


# ------------------------------------------------------------------- AMP: spiking in fp32
def test_spiking_neuron_membrane_and_output_fp32_under_autocast():
    from spiking import MultiSpikeNode
    torch.manual_seed(0)
    x = torch.rand(3, 2, 8) * 1.2
    for decay in (None, 0.5):
        node = MultiSpikeNode(levels=4, decay=decay, step_mode='m')
        ref = node(x)
        v_ref = node.v if decay is not None else None
        node.reset()
        with torch.autocast('cpu', dtype=torch.bfloat16):
            low = node(x.bfloat16())
        assert low.dtype == torch.float32 and torch.isfinite(low).all()
        # counts from the bf16 input equal the fp32 counts of that same (rounded) input
        node.reset()
        torch.testing.assert_close(low, node(x.bfloat16().float()), rtol=0, atol=0)
        assert (low - ref).abs().max() <= 0.25 + 1e-6  # at most one count apart
        if decay is not None:
            node.reset()
            with torch.autocast('cpu', dtype=torch.bfloat16):
                node(x.bfloat16())
            assert node.v.dtype == torch.float32 and v_ref.dtype == torch.float32


def test_spike_matmul_and_quantizer_fp32_under_autocast():
    from spiking.layers import SpikeMatMul
    from spiking.quant import LSQConv2d
    torch.manual_seed(0)
    # 4-level counts summed over 600 tokens: exact integers in fp32, not in bf16 (8 bits)
    a = torch.randint(0, 5, (1, 2, 8, 600)).float() / 4
    b = torch.randint(0, 5, (1, 2, 600, 8)).float() / 4
    with torch.autocast('cpu', dtype=torch.bfloat16):
        out = SpikeMatMul()(a.bfloat16(), b.bfloat16())
        plain = a.bfloat16() @ b.bfloat16()
    assert out.dtype == torch.float32
    torch.testing.assert_close(out, a @ b, rtol=0, atol=0)
    assert not torch.equal(plain.float(), a @ b)  # what autocast alone would give
    conv = LSQConv2d(4, 6, 3, bits=4)
    with torch.autocast('cpu', dtype=torch.bfloat16):
        qw = conv.quant(conv.weight)
        y = conv(torch.randn(1, 4, 5, 5))
    assert qw.dtype == torch.float32 and conv.quant.alpha.dtype == torch.float32
    codes = qw / conv.quant.alpha.view(-1, 1, 1, 1)
    torch.testing.assert_close(codes, codes.round())  # on the integer grid in fp32
    assert y.dtype == torch.bfloat16 and torch.isfinite(y.float()).all()


# ------------------------------------------------------------------- AMP: every backbone
def _swin():
    from mmplugins.models.backbones import SwinTransformer
    from test_swin import TINY
    return SwinTransformer(arch=TINY, window_size=4)


def _hornet():
    from mmplugins.models.backbones import HorNet
    from test_hornet import TINY
    return HorNet(arch=TINY)


def _rmt():
    from mmplugins.models.backbones import RMT
    from test_rmt import TINY
    return RMT(arch=TINY)


def _vit_comer():
    from test_vit_comer import tiny
    return tiny()


def _qsd():
    from test_qsd_transformer import _tiny
    return _tiny()


# Mean relative error of the output maps under bf16 autocast, measured: 0.003-0.008 for the
# four real-valued backbones; 0.06-0.07 for QSD, whose neurons (fp32) round their inputs to
# spike counts: a bf16 conv/BN output near a rounding boundary flips a count, and flips add up.
@pytest.mark.parametrize('build,tol', [(_swin, 0.02), (_hornet, 0.02), (_rmt, 0.02),
                                       (_vit_comer, 0.02), (_qsd, 0.1)],
                         ids=['swin', 'hornet', 'rmt', 'vit_comer', 'qsd'])
def test_backbone_finite_and_close_under_bf16_autocast(build, tol):
    torch.manual_seed(0)
    model = build().eval()
    x = torch.randn(1, 3, 64, 64)
    with torch.no_grad():
        ref = model(x)
        with torch.autocast('cpu', dtype=torch.bfloat16):
            low = model(x)
    assert len(low) == len(ref)
    for r, o in zip(ref, low):
        assert o.shape == r.shape and torch.isfinite(o.float()).all()
        err = (o.float() - r).abs().mean() / r.abs().mean().clamp_min(1e-6)
        assert err < tol, f'{build.__name__}: mean relative error {err:.3f} under bf16'


def test_finite_loss_hook_names_the_term_of_a_real_segmentor(shapes_root, tmp_path):
    """train_step's outputs carry every term (``decode.loss_ce``, ``aux.loss_ce``): a NaN in
    the decode head alone is reported under its own name."""
    from mmengine.optim import build_optim_wrapper
    from mmengine.structures import PixelData
    from mmseg.registry import MODELS
    from mmseg.structures import SegDataSample

    cfg = load_tiny(tiny_config('configs/demo/upernet_swin-demo_shapes-ade20k.py', shapes_root,
                                tmp_path), shapes_root, str(tmp_path / 'work'))
    model = MODELS.build(cfg.model)
    with torch.no_grad():
        model.decode_head.conv_seg.bias.fill_(float('nan'))
    sample = SegDataSample(gt_sem_seg=PixelData(data=torch.randint(0, 8, (1, 32, 32))))
    sample.set_metainfo(dict(img_shape=(32, 32), ori_shape=(32, 32), pad_shape=(32, 32)))
    data = dict(inputs=[torch.randint(0, 255, (3, 32, 32), dtype=torch.uint8)] * 2,
                data_samples=[sample, sample.clone()])
    outputs = model.train_step(data, build_optim_wrapper(model, cfg.optim_wrapper))
    assert math.isfinite(float(outputs['aux.loss_ce']))
    with pytest.raises(FloatingPointError) as err:
        FiniteLossHook().after_train_iter(SimpleNamespace(iter=0), 0, outputs=outputs)
    assert str(err.value).startswith(
        "iteration 1: loss term 'decode.loss_ce' is nan (loss total nan)")
