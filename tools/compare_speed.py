"""Speed and memory of this toolkit's models against other implementations, side by side.

Three reports (CPU or CUDA, fp32; ``--threads`` sets torch's intra-op threads):

``backbones``   a backbone of this toolkit against another implementation of the same network
                with the same weights (converted by the family's converter) and input: outputs
                compared, then forward and forward+backward timed in interleaved rounds
                (median), and the peak memory of one training step measured in a fresh process
                per side. Built-in pairs: ``swin-mmdet``, ``swin-mmseg`` (the libraries' Swin)
                and ``hornet-mmpretrain``; ``--reference FILE`` adds the entries of a file of
                your own (e.g. the official code of a paper; see
                ``mmplugins/analysis/side_by_side.py`` for its format).
``efficiency``  Swin forward GFLOP/s against the machine's dense fp32 GEMM rate, one run.
``models``      one training step of a whole model against another model on the same batch:
                Mask R-CNN / UperNet with this toolkit's Swin-T against the same config with
                mmdet's / mmseg's SwinTransformer; kMaX-DeepLab R-50 against mmdet's
                Mask2Former R-50 (panoptic), on the shapes data generated at ``--shape``.

Examples:
  python tools/compare_speed.py backbones --pairs swin-mmdet --shape 512 512 --threads 2
  python tools/compare_speed.py backbones --reference ~/official_refs.py --modes forward train
  python tools/compare_speed.py efficiency --shape 512 512 --threads 2
  python tools/compare_speed.py models --pairs maskrcnn-swin kmax-mask2former --runs 5
"""
import argparse
import json
import os
import os.path as osp
import sys
from typing import Dict, List

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

import torch  # noqa: E402

import mmplugins  # noqa: E402,F401
from mmplugins.analysis import model_pairs as mp  # noqa: E402
from mmplugins.analysis import side_by_side as sbs  # noqa: E402
from mmplugins.analysis.benchmark import time_interleaved  # noqa: E402


# ----------------------------------------------------------------------------- building
def build_backbone_pair(name: str, args) -> sbs.Pair:
    """A backbone pair by name: built-in, or an entry of --reference."""
    if name in mp.BACKBONE_PAIRS:
        spec = mp.BACKBONE_PAIRS[name]
        arch = args.arch or spec['arch']
        ours, theirs = spec['build']('ours', arch), spec['build']('theirs', arch)
        spec['share'](ours, theirs)
        if args.ours_with_cp:
            sbs.set_with_cp(ours)
        return sbs.Pair(f'{name} ({arch}){_cp_label(args)}', ours, theirs,
                        input_size=tuple(args.shape))
    entry = _reference_entries(args).get(name)
    if entry is None:
        raise KeyError(f'backbone pair {name!r} unknown; built-in: {sorted(mp.BACKBONE_PAIRS)}'
                       f', from --reference: {sorted(_reference_entries(args))}')
    pair = sbs.pair_from_reference(entry)
    if args.ours_with_cp:
        sbs.set_with_cp(pair.ours)
        pair.label += _cp_label(args)
    if args.shape_given:
        pair.input_size = tuple(args.shape)
    return pair


def _cp_label(args) -> str:
    return ' [ours with_cp]' if args.ours_with_cp else ''


def _reference_entries(args) -> Dict[str, dict]:
    if not args.reference:
        return {}
    return {e['name']: e for e in sbs.load_reference_file(args.reference)}


def build_side(kind: str, name: str, side: str, args):
    """One side only (for the memory probe): (module, step function)."""
    if kind == 'backbone':
        if name in mp.BACKBONE_PAIRS:
            spec = mp.BACKBONE_PAIRS[name]
            module = spec['build'](side, args.arch or spec['arch'])
            forward = sbs.forward_for(module)
        else:
            entry = _reference_entries(args)[name]
            module = sbs.build_ours(entry['ours']) if side == 'ours' else entry['build']()
            forward = (sbs.forward_for(module) if side == 'ours'
                       else entry.get('forward', sbs.forward_for(module)))
            if not args.shape_given:
                args.shape = list(entry.get('input_size', args.shape))
        if side == 'ours' and args.ours_with_cp:
            sbs.set_with_cp(module)
        module.eval()
        x = torch.randn(1, 3, *args.shape)
        return lambda: sbs.measure_step_memory_here(module, forward, x)
    cfg, ours_cfg, theirs_cfg = mp.model_pair_config(name, tuple(args.shape))
    scope = mp.MODEL_PAIRS[name]['scope']
    data = mp.shapes_batch(cfg, tuple(args.shape), args.batch_size)
    model = mp.build_model(ours_cfg if side == 'ours' else theirs_cfg, scope).train()

    return lambda: sbs.peak_rss_growth(lambda: mp.train_step(model, data))


def memory(kind: str, name: str, args) -> Dict[str, float]:
    """Peak step memory (MiB) of each side, each in a fresh process."""
    result = {}
    for side in ('ours', 'theirs'):
        argv = [sys.executable, osp.abspath(__file__), '_memory', kind, name, side,
                '--threads', str(args.threads), '--batch-size', str(args.batch_size)]
        if args.shape_given or kind == 'model':
            argv += ['--shape', *map(str, args.shape)]
        if args.arch:
            argv += ['--arch', args.arch]
        if args.ours_with_cp:
            argv.append('--ours-with-cp')
        if args.reference:
            argv += ['--reference', args.reference]
        result[side] = sbs.peak_step_memory(argv)
    return result


# ----------------------------------------------------------------------------- reports
def report_backbones(args) -> List[dict]:
    names = list(args.pairs or [])
    names += list(args.only or _reference_entries(args))
    rows = []
    for name in names:
        pair = build_backbone_pair(name, args)
        x = torch.randn(1, 3, *pair.input_size, device=args.device)
        pair.ours.to(args.device)
        pair.theirs.to(args.device)
        diff, rel = sbs.max_abs_diff(pair, x)
        row = dict(pair=pair.label, input=list(pair.input_size), max_abs_diff=diff,
                   max_rel_diff=rel, notes=pair.notes, threads=torch.get_num_threads())
        for mode in ('forward', 'train'):
            if mode in args.modes:
                stats = sbs.time_pair(pair, x, mode, args.runs, args.warmup)
                row[mode] = dict(ours_ms=stats['ours']['median_ms'],
                                 theirs_ms=stats['theirs']['median_ms'],
                                 speedup=stats['theirs']['median_ms'] / stats['ours']['median_ms'],
                                 ours_iqr_ms=stats['ours']['iqr_ms'],
                                 theirs_iqr_ms=stats['theirs']['iqr_ms'])
        del pair
        if 'memory' in args.modes and args.device == 'cpu':
            row['memory_mib'] = memory('backbone', name, args)
        rows.append(row)
        print(json.dumps(row), flush=True)
    print('\n| pair | input | fwd ours / theirs ms | fwd speed-up | fwd+bwd ours / theirs ms '
          '| fwd+bwd speed-up | train-step peak MiB ours / theirs | max abs diff (rel) |')
    print('|---|---|---:|---:|---:|---:|---:|---:|')
    for r in rows:
        cells = []
        for mode in ('forward', 'train'):
            m = r.get(mode)
            cells += ([f"{m['ours_ms']:.0f} / {m['theirs_ms']:.0f}", f"{m['speedup']:.2f}x"]
                      if m else ['-', '-'])
        mem = r.get('memory_mib')
        cells.append(f"{mem['ours']:.0f} / {mem['theirs']:.0f}" if mem else '-')
        print(f"| {r['pair']} | {'x'.join(map(str, r['input']))} | " + ' | '.join(cells)
              + f" | {r['max_abs_diff']:.1e} ({r['max_rel_diff']:.1e}) |")
    return rows


def report_efficiency(args) -> List[dict]:
    from mmplugins.models.backbones import SwinTransformer
    model = SwinTransformer(arch=args.arch or 'tiny').to(args.device)
    x = torch.randn(1, 3, *args.shape, device=args.device)
    row = sbs.efficiency(model, x, runs=args.runs, warmup=args.warmup)
    row.update(model=f'Swin {args.arch or "tiny"}', input=list(args.shape))
    print(json.dumps(row))
    print(f"\nSwin-{args.arch or 'tiny'} forward {'x'.join(map(str, args.shape))}: "
          f"{row['gmacs']:.2f} GMACs in {row['median_ms']:.1f} ms = {row['gflops_per_s']:.1f} "
          f"GFLOP/s; dense fp32 GEMM {row['gemm_gflops_per_s']:.1f} GFLOP/s; "
          f"{100 * row['fraction_of_gemm']:.0f} % of GEMM ({row['threads']} threads)")
    return [row]


def report_models(args) -> List[dict]:
    rows = []
    for name in args.pairs or list(mp.MODEL_PAIRS):
        if name not in mp.MODEL_PAIRS:
            raise KeyError(f'model pair {name!r} unknown; choose from {sorted(mp.MODEL_PAIRS)}')
        cfg, ours_cfg, theirs_cfg = mp.model_pair_config(name, tuple(args.shape))
        scope = mp.MODEL_PAIRS[name]['scope']
        data = mp.shapes_batch(cfg, tuple(args.shape), args.batch_size)
        ours = mp.build_model(ours_cfg, scope).train()
        theirs = mp.build_model(theirs_cfg, scope).train()
        mp.share_weights(name, ours, theirs)
        stats = time_interleaved({'ours': lambda: mp.train_step(ours, data),
                                  'theirs': lambda: mp.train_step(theirs, data)},
                                 args.runs, args.warmup)
        row = dict(pair=name, input=list(args.shape), batch_size=args.batch_size,
                   ours_ms=stats['ours']['median_ms'], theirs_ms=stats['theirs']['median_ms'],
                   speedup=stats['theirs']['median_ms'] / stats['ours']['median_ms'],
                   ours_params=sum(p.numel() for p in ours.parameters()),
                   theirs_params=sum(p.numel() for p in theirs.parameters()),
                   threads=torch.get_num_threads())
        ours = theirs = None  # free both before the memory probes
        if 'memory' in args.modes:
            row['memory_mib'] = memory('model', name, args)
        rows.append(row)
        print(json.dumps(row), flush=True)
    print('\n| pair | input x batch | train step ours / theirs ms | speed-up | '
          'peak MiB ours / theirs | params ours / theirs |')
    print('|---|---|---:|---:|---:|---:|')
    for r in rows:
        mem = r.get('memory_mib')
        print(f"| {r['pair']} | {'x'.join(map(str, r['input']))} x {r['batch_size']} | "
              f"{r['ours_ms']:.0f} / {r['theirs_ms']:.0f} | {r['speedup']:.2f}x | "
              + (f"{mem['ours']:.0f} / {mem['theirs']:.0f}" if mem else '-')
              + f" | {r['ours_params'] / 1e6:.2f}M / {r['theirs_params'] / 1e6:.2f}M |")
    return rows


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('report', choices=['backbones', 'efficiency', 'models', '_memory'])
    parser.add_argument('probe', nargs='*', help=argparse.SUPPRESS)  # _memory KIND NAME SIDE
    parser.add_argument('--pairs', nargs='+', help='built-in pairs: backbones '
                        f'{sorted(mp.BACKBONE_PAIRS)}; models {sorted(mp.MODEL_PAIRS)}')
    parser.add_argument('--reference', help='a reference file of your own (backbones)')
    parser.add_argument('--only', nargs='+', help='entries of --reference to run (default all)')
    parser.add_argument('--ours-with-cp', action='store_true',
                        help='gradient checkpointing in our backbone (backbones report)')
    parser.add_argument('--arch', help='preset of the built-in backbone pairs (default tiny)')
    parser.add_argument('--shape', type=int, nargs=2, metavar=('H', 'W'), default=None)
    parser.add_argument('--batch-size', type=int, default=2, help='models report batch')
    parser.add_argument('--modes', nargs='+', default=['forward', 'train', 'memory'],
                        choices=['forward', 'train', 'memory'])
    parser.add_argument('--runs', type=int, default=7)
    parser.add_argument('--warmup', type=int, default=2)
    parser.add_argument('--threads', type=int, default=None, help='torch intra-op threads')
    parser.add_argument('--device', choices=['cpu', 'cuda'], default='cpu')
    parser.add_argument('--out', help='JSON file to write the rows to')
    args = parser.parse_args(argv)
    args.shape_given = args.shape is not None
    args.shape = list(args.shape or (512, 512))
    if args.threads:
        torch.set_num_threads(args.threads)
    args.threads = torch.get_num_threads()
    if args.report == 'backbones' and not (args.pairs or args.reference):
        args.pairs = sorted(mp.BACKBONE_PAIRS)
    return args


def main(argv=None) -> List[dict]:
    args = parse_args(argv)
    if args.report == '_memory':  # internal: one side's peak in this fresh process
        kind, name, side = args.probe
        print(json.dumps(dict(peak_mib=build_side(kind, name, side, args)())))
        return []
    rows = dict(backbones=report_backbones, efficiency=report_efficiency,
                models=report_models)[args.report](args)
    if args.out:
        tmp = args.out + '.tmp'
        with open(tmp, 'w') as f:
            json.dump(rows, f, indent=1)
        os.replace(tmp, args.out)
    return rows


if __name__ == '__main__':
    main()
