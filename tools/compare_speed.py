"""Speed of this toolkit's backbones against the built-ins of mmdet / mmseg / mmpretrain.

The same weights and the same input go through both implementations: the OpenMMLab model is
built at the same architecture, its state dict is converted to this toolkit's layout with the
family's converter (``mmplugins.converters``) and loaded strictly, the outputs are checked to
match, then both are timed in interleaved rounds (order rotating) and the medians compared.

Pairs: Swin (ours vs ``mmdet.models.backbones.SwinTransformer`` and
``mmseg.models.backbones.SwinTransformer``); HorNet vs ``mmpretrain.models.HorNet`` when
mmpretrain is importable (it is skipped with a message otherwise).

Usage: python tools/compare_speed.py [--arch tiny] [--shape 224 224] [--runs 10] [--warmup 2]
                                     [--device cpu] [--out speed.json]
"""
import argparse
import json
import os
import os.path as osp
import sys
from typing import Callable, Dict, List, Tuple

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))
os.environ.setdefault('TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD', '1')

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

import mmplugins  # noqa: E402,F401
from mmplugins.analysis.benchmark import time_interleaved  # noqa: E402
from mmplugins.converters import convert  # noqa: E402
from mmplugins.models.backbones import HorNet, SwinTransformer  # noqa: E402


def _eval(module: nn.Module) -> nn.Module:
    module.eval()  # some OpenMMLab backbones' train() returns None
    return module


def swin_pairs(arch) -> List[Tuple[str, nn.Module, nn.Module]]:
    """(label, ours, theirs) for mmdet's and mmseg's SwinTransformer with shared weights."""
    settings = SwinTransformer.resolve_arch(arch)
    kwargs = dict(embed_dims=settings['embed_dims'], depths=tuple(settings['depths']),
                  num_heads=tuple(settings['num_heads']),
                  window_size=settings.get('window_size', 7), out_indices=(0, 1, 2, 3))
    pairs = []
    for lib in ('mmdet', 'mmseg'):
        if lib == 'mmdet':
            from mmdet.models.backbones import SwinTransformer as Theirs
        else:
            from mmseg.models.backbones import SwinTransformer as Theirs
        theirs = _eval(Theirs(**kwargs))
        ours = _eval(SwinTransformer(arch=arch))
        report = convert('swin', theirs.state_dict())
        ours.load_state_dict(report.state_dict, strict=True)
        pairs.append((f'Swin vs {lib}', ours, theirs))
    return pairs


def hornet_pairs(arch) -> List[Tuple[str, nn.Module, nn.Module]]:
    """HorNet vs mmpretrain's, or an empty list (with a message) without mmpretrain."""
    try:
        from mmpretrain.models import HorNet as Theirs
    except ImportError as err:
        print(f'HorNet vs mmpretrain: skipped, mmpretrain is not importable ({err})')
        return []
    theirs = _eval(Theirs(arch=arch, out_indices=(0, 1, 2, 3)))
    ours = _eval(HorNet(arch=arch))
    report = convert('hornet', theirs.state_dict())
    # the converter drops mmpretrain's norm3 (a classification norm for it); here it is the
    # same output norm in both, so it is carried over to compare equal weights
    state = dict(report.state_dict)
    for key, value in theirs.state_dict().items():
        if key.startswith('norm') and key not in state:
            state[key] = value
    ours.load_state_dict(state, strict=True)
    return [('HorNet vs mmpretrain', ours, theirs)]


def compare(pairs, shape, runs: int, warmup: int, device: str) -> List[Dict]:
    """Check equal outputs, then time each pair interleaved; one result dict per pair."""
    dev = torch.device(device)
    x = torch.randn(1, 3, *shape, device=dev)
    results = []
    for label, ours, theirs in pairs:
        ours, theirs = ours.to(dev), theirs.to(dev)
        with torch.no_grad():
            a, b = ours(x), theirs(x)
            diff = max((p - q).abs().max().item() for p, q in zip(a, b))
            fns: Dict[str, Callable] = {'ours': lambda: ours(x), 'theirs': lambda: theirs(x)}
            stats = time_interleaved(fns, runs, warmup, dev)
        ratio = stats['ours']['median_ms'] / stats['theirs']['median_ms']
        results.append(dict(pair=label, input=list(x.shape), max_abs_diff=diff,
                            ours_ms=stats['ours'], theirs_ms=stats['theirs'],
                            time_ratio_ours_over_theirs=ratio, device=device,
                            threads=torch.get_num_threads()))
    return results


def main(argv=None) -> List[Dict]:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--arch', default='tiny', help='preset shared by both implementations')
    parser.add_argument('--shape', type=int, nargs=2, default=(224, 224), metavar=('H', 'W'))
    parser.add_argument('--runs', type=int, default=10)
    parser.add_argument('--warmup', type=int, default=2)
    parser.add_argument('--device', choices=['cpu', 'cuda'], default='cpu')
    parser.add_argument('--models', nargs='+', default=['swin', 'hornet'],
                        choices=['swin', 'hornet'])
    parser.add_argument('--out', default=None, help='JSON file to write')
    args = parser.parse_args(argv)
    pairs = []
    if 'swin' in args.models:
        pairs += swin_pairs(args.arch)
    if 'hornet' in args.models:
        pairs += hornet_pairs(args.arch)
    results = compare(pairs, tuple(args.shape), args.runs, args.warmup, args.device)
    print('| pair | input | ours ms (median ± IQR) | theirs ms (median ± IQR) | '
          'ratio ours/theirs | max abs diff |')
    print('|---|---|---:|---:|---:|---:|')
    for r in results:
        o, t = r['ours_ms'], r['theirs_ms']
        print(f"| {r['pair']} | {'x'.join(map(str, r['input'][2:]))} | {o['median_ms']:.1f} ± "
              f"{o['iqr_ms']:.1f} | {t['median_ms']:.1f} ± {t['iqr_ms']:.1f} | "
              f"{r['time_ratio_ours_over_theirs']:.3f} | {r['max_abs_diff']:.2e} |")
    if args.out:
        with open(args.out, 'w') as f:
            json.dump(results, f, indent=1)
    return results


if __name__ == '__main__':
    main()
