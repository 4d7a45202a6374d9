"""Config loading for the tools (error messages that name the file) and channel matching.

Configs write the channel lists of their necks and heads out (tests/test_plain_configs.py checks
each against its backbone), so mmdet's and mmseg's own tools build them unchanged.
:func:`match_backbone_channels` is for programs that swap a config's backbone themselves (tests,
benchmark suites): it rewrites those lists from the backbone's report.
"""
import contextlib
import difflib
import functools
import os
import os.path as osp
from typing import Any, Iterator, List, Optional, Sequence, Tuple

import torch
from mmengine.config import Config, DictAction  # noqa: F401  (re-exported for the tools)
from mmengine.registry import DATASETS, MODELS, Registry, init_default_scope


def backbone_out_channels(backbone_cfg: dict, in_channels: int = 3) -> List[int]:
    """Channels of every map the backbone returns, built on the meta device (no memory)."""
    with torch.device('meta'):
        backbone = MODELS.build(backbone_cfg)
        channels = getattr(backbone, 'out_channels', None)
        if isinstance(channels, (list, tuple)) and channels:
            return [int(c) for c in channels]
        outs = backbone(torch.empty(1, in_channels, 64, 64))
    return [int(o.shape[1]) for o in outs]


def backbone_consumers(model: dict) -> List[dict]:
    """The config nodes fed by the backbone's maps: the (first) neck, or without a neck the
    decode, auxiliary and panoptic heads."""
    neck = model.get('neck')
    if neck:
        return [neck[0] if isinstance(neck, (list, tuple)) else neck]
    nodes = []
    for key in ('decode_head', 'auxiliary_head', 'panoptic_head'):
        heads = model.get(key)
        nodes += [h for h in (heads if isinstance(heads, (list, tuple)) else [heads]) if h]
    return nodes


def channels_for(node: dict, channels: Sequence[int]):
    """The ``in_channels`` a node fed by the backbone takes: all of ``channels``, or the
    ones its ``in_index`` picks (an int picks one map)."""
    index = node.get('in_index')
    if index is None:
        return list(channels)
    if isinstance(index, int):
        return channels[index]
    return [channels[i] for i in index]


def match_backbone_channels(cfg: Config) -> Config:
    """Set ``in_channels`` of the nodes fed by ``cfg.model.backbone`` to the channels it
    reports, following each node's ``in_index`` (in place)."""
    model = cfg.get('model')
    if not model or 'backbone' not in model:
        raise KeyError("match_backbone_channels: the config's model has no 'backbone'")
    init_default_scope(cfg.get('default_scope', 'mmdet'))
    in_ch = model['backbone'].get('in_channels', 3)
    channels = backbone_out_channels(model['backbone'], in_ch if isinstance(in_ch, int) else 3)
    for node in backbone_consumers(model):
        node['in_channels'] = channels_for(node, channels)
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


def _near_files(path: str) -> str:
    """A did-you-mean hint for a missing file: similar names in its folder."""
    folder = osp.dirname(path) or '.'
    if not osp.isdir(folder):
        return f'; the folder {folder!r} does not exist either'
    names = sorted(f for f in os.listdir(folder) if f.endswith('.py'))
    near = difflib.get_close_matches(osp.basename(path), names, n=5, cutoff=0.5)
    return f'; did you mean one of {near}?' if near else f'; configs there: {names[:8]}'


# Config keys whose values are built from the MODELS registry (the model's components).
_MODEL_KEYS = ('backbone', 'neck', 'data_preprocessor', 'module')


def _typed_nodes(node: Any, where: str, descend: Tuple[str, ...]) -> Iterator[Tuple[str, str]]:
    """``(where, type)`` of ``node`` and of the components under it that the registry builds."""
    if isinstance(node, (list, tuple)):
        for i, value in enumerate(node):
            yield from _typed_nodes(value, f'{where}[{i}]', descend)
    elif isinstance(node, dict):
        if isinstance(node.get('type'), str):
            yield where, node['type']
        for key, value in node.items():
            if key in descend or key.endswith('head') or key.startswith('loss'):
                yield from _typed_nodes(value, f'{where}.{key}', descend)


def _registered_names(registry: Registry) -> List[str]:
    """Names ``registry`` resolves: its own, its parents', and ``scope.Name`` of its siblings."""
    names, node = set(), registry
    while node is not None:
        names.update(node.module_dict)
        node = node.parent
    root = registry
    while root.parent is not None:
        root = root.parent
    for scope, child in root.children.items():
        names.update(f'{scope}.{name}' for name in child.module_dict)
    return sorted(names)


def check_types(cfg: Config) -> None:
    """Raise ``KeyError`` naming the config key, the unknown ``type`` and close registered names
    for every model component or dataset whose ``type`` no registry knows."""
    scope = cfg.get('default_scope') or 'mmengine'
    groups = [(MODELS, _typed_nodes(cfg.get('model'), 'model', _MODEL_KEYS))]
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        dataset = (cfg.get(loader) or {}).get('dataset')
        groups.append((DATASETS, _typed_nodes(dataset, f'{loader}.dataset', ('dataset',
                                                                               'datasets'))))
    for registry, nodes in groups:
        with registry.switch_scope_and_registry(scope) as scoped:
            for where, name in nodes:
                if scoped.get(name) is not None:
                    continue
                near = difflib.get_close_matches(name, _registered_names(scoped), n=3,
                                                 cutoff=0.6)
                hint = f'; did you mean {near}?' if near else ''
                raise KeyError(f'{where}.type={name!r} is not registered in {scope!r} '
                               f'{registry.name}s{hint} Names of this toolkit are spelled '
                               "'mmplugins.<Class>' and need custom_imports=dict(imports="
                               "['mmplugins'])")


# dataset keys that name files or folders relative to data_root
_PATH_KEYS = ('img', 'img_path', 'seg', 'seg_map_path')


def _missing_data(dataset: dict) -> List[str]:
    """Paths a dataset config names that do not exist (wrappers are followed)."""
    inner = dataset.get('dataset') or dataset.get('datasets')
    if inner:
        return [p for d in (inner if isinstance(inner, (list, tuple)) else [inner])
                for p in _missing_data(d)]
    root = dataset.get('data_root') or ''
    if '://' in root:  # a remote backend: nothing to check locally
        return []
    paths = [root] if root else []
    if dataset.get('ann_file'):
        paths.append(osp.join(root, dataset['ann_file']))
    prefix = dataset.get('data_prefix') or {}
    paths += [osp.join(root, prefix[k]) for k in _PATH_KEYS if prefix.get(k)]
    missing = [p for p in paths if not osp.exists(p)]
    return missing[:1] if root in missing else missing


def check_data_paths(cfg: Config, loaders: Sequence[str] = ('train', 'val')) -> None:
    """Raise ``FileNotFoundError`` before any model is built when a dataloader of ``loaders``
    points at data that is not there, saying where each kind of data belongs."""
    for loader in loaders:
        key = f'{loader}_dataloader'
        if loader == 'val' and not cfg.get('val_cfg'):
            continue
        dataset = (cfg.get(key) or {}).get('dataset')
        missing = _missing_data(dataset) if isinstance(dataset, dict) else []
        if missing:
            raise FileNotFoundError(
                f'{key}.dataset: {missing[0]!r} does not exist (cwd {os.getcwd()!r}). '
                'Synthetic shapes data: run `make data` (or `python '
                'tools/make_shapes_dataset.py --out data/shapes`). Real data: COCO 2017 goes to '
                'data/coco/, ADE20K to data/ade/ADEChallengeData2016/ (docs/get_started.md). '
                'Your own data: set data_root with --cfg-options '
                f'{key}.dataset.data_root=PATH (docs/custom_dataset.md).')


@contextlib.contextmanager
def metafiles_parsed_once() -> Iterator[None]:
    """Within the block, each metafile of mmdet/mmseg is parsed once.

    mmengine re-reads every metafile of mmdet or mmseg (about 50 YAML files, 1 s) for each
    ``mmdet::``/``mmseg::`` base it resolves, i.e. several seconds per config. They do not
    change while a program loads its configs; what mmengine resolves is unchanged.
    """
    import mmengine.config.utils as config_utils
    original = config_utils.load
    config_utils.load = functools.lru_cache(maxsize=None)(original)
    try:
        yield
    finally:
        config_utils.load = original


def load_config(path: str, cfg_options: Optional[dict] = None) -> Config:
    """Read a config file as ``Config.fromfile`` does, apply ``--cfg-options`` and check the
    component types; errors name the file, the missing base or the unknown type."""
    if not osp.isfile(path):
        raise FileNotFoundError(f'config file {path!r} does not exist{_near_files(path)}')
    try:
        cfg = Config.fromfile(path)
    except FileNotFoundError as err:  # a _base_ (or read_base) file that is not there
        missing = err.filename or str(err)
        raise FileNotFoundError(f'config {path!r} names a file that does not exist: '
                                f'{missing!r} (check its _base_ list)'
                                f'{_near_files(str(missing))}') from err
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    check_types(cfg)
    return cfg
