"""kMaX-DeepLab: k-means cross-attention vs a naive loop, positional encodings at any size,
matcher vs brute force, every loss on hand-made inputs, panoptic fusion read by mmdet's
CocoPanopticMetric, the official-checkpoint converter, and (slow) two training iterations plus
evaluation on shapes-panoptic (mmdet) and shapes-ADE20K (mmseg)."""
import itertools
import math
import pytest
import torch
import torch.nn.functional as F

mmdet = pytest.importorskip('mmdet')

from mmplugins.converters import convert  # noqa: E402
from mmplugins.models.kmax import (KMaXFusionHead, KMaXHead, KMaXPanopticHead,  # noqa: E402
                                   kmax_panoptic_fusion)
from mmplugins.models.kmax.losses import (KMaXCriterion, _sample_logits, aux_semantic_loss,  # noqa: E402,E501
                                          gumbel_topk,
                                          instance_discrimination_loss, mask_id_loss,
                                          pq_class_loss, pq_dice_loss)
from mmplugins.models.kmax.matcher import kmax_match  # noqa: E402
from mmplugins.models.kmax.pixel_decoder import (MAX_SPAN, KMaXPixelDecoder,  # noqa: E402
                                                 RelativePositionalEncoding)
from mmplugins.models.kmax.transformer_decoder import kmeans_cross_attention  # noqa: E402

from conftest import REPO  # noqa: E402
BN = dict(type='BN', eps=1e-3, momentum=0.01)
TINY_HEAD = dict(
    num_queries=8,
    pixel_decoder=dict(dec_layers=[1, 1, 1, 1], dec_channels=[16, 8, 8, 4], num_heads=2),
    transformer_decoder=dict(dec_layers=[1, 1, 1], query_channels=16, base_filters=8,
                             num_heads=2, ffn_channels=32, pixel_head_channels=16,
                             embed_channels=8),
    aux_semantic=dict(channels=16),
    norm_cfg=BN)
IN_CHANNELS = [8, 16, 32, 64]


def _feats(batch: int = 2, size: int = 32):
    torch.manual_seed(0)
    return [torch.randn(batch, c, math.ceil(size / s), math.ceil(size / s))
            for c, s in zip(IN_CHANNELS, (4, 8, 16, 32))]


# ------------------------------------------------------------------ k-means cross-attention
def test_kmeans_cross_attention_equals_naive_loops():
    torch.manual_seed(0)
    logits = torch.randn(2, 5, 13)
    values = torch.randn(2, 3, 13, requires_grad=True)
    out = kmeans_cross_attention(logits, values)
    naive = torch.zeros(2, 3, 5)
    for b in range(2):
        for pixel in range(13):
            cluster = max(range(5), key=lambda n: logits[b, n, pixel].item())
            for d in range(3):
                naive[b, d, cluster] += values[b, d, pixel].item()
    torch.testing.assert_close(out, naive)
    # the hard assignment is a constant: gradients reach the values only
    out.sum().backward()
    torch.testing.assert_close(values.grad, torch.ones_like(values))


def test_relative_positional_encoding_any_length_and_clipping():
    rpe = RelativePositionalEncoding(depth=3)
    for length in (1, 2, 5, 17):
        table = rpe(length)
        assert table.shape == (length, length, 3)
        for q in range(length):
            for k in range(length):
                torch.testing.assert_close(table[q, k],
                                           rpe.embeddings.weight[k - q + MAX_SPAN - 1])
    far = rpe(MAX_SPAN + 3)  # longer than the table: distances clip to the outermost embedding
    torch.testing.assert_close(far[0, MAX_SPAN + 2], rpe.embeddings.weight[-1])
    torch.testing.assert_close(far[MAX_SPAN + 2, 0], rpe.embeddings.weight[0])


@pytest.mark.parametrize('size', [32, 65, 100])
def test_pixel_decoder_runs_at_any_size(size):
    decoder = KMaXPixelDecoder(IN_CHANNELS, dec_layers=[1, 2, 1, 1], dec_channels=[16, 8, 8, 4],
                               num_heads=2, norm_cfg=BN)
    panoptic, multi = decoder(_feats(2, size))
    assert panoptic.shape == (2, 16, math.ceil(size / 4), math.ceil(size / 4))
    assert [m.shape[1] for m in multi] == [64, 32, 32]
    assert [m.shape[-1] for m in multi] == [math.ceil(size / s) for s in (32, 16, 8)]


def test_head_outputs_deep_supervision_and_errors():
    head = KMaXPanopticHead(IN_CHANNELS, num_things_classes=3, num_stuff_classes=2, **TINY_HEAD)
    cls, masks = head(_feats())
    assert len(cls) == len(masks) == 4  # 3 layers + final
    assert all(c.shape == (2, 8, 6) for c in cls)
    assert all(m.shape == (2, 8, 8, 8) for m in masks)
    # the void prior: untrained queries lean to void by log(K * 0.9 / 0.1)
    assert (cls[-1].argmax(-1) == 5).float().mean() > 0.5
    with pytest.raises(ValueError, match='in_channels'):
        KMaXPanopticHead('auto', num_things_classes=3, num_stuff_classes=2, **TINY_HEAD)
    with pytest.raises(ValueError, match='norm_cfg type'):
        KMaXPanopticHead(IN_CHANNELS, 3, 2, **{**TINY_HEAD, 'norm_cfg': dict(type='GN')})
    with pytest.raises(KeyError, match='unknown kMaX loss_weights'):
        KMaXPanopticHead(IN_CHANNELS, 3, 2, **TINY_HEAD, loss=dict(loss_weights=dict(ce=1.0)))


# ------------------------------------------------------------------ matcher
@pytest.mark.parametrize('num_queries,num_gt', [(4, 3), (5, 5), (3, 4)])
def test_matcher_equals_brute_force(num_queries, num_gt):
    torch.manual_seed(num_queries * 10 + num_gt)
    cls = torch.randn(num_queries, 4)
    mask_logits = torch.randn(num_queries, 6, 6) * 3
    labels = torch.randint(0, 3, (num_gt,))
    gt = torch.zeros(num_gt, 36)
    gt[torch.randint(0, num_gt, (36,)), torch.arange(36)] = 1  # a partition of the pixels
    gt[:, :4] = 0  # a few void pixels
    gt = gt.reshape(num_gt, 6, 6)
    result = kmax_match(cls, mask_logits, labels, gt)

    prob = mask_logits.flatten(1).softmax(0) * (gt.flatten(1).sum(0) > 0)
    dice = torch.stack([
        torch.stack([(prob[q] * gt.flatten(1)[g]).sum()
                     / ((prob[q].sum() + gt.flatten(1)[g].sum()) / 2 + 1e-5)
                     for g in range(num_gt)]) for q in range(num_queries)])
    score = dice * cls.softmax(-1)[:, labels]
    best = -1.0
    pairs = min(num_queries, num_gt)
    for queries in itertools.permutations(range(num_queries), pairs):
        for gts in itertools.permutations(range(num_gt), pairs):
            best = max(best, sum(score[q, g].item() for q, g in zip(queries, gts)))
    assert len(result.query_index) == pairs
    got = sum(score[q, g].item() for q, g in zip(result.query_index, result.gt_index))
    assert got == pytest.approx(best, rel=1e-5)
    torch.testing.assert_close(result.dice, dice[result.query_index, result.gt_index])
    torch.testing.assert_close(result.class_prob,
                               cls.softmax(-1)[result.query_index, labels[result.gt_index]])


# ------------------------------------------------------------------ losses on hand-made inputs
def test_pq_class_loss_known_value():
    logits = torch.zeros(1, 2, 2)  # K = 1, CE = log 2 everywhere
    loss = pq_class_loss(logits, torch.tensor([[0, 1]]), torch.tensor([[0.5, 0.2]]))
    expected = (0.75 * 0.5 + 0.25 * 0.2) * math.log(2) / 2
    assert loss.item() == pytest.approx(expected)


def test_pq_dice_loss_known_value():
    logits = torch.zeros(1, 2, 3)  # softmax over 2 queries: 0.5 each
    target = torch.tensor([[[1., 1., 0.], [0., 0., 0.]]])
    void = torch.tensor([[False, False, True]])
    loss = pq_dice_loss(logits, target, void, weight=torch.tensor([[1.0, 0.4]]))
    # query 0: 1 - (2*1 + 1) / (1 + 2 + 1) = 1/4; query 1: 1 - 1 / (1 + 0 + 1) = 1/2
    assert loss.item() == pytest.approx((0.25 * 1.0 + 0.5 * 0.4) * 0.75 / 2)


def test_mask_id_loss_known_value():
    logits = torch.tensor([[[2.0, 0.0, 0.0], [0.0, 0.0, 5.0]]])
    target = torch.tensor([[[1., 0., 0.], [0., 1., 1.]]])
    void = torch.tensor([[False, False, True]])
    loss = mask_id_loss(logits, target, void)
    expected = (math.log(1 + math.exp(-2)) + math.log(2)) / 2  # third pixel is void
    assert loss.item() == pytest.approx(expected)


def test_instance_discrimination_loss_known_value():
    # three non-void pixels: two in mask 0 (same feature), one in mask 1 (orthogonal feature)
    feat = torch.tensor([[[1., 1., 0.], [0., 0., 1.]]])
    masks = torch.tensor([[[1., 1., 0.], [0., 0., 1.]]])
    void = torch.zeros(1, 3, dtype=torch.bool)
    area = torch.tensor([[1.5, 1.5, 3.0]])
    loss = instance_discrimination_loss(feat, masks, void, area, sample_k=3, temperature=0.5)
    e = math.exp(2.0)  # similarity 1 / temperature 0.5
    same = -math.log(e / (2 * e + 1))  # rows of pixels 0, 1: target 1/2 on each of them
    alone = -math.log(e / (e + 2))  # row of pixel 2: target 1 on itself
    assert loss.item() == pytest.approx((2 * same + alone) / 3, rel=1e-5)


def test_aux_semantic_loss_known_value():
    logits = torch.zeros(1, 3, 4)  # K = 2 classes + void; CE = log 3
    logits[0, 1, 1] = 2.0
    gt = torch.tensor([[0, 1, 2, 0]])  # pixel 2 is void
    void = gt == 2
    loss = aux_semantic_loss(logits, gt, void, torch.ones(1, 4), sample_k=0)
    expected = (2 * math.log(3) + math.log(2 + math.exp(2)) - 2) / 3
    assert loss.item() == pytest.approx(expected, rel=1e-5)
    # sampling all non-void pixels gives the same value (void pixels are never drawn)
    sampled = aux_semantic_loss(logits, gt, void, torch.ones(1, 4), sample_k=3)
    assert sampled.item() == pytest.approx(expected, rel=1e-5)


def test_criterion_targets_weights_and_loss_names():
    torch.manual_seed(0)
    crit = KMaXCriterion(num_classes=2)
    pred = dict(class_logits=torch.randn(1, 3, 3), mask_logits=torch.randn(1, 3, 2, 2),
                pixel_feature=torch.nn.functional.normalize(torch.randn(1, 4, 2, 2), dim=1))
    gt_masks = [torch.tensor([[[1., 1.], [0., 0.]]])]
    targets, matches = crit.build_targets(pred, [torch.tensor([1])], gt_masks)
    q = int(matches[0].query_index)
    assert targets['classes'][0].tolist() == [1 if i == q else 2 for i in range(3)]
    assert targets['void'][0].tolist() == [False, False, True, True]
    torch.testing.assert_close(targets['inverse_area'][0], torch.tensor([2., 2., 4., 4.]))
    prob = pred['mask_logits'].flatten(2).softmax(1)[0]
    for i in range(3):  # unmatched queries weigh their class loss by their overlap with void
        expected = matches[0].dice[0] if i == q else prob[i, 2:].sum() / (prob[i].sum() + 1e-5)
        assert targets['class_weight'][0, i].item() == pytest.approx(float(expected), rel=1e-5)
    assert targets['mask_weight'][0].tolist() == pytest.approx(
        [float(matches[0].class_prob[0]) if i == q else 0.0 for i in range(3)])
    losses = crit([pred, pred], [torch.tensor([1])], gt_masks,
                  aux_semantic=torch.randn(1, 3, 2, 2),
                  gt_semantic=torch.tensor([[[1, 1], [2, 2]]]))
    assert set(losses) == {'loss_cls', 'loss_dice', 'loss_mask_id', 'loss_insdis', 'loss_aux_sem',
                           'd0.loss_cls', 'd0.loss_dice', 'd0.loss_mask_id', 'd0.loss_insdis'}
    assert losses['loss_cls'].item() == pytest.approx(losses['d0.loss_cls'].item())


def test_head_loss_backward():
    from mmdet.structures import DetDataSample
    from mmdet.structures.mask import BitmapMasks
    from mmengine.structures import InstanceData, PixelData
    head = KMaXPanopticHead(IN_CHANNELS, num_things_classes=3, num_stuff_classes=2, **TINY_HEAD)
    samples = []
    for _ in range(2):
        sem = torch.full((1, 32, 32), 3)
        sem[:, :, 20:] = 255
        mask = torch.zeros(1, 32, 32, dtype=torch.bool)
        mask[:, 4:12, 4:15] = True
        sem[mask] = 1
        s = DetDataSample(metainfo=dict(batch_input_shape=(32, 32), img_shape=(32, 32)))
        s.gt_instances = InstanceData(labels=torch.tensor([1]),
                                      masks=BitmapMasks(mask.numpy(), 32, 32))
        s.gt_sem_seg = PixelData(sem_seg=sem)
        samples.append(s)
    feats = [f.requires_grad_() for f in _feats()]
    losses = head.loss(feats, samples)
    assert len(losses) == 5 + 4 * 3
    assert all(torch.isfinite(v) and v >= 0 for v in losses.values())
    sum(losses.values()).backward()
    assert head.transformer_decoder.cluster_centers.weight.grad.abs().sum() > 0
    assert head.aux_semantic_head.final_conv.conv.weight.grad.abs().sum() > 0


# ------------------------------------------------------------------ inference
def test_panoptic_fusion_rule():
    # 4 queries on a 2x3 image, 2 thing classes + 1 stuff class (K = 3)
    cls = torch.full((4, 4), -10.0)
    cls[0, 0] = cls[1, 2] = cls[3, 2] = 10.0  # thing 0, stuff 2, stuff 2 again
    cls[2] = 0.0  # best real class probability 1/4 < 0.7: dropped
    masks = torch.full((4, 2, 3), -10.0)
    masks[0, :, 0] = 10
    masks[1, :, 1] = 10
    masks[2, 0, 2] = 10
    masks[3, 1, 2] = 10
    pan = kmax_panoptic_fusion(cls, masks, num_things_classes=2)
    # stuff queries 1 and 3 merge into one class-2 segment; query 2's pixel becomes void (3)
    assert pan.tolist() == [[1000, 2, 3], [1000, 2, 2]]


def test_panoptic_fusion_overlap_rule():
    # queries 0 and 1 (things) share column 1 (probability 0.5 each); query 1 comes second
    # (class probability 0.9 < 1) and keeps only half of its pixels
    cls = torch.full((4, 4), -10.0)
    cls[0, 0] = 10.0
    cls[1, 1], cls[1, 3] = 10.0, 10.0 - math.log(9)  # p(class 1) = 0.9
    cls[2:, 3] = 10.0  # void queries
    masks = torch.full((4, 2, 4), -10.0)
    masks[0, :, :2] = 10
    masks[1, :, 1:3] = 10
    pan = kmax_panoptic_fusion(cls, masks, num_things_classes=2, overlap_threshold=0.8)
    assert pan.tolist() == [[1000, 1000, 3, 3]] * 2
    pan = kmax_panoptic_fusion(cls, masks, num_things_classes=2, overlap_threshold=0.4)
    assert pan.tolist() == [[1000, 1000, 2001, 3]] * 2


def test_instance_results_follow_kmax_rule():
    from mmdet.structures import DetDataSample
    head = KMaXFusionHead(num_things_classes=2, num_stuff_classes=1,
                          test_cfg=dict(panoptic_on=False, instance_on=True, max_per_image=3))
    cls = torch.full((3, 4), -10.0)
    cls[0, 1] = 10.0  # thing 1
    cls[1, 2] = 10.0  # stuff: never an instance
    masks = torch.full((3, 4, 4), -10.0)
    masks[0, 1:3, 0:2] = 10.0
    masks[1, :, 2:] = 10.0
    sample = DetDataSample(metainfo=dict(img_shape=(4, 4), ori_shape=(4, 4)))
    result = head.predict(cls[None], masks[None], [sample])[0]
    assert 'pan_results' not in result
    ins = result['ins_results']
    top = ins.scores.argmax()
    assert ins.labels[top] == 1 and (ins.labels < 2).all()
    assert ins.masks[top].sum() == 4 and ins.bboxes[top].tolist() == [0, 1, 2, 3]
    assert ins.scores[top].item() == pytest.approx(1.0, abs=1e-3)


def test_fusion_and_coco_panoptic_metric_read_predictions(tmp_path):
    """A prediction equal to the ground truth scores PQ 100 through mmdet's metric."""
    pytest.importorskip('panopticapi')
    import numpy as np
    from mmcv import imread
    from mmdet.evaluation import CocoPanopticMetric
    from mmdet.structures import DetDataSample

    from mmplugins.datasets import SHAPES_PANOPTIC_METAINFO, generate_shapes_dataset
    from mmplugins.datasets.shapes import rgb_to_id
    root = tmp_path / 'shapes'
    generate_shapes_dataset(root, num_train=1, num_val=2, size=48, seed=3, tasks=('panoptic',))
    import json
    ann = json.load(open(root / 'coco/annotations/panoptic_val2017.json'))
    cat_ids = [c['id'] for c in ann['categories']]
    num_things = len(SHAPES_PANOPTIC_METAINFO['thing_classes'])
    head = KMaXFusionHead(num_things_classes=num_things, num_stuff_classes=3,
                          test_cfg=dict(panoptic_on=True))
    metric = CocoPanopticMetric(
        ann_file=str(root / 'coco/annotations/panoptic_val2017.json'),
        seg_prefix=str(root / 'coco/annotations/panoptic_val2017'))
    metric.dataset_meta = SHAPES_PANOPTIC_METAINFO
    outputs = []
    for image in ann['annotations']:
        ids = rgb_to_id(imread(str(root / 'coco/annotations/panoptic_val2017' / image['file_name']),
                               channel_order='rgb'))
        segs = image['segments_info']
        cls = torch.full((len(segs) + 1, 9), -20.0)
        masks = torch.full((len(segs) + 1, *ids.shape), -20.0)
        for q, seg in enumerate(segs):
            cls[q, cat_ids.index(seg['category_id'])] = 20.0
            masks[q][torch.from_numpy(ids == seg['id'])] = 20.0
        cls[-1, -1] = 20.0  # one extra query predicts void
        sample = DetDataSample(metainfo=dict(img_id=image['image_id'],
                                             img_path=image['file_name'].replace('png', 'jpg'),
                                             img_shape=ids.shape, ori_shape=ids.shape))
        result = head.predict(cls[None], masks[None], [sample], rescale=True)[0]
        sample.pred_panoptic_seg = result['pan_results']
        outputs.append(sample.to_dict())
    metric.process({}, outputs)
    scores = metric.compute_metrics(metric.results)
    assert scores['PQ'] == pytest.approx(100.0)
    assert np.isfinite(scores['PQ_th']) and np.isfinite(scores['PQ_st'])


def test_seg_head_predicts_class_scores():
    head = KMaXHead(IN_CHANNELS, num_classes=4, **TINY_HEAD).eval()
    metas = [dict(img_shape=(30, 31), pad_shape=(32, 32), batch_input_shape=(32, 32))] * 2
    with torch.no_grad():
        scores = head.predict(_feats(), metas, dict(mode='whole'))
    assert scores.shape == (2, 4, 32, 32)
    # per pixel: sum_c sum_q p(c|q) m_q = 1 - sum_q p(void|q) m_q, within [0, 1]
    assert (scores.sum(1) <= 1 + 1e-5).all() and (scores >= 0).all()
    assert head.out_channels == 4 and head.align_corners is False


# ------------------------------------------------------------------ converter
_OFFICIAL_PLAIN = {'conv', 'norm', 'weight', 'bias', 'running_mean', 'running_var',
                   'num_batches_tracked', 'qkv_transform', 'conv_block_0', 'conv_block_1',
                   'final_conv'}


def _to_official(key: str) -> str:
    """Our head key -> the official name (leading underscores, the 'predcitor' typo)."""
    head, part, rest = key.split('.', 2)
    prefix = dict(pixel_decoder='sem_seg_head.pixel_decoder.',
                  transformer_decoder='sem_seg_head.predictor.',
                  aux_semantic_head='sem_seg_head.predictor._auxiliary_semantic_predictor.')[part]
    parts = [p if p.isdigit() or p in _OFFICIAL_PLAIN else '_' + p for p in rest.split('.')]
    return prefix + '.'.join('_predcitor' if p == '_predictor' else p for p in parts)


def test_converter_known_keys_and_round_trip():
    head = KMaXPanopticHead(IN_CHANNELS, num_things_classes=3, num_stuff_classes=2, **TINY_HEAD)
    ours = {'panoptic_head.' + k: v for k, v in head.state_dict().items()}
    official = {_to_official(k): v for k, v in ours.items()}
    # spot checks against names read in the official source
    assert ('sem_seg_head.pixel_decoder._stages.0._blocks.0._attention._height_axis.'
            '_query_rpe._embeddings.weight') in official
    assert 'sem_seg_head.predictor._kmax_transformer_layers.0._predcitor.' \
           '_transformer_class_head.conv.bias' in official
    assert 'sem_seg_head.predictor._auxiliary_semantic_predictor._aspp._aspp_conv0.conv.weight' \
        in official
    official.update({
        'backbone.stem.conv1.weight': torch.zeros(1),
        'backbone.stem.conv1.norm.running_var': torch.zeros(2),
        'backbone.res2.0.shortcut.weight': torch.zeros(3),
        'backbone.res2.0.shortcut.norm.bias': torch.zeros(4),
        'backbone.res5.2.conv3.norm.weight': torch.zeros(5),
        'backbone.res4.1.conv2.weight': torch.zeros(6),
        'pixel_mean': torch.zeros(3, 1, 1), 'pixel_std': torch.ones(3, 1, 1)})
    report = convert('kmax', official)
    assert set(report.dropped) == {'pixel_mean', 'pixel_std'}
    sd = report.state_dict
    assert {k: v.numel() for k, v in sd.items() if k.startswith('backbone.')} == {
        'backbone.conv1.weight': 1, 'backbone.bn1.running_var': 2,
        'backbone.layer1.0.downsample.0.weight': 3, 'backbone.layer1.0.downsample.1.bias': 4,
        'backbone.layer4.2.bn3.weight': 5, 'backbone.layer3.1.conv2.weight': 6}
    head_sd = {k[len('panoptic_head.'):]: v for k, v in sd.items()
               if k.startswith('panoptic_head.')}
    assert head.load_state_dict(head_sd, strict=True)
    seg = convert('kmax-seg', official).state_dict
    assert any(k.startswith('decode_head.transformer_decoder.') for k in seg)
    with pytest.raises(KeyError, match='not from the official'):
        convert('kmax', {**official, 'backbone.stages.0.weight': torch.zeros(1)})


# ------------------------------------------------------------------ configs
def test_configs_parse_with_the_paper_recipe():
    from mmengine.config import Config
    paths = sorted((REPO / 'configs/kmax').glob('*.py'))
    assert len(paths) >= 8
    for path in paths:
        cfg = Config.fromfile(str(path))
        seg = 'ade20k' in path.name
        head = cfg.model.decode_head if seg else cfg.model.panoptic_head
        assert head.type == ('mmplugins.KMaXHead' if seg else 'mmplugins.KMaXPanopticHead')
        assert head.num_queries == 128 and head.transformer_decoder.dec_layers == [2, 2, 2]
        assert head.pixel_decoder.dec_channels == [512, 256, 128, 64]
        assert cfg.optim_wrapper.optimizer.lr == 5e-4
        assert cfg.optim_wrapper.optimizer.weight_decay == 0.05
        assert cfg.optim_wrapper.paramwise_cfg.custom_keys.backbone.lr_mult == 0.1
        # the released TF2WarmupPolyLR (kMaX-PT train_net_utils.py), not LinearLR x PolyLR
        assert [s.type for s in cfg.param_scheduler] == ['mmplugins.TF2WarmupPolyLR']
        if 'shapes' in path.name:
            assert cfg.train_dataloader.dataset.data_root.startswith('data/shapes')
            assert cfg.model.backbone.init_cfg is None
        if not seg:
            assert cfg.model.type == 'mmplugins.KMaXDeepLab'
            jitter = [s for s in cfg.train_dataloader.dataset.pipeline
                      if s.type == 'RandomResize']
            assert 'shapes' in path.name or jitter[0].ratio_range == (0.2, 2.0)


# ------------------------------------------------------------------ training (slow)
def _tiny_options(seg: bool, swin: bool = False) -> dict:
    head = 'model.decode_head' if seg else 'model.panoptic_head'
    if swin:
        opts = {'model.backbone.arch': dict(_delete_=True, embed_dims=16, depths=(1, 1, 1, 1),
                                            num_heads=(1, 1, 2, 2))}
    else:
        opts = {'model.backbone.depth': 18, 'model.backbone.base_channels': 8,
                'model.backbone.norm_cfg': dict(type='BN', requires_grad=True)}
    for key, value in TINY_HEAD.items():
        opts[f'{head}.{key}'] = value
    return opts


@pytest.mark.slow
@pytest.mark.parametrize('config', [
    'configs/kmax/kmax-deeplab_r50_8xb8-lsj-150k_shapes-coco-panoptic.py',
    'configs/kmax/kmax-deeplab_r50_8xb8-100k_shapes-ade20k.py',
    'configs/kmax/kmax-deeplab_swin-t-p4-w7_8xb8-lsj-150k_shapes-coco-panoptic.py',
])
def test_two_training_iterations_and_evaluation_on_shapes(config, shapes_root, tmp_path):
    """Two iterations, then validation through CocoPanopticMetric / IoUMetric unchanged."""
    pytest.importorskip('mmseg')
    seg = 'ade20k' in config
    if not seg:
        pytest.importorskip('panopticapi')
    from conftest import train_tiny
    runner = train_tiny(config, shapes_root, tmp_path, iters=2,
                        cfg_options=_tiny_options(seg, swin='swin' in config))
    head = runner.model.decode_head if seg else runner.model.panoptic_head
    assert type(head).__name__ == ('KMaXHead' if seg else 'KMaXPanopticHead')
    assert runner.iter == 2
    hub = runner.message_hub
    assert math.isfinite(hub.get_scalar('train/loss').current())
    prefix = 'train/decode.' if seg else 'train/'  # mmseg prefixes the head's losses
    assert hub.get_scalar(prefix + 'd2.loss_mask_id').current() > 0  # deep supervision
    metric = hub.get_scalar('val/mIoU' if seg else 'val/coco_panoptic/PQ').current()
    assert 0 <= metric <= 100


@pytest.mark.parametrize('overlap', [False, True])
def test_instance_discrimination_one_hot_path_equals_the_soft_target_formula(overlap):
    # the one-hot shortcut (no k x k target) must give the general soft-target CE exactly
    torch.manual_seed(0)
    b, e, n, hw = 2, 8, 5, 60
    feat = F.normalize(torch.randn(b, e, hw, dtype=torch.float64), dim=1).requires_grad_()
    ids = torch.randint(-1, n, (b, hw))
    masks = F.one_hot(ids.clamp(min=0), n).permute(0, 2, 1).to(feat) * (ids >= 0).unsqueeze(1)
    if overlap:  # a shared pixel makes the targets soft: the general path must run
        masks[:, 1, :3] = masks[:, 0, :3] = 0.5
    void = masks.sum(1) == 0
    area = torch.rand(b, hw, dtype=torch.float64) + 1
    torch.manual_seed(1)
    got = instance_discrimination_loss(feat, masks, void, area, sample_k=40, temperature=0.3)
    (grad, ) = torch.autograd.grad(got, feat)
    torch.manual_seed(1)  # same sampled pixels
    index = gumbel_topk(_sample_logits(area, void, 1.5), 40)
    gt = torch.gather(masks, 2, index.unsqueeze(1).expand(-1, n, -1))
    f = torch.gather(feat, 2, index.unsqueeze(1).expand(-1, e, -1))
    gt_sim = torch.einsum('bnk,bnj->bkj', gt, gt)
    gt_sim = gt_sim / gt_sim.sum(1, keepdim=True).clamp(min=1.0)
    ce = F.cross_entropy(torch.einsum('bck,bcj->bkj', f, f) / 0.3, gt_sim, reduction='none')
    count = (ce != 0).to(ce).sum(-1).clamp(min=1.0)
    expected = (ce.sum(-1) / count).mean()
    (expected_grad, ) = torch.autograd.grad(expected, feat)
    assert got.item() == pytest.approx(expected.item(), rel=1e-12)
    assert torch.allclose(grad, expected_grad, rtol=1e-10, atol=1e-12)
