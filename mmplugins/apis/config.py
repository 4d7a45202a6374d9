"""Config loading for the tools: error messages that name the file, and derived channels.

Necks and heads of the toolkit's configs say ``in_channels='auto'``; :func:`resolve_auto_channels`
fills them from the backbone (its ``out_channels`` attribute, or a forward pass on the meta
device for backbones that lack one, such as mmdet's ResNet), so a config that swaps the
backbone never hand-types channel lists.
"""
import difflib
import os
from typing import Any, List, Optional, Sequence

import torch
from mmengine.config import Config, DictAction  # noqa: F401  (re-exported for the tools)
from mmengine.registry import MODELS, init_default_scope

AUTO = 'auto'


def _needs_auto(node: Any) -> bool:
    if isinstance(node, dict):
        return node.get('in_channels') == AUTO or any(_needs_auto(v) for v in node.values())
    if isinstance(node, (list, tuple)):
        return any(_needs_auto(v) for v in node)
    return False


def backbone_out_channels(backbone_cfg: dict, in_channels: int = 3) -> List[int]:
    """Channels of every map the backbone returns, built on the meta device (no memory)."""
    with torch.device('meta'):
        backbone = MODELS.build(backbone_cfg)
        channels = getattr(backbone, 'out_channels', None)
        if isinstance(channels, (list, tuple)) and channels:
            return [int(c) for c in channels]
        outs = backbone(torch.empty(1, in_channels, 64, 64))
    return [int(o.shape[1]) for o in outs]


def _fill(node: Any, channels: Sequence[int]) -> None:
    if isinstance(node, dict):
        if node.get('in_channels') == AUTO and 'type' in node:
            index = node.get('in_index')
            if index is None:
                node['in_channels'] = list(channels)
            elif isinstance(index, int):
                node['in_channels'] = channels[index]
            else:
                node['in_channels'] = [channels[i] for i in index]
        for key, value in node.items():
            if key != 'backbone':
                _fill(value, channels)
    elif isinstance(node, (list, tuple)):
        for value in node:
            _fill(value, channels)


def resolve_auto_channels(cfg: Config) -> Config:
    """Replace ``in_channels='auto'`` in ``cfg.model`` by the backbone's channels (in place)."""
    model = cfg.get('model')
    if not model or not _needs_auto(model):
        return cfg
    if 'backbone' not in model:
        raise KeyError("config sets in_channels='auto' but model has no 'backbone' to derive "
                       'it from')
    init_default_scope(cfg.get('default_scope', 'mmdet'))
    in_ch = model['backbone'].get('in_channels', 3)
    _fill(model, backbone_out_channels(model['backbone'], in_ch if isinstance(in_ch, int) else 3))
    return cfg


def set_data_root(cfg: Config, root: str, old: str = 'data/shapes') -> Config:
    """Move every dataloader and evaluator path that starts with ``old`` under ``root``."""
    def move(path: str) -> str:
        return root + path[len(old):] if isinstance(path, str) and path.startswith(old) else path

    for key in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        dataset = (cfg.get(key) or {}).get('dataset')
        if dataset:
            dataset['data_root'] = move(dataset.get('data_root'))
    for key in ('val_evaluator', 'test_evaluator'):
        evaluators = cfg.get(key)
        for evaluator in evaluators if isinstance(evaluators, list) else [evaluators]:
            for field in ('ann_file', 'seg_prefix'):
                if isinstance(evaluator, dict) and field in evaluator:
                    evaluator[field] = move(evaluator[field])
    return cfg


def load_config(path: str, cfg_options: Optional[dict] = None) -> Config:
    """Read a config file, apply ``--cfg-options`` and derive automatic channels."""
    if not os.path.isfile(path):
        hint = ''
        folder = os.path.dirname(path) or '.'
        if os.path.isdir(folder):
            names = sorted(f for f in os.listdir(folder) if f.endswith('.py'))
            near = difflib.get_close_matches(os.path.basename(path), names, n=5, cutoff=0.5)
            hint = f'; did you mean one of {near}?' if near else f'; configs there: {names[:8]}'
        raise FileNotFoundError(f'config file {path!r} does not exist{hint}')
    cfg = Config.fromfile(path)
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    return resolve_auto_channels(cfg)
