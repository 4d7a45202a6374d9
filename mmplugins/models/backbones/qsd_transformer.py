"""QSD-Transformer: quantized spike-driven transformer (Qiu et al., ICLR 2025).

Meta-SpikeFormer skeleton (two conv stages, two spike-driven transformer stages) with
multi-level integer spiking neurons, 4-bit LSQ weights on every conv and Q-SDSA attention. The
blocks live in the top-level :mod:`spiking` package; this file assembles the backbone.

Feature maps run as ``[T, B, C, H, W]`` (the input is repeated over ``time_steps``) and are
averaged over time before they leave the backbone, so stock mmdet/mmseg necks and heads work;
with ``keep_time=True`` they leave as ``[T, B, C, H, W]``, as the released detection and
segmentation backbones hand them to their spiking necks (:mod:`mmplugins.models.spiking_heads`).
The output strides are the true ones: 2, 4, 8, 16, 16 for the five stages (the official
configs label the last stage 32).
"""
from typing import List, Optional, Sequence, Tuple, Union

import torch
import torch.nn as nn

from spiking import QSDSA, LSQConv2d, MultiSpikeNode, seq_apply
from spiking.distill import (QKVRecorder, build_teacher, distill_settings, inject_loss,
                             qkv_distribution_loss)
from ...registry import MODELS
from ..layers.checkpoint import maybe_checkpoint
from .base import DenseBackbone


class _SpikeConvBN(nn.Module):
    """Optional neuron -> LSQ conv -> BN on ``[T, B, C, H, W]`` (the downsampling layer)."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int, stride: int,
                 padding: int, spiking_input: bool, bits: Optional[int], node_cfg: dict) -> None:
        super().__init__()
        # the stem sees real pixels: no neuron before it (a MAC layer)
        self.lif = MultiSpikeNode(**node_cfg) if spiking_input else None
        self.conv = LSQConv2d(in_channels, out_channels, kernel_size, stride, padding, bits=bits)
        self.bn = nn.BatchNorm2d(out_channels)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.lif is not None:
            x = self.lif(x)
        return seq_apply(lambda z: self.bn(self.conv(z)), x)


class SepConv(nn.Module):
    """Spiking inverted separable conv: neuron -> pw 1x1 (x2) -> BN -> neuron -> dw kxk ->
    [BN -> neuron ->] pw 1x1 -> BN (``spike_dw``: the bracket, SDT-V3's ``SepConv_Spike``)."""

    def __init__(self, dim: int, bits: Optional[int], node_cfg: dict, expansion: int = 2,
                 kernel_size: int = 7, spike_dw: bool = False) -> None:
        super().__init__()
        hidden = dim * expansion
        self.lif1 = MultiSpikeNode(**node_cfg)
        self.pwconv1 = LSQConv2d(dim, hidden, 1, bias=False, bits=bits)
        self.bn1 = nn.BatchNorm2d(hidden)
        self.lif2 = MultiSpikeNode(**node_cfg)
        self.dwconv = LSQConv2d(hidden, hidden, kernel_size, padding=kernel_size // 2,
                                groups=hidden, bias=False, bits=bits)
        self.dw_bn = nn.BatchNorm2d(hidden) if spike_dw else None
        self.lif3 = MultiSpikeNode(**node_cfg) if spike_dw else None
        self.pwconv2 = LSQConv2d(hidden, dim, 1, bias=False, bits=bits)
        self.bn2 = nn.BatchNorm2d(dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = seq_apply(lambda z: self.bn1(self.pwconv1(z)), self.lif1(x))
        if self.lif3 is None:
            return seq_apply(lambda z: self.bn2(self.pwconv2(self.dwconv(z))), self.lif2(x))
        x = self.lif3(seq_apply(lambda z: self.dw_bn(self.dwconv(z)), self.lif2(x)))
        return seq_apply(lambda z: self.bn2(self.pwconv2(z)), x)


class ConvBlock(nn.Module):
    """Conv stage block: ``x + SepConv(x)``, then ``x + BN(conv3x3(s(BN(conv3x3(s(x))))))``."""

    def __init__(self, dim: int, mlp_ratio: int, bits: Optional[int], node_cfg: dict,
                 spike_dw: bool = False) -> None:
        super().__init__()
        self.sep = SepConv(dim, bits, node_cfg, spike_dw=spike_dw)
        self.lif1 = MultiSpikeNode(**node_cfg)
        self.conv1 = LSQConv2d(dim, dim * mlp_ratio, 3, padding=1, bias=False, bits=bits)
        self.bn1 = nn.BatchNorm2d(dim * mlp_ratio)
        self.lif2 = MultiSpikeNode(**node_cfg)
        self.conv2 = LSQConv2d(dim * mlp_ratio, dim, 3, padding=1, bias=False, bits=bits)
        self.bn2 = nn.BatchNorm2d(dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.sep(x)
        y = seq_apply(lambda z: self.bn1(self.conv1(z)), self.lif1(x))
        return x + seq_apply(lambda z: self.bn2(self.conv2(z)), self.lif2(y))


class SpikeMLP(nn.Module):
    """Channel MLP: neuron -> 1x1 LSQ conv (C -> rC) -> BN -> neuron -> 1x1 LSQ conv -> BN."""

    def __init__(self, dim: int, hidden: int, bits: Optional[int], node_cfg: dict) -> None:
        super().__init__()
        self.fc1_lif = MultiSpikeNode(**node_cfg)
        self.fc1_conv = LSQConv2d(dim, hidden, 1, bits=bits)
        self.fc1_bn = nn.BatchNorm2d(hidden)
        self.fc2_lif = MultiSpikeNode(**node_cfg)
        self.fc2_conv = LSQConv2d(hidden, dim, 1, bits=bits)
        self.fc2_bn = nn.BatchNorm2d(dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = seq_apply(lambda z: self.fc1_bn(self.fc1_conv(z)), self.fc1_lif(x))
        return seq_apply(lambda z: self.fc2_bn(self.fc2_conv(z)), self.fc2_lif(x))


def _layer_scale(dim: int, init: Optional[float]) -> Optional[nn.Parameter]:
    return None if init is None else nn.Parameter(torch.full((dim,), float(init)))


class SpikeTransformerBlock(nn.Module):
    """``[x + ls0 * SepConv(x)]``, ``x + ls1 * attn(x)``, ``x + ls2 * MLP(x)`` (no DropPath,
    as released). The bracketed conv branch exists with ``sep_kernel`` (SDT-V3's blocks);
    ``layer_scale_init=None`` drops the LayerScales (the release's det ``SDEFormer``)."""

    def __init__(self, dim: int, mlp_ratio: int, bits: Optional[int], node_cfg: dict,
                 attn_cfg: dict, layer_scale_init: Optional[float],
                 sep_kernel: Optional[int] = None) -> None:
        super().__init__()
        self.sep = None
        if sep_kernel is not None:
            self.sep = SepConv(dim, bits, node_cfg, kernel_size=sep_kernel, spike_dw=True)
        self.attn = QSDSA(dim, bits=bits, **attn_cfg, **node_cfg)
        self.mlp = SpikeMLP(dim, dim * mlp_ratio, bits, node_cfg)
        self.layer_scale0 = _layer_scale(dim, layer_scale_init) if self.sep is not None else None
        self.layer_scale1 = _layer_scale(dim, layer_scale_init)
        self.layer_scale2 = _layer_scale(dim, layer_scale_init)

    @staticmethod
    def _residual(x: torch.Tensor, branch: nn.Module, scale: Optional[nn.Parameter]
                  ) -> torch.Tensor:
        y = branch(x)
        return x + (y if scale is None else y * scale.view(1, 1, -1, 1, 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.sep is not None:
            x = self._residual(x, self.sep, self.layer_scale0)
        x = self._residual(x, self.attn, self.layer_scale1)
        return self._residual(x, self.mlp, self.layer_scale2)


#: The block families an arch is built from (``arch['block']``). ``'qsd'``: the QSD-Transformer's
#: own (Q-SDSA on quantized RepConvs, attention neuron ``count / 2``, scale 0.25).
#: ``'sdt-v3'``: the Spike-Driven Transformer V3 (E-SpikeFormer) blocks of the release's 19M
#: segmentor (``seg/.../backbones/sdtv3.py``) and Cascade Mask R-CNN (``det/.../sdeformer.py``):
#: a third neuron inside every SepConv, a SepConv(3x3) branch before the attention, 1x1-conv
#: Q/K/V with V four times wider, attention neuron ``count / D``, scale ``2 / sqrt(C / heads)``.
BLOCKS = {
    'qsd': dict(spike_dw=False, sep_kernel=None, rep_conv=True, v_ratio=1, attn_norm=2.0,
                attn_scale=lambda head_dim: 0.25),
    'sdt-v3': dict(spike_dw=True, sep_kernel=3, rep_conv=False, v_ratio=4, attn_norm=None,
                   attn_scale=lambda head_dim: 2.0 * head_dim ** -0.5),
}


class QSDStage(nn.Module):
    """An optional spiking downsampling layer followed by blocks."""

    def __init__(self, downsample: Optional[nn.Module], blocks: List[nn.Module],
                 with_cp: bool) -> None:
        super().__init__()
        self.downsample = downsample
        self.blocks = nn.ModuleList(blocks)
        self.with_cp = with_cp

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.downsample is not None:
            x = self.downsample(x)
        for block in self.blocks:
            x = maybe_checkpoint(block, x, with_cp=self.with_cp)
        return x


@MODELS.register_module()
class QSDTransformer(DenseBackbone):
    """QSD-Transformer backbone (quantized spike-driven transformer).

    Stages (index: stride, channels): 0: 2, C0/2 (stem + conv block); 1: 4, C0 (conv block);
    2: 8, C1 (two conv blocks); 3: 16, C2 (``0.75 * depth`` transformer blocks); 4: 16, C3
    (stride-1 downsample + ``0.25 * depth`` blocks). The official detector uses stages
    (1, 2, 3, 4), the official segmentor (0, 1, 2, 4).

    Args:
        arch: ``'15m'``, ``'31m'``, ``'55m'`` (the official 15.1/31.3/55.4M models, counted
            with their ImageNet head), ``'19m'`` (the release's SDT-V3 / E-SpikeFormer 19M
            backbone of its 19M segmentor and Cascade Mask R-CNN) or a dict with
            ``embed_dims`` (4 ints), ``depths`` (blocks of stages 3 and 4), ``num_heads``,
            ``mlp_ratio`` and optionally ``block`` (a :data:`BLOCKS` key, default ``'qsd'``).
            The released 19M models also use ``bits=None``, ``spike_threshold=1.0`` and
            ``spike_rounding='half_even'``; the det one ``layer_scale_init=None``.
        in_channels: input channels.
        bits: LSQ weight bits of every conv (``None``: full precision).
        time_steps: ``T``; the image is repeated over ``T`` steps, outputs are averaged.
        keep_time: return ``[T, B, C, H, W]`` maps instead of their time-mean (for the
            spiking necks and heads; the released det/seg backbones, which differ only in
            the stages they return: (1, 2, 3, 4) for detection, (0, 1, 2, 4) for
            segmentation).
        levels: ``D``, spike levels of the neurons (4 as released).
        spike_threshold: input worth one spike of every neuron (``None``: ``1 / D``, QSD's
            ``round(clamp(D x, 0, D)) / D``; 1.0: SDT-V3's ``round(clamp(x, 0, D)) / D``).
        spike_rounding: ``'half_up'`` (QSD's ``floor(x + 0.5)``) or ``'half_even'``
            (SDT-V3's ``torch.round``) for every neuron.
        decay: neuron membrane decay (``None``: the released stateless neuron; with it,
            ``T > 1`` only repeats the same computation).
        spiking: ``False`` builds the real-valued counterpart (neurons clamp without rounding;
            with ``bits=None`` an ANN), e.g. as a distillation teacher.
        attn_scale: attention scale (``None``: the block family's, 0.25 for QSD).
        layer_scale_init: LayerScale init of the transformer blocks (``None``: none).
        out_indices: stages to return (0..4).
        frozen_stages: -1 none; 0 the stem; i the stem and stages 1..i (stage i = index i-1).
        norm_eval: keep batch norms in eval mode.
        with_cp: gradient checkpointing per block (stateless neurons only; with training-mode
            batch norms the recomputation sees running statistics the first pass already
            updated, which the RepConv border values use, so gradients differ slightly).
        distill: opt-in fine-grained distillation (:mod:`spiking.distill`):
            ``dict(teacher=CONFIG_FILE_or_backbone_dict, checkpoint=None, loss_weight=1.0,
            tau=1.0)``. The teacher (same architecture, e.g. ``spiking=False, bits=None``) is
            built at the first training forward, frozen and not saved; its Q/K/V guide the
            student's, and ``loss_weight * loss`` reaches the optimizer through the backbone
            outputs (no detector/segmentor change); the last value is :attr:`distill_loss`.
        init_cfg: ``dict(type='Pretrained', checkpoint=...)`` in this toolkit's layout
            (convert official files with ``tools/convert_checkpoint.py qsd``).
    """

    arch_zoo = {
        '15m': dict(embed_dims=(64, 128, 256, 360), depths=(6, 2), num_heads=8, mlp_ratio=4),
        '31m': dict(embed_dims=(96, 192, 384, 480), depths=(6, 2), num_heads=8, mlp_ratio=4),
        '55m': dict(embed_dims=(128, 256, 512, 640), depths=(6, 2), num_heads=8, mlp_ratio=4),
        '19m': dict(embed_dims=(64, 128, 256, 360), depths=(6, 2), num_heads=8, mlp_ratio=4,
                    block='sdt-v3'),
    }
    arch_keys = ('embed_dims', 'depths', 'num_heads', 'mlp_ratio')

    def __init__(self, arch: Union[str, dict] = '15m', in_channels: int = 3,
                 bits: Optional[int] = 4, time_steps: int = 1, keep_time: bool = False,
                 levels: int = 4, spike_threshold: Optional[float] = None,
                 spike_rounding: str = 'half_up', decay: Optional[float] = None,
                 spiking: bool = True, attn_scale: Optional[float] = None,
                 layer_scale_init: Optional[float] = 1e-6,
                 out_indices: Sequence[int] = (1, 2, 3, 4),
                 frozen_stages: int = -1, norm_eval: bool = False, with_cp: bool = False,
                 distill: Optional[dict] = None,
                 init_cfg: Optional[Union[dict, List[dict]]] = None) -> None:
        super().__init__(frozen_stages=frozen_stages, norm_eval=norm_eval, init_cfg=init_cfg)
        cfg = self.resolve_arch(arch)
        dims, depths = tuple(cfg['embed_dims']), tuple(cfg['depths'])
        block = BLOCKS.get(cfg.get('block', 'qsd'))
        if block is None:
            raise KeyError(f"QSDTransformer: arch block must be one of {sorted(BLOCKS)}, got "
                           f"{cfg['block']!r}")
        if len(dims) != 4 or len(depths) != 2:
            raise ValueError('QSDTransformer: arch needs 4 embed_dims and 2 depths (blocks of '
                             f'stages 3 and 4), got {dims} and {depths}')
        if not isinstance(time_steps, int) or time_steps < 1:
            raise ValueError(f'QSDTransformer: time_steps must be an int >= 1, got {time_steps!r}')
        if bits is not None and (not isinstance(bits, int) or bits < 2):
            raise ValueError(f'QSDTransformer: bits must be an int >= 2 (weight bits) or None '
                             f'(full precision), got {bits!r}')
        if not isinstance(levels, int) or levels < 1:
            raise ValueError(f'QSDTransformer: levels must be an int >= 1 (the largest integer '
                             f'spike; 1 = binary spikes), got {levels!r}')
        if with_cp and decay is not None:
            raise ValueError('QSDTransformer: with_cp=True would run stateful neurons twice; '
                             'use it only with decay=None')
        self.time_steps, self.bits, self.keep_time = time_steps, bits, keep_time
        node = dict(levels=levels, decay=decay, analog=not spiking, threshold=spike_threshold,
                    rounding=spike_rounding)
        ratio, heads = int(cfg['mlp_ratio']), int(cfg['num_heads'])

        def down(cin, cout, stride):
            return _SpikeConvBN(cin, cout, 3, stride, 1, True, bits, node)

        def conv_blocks(dim, n):
            return [ConvBlock(dim, ratio, bits, node, block['spike_dw']) for _ in range(n)]

        def tfm_blocks(dim, n):
            scale = block['attn_scale'](dim // heads) if attn_scale is None else attn_scale
            attn = dict(num_heads=heads, scale=scale, rep_conv=block['rep_conv'],
                        v_ratio=block['v_ratio'], attn_norm=block['attn_norm'])
            return [SpikeTransformerBlock(dim, ratio, bits, node, attn, layer_scale_init,
                                          block['sep_kernel']) for _ in range(n)]

        c0 = dims[0] // 2
        self.stem = _SpikeConvBN(in_channels, c0, 7, 2, 3, False, bits, node)
        self.stages = nn.ModuleList([
            QSDStage(None, conv_blocks(c0, 1), with_cp),
            QSDStage(down(c0, dims[0], 2), conv_blocks(dims[0], 1), with_cp),
            QSDStage(down(dims[0], dims[1], 2), conv_blocks(dims[1], 2), with_cp),
            QSDStage(down(dims[1], dims[2], 2), tfm_blocks(dims[2], depths[0]), with_cp),
            QSDStage(down(dims[2], dims[3], 1), tfm_blocks(dims[3], depths[1]), with_cp),
        ])
        self.set_out_indices(out_indices, [c0, *dims], [2, 4, 8, 16, 16])
        self.distill_cfg = distill_settings(distill)
        self.distill_loss: Optional[torch.Tensor] = None
        if self.distill_cfg is not None:
            self._recorder = QKVRecorder(self)
            self._teacher: List[dict] = []  # a list: not a submodule, never saved
        self._freeze_stages()

    def stage_modules(self, index: int) -> List[nn.Module]:
        return [self.stem] if index == 0 else [self.stages[index - 1]]

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, ...]:
        """``(B, C, H, W)`` -> tuple of ``(B, C_i, ceil(H / s_i), ceil(W / s_i))`` maps, each
        the mean over the ``time_steps`` (``keep_time``: ``(T, B, C_i, ...)`` maps)."""
        if self.distill_cfg is None or not self.training or not torch.is_grad_enabled():
            return self._forward(x)
        teacher = self._get_teacher(x.device)
        self._recorder.active = True
        try:
            outs = self._forward(x)
        finally:
            self._recorder.active = False
        student = self._recorder.take()
        with torch.no_grad():
            teacher['recorder'].active = True
            try:
                teacher['model'](x)
            finally:
                teacher['recorder'].active = False
        loss = qkv_distribution_loss(student, teacher['recorder'].take(), self.distill_cfg['tau'])
        self.distill_loss = loss.detach()
        return tuple(inject_loss(list(outs), loss, self.distill_cfg['loss_weight']))

    def _get_teacher(self, device: torch.device) -> dict:
        if not self._teacher:
            model = build_teacher(self.distill_cfg['teacher'], self.distill_cfg['checkpoint'])
            recorder = QKVRecorder(model)
            if recorder.num_layers != self._recorder.num_layers:
                raise ValueError(f'distill teacher has {recorder.num_layers} Q-SDSA layers, the '
                                 f'student {self._recorder.num_layers}; use the same arch')
            self._teacher.append(dict(model=model, recorder=recorder))
        teacher = self._teacher[0]
        teacher['model'].to(device)
        return teacher

    def _forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, ...]:
        x = x.unsqueeze(0).repeat(self.time_steps, 1, 1, 1, 1)
        x = self.stem(x)
        outs = []
        for i, stage in enumerate(self.stages):
            x = stage(x)
            if i in self.out_indices:
                outs.append(x if self.keep_time else x.mean(0))
        return tuple(outs)
