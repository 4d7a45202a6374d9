"""The contract every backbone of the toolkit follows.

A backbone is a :class:`mmengine.model.BaseModule` with

* ``arch``: a preset name from ``arch_zoo`` or a dict with the same keys (explicit overrides);
* ``out_indices`` / ``out_channels`` / ``out_strides``: which stages it returns and their
  channels and strides, so necks can be derived instead of hand-typed;
* ``frozen_stages`` (-1: nothing frozen; 0: the stem; i: the stem and stages 1..i) and
  ``norm_eval`` (batch norms stay in eval mode while training);
* ``forward(x)`` returning a tuple of NCHW maps for any input height and width;
* ``init_cfg=dict(type='Pretrained', checkpoint=PATH)`` loading this toolkit's layout through
  :func:`mmplugins.models.utils.load_backbone_checkpoint`, which refuses a load that would leave
  backbone weights untrained.
"""
from typing import Dict, List, Optional, Sequence, Tuple, Union

import torch
import torch.nn as nn
from mmcv.cnn import build_norm_layer
from mmengine.model import BaseModule
from mmengine.model.weight_init import trunc_normal_
from torch.nn.modules.batchnorm import _BatchNorm

from ..utils.checkpoint import load_backbone_checkpoint


class DenseBackbone(BaseModule):
    """Base class of the toolkit's backbones (see the module docstring for the contract).

    Subclasses set ``arch_zoo`` and ``arch_keys``, call :meth:`resolve_arch` and
    :meth:`set_out_indices` in ``__init__``, and implement :meth:`stage_modules`.
    """

    #: preset name -> dict of architecture settings
    arch_zoo: Dict[str, dict] = {}
    #: keys an explicit ``arch`` dict must provide
    arch_keys: Tuple[str, ...] = ()
    #: parameter-name prefixes that a checkpoint may lack (new output norms, etc.)
    fresh_param_prefixes: Tuple[str, ...] = ()

    def __init__(self, frozen_stages: int = -1, norm_eval: bool = False,
                 init_cfg: Optional[Union[dict, List[dict]]] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.frozen_stages = frozen_stages
        self.norm_eval = norm_eval
        self.out_indices: Tuple[int, ...] = ()
        self.out_channels: List[int] = []
        self.out_strides: List[int] = []

    # ----------------------------------------------------------------- configuration helpers
    @classmethod
    def resolve_arch(cls, arch: Union[str, dict]) -> dict:
        """Return the settings of ``arch``: a preset name (case-insensitive) or a full dict."""
        if isinstance(arch, str):
            key = arch.lower()
            if key not in cls.arch_zoo:
                raise KeyError(f'{cls.__name__}: unknown arch {arch!r}; accepted presets: '
                               f'{sorted(cls.arch_zoo)}')
            return dict(cls.arch_zoo[key])
        if not isinstance(arch, dict):
            raise TypeError(f'{cls.__name__}: arch must be a preset name or a dict, '
                            f'got {type(arch).__name__}')
        missing = [k for k in cls.arch_keys if k not in arch]
        if missing:
            raise KeyError(f'{cls.__name__}: a custom arch dict needs the keys '
                           f'{list(cls.arch_keys)}; missing {missing}')
        return dict(arch)

    def set_out_indices(self, out_indices: Sequence[int], stage_channels: Sequence[int],
                        stage_strides: Sequence[int]) -> None:
        """Validate ``out_indices`` (negative values count from the end) and derive
        ``out_channels`` / ``out_strides``."""
        num_stages = len(stage_channels)
        if isinstance(out_indices, int):
            out_indices = (out_indices,)
        resolved = []
        for i in out_indices:
            j = i + num_stages if i < 0 else i
            if not 0 <= j < num_stages:
                raise ValueError(f'{type(self).__name__}: out_indices entry {i} is outside the '
                                 f'{num_stages} stages (accepted: 0..{num_stages - 1} or '
                                 f'-{num_stages}..-1)')
            resolved.append(j)
        if len(set(resolved)) != len(resolved):
            raise ValueError(f'{type(self).__name__}: out_indices {tuple(out_indices)} '
                             'repeats a stage')
        if not -1 <= self.frozen_stages <= num_stages:
            raise ValueError(f'{type(self).__name__}: frozen_stages must be in '
                             f'-1..{num_stages}, got {self.frozen_stages}')
        self.out_indices = tuple(resolved)
        self.out_channels = [int(stage_channels[i]) for i in resolved]
        self.out_strides = [int(stage_strides[i]) for i in resolved]

    # ------------------------------------------------------------------- freezing / train mode
    def stage_modules(self, index: int) -> List[nn.Module]:
        """Modules frozen by ``frozen_stages >= index`` (0: stem; i >= 1: stage i)."""
        raise NotImplementedError

    def _freeze_stages(self) -> None:
        for index in range(self.frozen_stages + 1):
            for module in self.stage_modules(index):
                module.eval()
                for param in module.parameters():
                    param.requires_grad = False

    def train(self, mode: bool = True) -> 'DenseBackbone':
        """Switch mode, then re-apply frozen stages and ``norm_eval``."""
        super().train(mode)
        self._freeze_stages()
        if mode and self.norm_eval:
            for module in self.modules():
                if isinstance(module, _BatchNorm):
                    module.eval()
        return self

    # ------------------------------------------------------------------------------ weights
    def init_weights(self) -> None:
        """Load ``init_cfg=dict(type='Pretrained', ...)`` strictly; otherwise initialise."""
        cfg = self.init_cfg
        if isinstance(cfg, dict) and cfg.get('type') == 'Pretrained':
            load_backbone_checkpoint(self, cfg['checkpoint'], prefix=cfg.get('prefix'),
                                     allowed_missing=self.fresh_param_prefixes)
            self._is_init = True
            return
        super().init_weights()


class ConvNeXtStyleBackbone(DenseBackbone):
    """Per stage ``downsample_layers[i]`` then the blocks ``stages[i]`` on NCHW maps (ConvNeXt,
    HorNet), with optional output norms ``norm{i}``: freezing and initialisation of that layout.
    """

    def init_conv_linear(self) -> None:
        """The official ConvNeXt/HorNet initialisation: truncated normal (std 0.02) on every
        conv and linear weight, zero biases."""
        for module in self.modules():
            if isinstance(module, (nn.Conv2d, nn.Linear)):
                trunc_normal_(module.weight, std=0.02)
                if module.bias is not None:
                    nn.init.zeros_(module.bias)

    def stage_modules(self, index: int) -> List[nn.Module]:
        """0: the stem ``downsample_layers[0]``; i >= 1: stage i with the downsampling layer in
        front of it and its output norm, if any."""
        if index == 0:
            return [self.downsample_layers[0]]
        stage = index - 1
        modules: List[nn.Module] = [self.stages[stage]]
        if stage > 0:
            modules.insert(0, self.downsample_layers[stage])
        norm = getattr(self, f'norm{stage}', None)
        if norm is not None:
            modules.append(norm)
        return modules


class HierarchicalBackbone(DenseBackbone):
    """A stem ``patch_embed`` then ``stages`` on channels-last maps ``(B, H, W, C)``.

    Stage ``i`` is read out through a new norm ``norm{i}`` before its optional ``downsample``
    (the layout of the Swin and RMT detection backbones). Subclasses build ``patch_embed``,
    ``stages`` (each with ``downsample`` set or ``None``) and ``depths``, then call
    :meth:`add_output_norms`.
    """

    depths: Tuple[int, ...] = ()

    def add_output_norms(self, norm_cfg: Optional[dict], channels: Sequence[int]) -> None:
        """Add ``norm{i}`` for every ``i`` in ``out_indices``."""
        for i in self.out_indices:
            self.add_module(f'norm{i}', build_norm_layer(norm_cfg or dict(type='LN'),
                                                         channels[i])[1])

    def init_linear_and_norm_layers(self) -> None:
        """The official initialisation: truncated normal (std 0.02) linears, unit norms."""
        for module in self.modules():
            if isinstance(module, nn.Linear):
                trunc_normal_(module.weight, std=0.02)
                if module.bias is not None:
                    nn.init.zeros_(module.bias)
            elif isinstance(module, nn.LayerNorm):
                nn.init.ones_(module.weight)
                nn.init.zeros_(module.bias)

    def stage_modules(self, index: int) -> List[nn.Module]:
        if index == 0:
            return [self.patch_embed]
        modules = [self.stages[index - 1]]
        if index - 1 in self.out_indices:
            modules.append(getattr(self, f'norm{index - 1}'))
        return modules

    def forward_stem(self, x: torch.Tensor) -> torch.Tensor:
        """``(B, C, H, W)`` image -> ``(B, H', W', C')`` tokens (override to add dropout etc.)."""
        return self.patch_embed(x)

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, ...]:
        """``(B, C, H, W)`` -> tuple of ``(B, C_i, ceil(H / s_i), ceil(W / s_i))`` maps."""
        x = self.forward_stem(x)
        outs = []
        for i, stage in enumerate(self.stages):
            x = stage(x)
            if i in self.out_indices:
                outs.append(getattr(self, f'norm{i}')(x).permute(0, 3, 1, 2).contiguous())
            if stage.downsample is not None:
                x = stage.downsample(x)
        return tuple(outs)

    def get_layer_depth(self, param_name: str) -> Tuple[int, int]:
        """Layer id for layer-wise lr decay: stem 0, blocks 1..sum(depths), heads after."""
        num_layers = sum(self.depths) + 2
        if param_name.startswith('patch_embed'):
            return 0, num_layers
        if param_name.startswith('stages.'):
            parts = param_name.split('.')
            stage = int(parts[1])
            if parts[2] == 'blocks':
                return sum(self.depths[:stage]) + int(parts[3]) + 1, num_layers
            return sum(self.depths[:stage + 1]) + 1, num_layers  # downsampling feeds the next
        return num_layers - 1, num_layers  # output norms
