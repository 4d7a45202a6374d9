"""Layer-wise learning-rate decay for every backbone of the toolkit.

mmseg's and mmpretrain's constructors only know their own backbones. This one asks the backbone
itself: a backbone that supports layer decay implements

    get_layer_depth(param_name: str) -> Tuple[int, int]

returning ``(layer_id, num_layers)`` for a parameter name relative to the backbone, with the
stem at layer 0 and ``num_layers - 1`` reserved for everything after the backbone. A parameter
at ``layer_id`` gets ``lr * layer_decay_rate ** (num_layers - 1 - layer_id)``.
"""
from typing import Dict, List, Tuple

import torch.nn as nn
from mmengine.logging import MMLogger
from mmengine.optim import DefaultOptimWrapperConstructor

from ...registry import OPTIM_WRAPPER_CONSTRUCTORS


@OPTIM_WRAPPER_CONSTRUCTORS.register_module()
class LayerDecayOptimWrapperConstructor(DefaultOptimWrapperConstructor):
    """Optimizer constructor with layer-wise lr decay and no weight decay on 1-D parameters.

    ``paramwise_cfg`` keys:

    * ``layer_decay_rate`` (float, default 1.0): decay per layer, counted from the top.
    * ``no_decay_1d`` (bool, default True): zero weight decay for biases, norms, gammas.
    * ``no_decay_keys`` (list of str): more name substrings with zero weight decay
      (e.g. ``'pos_embed'``, ``'relative_position_bias_table'``).
    * ``custom_keys`` (dict): name substring -> ``dict(lr_mult=..., decay_mult=...)``, applied
      on top (the first matching key, longest first, as in mmengine).
    """

    def add_params(self, params: List[dict], module: nn.Module, **kwargs) -> None:
        cfg = dict(self.paramwise_cfg)
        rate = float(cfg.get('layer_decay_rate', 1.0))
        no_decay_1d = bool(cfg.get('no_decay_1d', True))
        no_decay_keys = tuple(cfg.get('no_decay_keys', ()))
        custom_keys: Dict[str, dict] = dict(cfg.get('custom_keys', {}))
        sorted_custom = sorted(custom_keys, key=len, reverse=True)
        model = getattr(module, 'module', module)  # unwrap DDP
        backbone = getattr(model, 'backbone', None)
        if rate != 1.0 and not hasattr(backbone, 'get_layer_depth'):
            raise TypeError(
                f'layer_decay_rate={rate} needs a backbone with get_layer_depth(); '
                f'{type(backbone).__name__} has none')

        groups: Dict[Tuple[float, float], dict] = {}
        for name, param in model.named_parameters():
            if not param.requires_grad:
                continue
            lr_scale, decay = 1.0, self.base_wd or 0.0
            if rate != 1.0 and name.startswith('backbone.'):
                layer_id, num_layers = backbone.get_layer_depth(name[len('backbone.'):])
                lr_scale = rate ** (num_layers - 1 - layer_id)
            if (no_decay_1d and param.ndim <= 1) or any(k in name for k in no_decay_keys):
                decay = 0.0
            for key in sorted_custom:
                if key in name:
                    lr_scale *= custom_keys[key].get('lr_mult', 1.0)
                    decay *= custom_keys[key].get('decay_mult', 1.0)
                    break
            lr = self.base_lr * lr_scale
            group = groups.setdefault((lr, decay), dict(params=[], lr=lr, weight_decay=decay,
                                                         param_names=[]))
            group['params'].append(param)
            group['param_names'].append(name)
        params.extend(groups.values())
        MMLogger.get_current_instance().info(
            f'LayerDecayOptimWrapperConstructor: {len(groups)} parameter groups, '
            f'layer_decay_rate={rate}')
