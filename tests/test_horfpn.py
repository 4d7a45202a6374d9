"""HorFPN (mmdet neck) and the UperNet-HorFPN head (mmseg): against hand-written computations
on small inputs, the released layer's options, and short trainings of the shapes twins.

The released code (raoyongming/HorNet ``object_detection/necks/gn_fpn.py``,
``semantic_segmentation/decode_heads/gn_uper_head.py``) is not imported here; a scratch
comparison with the same random weights recorded the differences in configs/hornet/README.md.
"""
import pytest
import torch
import torch.nn.functional as F

from mmplugins.models.decode_heads import HorUPerHead
from mmplugins.models.layers.gnconv import GlobalLocalFilter, GnConvModule
from mmplugins.models.necks import HorFPN
from test_hornet import TINY, _naive_gnconv, _randomize

IN_CHANNELS = [4, 8, 16, 32]
SIZES = [(16, 12), (8, 6), (4, 3), (2, 2)]  # stride-4..32 maps of a 64x48 image (last: ceil)
DW = dict(order=2, mixer=dict(type='dw', kernel_size=7), scale=1.0)
GF = dict(order=2, mixer=dict(type='gf', h=6, w=4), scale=1.0)


def _inputs(batch: int = 2):
    g = torch.Generator().manual_seed(3)
    return [torch.randn(batch, c, *s, generator=g) for c, s in zip(IN_CHANNELS, SIZES)]


def _pointwise(conv, x):
    return torch.einsum('oi,bihw->bohw', conv.weight[:, :, 0, 0], x) + conv.bias.view(1, -1, 1, 1)


def _nearest_up(x, size):
    """Nearest upsampling by index arithmetic: output pixel i reads input floor(i * in / out)."""
    rows = (torch.arange(size[0]) * x.shape[2]) // size[0]
    cols = (torch.arange(size[1]) * x.shape[3]) // size[1]
    return x[:, :, rows][:, :, :, cols]


def _reference_horfpn(neck: HorFPN, inputs, num_outs: int):
    """The released GNFPN written out: 1x1 laterals, top-down nearest sum, a gnConv per level
    (order 2, no scale, proj_out), max-pooled extra levels."""
    lat = [_pointwise(conv.conv, x) for conv, x in zip(neck.lateral_convs, inputs)]
    for i in range(len(lat) - 1, 0, -1):
        lat[i - 1] = lat[i - 1] + _nearest_up(lat[i], lat[i - 1].shape[2:])
    outs = [_naive_gnconv(conv, x) for conv, x in zip(neck.fpn_convs, lat)]
    while len(outs) < num_outs:
        outs.append(outs[-1][:, :, ::2, ::2])  # max_pool2d(kernel 1, stride 2)
    return outs


@pytest.mark.parametrize('gnconv_cfg', [DW, GF], ids=['7x7', 'gf'])
def test_horfpn_equals_hand_computation(gnconv_cfg):
    neck = HorFPN(IN_CHANNELS, 16, num_outs=5, gnconv_cfg=gnconv_cfg).eval()
    _randomize(neck, seed=4)
    inputs = _inputs()
    with torch.no_grad():
        outs = neck(inputs)
        ref = _reference_horfpn(neck, inputs, 5)
    assert [tuple(o.shape) for o in outs] == [(2, 16, 16, 12), (2, 16, 8, 6), (2, 16, 4, 3),
                                              (2, 16, 2, 2), (2, 16, 1, 1)]
    for got, want in zip(outs, ref):  # fp32 sums in another order: relative to the scale
        torch.testing.assert_close(got, want, rtol=1e-4, atol=1e-5 * want.abs().max().item())


def test_horfpn_layers_are_the_released_gnconv_module():
    neck = HorFPN(IN_CHANNELS, 16, num_outs=5, gnconv_cfg=GF)
    for conv in neck.fpn_convs:
        assert isinstance(conv, GnConvModule) and isinstance(conv.dwconv, GlobalLocalFilter)
        # proj_in to 2 * out, gates [C/2, C], no scale, no norm/activation (FPN's None)
        assert conv.proj_in.out_channels == 32 and conv.dims == [8, 16] and conv.scale == 1.0
        assert conv.norm_name is None and conv.activate is None
    # the default is the released HorFPN-7x7
    assert HorFPN(IN_CHANNELS, 16, 5).fpn_convs[0].dwconv.kernel_size == (7, 7)
    # parameters: per level proj_in + dw 7x7 over 24 channels + projs + proj_out
    per_level = (16 * 32 + 32) + (24 * 49 + 24) + (8 * 16 + 16) + (16 * 16 + 16)
    lateral = sum(c * 16 + 16 for c in IN_CHANNELS)
    assert sum(p.numel() for p in HorFPN(IN_CHANNELS, 16, 5).parameters()) == \
        lateral + 4 * per_level


def test_horfpn_extra_convs_stay_plain_and_start_level_is_honoured():
    neck = HorFPN(IN_CHANNELS, 16, num_outs=5, start_level=1, add_extra_convs='on_input',
                  gnconv_cfg=DW).eval()
    assert [type(m).__name__ for m in neck.fpn_convs] == ['GnConvModule'] * 3 + ['ConvModule'] * 2
    with torch.no_grad():
        outs = neck(_inputs())
    assert [tuple(o.shape[2:]) for o in outs] == [(8, 6), (4, 3), (2, 2), (1, 1), (1, 1)]


def test_hor_uper_head_bottleneck_equals_hand_computation():
    """The fusion layer: gnConv from the concatenated pyramid (4 x channels) to channels, then
    the head's BN (eval statistics) and ReLU."""
    head = HorUPerHead(in_channels=IN_CHANNELS, in_index=[0, 1, 2, 3], channels=16,
                       num_classes=5, norm_cfg=dict(type='BN'), gnconv_cfg=GF).eval()
    _randomize(head, seed=5)
    bottleneck = head.fpn_bottleneck
    bn = getattr(bottleneck, bottleneck.norm_name)
    bn.running_mean.uniform_(-0.5, 0.5)
    bn.running_var.uniform_(0.5, 2.0)
    x = torch.randn(2, 64, 16, 12)
    with torch.no_grad():
        got = bottleneck(x)
        y = _naive_gnconv(bottleneck, x)
        y = (y - bn.running_mean.view(1, -1, 1, 1)) / torch.sqrt(
            bn.running_var.view(1, -1, 1, 1) + bn.eps) * bn.weight.view(1, -1, 1, 1) \
            + bn.bias.view(1, -1, 1, 1)
        want = F.relu(y)
    assert got.shape == (2, 16, 16, 12)
    torch.testing.assert_close(got, want, rtol=1e-4, atol=1e-4)
    assert bottleneck.proj_in.in_channels == 64 and bottleneck.proj_in.out_channels == 32
    with torch.no_grad():
        assert head(_inputs()).shape == (2, 5, 16, 12)


@pytest.mark.slow
@pytest.mark.parametrize('config', [
    'configs/hornet/mask-rcnn_hornet-small-7x7_horfpn-gf_ms-crop-1x_shapes-coco.py',
    'configs/hornet/upernet_hornet-small-7x7_horfpn-7x7_160k_shapes-ade20k.py',
])
def test_horfpn_shapes_twin_trains(config, shapes_root, tmp_path):
    from conftest import tiny_runner
    options = {'model.backbone.arch': dict(TINY, _delete_=True),
               'model.backbone.drop_path_rate': 0.1}
    runner = tiny_runner(config, shapes_root, tmp_path, iters=2, cfg_options=options,
                         validate=False)
    model = runner.model
    layer = model.neck.fpn_convs[0] if hasattr(model, 'neck') else model.decode_head.fpn_bottleneck
    assert isinstance(layer, GnConvModule)
    before = layer.proj_in.weight.detach().clone()
    runner.train()
    assert runner.iter == 2
    assert not torch.equal(before, layer.proj_in.weight)
