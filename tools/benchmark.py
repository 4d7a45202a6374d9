"""Params, FLOPs, latency/throughput, peak memory and energy of a backbone or a whole model.

Works on CPU and CUDA (mmdet's own speed tool is CUDA-only). Default inputs follow the papers:
224x224 for a backbone, 1280x800 (W x H) for detection, 512x2048 (H x W) for segmentation.

Usage:
    python tools/benchmark.py SwinTransformer [--arch tiny]            # a registered backbone
    python tools/benchmark.py configs/swin/mask-rcnn_swin-t-p4-w7_fpn_1x_coco.py
    python tools/benchmark.py CONFIG --task backbone --shape 512 512 --device cuda
    python tools/benchmark.py CONFIG --checkpoint work_dirs/x/iter_100.pth --out bench/x.json

Prints a table and writes the JSON (read by ``tools/leaderboard.py``).
"""
import argparse
import json
import os
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

import torch  # noqa: E402

import mmplugins  # noqa: E402,F401
from mmplugins.analysis.benchmark import (DEFAULT_SHAPES, benchmark_backbone,  # noqa: E402
                                          benchmark_model, format_energy_parts,
                                          format_table)


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('target', help='a config file, or a registered backbone name '
                        '(e.g. SwinTransformer or mmplugins.SwinTransformer)')
    parser.add_argument('--arch', default=None, help='backbone preset (backbone names only)')
    parser.add_argument('--checkpoint', default=None, help='weights to load (mmengine format)')
    parser.add_argument('--shape', type=int, nargs=2, metavar=('H', 'W'), default=None,
                        help='input height and width (default: the paper convention)')
    parser.add_argument('--batch-size', type=int, default=1)
    parser.add_argument('--image', default=None,
                        help='whole models: run on this picture (resized to --shape) instead '
                        'of random pixels; spiking models\' firing rates depend on the input')
    parser.add_argument('--device', choices=['cpu', 'cuda'], default='cpu')
    parser.add_argument('--task', choices=['backbone', 'model'], default=None,
                        help="what to time: 'model' (detector/segmentor; default for a config) "
                        "or 'backbone' (the config's backbone only)")
    parser.add_argument('--runs', type=int, default=10, help='timed runs')
    parser.add_argument('--warmup', type=int, default=2, help='untimed warm-up runs')
    parser.add_argument('--threads', type=int, default=None, help='torch CPU threads')
    parser.add_argument('--no-energy', action='store_true', help='skip the energy report')
    parser.add_argument('--name', default=None, help='row name (default: config stem or '
                        'backbone[-arch])')
    parser.add_argument('--out', default=None, help='JSON file to write')
    parser.add_argument('--quiet', action='store_true', help='no per-run progress')
    return parser.parse_args(argv)


def build_from_config(path: str, task: str, checkpoint=None):
    """(module, scope, config) for a config's whole model or its backbone."""
    from mmengine.model import revert_sync_batchnorm
    from mmengine.registry import MODELS, init_default_scope
    from mmengine.runner import load_checkpoint

    from mmplugins.apis import load_config
    cfg = load_config(path)
    scope = cfg.get('default_scope', 'mmdet')
    init_default_scope(scope)
    model_cfg = cfg.model if task == 'model' else cfg.model.backbone
    if task == 'backbone':
        model_cfg = dict(model_cfg, init_cfg=None)
    module = MODELS.build(model_cfg)
    # built without init_weights(): a real config's pretrained file need not exist to time it
    if checkpoint:
        revise = [(r'^module\.', '')] + ([(r'^backbone\.', '')] if task == 'backbone' else [])
        load_checkpoint(module, checkpoint, map_location='cpu', revise_keys=revise)
    return revert_sync_batchnorm(module), scope, cfg


def build_backbone(name: str, arch=None, checkpoint=None):
    """A registered backbone at its default settings (or ``arch``)."""
    from mmengine.runner import load_checkpoint

    from mmplugins.registry import MODELS
    short = name.split('.', 1)[1] if name.startswith('mmplugins.') else name
    if MODELS.get(short) is None:
        raise KeyError(f'{name!r} is neither an existing config file nor a backbone registered '
                       f'in mmplugins; registered: {sorted(MODELS.module_dict)}')
    module = MODELS.build(dict(type=short, **({'arch': arch} if arch else {})))
    if checkpoint:
        load_checkpoint(module, checkpoint, map_location='cpu')
    return module


def main(argv=None) -> dict:
    args = parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    if args.device == 'cuda' and not torch.cuda.is_available():
        raise SystemExit('--device cuda: no CUDA device is available')
    progress = None if args.quiet else (lambda msg: print(f'  {msg}', file=sys.stderr,
                                                          flush=True))
    is_config = args.target.endswith('.py')
    if args.image and not (is_config and args.task != 'backbone'):
        raise SystemExit('--image applies to whole models (a config without --task backbone)')
    if is_config:
        if args.arch:
            raise SystemExit('--arch applies to backbone names; set the arch in the config')
        task = args.task or 'model'
        module, scope, _ = build_from_config(args.target, task, args.checkpoint)
        name = args.name or osp.splitext(osp.basename(args.target))[0]
        if task == 'backbone':
            name = args.name or f'{name}[backbone]'
        shape = tuple(args.shape or DEFAULT_SHAPES[scope if task == 'model' else 'backbone'])
    else:
        if args.task == 'model':
            raise SystemExit('--task model needs a config file, not a backbone name')
        task, scope = 'backbone', None
        module = build_backbone(args.target, args.arch, args.checkpoint)
        name = args.name or args.target.split('.')[-1] + (f'-{args.arch}' if args.arch else '')
        shape = tuple(args.shape or DEFAULT_SHAPES['backbone'])
    print(f'benchmarking {name} ({task}) at {shape[0]}x{shape[1]} on {args.device}: '
          f'{args.warmup} warm-up + {args.runs} timed runs', file=sys.stderr, flush=True)
    kwargs = dict(batch_size=args.batch_size, device=args.device, runs=args.runs,
                  warmup=args.warmup, with_energy=not args.no_energy, progress=progress)
    if task == 'model':
        result = benchmark_model(module, scope, shape, image=args.image, **kwargs)
    else:
        result = benchmark_backbone(module, shape, **kwargs)
    result.update(name=name, target=args.target, checkpoint=args.checkpoint,
                  backbone=type(getattr(module, 'backbone', module)).__name__,
                  arch=args.arch)
    if is_config:
        result['config'] = args.target
    print(format_table([result]))
    if task == 'model' and format_energy_parts(result):
        print('\nenergy per part (per image):\n' + format_energy_parts(result))
    if args.out:
        os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
        with open(args.out, 'w') as f:
            json.dump(result, f, indent=1)
        print(f'wrote {args.out}')
    return result


if __name__ == '__main__':
    main()
