"""Gather work dirs, benchmark JSONs and metafile targets into one leaderboard.

Writes ``leaderboard.md``, ``leaderboard.csv``, ``leaderboard.html`` (sortable, no network
needed) and ``accuracy_vs_{flops,latency,energy}.png`` (Pareto front marked) into ``--out-dir``.

Usage:
    python tools/leaderboard.py [WORK_DIRS...] [--bench-dir leaderboard/bench]
                                [--out-dir leaderboard] [--benchmark]
    python tools/leaderboard.py --suite [--rows NAME ...] [--jobs 2] [--threads 1]
                                [--max-seeds N] [--no-train] [--no-bench]

``--suite`` (``make leaderboard-train``) trains and evaluates every row of
``configs/leaderboard/`` (see mmplugins/analysis/suite.py: one schedule per task, seeds from the
configs, a finished run is skipped, an interrupted one resumes), benchmarks each trained row in
a fresh process at the row's input size, then writes the leaderboard from the suite's work
dirs (``work_dirs/leaderboard``) and the backbone benchmark JSONs.

Without WORK_DIRS every folder under ``work_dirs/`` that holds an evaluated run is used.

``--benchmark`` first writes missing benchmark JSONs into ``<out-dir>/bench`` (what
``make leaderboard`` does), each in a fresh process: every registered backbone (a
``DenseBackbone``) at 224x224 and at the suite's input size with its default arch, and every
work dir whose config is a trained shapes config, with its last checkpoint at the config's
``demo_input_size`` or ``shapes_crop_size`` (or ``--work-dir-shape``). Existing JSONs are
kept (delete them, or pass ``--force``, to re-measure).
"""
import argparse
import glob
import os
import os.path as osp
import subprocess
import sys

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
sys.path.insert(0, REPO)

from mmplugins.analysis.leaderboard import build_leaderboard  # noqa: E402


def find_work_dirs(root: str) -> list:
    """Folders under ``root`` (any depth) that hold ``<run>/vis_data/scalars.json``."""
    found = {osp.dirname(osp.dirname(osp.dirname(p)))
             for p in glob.glob(osp.join(root, '**', 'vis_data', 'scalars.json'), recursive=True)}
    return sorted(found)


class _FreshProcessBenchmark:
    """``tools/benchmark.py`` in a process of its own per call, so each peak-memory figure is
    that model's alone (no allocator cache left by an earlier benchmark)."""

    @staticmethod
    def main(args: list) -> None:
        subprocess.run([sys.executable, osp.join(REPO, 'tools', 'benchmark.py'), *args],
                       cwd=REPO, check=True)


def _benchmark_tool():
    return _FreshProcessBenchmark


def task_input_sizes() -> list:
    """The suite's input sizes (``suite_input_size`` of configs/leaderboard/_base_), at which
    the backbone rows are benchmarked besides 224x224."""
    from mmengine.config import Config
    cfg = Config.fromfile(osp.join(REPO, 'configs', 'leaderboard', '_base_',
                                   'suite_schedule.py'))
    return [tuple(cfg.suite_input_size)]


def registered_backbones() -> list:
    """Names of every backbone in ``mmplugins.registry.MODELS`` (DenseBackbone subclasses)."""
    import mmplugins  # noqa: F401  (registers the models)
    from mmplugins.models.backbones.base import DenseBackbone
    from mmplugins.registry import MODELS
    return sorted(name for name, cls in MODELS.module_dict.items()
                  if isinstance(cls, type) and issubclass(cls, DenseBackbone))


def last_checkpoint(work_dir: str):
    """Newest ``iter_*.pth`` / ``epoch_*.pth`` of a work dir (``None`` when untrained)."""
    ckpts = glob.glob(osp.join(work_dir, 'iter_*.pth')) + glob.glob(
        osp.join(work_dir, 'epoch_*.pth'))
    return max(ckpts, key=osp.getmtime) if ckpts else None


def run_benchmarks(work_dirs: list, bench_dir: str, common: list, shape=None,
                   force: bool = False) -> list:
    """Write the missing benchmark JSONs (see the module docstring); returns their paths."""
    tool = _benchmark_tool()
    os.makedirs(bench_dir, exist_ok=True)
    backbones = registered_backbones()
    jobs = [([name], f'{name}.json') for name in backbones]
    for h, w in task_input_sizes():
        jobs += [([name, '--shape', str(h), str(w), '--name', f'{name}@{h}x{w}'],
                  f'{name}@{h}x{w}.json') for name in backbones]
    for wd in work_dirs:
        configs = sorted(glob.glob(osp.join(wd, '*.py')))
        ckpt = last_checkpoint(wd)
        if not configs or not ckpt or '_shapes-' not in osp.basename(configs[-1]):
            continue
        name = osp.splitext(osp.basename(configs[-1]))[0]
        args = [configs[-1], '--checkpoint', ckpt, '--name', name]
        size = shape
        if size is None:
            from mmengine.config import Config
            cfg = Config.fromfile(configs[-1], import_custom_modules=False)
            size = cfg.get('demo_input_size') or cfg.get('shapes_crop_size')
        if size:
            args += ['--shape', str(size[0]), str(size[1])]
        jobs.append((args, f'{name}.json'))
    written = []
    for i, (args, file) in enumerate(jobs):
        out = osp.join(bench_dir, file)
        if osp.isfile(out) and not force:
            print(f'[{i + 1}/{len(jobs)}] {out} exists, kept', flush=True)
        else:
            print(f'[{i + 1}/{len(jobs)}] benchmarking {args[0]}', flush=True)
            tool.main(args + common + ['--out', out])
        written.append(out)
    return written


def run_suite(args) -> dict:
    """``--suite``: train, benchmark and tabulate the leaderboard suite."""
    from mmplugins.analysis import suite
    rows = suite.discover_rows(args.suite_configs, args.rows)
    print(f'suite: {len(rows)} rows from {args.suite_configs}', flush=True)
    if not args.no_train:
        runs = suite.plan_runs(rows, args.suite_work_dir, args.max_seeds)
        summary = suite.SuiteRunner(runs, REPO, jobs=args.jobs, threads=args.threads,
                                    echo=lambda m: print(m, flush=True)).run()
        if summary['failed']:
            raise SystemExit(f"suite: {len(summary['failed'])} runs failed: "
                             f"{summary['failed']}")
    if not args.no_bench:
        suite.benchmark_rows(rows, args.suite_work_dir, REPO, runs=args.runs,
                             warmup=args.warmup, force=args.force,
                             echo=lambda m: print(m, flush=True))
    return write_tables(args, [], args.suite_work_dir)


def write_tables(args, work_dirs: list, suite_root=None) -> dict:
    """The leaderboard files from work dirs, the suite and the benchmark JSONs."""
    bench = args.bench_dir if args.bench_dir is not None else [osp.join(args.out_dir, 'bench')]
    bench = [b for b in bench if osp.exists(b)]
    result = build_leaderboard(work_dirs, bench, args.out_dir, args.repo, suite_root)
    with open(result.get('headline') or result['markdown']) as f:
        print(f.read())
    print(f"{len(result['rows'])} rows from {len(work_dirs)} work dirs, the suite at "
          f"{suite_root} and {bench} -> {result['markdown']}, {result['csv']}, "
          f"{result['html']}, {len(result['plots'])} plots")
    return result


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('work_dirs', nargs='*', help='mmengine work dirs (default: all under '
                        'work_dirs/)')
    parser.add_argument('--bench-dir', nargs='*', default=None,
                        help='benchmark JSON files or folders (default: <out-dir>/bench)')
    parser.add_argument('--out-dir', default='leaderboard')
    parser.add_argument('--repo', default=REPO, help='repository holding configs/*/metafile.yml')
    parser.add_argument('--benchmark', action='store_true',
                        help='first benchmark every registered backbone and trained shapes '
                        'work dir')
    parser.add_argument('--benchmark-only', action='store_true',
                        help='only write the benchmark JSONs (make bench)')
    parser.add_argument('--force', action='store_true', help='re-measure existing JSONs')
    parser.add_argument('--runs', type=int, default=3, help='timed runs per benchmark')
    parser.add_argument('--warmup', type=int, default=1, help='warm-up runs per benchmark')
    parser.add_argument('--device', default='cpu', choices=['cpu', 'cuda'])
    parser.add_argument('--suite', action='store_true',
                        help='train, evaluate and benchmark the suite configs, then write the '
                        'leaderboard from them')
    parser.add_argument('--suite-configs', default=osp.join(REPO, 'configs', 'leaderboard'))
    parser.add_argument('--suite-work-dir', default=osp.join(REPO, 'work_dirs', 'leaderboard'))
    parser.add_argument('--rows', nargs='+', default=None,
                        help='suite rows whose config name contains one of these')
    parser.add_argument('--jobs', type=int, default=1, help='suite trainings at once')
    parser.add_argument('--threads', type=int, default=None,
                        help='torch threads per suite training (OMP_NUM_THREADS)')
    parser.add_argument('--max-seeds', type=int, default=None,
                        help='train at most this many of each row\'s seeds')
    parser.add_argument('--no-train', action='store_true', help='suite: skip the training')
    parser.add_argument('--no-bench', action='store_true', help='suite: skip the benchmarks')
    parser.add_argument('--work-dir-shape', type=int, nargs=2, default=None, metavar=('H', 'W'),
                        help='input of the work-dir benchmarks (default: demo_input_size or '
                        'the paper convention)')
    args = parser.parse_args(argv)
    if args.suite:
        return run_suite(args)
    # the suite's runs are rows of their own (--suite), not loose work dirs
    suite_root = osp.abspath(args.suite_work_dir) + os.sep
    work_dirs = args.work_dirs or [
        wd for wd in find_work_dirs(osp.join(args.repo, 'work_dirs'))
        if not osp.abspath(wd).startswith(suite_root)]
    for wd in work_dirs:
        if not osp.isdir(wd):
            raise SystemExit(f'work dir {wd!r} does not exist')
    if args.benchmark or args.benchmark_only:
        common = ['--runs', str(args.runs), '--warmup', str(args.warmup), '--device',
                  args.device, '--quiet']
        run_benchmarks(work_dirs, osp.join(args.out_dir, 'bench'), common,
                       args.work_dir_shape, args.force)
        if args.benchmark_only:
            return {}
    return write_tables(args, work_dirs)


if __name__ == '__main__':
    main()
