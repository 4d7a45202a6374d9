"""Spiking necks and heads of the QSD detectors and segmentors: each against a hand-written
reference computation, the time dimension, state resets, the whole-model converter and short
trainings of the spike-driven shapes configs."""
import pytest
import torch
import torch.nn.functional as F
from mmengine.registry import init_default_scope

from mmplugins.converters import convert
from mmplugins.models.backbones.qsd_transformer import QSDTransformer
from mmplugins.models.spiking_heads.common import SEG_NEURON, build_neuron
from mmplugins.registry import MODELS
from spiking import MultiSpikeNode

TINY = dict(embed_dims=(16, 32, 32, 48), depths=(1, 1), num_heads=2, mlp_ratio=2)


def q(x: torch.Tensor, norm: float = 1.0) -> torch.Tensor:
    """The released neck/head neuron: integer counts ``torch.round(clamp(x, 0, 4))``."""
    return torch.round(torch.clamp(x, 0, 4)) / norm


def _build(scope: str, **cfg):
    init_default_scope(scope)
    torch.manual_seed(0)
    return MODELS.build(cfg)


def _rand(*shape: int) -> torch.Tensor:
    return torch.randn(*shape) * 2 + 0.5  # spans all five spike levels


def _record_neurons(module):
    """Outputs of every MultiSpikeNode under ``module`` during the next forwards."""
    outs = []
    for m in module.modules():
        if isinstance(m, MultiSpikeNode):
            m.register_forward_hook(lambda mod, a, o: outs.append(o.detach() * mod.norm))
    return outs


# ------------------------------------------------------------------------------ neurons
def test_detector_and_qfpn_neurons_fire_integer_counts():
    below = torch.nextafter(torch.tensor(0.5), torch.tensor(0.0)).item()  # one ulp under 0.5
    x = torch.tensor([-1.0, 0.49, below, 0.5, 1.2, 1.5, 2.5, 3.7, 9.0])
    det = build_neuron(None).eval()
    seg = build_neuron(SEG_NEURON).eval()
    # torch.round as released: half to even, and one ulp under a half stays below
    assert det(x[None])[0].tolist() == [0, 0, 0, 0, 1, 2, 2, 4, 4]
    assert torch.equal(seg(x[None]), det(x[None]) / 4)
    # floor(x + 0.5) (the QSD backbone's rounding) rounds both up: 0.5 + (0.5 - ulp) is 1 in fp32
    half_up = MultiSpikeNode(levels=4, threshold=1.0, norm=1.0, step_mode='s')
    assert half_up(x).tolist() == [0, 0, 1, 1, 1, 2, 3, 4, 4]
    # the backbone's neuron (threshold 1/D) is unchanged: it fires round(4x) / 4
    assert MultiSpikeNode(step_mode='s')(x).tolist() == [0, 0.5, 0.5, 0.5, 1, 1, 1, 1, 1]
    with pytest.raises(ValueError, match='threshold'):
        MultiSpikeNode(threshold=0)
    with pytest.raises(ValueError, match='rounding'):
        MultiSpikeNode(rounding='down')


# ------------------------------------------------------------------------------- necks
def test_spike_fpn_equals_a_hand_computation_and_t_separate_passes():
    neck = _build('mmdet', type='mmplugins.SpikeFPN', in_channels=[2, 3], out_channels=4,
                  num_outs=3)
    x = [_rand(2, 1, 2, 8, 8), _rand(2, 1, 3, 4, 4)]  # T=2, B=1
    counts = _record_neurons(neck)
    outs = neck(x)
    assert [tuple(o.shape) for o in outs] == [(2, 1, 4, 8, 8), (2, 1, 4, 4, 4), (2, 1, 4, 2, 2)]
    levels = torch.cat([c.flatten() for c in counts]).unique()
    assert set(levels.tolist()) == {0, 1, 2, 3, 4}  # multi-level spikes, integer counts

    def conv(layer, z, pad=0):
        return F.conv2d(z, layer.conv.weight, layer.conv.bias, padding=pad)

    for t in range(2):
        lat = [conv(neck.lateral_convs[i].layer, q(x[i][t])) for i in range(2)]
        lat[0] = lat[0] + F.interpolate(lat[1], size=(8, 8), mode='nearest')
        ref = [conv(neck.fpn_convs[i].layer, q(lat[i]), 1) for i in range(2)]
        ref.append(F.max_pool2d(ref[-1], 1, stride=2))
        for o, r in zip(outs, ref):
            torch.testing.assert_close(o[t], r)
    # stateless neurons: T steps at once equal T separate passes
    for t in range(2):
        for o, single in zip(outs, neck([f[t:t + 1] for f in x])):
            torch.testing.assert_close(o[t:t + 1], single)
    # a time-averaged (4-D) backbone map counts as T = 1
    assert neck([f[0] for f in x])[0].shape == (1, 1, 4, 8, 8)


@pytest.mark.parametrize('source', ['on_input', 'on_lateral', 'on_output'])
def test_spike_fpn_extra_convs_equal_a_hand_computation(source):
    """The released RetinaNet's neck: levels from the second input on (``start_level=1``) and
    spiking stride-2 extra convs, the first on ``source``, each next one on the previous."""
    neck = _build('mmdet', type='mmplugins.SpikeFPN', in_channels=[2, 3, 5], out_channels=4,
                  num_outs=4, start_level=1, add_extra_convs=source)
    # T=2, B=1; the last two maps share a stride, as QSD's stages 3 and 4
    x = [_rand(2, 1, 2, 16, 16), _rand(2, 1, 3, 8, 8), _rand(2, 1, 5, 8, 8)]
    outs = neck(x)
    assert [tuple(o.shape) for o in outs] == [(2, 1, 4, 8, 8), (2, 1, 4, 8, 8),
                                             (2, 1, 4, 4, 4), (2, 1, 4, 2, 2)]

    def conv(layer, z, pad=0, stride=1):
        return F.conv2d(z, layer.conv.weight, layer.conv.bias, stride=stride, padding=pad)

    convs = neck.fpn_convs
    assert len(neck.lateral_convs) == 2 and len(convs) == 4
    for t in range(2):
        lat = [conv(neck.lateral_convs[i].layer, q(x[i + 1][t])) for i in range(2)]
        lat[0] = lat[0] + lat[1]  # same size: nearest upsampling is the identity
        ref = [conv(convs[i].layer, q(lat[i]), 1) for i in range(2)]
        first = {'on_input': x[2][t], 'on_lateral': lat[1], 'on_output': ref[1]}[source]
        ref.append(conv(convs[2].layer, q(first), 1, 2))
        ref.append(conv(convs[3].layer, q(ref[2]), 1, 2))
        for o, r in zip(outs, ref):
            torch.testing.assert_close(o[t], r)
    with pytest.raises(ValueError, match='relu_before_extra_convs'):
        MODELS.build(dict(type='mmplugins.SpikeFPN', in_channels=[2, 3], out_channels=4,
                          num_outs=3, add_extra_convs='on_input', relu_before_extra_convs=True))


def test_qfpn_and_qfpn_head_equal_a_hand_computation():
    neck = _build('mmseg', type='mmplugins.QFPN', in_channels=[2, 3], out_channels=4,
                  num_outs=2)
    head = _build('mmseg', type='mmplugins.QFPNHead', in_channels=[4, 4], in_index=[0, 1],
                  feature_strides=[2, 4], channels=4, num_classes=3, dropout_ratio=0.0,
                  norm_cfg=dict(type='BN'), act_cfg=None)
    for m in (neck, head):
        for bn in m.modules():
            if isinstance(bn, torch.nn.BatchNorm2d):
                bn.running_mean.uniform_(-0.5, 0.5)
                bn.running_var.uniform_(0.5, 2.0)
        m.eval()
    x = [_rand(1, 2, 2, 8, 8), _rand(1, 2, 3, 4, 4)]
    with torch.no_grad():
        feats = neck(x)
        logits = head(feats)

    def conv_bn(seq, z, pad):
        conv, bn = seq[0], seq[1]
        return F.batch_norm(F.conv2d(z, conv.weight, conv.bias, padding=pad), bn.running_mean,
                            bn.running_var, bn.weight, bn.bias, False, 0.0, bn.eps)

    with torch.no_grad():
        lat = [conv_bn(neck.lateral_convs[i].layer, q(x[i][0], 4), 0) for i in range(2)]
        lat[0] = lat[0] + F.interpolate(lat[1], size=(8, 8), mode='nearest')
        ref = [conv_bn(neck.fpn_convs[i].layer, q(lat[i], 4), 1) for i in range(2)]
        for o, r in zip(feats, ref):
            torch.testing.assert_close(o[0], r)
        sh = head.scale_heads
        y0 = conv_bn([sh[0][0].layer.conv, sh[0][0].layer.bn], q(ref[0], 4), 1)
        y1 = conv_bn([sh[1][0].layer.conv, sh[1][0].layer.bn], q(ref[1], 4), 1)
        y1 = F.interpolate(y1, scale_factor=2, mode='bilinear', align_corners=False)
        out = F.conv2d(q(y0 + y1, 4), head.conv_seg.weight, head.conv_seg.bias)
    assert logits.shape == (2, 3, 8, 8)
    torch.testing.assert_close(logits, out)


# -------------------------------------------------------------------------- dense heads
ANCHORS = dict(type='AnchorGenerator', scales=[8], ratios=[0.5, 1.0, 2.0], strides=[4, 8])


def test_spike_rpn_head_averages_time_after_its_last_layer():
    head = _build('mmdet', type='mmplugins.SpikeRPNHead', in_channels=4, feat_channels=4,
                  anchor_generator=ANCHORS)
    x = _rand(3, 2, 4, 6, 6)  # T=3, B=2
    cls, reg = head.forward_single(x)
    assert cls.shape == (2, 3, 6, 6) and reg.shape == (2, 12, 6, 6)
    c = head.rpn_conv.layer
    ref_cls, ref_reg = [], []
    for t in range(3):
        h = q(F.conv2d(q(x[t]), c.weight, c.bias, padding=1))
        ref_cls.append(F.conv2d(h, head.rpn_cls.layer.weight, head.rpn_cls.layer.bias))
        ref_reg.append(F.conv2d(h, head.rpn_reg.layer.weight, head.rpn_reg.layer.bias))
    torch.testing.assert_close(cls, torch.stack(ref_cls).mean(0))
    torch.testing.assert_close(reg, torch.stack(ref_reg).mean(0))


def _lif(x: torch.Tensor) -> torch.Tensor:
    """Hand LIF (tau 2, threshold 1, hard reset to 0) over the leading time dimension."""
    v, out = torch.zeros_like(x[0]), []
    for xt in x:
        v = v + (xt - v) / 2
        s = (v >= 1).to(x.dtype)
        out.append(s)
        v = v * (1 - s)
    return torch.stack(out)


def test_spike_retina_head_lif_is_reset_per_forward_and_per_branch():
    head = _build('mmdet', type='mmplugins.SpikeRetinaHead', num_classes=2, in_channels=4,
                  feat_channels=4, stacked_convs=1,
                  anchor_generator=dict(type='AnchorGenerator', octave_base_scale=4,
                                        scales_per_octave=1, ratios=[1.0], strides=[4]))
    head.init_weights()
    head.cls_convs[0].layer.conv.weight.data.normal_(0, 0.5)  # so its output LIF fires too
    x = _rand(4, 1, 4, 5, 5) * 2
    first = head.forward_single(x)
    second = head.forward_single(x)  # no membrane survives the first call
    for a, b in zip(first, second):
        torch.testing.assert_close(a, b)
    conv = head.cls_convs[0].layer.conv
    feat = torch.relu(torch.stack([F.conv2d(s, conv.weight, conv.bias, padding=1)
                                   for s in _lif(x)]))
    assert _lif(x).any() and _lif(feat).any()  # both neurons fire
    cls = head.retina_cls.layer
    ref = torch.stack([F.conv2d(s, cls.weight, cls.bias, padding=1) for s in _lif(feat)])
    torch.testing.assert_close(first[0], ref.mean(0))


# ---------------------------------------------------------------------------- RoI heads
@pytest.mark.parametrize('name', ['SharedSpike2FCBBoxHead', 'SharedSpike4Conv1FCBBoxHead'])
def test_spiking_bbox_heads_equal_a_hand_computation(name):
    kw = dict(conv_out_channels=4, norm_cfg=dict(type='BN')) if '4Conv' in name else {}
    head = _build('mmdet', type=f'mmplugins.{name}', in_channels=4, fc_out_channels=8,
                  roi_feat_size=3, num_classes=2, **kw).eval()
    x = _rand(2, 5, 4, 3, 3)  # T=2 steps of 5 RoIs
    cls, reg = head(x)
    assert cls.shape == (5, 3) and reg.shape == (5, 8)
    ref_cls, ref_reg = [], []
    for t in range(2):
        h = x[t]
        for m in head.shared_convs:
            h = m.layer(q(h))  # ConvModule: conv, BN, ReLU (the ReLU changes nothing here)
        h = h.flatten(1)
        for m in head.shared_fcs:
            h = F.linear(q(h), m.layer.weight, m.layer.bias)  # no ReLU after the fcs
        ref_cls.append(head.fc_cls(h))
        ref_reg.append(head.fc_reg(h))
    torch.testing.assert_close(cls, torch.stack(ref_cls).mean(0))
    torch.testing.assert_close(reg, torch.stack(ref_reg).mean(0))


def test_spike_fcn_mask_head_equals_a_hand_computation():
    head = _build('mmdet', type='mmplugins.SpikeFCNMaskHead', num_convs=1, in_channels=4,
                  conv_out_channels=4, num_classes=2)
    head.init_weights()
    x = _rand(2, 3, 4, 5, 5)
    out = head(x)
    assert out.shape == (3, 2, 10, 10)
    c, up, lg = head.convs[0].layer.conv, head.upsample.layer, head.conv_logits.layer
    ref = []
    for t in range(2):
        h = torch.relu(F.conv2d(q(x[t]), c.weight, c.bias, padding=1))
        h = F.conv_transpose2d(q(h), up.weight, up.bias, stride=2)  # no ReLU after it
        ref.append(F.conv2d(q(h), lg.weight, lg.bias))
    torch.testing.assert_close(out, torch.stack(ref).mean(0))


def test_spike_roi_head_pools_each_time_step():
    from mmdet.structures.bbox import bbox2roi
    roi_head = _build(
        'mmdet', type='mmplugins.SpikeStandardRoIHead',
        bbox_roi_extractor=dict(type='SingleRoIExtractor', out_channels=4,
                                roi_layer=dict(type='RoIAlign', output_size=3,
                                               sampling_ratio=0), featmap_strides=[4]),
        bbox_head=dict(type='mmplugins.SharedSpike2FCBBoxHead', in_channels=4,
                       fc_out_channels=8, roi_feat_size=3, num_classes=2))
    x = (_rand(2, 1, 4, 8, 8),)
    rois = bbox2roi([torch.tensor([[0., 0., 16., 16.], [4., 8., 30., 20.]])])
    res = roi_head._bbox_forward(x, rois)
    assert res['bbox_feats'].shape == (2, 2, 4, 3, 3)
    for t in range(2):
        torch.testing.assert_close(res['bbox_feats'][t],
                                   roi_head.bbox_roi_extractor([x[0][t]], rois))
    torch.testing.assert_close(res['cls_score'], roi_head.bbox_head(res['bbox_feats'])[0])


@pytest.mark.parametrize('cascade', [False, True])
def test_spike_roi_heads_train_and_predict_with_more_images_than_time_steps(cascade):
    """B=2 images at T=1: mmdet's stock loss indexes each image's maps (lvl_feat[i]), which
    must not index time; then the spiking heads predict boxes and masks."""
    from mmengine.config import Config
    from mmengine.structures import InstanceData
    from pathlib import Path

    import numpy as np
    from mmdet.structures import DetDataSample
    from mmdet.structures.mask import BitmapMasks
    base = 'cascade-mask-rcnn_fpn.py' if cascade else 'mask-rcnn_fpn.py'
    cfg = Config.fromfile(str(Path(__file__).resolve().parents[1] / 'configs/_base_/models' /
                              base)).model
    roi = cfg.roi_head
    roi.type = 'mmplugins.' + ('SpikeCascadeRoIHead' if cascade else 'SpikeStandardRoIHead')
    for ext in (roi.bbox_roi_extractor, roi.mask_roi_extractor):
        ext.update(out_channels=8, featmap_strides=[4, 8])
    for head in roi.bbox_head if cascade else [roi.bbox_head]:
        head.update(in_channels=8, fc_out_channels=16, num_classes=3)
        if cascade:  # the project's 4conv1fc stages (the released cascade: SpikeConvFCBBoxHead)
            head.update(type='mmplugins.SpikeConvFCBBoxHead', conv_out_channels=8,
                        norm_cfg=dict(type='BN'))
        else:
            head.update(type='mmplugins.SharedSpike2FCBBoxHead')
    roi.mask_head.update(type='mmplugins.SpikeFCNMaskHead', in_channels=8, num_convs=1,
                         conv_out_channels=8, num_classes=3)
    head = _build('mmdet', train_cfg=cfg.train_cfg.rcnn, test_cfg=cfg.test_cfg.rcnn, **roi)
    x = (_rand(1, 2, 8, 16, 16), _rand(1, 2, 8, 8, 8))
    samples, proposals = [], []
    for _ in range(2):
        s = DetDataSample(metainfo=dict(img_shape=(64, 64), ori_shape=(64, 64),
                                        scale_factor=(1.0, 1.0)))
        s.gt_instances = InstanceData(bboxes=torch.tensor([[4., 4., 40., 30.]]),
                                      labels=torch.tensor([1]),
                                      masks=BitmapMasks(np.ones((1, 64, 64), np.uint8), 64, 64))
        samples.append(s)
        proposals.append(InstanceData(
            bboxes=torch.tensor([[2., 2., 38., 33.], [0., 0., 20., 20.]]),
            scores=torch.tensor([0.9, 0.5])))
    losses = head.loss(x, [p.clone() for p in proposals], samples)
    assert all(torch.isfinite(v).all() for k, v in losses.items() if 'loss' in k)
    sum(v for k, v in losses.items() if 'loss' in k).backward()
    head.eval()
    results = head.predict(x, [p.clone() for p in proposals], samples)
    assert len(results) == 2 and results[0].masks.shape[-2:] == (64, 64)


# ------------------------------------------------------------------- backbone, converter
def test_backbone_keep_time_hands_over_the_sequence():
    torch.manual_seed(0)
    kept = QSDTransformer(TINY, time_steps=2, keep_time=True).eval()
    avg = QSDTransformer(TINY, time_steps=2).eval()
    avg.load_state_dict(kept.state_dict())
    x = torch.randn(1, 3, 32, 32)
    with torch.no_grad():
        for seq, mean in zip(kept(x), avg(x)):
            assert seq.shape[:2] == (2, 1)
            torch.testing.assert_close(seq.mean(0), mean)


def test_whole_model_converter_renames_released_neck_and_head_keys():
    w = torch.zeros(1)
    released = {
        'backbone.downsample1_1.encode_conv.weight': w,
        'neck.lateral_convs.0.1.module.conv.weight': w,
        'neck.fpn_convs.4.1.module.conv.bias': w,
        'rpn_head.rpn_conv.1.module.weight': w,
        'rpn_head.rpn_cls.1.module.bias': w,
        'roi_head.bbox_head.shared_fcs.1.1.module.weight': w,
        'roi_head.bbox_head.fc_cls.weight': w,
        'roi_head.mask_head.convs.3.1.module.conv.weight': w,
        'roi_head.mask_head.upsample.1.module.weight': w,
        'roi_head.mask_head.conv_logits.1.module.bias': w,
        'bbox_head.cls_convs.3.module.conv.weight': w,
        'bbox_head.retina_reg.module.weight': w,
    }
    out = convert('qsd_model', released).state_dict
    assert sorted(out) == sorted([
        'backbone.stem.conv.weight',
        'neck.lateral_convs.0.layer.conv.weight', 'neck.fpn_convs.4.layer.conv.bias',
        'rpn_head.rpn_conv.layer.weight', 'rpn_head.rpn_cls.layer.bias',
        'roi_head.bbox_head.shared_fcs.1.layer.weight', 'roi_head.bbox_head.fc_cls.weight',
        'roi_head.mask_head.convs.3.layer.conv.weight',
        'roi_head.mask_head.upsample.layer.weight',
        'roi_head.mask_head.conv_logits.layer.bias',
        'bbox_head.cls_convs.1.layer.conv.weight', 'bbox_head.retina_reg.layer.weight'])
    seg = convert('qsd_model', {
        'backbone.downsample1_1.encode_bn.weight': w,
        'neck.lateral_convs.2.0.weight': w, 'neck.fpn_convs.1.1.running_var': w,
        'decode_head.scale_heads.3.2.1.weight': w, 'decode_head.scale_heads.3.2.2.bias': w,
        'decode_head.conv_seg.weight': w}).state_dict
    assert sorted(seg) == sorted([
        'backbone.stem.bn.weight', 'neck.lateral_convs.2.layer.0.weight',
        'neck.fpn_convs.1.layer.1.running_var', 'decode_head.scale_heads.3.2.layer.conv.weight',
        'decode_head.scale_heads.3.2.layer.bn.bias', 'decode_head.conv_seg.weight'])
    # the renamed keys are exactly the modules' own
    neck = _build('mmseg', type='mmplugins.QFPN', in_channels=[2, 3, 4], out_channels=4)
    assert {'lateral_convs.2.layer.0.weight', 'fpn_convs.1.layer.1.running_var'} <= set(
        neck.state_dict())


# ------------------------------------------------------------------- shapes trainings
SMALL_NECK = {'model.neck.out_channels': 32}
TRAININGS = {
    'mask-rcnn_qsd-15m_spike-fpn_15e_shapes-coco.py': {
        **SMALL_NECK, 'model.rpn_head.in_channels': 32, 'model.rpn_head.feat_channels': 32,
        'model.roi_head.bbox_roi_extractor.out_channels': 32,
        'model.roi_head.mask_roi_extractor.out_channels': 32,
        'model.roi_head.bbox_head.in_channels': 32,
        'model.roi_head.bbox_head.fc_out_channels': 64,
        'model.roi_head.mask_head.in_channels': 32,
        'model.roi_head.mask_head.conv_out_channels': 32},
    'retinanet_qsd-15m_spike-fpn_36e_shapes-coco.py': {
        **SMALL_NECK, 'model.bbox_head.in_channels': 32, 'model.bbox_head.feat_channels': 32,
        'model.bbox_head.stacked_convs': 2,
        # binary LIF heads with std-0.01 convs fire rarely at first: a larger step
        'optim_wrapper.optimizer.lr': 1e-2,
        'model.test_cfg.score_thr': 0.0},  # five steps leave every score under 0.05
    'fpn_qsd-15m_qfpn_160k_shapes-ade20k.py': {
        **SMALL_NECK, 'model.decode_head.in_channels': [32] * 4,
        'model.decode_head.channels': 32},
    'fpn_qsd-19m_qfpn_160k_shapes-ade20k.py': {
        **SMALL_NECK, 'model.decode_head.in_channels': [32] * 4,
        'model.decode_head.channels': 32},
    'cascade-mask-rcnn_qsd-19m_spike-fpn_36e_shapes-coco.py': {
        **SMALL_NECK, 'model.rpn_head.in_channels': 32, 'model.rpn_head.feat_channels': 32,
        'model.roi_head.bbox_roi_extractor.out_channels': 32,
        'model.roi_head.mask_roi_extractor.out_channels': 32,
        **{f'model.roi_head.bbox_head.{i}.{k}': v for i in range(3)
           for k, v in (('in_channels', 32), ('conv_out_channels', 32),
                        ('fc_out_channels', 64), ('norm_cfg', dict(type='BN')))},
        'model.roi_head.mask_head.in_channels': 32,
        'model.roi_head.mask_head.conv_out_channels': 32,
        'model.test_cfg.rcnn.score_thr': 0.0},  # five steps leave every score under 0.05
}


#: T > 1 end to end: two time steps of a backbone with membranes (so the steps differ)
TIME_STEPS = {'model.backbone.time_steps': 2, 'model.backbone.decay': 0.5}
CASES = [(c, {}) for c in sorted(TRAININGS)] + [
    ('mask-rcnn_qsd-15m_spike-fpn_15e_shapes-coco.py', TIME_STEPS)]


@pytest.mark.slow
@pytest.mark.parametrize('config,extra', CASES,
                         ids=[c.split('_')[0] + ('-19m' if '19m' in c else '')
                              + ('-T2' if e else '') for c, e in CASES])
def test_spike_driven_shapes_models_learn_and_evaluate(config, extra, shapes_root):
    """A few optimizer steps on one batch of shapes lower the loss (the whole model, neurons
    included, trains through the spiking neck and heads); then a validation batch is
    predicted and scored by the config's evaluator."""
    from pathlib import Path

    from mmengine.evaluator import Evaluator
    from mmengine.optim import build_optim_wrapper
    from mmengine.registry import MODELS as ROOT
    from mmengine.runner import Runner
    from spikingjelly.activation_based import functional

    from mmplugins.apis import load_config, match_backbone_channels, set_data_root
    path = Path(__file__).resolve().parents[1] / 'configs/qsd_transformer' / config
    # the 19M configs use the SDT-V3 blocks: the tiny stand-in keeps their block family
    arch = dict(TINY, block='sdt-v3') if '19m' in config else TINY
    opts = {'model.backbone.arch': dict(arch, _delete_=True),
            'optim_wrapper.optimizer.lr': 3e-3, **TRAININGS[config], **extra}
    cfg = match_backbone_channels(load_config(str(path), opts))
    set_data_root(cfg, shapes_root)
    init_default_scope(cfg.default_scope)
    assert cfg.model.backbone.keep_time
    time_steps = cfg.model.backbone.get('time_steps', 1)
    torch.manual_seed(0)
    model = ROOT.build(cfg.model)
    model.init_weights()
    assert type(model.neck).__name__ in ('SpikeFPN', 'QFPN')
    seen = []  # the neck receives every time step
    model.neck.register_forward_pre_hook(lambda m, a: seen.append(a[0][0].shape[0]))

    def first_batch(key: str, size: int) -> dict:
        loader = dict(cfg[key], batch_size=size, num_workers=0, persistent_workers=False,
                      sampler=dict(type='DefaultSampler', shuffle=False))
        loader = Runner.build_dataloader(loader, seed=0)
        return loader, next(iter(loader))

    _, batch = first_batch('train_dataloader', 2)
    optim = build_optim_wrapper(model, cfg.optim_wrapper)
    model.train()
    losses = []
    for _ in range(5):
        functional.reset_net(model)  # as SpikingResetHook does around every iteration
        losses.append(float(model.train_step(batch, optim)['loss']))
    assert all(torch.isfinite(torch.tensor(losses)))
    assert losses[-1] < 0.97 * losses[0], losses
    assert set(seen) == {time_steps}

    loader, val = first_batch('val_dataloader', 4)
    model.eval()
    functional.reset_net(model)
    with torch.no_grad():
        outputs = model.val_step(val)
    evaluator = Evaluator(cfg.val_evaluator)
    evaluator.dataset_meta = loader.dataset.metainfo
    evaluator.process(outputs, val)
    metrics = evaluator.evaluate(len(outputs))
    key = 'mIoU' if 'ade20k' in config else 'coco/bbox_mAP'
    assert key in metrics and metrics[key] >= 0


# ------------------------------------------------------------------------------- energy
def test_energy_report_of_a_small_spiking_detector_equals_a_hand_count():
    """RetinaNet with a tiny QSD backbone, SpikeFPN and a multi-level SpikeRetinaHead: the
    report's neck and head parts equal ACs counted by hand (mean spike count x the dense
    multiply-adds from each layer's geometry, x 0.9 pJ), its backbone part equals the
    backbone's own report, and the parts add up to the total."""
    from mmplugins.analysis.benchmark import _Call, energy, synthetic_batch
    from spiking import energy_report
    init_default_scope('mmdet')
    torch.manual_seed(0)
    multi = dict(type='multispike', levels=4, threshold=1.0, norm=1.0)
    model = MODELS.build(dict(
        type='mmdet.RetinaNet',
        data_preprocessor=dict(type='mmdet.DetDataPreprocessor', mean=[123.7, 116.3, 103.5],
                               std=[58.4, 57.1, 57.4], bgr_to_rgb=True),
        backbone=dict(type='mmplugins.QSDTransformer', arch=TINY, keep_time=True),
        neck=dict(type='mmplugins.SpikeFPN', in_channels=[16, 32, 32, 48], out_channels=8,
                  num_outs=4),
        bbox_head=dict(type='mmplugins.SpikeRetinaHead', num_classes=2, in_channels=8,
                       feat_channels=8, stacked_convs=1, neuron=multi,
                       anchor_generator=dict(type='AnchorGenerator', octave_base_scale=4,
                                             scales_per_octave=1, ratios=[1.0],
                                             strides=[4, 8, 16, 32]),
                       bbox_coder=dict(type='DeltaXYWHBBoxCoder')),
        test_cfg=dict(nms_pre=100, score_thr=0.0, nms=dict(type='nms', iou_threshold=0.5),
                      max_per_img=10))).eval()
    for name, p in model.named_parameters():  # neck and head weights that make neurons fire
        if name.startswith(('neck', 'bbox_head')) and p.dim() > 1:
            p.data.normal_(0, 1.0)
    x, samples = synthetic_batch(model, 'mmdet', (64, 64))

    hand = {'neck': 0.0, 'bbox_head': 0.0}
    handles = []

    def count(part):
        def hook(layer, args, out):
            conv = getattr(layer.layer, 'conv', layer.layer)
            counts = layer.lif(args[0]) * layer.lif.norm  # the same stateless neuron again
            dense = out.numel() * conv.in_channels // conv.groups * conv.kernel_size[0] ** 2
            hand[part] += float(counts.mean()) * dense
        return hook

    for part in hand:
        for m in getattr(model, part).modules():
            if type(m).__name__ == 'SpikeLayer':
                handles.append(m.register_forward_hook(count(part)))
    report = energy_report(_Call(model, lambda m, z: m._forward(z, samples)), x)
    for h in handles:
        h.remove()
    parts = report.by_part(prefix='model.')
    assert set(parts) == {'backbone', 'neck', 'bbox_head'}
    for part, acs in hand.items():
        assert acs > 0 and parts[part]['macs'] == 0  # every neck/head layer is spike-fed
        assert parts[part]['acs'] == pytest.approx(acs, rel=1e-6)
        assert parts[part]['energy_mj'] == pytest.approx(acs * 0.9e-9, rel=1e-6)
    backbone = energy_report(model.backbone, x)
    assert parts['backbone']['energy_mj'] == pytest.approx(backbone.energy_mj, rel=1e-6)
    assert sum(p['energy_mj'] for p in parts.values()) == pytest.approx(report.energy_mj)
    # the benchmark's whole-model energy carries the same parts
    summary = energy(_Call(model, lambda m, z: m._forward(z, samples)), x, flops=0)
    assert summary['parts']['neck']['acs'] == pytest.approx(hand['neck'], rel=1e-6)
