"""The leaderboard suite: every row of ``configs/leaderboard/`` trained and evaluated on the
shapes data with its task's one schedule, resumable and incremental.

A *row* is a config of the suite folder. Its task, seeds and benchmark input size are ordinary
config values (``suite_task``, ``suite_seeds``, ``suite_input_size``) and ``paper_config``
names the full recipe whose paper number sits beside the row. A *run* is one (row, seed); it
trains through the toolkit's ``tools/train.py`` (any mmdet/mmseg entry point would do) into
``<work_root>/<row>/seed<S>/`` with ``--cfg-options randomness.seed=S``. Its captured output
goes to ``suite_train.log`` there; mmengine's own log stays in its timestamped folder.

* A finished run has ``suite_run.json`` (metrics, wall time, log paths), written last and
  atomically: a rerun skips it.
* An interrupted run has a ``last_checkpoint`` (the schedule saves every 50 iterations): the
  next invocation resumes it with ``--resume``.
* The benchmark of a row (``bench.json``: params, FLOPs, latency, peak memory, energy at the
  row's input size, with the seed-0 weights) runs ``tools/benchmark.py`` in a fresh process
  once that run is done.

Runs go seed-major (every row's first seed before any second seed), so a suite stopped early
has one measurement of every row before it has two of any.
"""
import glob
import json
import os
import os.path as osp
import re
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Sequence, Tuple

#: what mmdet's COCO metrics log when a model predicted nothing on the whole validation set
NO_PREDICTIONS = 'The testing results of the whole dataset is empty'
#: written into a run's work dir when the run finished (its presence marks the run done)
RUN_RESULT = 'suite_run.json'
#: a row's benchmark JSON, in the row's folder
BENCH_RESULT = 'bench.json'
TRAIN_LOG = 'suite_train.log'
_ITER = re.compile(r'Iter\((train|val|test)\)\s*\[\s*(\d+)/(\d+)\]')
_ETA = re.compile(r'eta: (?:(\d+) days?, )?(\d+):(\d+):(\d+)')


@dataclass
class Row:
    """One config of the suite (what the leaderboard shows as one line per task)."""
    config: str
    name: str
    task: str
    seeds: List[int]
    input_size: Tuple[int, int]
    paper_config: Optional[str]
    scope: str
    max_iters: int
    val_image: Optional[str] = None  #: the picture the row is benchmarked on


@dataclass
class Run:
    """One training of a row with one seed."""
    row: Row
    seed: int
    work_dir: str

    @property
    def label(self) -> str:
        return f'{self.row.name} seed {self.seed}'

    @property
    def result_path(self) -> str:
        return osp.join(self.work_dir, RUN_RESULT)

    @property
    def done(self) -> bool:
        return osp.isfile(self.result_path)

    @property
    def resumable(self) -> bool:
        return osp.isfile(osp.join(self.work_dir, 'last_checkpoint'))


def write_json_atomic(path: str, data: dict) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename (never half a file)."""
    tmp = f'{path}.tmp{os.getpid()}'
    with open(tmp, 'w') as f:
        json.dump(data, f, indent=1)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def load_row(config: str) -> Row:
    """The suite values of one config (``KeyError`` naming the file when one is missing)."""
    from mmengine.config import Config
    cfg = Config.fromfile(config)
    missing = [k for k in ('suite_task', 'suite_seeds', 'suite_input_size', 'paper_config')
               if k not in cfg]
    if missing:
        raise KeyError(f'{config}: not a leaderboard suite config, it lacks {missing} (inherit '
                       "one of configs/leaderboard/_base_/task_*.py and set paper_config)")
    return Row(config=config, name=osp.splitext(osp.basename(config))[0],
               task=cfg.suite_task, seeds=[int(s) for s in cfg.suite_seeds],
               input_size=tuple(int(v) for v in cfg.suite_input_size),
               paper_config=cfg.paper_config, scope=cfg.get('default_scope', 'mmdet'),
               max_iters=int(cfg.train_cfg.get('max_iters', 0)), val_image=first_val_image(cfg))


def discover_rows(config_dir: str, names: Optional[Sequence[str]] = None) -> List[Row]:
    """Every suite config in ``config_dir`` (``_base_`` excluded), or those whose file name
    contains one of ``names``; ``ValueError`` when a name matches nothing."""
    from mmplugins.apis import metafiles_parsed_once
    files = sorted(f for f in os.listdir(config_dir) if f.endswith('.py'))
    if names:
        unknown = [n for n in names if not any(n in f for f in files)]
        if unknown:
            raise ValueError(f'--rows {unknown} match no config in {config_dir}; there are: '
                             f'{[osp.splitext(f)[0] for f in files]}')
        files = [f for f in files if any(n in f for n in names)]
    with metafiles_parsed_once():
        return [load_row(osp.join(config_dir, f)) for f in files]


def plan_runs(rows: Sequence[Row], work_root: str, max_seeds: Optional[int] = None
              ) -> List[Run]:
    """All runs, seed-major: the first seed of every row, then the second, ..."""
    runs = []
    depth = max(len(r.seeds) for r in rows) if rows else 0
    if max_seeds is not None:
        depth = min(depth, max_seeds)
    for i in range(depth):
        for row in rows:
            if i < len(row.seeds):
                runs.append(Run(row, row.seeds[i],
                                osp.join(work_root, row.name, f'seed{row.seeds[i]}')))
    return runs


def train_command(run: Run, repo: str, python: str = sys.executable) -> List[str]:
    """``tools/train.py`` for one run (``--resume`` when it has a checkpoint), or
    ``tools/test.py`` of its last checkpoint when training finished but its evaluation did not
    (a resumed loop at its last iteration would not evaluate again)."""
    final = osp.join(run.work_dir, f'iter_{run.row.max_iters}.pth')
    if osp.isfile(final):
        return [python, osp.join(repo, 'tools', 'test.py'), run.row.config, final,
                '--work-dir', run.work_dir, '--cfg-options', f'randomness.seed={run.seed}']
    cmd = [python, osp.join(repo, 'tools', 'train.py'), run.row.config, '--work-dir',
           run.work_dir, '--cfg-options', f'randomness.seed={run.seed}']
    if run.resumable:
        cmd.append('--resume')
    return cmd


def parse_progress(line: str, state: dict) -> None:
    """Update ``state`` (phase, iteration, total, eta_s) from one mmengine log line."""
    match = _ITER.search(line)
    if not match:
        return
    state.update(phase=match.group(1), iter=int(match.group(2)), total=int(match.group(3)))
    eta = _ETA.search(line)
    if eta and match.group(1) == 'train':
        days, h, m, s = (int(g or 0) for g in eta.groups())
        state['eta_s'] = ((days * 24 + h) * 60 + m) * 60 + s


def _fmt_s(seconds: Optional[float]) -> str:
    if seconds is None:
        return '?'
    seconds = int(round(seconds))
    return f'{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}'


def read_metrics(work_dir: str) -> Tuple[dict, Optional[int], bool]:
    """The last evaluated metrics of a work dir, the iteration they belong to, and whether the
    model predicted nothing at all (mmdet's COCO metrics then log no value: the scores are 0).
    """
    from .leaderboard import METRICS, read_work_dir
    runs = sorted(glob.glob(osp.join(work_dir, '[0-9]*_[0-9]*', '')))
    if runs:  # the newest run was tools/test.py: mmengine writes its metrics to <run>/<run>.json
        newest = osp.basename(osp.normpath(runs[-1]))
        tested = osp.join(runs[-1], newest + '.json')
        if osp.isfile(tested):
            with open(tested) as f:
                metrics = json.load(f)
            if any(k in metrics for k in METRICS):
                return metrics, None, False
    info = read_work_dir(work_dir)
    if info is not None:
        return dict(info['metrics']), info['iters'], False
    log = osp.join(work_dir, TRAIN_LOG)
    if osp.isfile(log) and NO_PREDICTIONS in open(log, errors='replace').read():
        return {}, None, True
    raise RuntimeError(f'{work_dir}: training ended but no run there logged metrics')


@dataclass
class _Active:
    run: Run
    proc: subprocess.Popen
    log: object
    started: float
    resumed: bool
    state: dict = field(default_factory=dict)
    reader: Optional[threading.Thread] = None

    def follow(self) -> None:
        """Copy the training's output into its log, keeping the progress state current."""
        for line in self.proc.stdout:
            self.log.write(line)
            parse_progress(line, self.state)
        self.log.flush()


class SuiteRunner:
    """Trains the planned runs, ``jobs`` at a time, reporting progress and ETAs.

    Args:
        runs: from :func:`plan_runs`.
        repo: the checkout (``tools/train.py`` lives there).
        jobs: trainings at once (one per core is the sweet spot on CPU).
        threads: torch threads per training (``OMP_NUM_THREADS``); ``None`` keeps the default.
        report_every_s: seconds between progress lines.
        echo: where progress lines go.
    """

    def __init__(self, runs: Sequence[Run], repo: str, jobs: int = 1,
                 threads: Optional[int] = None, report_every_s: float = 30.0,
                 echo: Callable[[str], None] = print, python: str = sys.executable) -> None:
        if jobs < 1:
            raise ValueError(f'jobs must be >= 1, got {jobs}')
        self.runs, self.repo, self.jobs, self.threads = list(runs), repo, jobs, threads
        self.report_every_s, self.echo, self.python = report_every_s, echo, python
        self.durations: Dict[str, float] = {}  # row name -> seconds of a finished run
        for run in self.runs:
            if run.done:
                with open(run.result_path) as f:
                    self.durations.setdefault(run.row.name, json.load(f).get('wall_s', 0.0))

    # ---------------------------------------------------------------------------- estimates
    def _estimate(self, run: Run, active: Sequence[_Active] = ()) -> Optional[float]:
        """Seconds a run takes: a finished run of its row, else the mean of finished runs,
        else the mean projected length (elapsed + ETA) of the trainings under way."""
        if run.row.name in self.durations:
            return self.durations[run.row.name]
        known = list(self.durations.values())
        if not known:
            known = [time.time() - a.started + a.state['eta_s'] for a in active
                     if a.state.get('eta_s') is not None]
        return sum(known) / len(known) if known else None

    def _remaining(self, pending: Sequence[Run], active: Sequence[_Active]) -> Optional[float]:
        total = 0.0
        for a in active:
            eta = a.state.get('eta_s')
            if eta is None:
                est = self._estimate(a.run, active)
                if est is None:
                    return None
                eta = max(est - (time.time() - a.started), 0.0)
            total += eta
        for run in pending:
            est = self._estimate(run, active)
            if est is None:
                return None
            total += est
        return total / self.jobs

    # -------------------------------------------------------------------------------- runs
    def _start(self, run: Run) -> _Active:
        os.makedirs(run.work_dir, exist_ok=True)
        resumed = run.resumable
        cmd = train_command(run, self.repo, self.python)
        env = dict(os.environ)
        if self.threads:
            env['OMP_NUM_THREADS'] = env['MKL_NUM_THREADS'] = str(self.threads)
        log = open(osp.join(run.work_dir, TRAIN_LOG), 'a')
        log.write(f'$ {" ".join(cmd)}\n')
        log.flush()
        proc = subprocess.Popen(cmd, cwd=self.repo, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True, bufsize=1)
        how = (' (evaluating its final checkpoint)' if 'test.py' in cmd[1] else
               ' (resuming from its last checkpoint)' if resumed else '')
        self.echo(f'start {run.label}{how}: {run.work_dir}')
        active = _Active(run, proc, log, time.time(), resumed)
        active.reader = threading.Thread(target=active.follow, daemon=True)
        active.reader.start()
        return active

    def _finish(self, active: _Active) -> bool:
        active.reader.join()
        active.log.close()
        run, wall = active.run, time.time() - active.started
        if active.proc.returncode != 0:
            self.echo(f'FAILED {run.label} (exit {active.proc.returncode}); see '
                      f'{osp.join(run.work_dir, TRAIN_LOG)}')
            return False
        try:
            metrics, iters, empty = read_metrics(run.work_dir)
        except RuntimeError as err:  # one bad run must not stop the suite
            self.echo(f'FAILED {run.label}: {err}')
            return False
        logs = sorted(osp.relpath(p, run.work_dir) for p in _mmengine_logs(run.work_dir))
        write_json_atomic(run.result_path, dict(
            config=run.row.config, row=run.row.name, task=run.row.task, seed=run.seed,
            paper_config=run.row.paper_config, metrics=metrics,
            iters=run.row.max_iters if empty or iters is None else iters,
            no_predictions=empty,
            wall_s=round(wall, 1), resumed=active.resumed, logs=[TRAIN_LOG] + logs,
            threads=self.threads))
        self.durations.setdefault(run.row.name, wall)
        self.echo(f'done {run.label} in {_fmt_s(wall)}: ' + (
            'no predictions on the validation set (scores 0)' if empty else '') + ', '.join(
            f'{k} {v:.4g}' for k, v in metrics.items() if isinstance(v, (int, float))
            and not k.endswith(('_s', 'time', 'step'))))
        return True

    def run(self) -> Dict[str, List[str]]:
        """Train every run that is not done; returns ``{'done', 'skipped', 'failed'}`` labels."""
        pending = [r for r in self.runs if not r.done]
        summary = dict(done=[], failed=[], skipped=[r.label for r in self.runs if r.done])
        if summary['skipped']:
            self.echo(f"{len(summary['skipped'])} of {len(self.runs)} runs already done, kept")
        active: List[_Active] = []
        last_report = 0.0
        start = time.time()
        try:
            while pending or active:
                while pending and len(active) < self.jobs:
                    active.append(self._start(pending.pop(0)))
                time.sleep(0.5)
                for a in list(active):
                    if a.proc.poll() is not None:
                        active.remove(a)
                        ok = self._finish(a)
                        summary['done' if ok else 'failed'].append(a.run.label)
                if time.time() - last_report >= self.report_every_s:
                    last_report = time.time()
                    self._report(pending, active, summary, start)
        finally:
            for a in active:  # interrupted: stop the trainings; their checkpoints stay
                a.proc.terminate()
                try:
                    a.proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    a.proc.kill()
                a.log.close()
        self.echo(f"suite: {len(summary['done'])} trained, {len(summary['skipped'])} kept, "
                  f"{len(summary['failed'])} failed in {_fmt_s(time.time() - start)}")
        return summary

    def _report(self, pending, active, summary, start) -> None:
        finished = len(summary['done']) + len(summary['skipped'])
        parts = []
        for a in active:
            s = a.state
            if s.get('phase') == 'train':
                parts.append(f"{a.run.label}: iter {s['iter']}/{s['total']}, "
                             f"ETA {_fmt_s(s.get('eta_s'))}")
            elif s.get('phase'):
                parts.append(f"{a.run.label}: evaluating {s['iter']}/{s['total']}")
            else:
                parts.append(f'{a.run.label}: starting')
        self.echo(f'[{finished}/{len(self.runs)} runs done, {_fmt_s(time.time() - start)} '
                  f'elapsed, suite ETA {_fmt_s(self._remaining(pending, active))}] '
                  + '; '.join(parts))


def _mmengine_logs(work_dir: str) -> List[str]:
    return glob.glob(osp.join(work_dir, '*', '*.log'))


def last_checkpoint_of(work_dir: str) -> Optional[str]:
    """The checkpoint ``last_checkpoint`` points at (``None`` without one)."""
    pointer = osp.join(work_dir, 'last_checkpoint')
    if not osp.isfile(pointer):
        return None
    with open(pointer) as f:
        path = f.read().strip()
    return path if osp.isfile(path) else None


def first_val_image(cfg) -> Optional[str]:
    """The first validation picture of a loaded config's data (sorted by name), or ``None``."""
    dataset = cfg.val_dataloader.dataset
    prefix = dataset.get('data_prefix') or {}
    folder = osp.join(dataset.get('data_root', ''), prefix.get('img') or prefix.get('img_path')
                      or '')
    if not osp.isdir(folder):
        return None
    names = sorted(f for f in os.listdir(folder) if f.lower().endswith(('.jpg', '.png')))
    return osp.join(folder, names[0]) if names else None


def bench_command(row: Row, checkpoint: str, out: str, repo: str, runs: int, warmup: int,
                  python: str = sys.executable, image: Optional[str] = None) -> List[str]:
    """``tools/benchmark.py`` of a row's whole model at its input size (fresh process), on
    ``image`` when given (the firing rates behind a spiking model's energy are then measured
    on real data)."""
    cmd = [python, osp.join(repo, 'tools', 'benchmark.py'), row.config, '--checkpoint',
           checkpoint, '--shape', str(row.input_size[0]), str(row.input_size[1]),
           '--runs', str(runs), '--warmup', str(warmup), '--quiet', '--out', out]
    return cmd + (['--image', image] if image else [])


def benchmark_rows(rows: Sequence[Row], work_root: str, repo: str, runs: int = 10,
                   warmup: int = 2, force: bool = False, echo: Callable[[str], None] = print,
                   python: str = sys.executable) -> List[str]:
    """Benchmark every row whose first seed finished (missing ``bench.json`` only, unless
    ``force``); returns the JSON paths that exist afterwards."""
    written = []
    for i, row in enumerate(rows):
        out = osp.join(work_root, row.name, BENCH_RESULT)
        first = Run(row, row.seeds[0], osp.join(work_root, row.name, f'seed{row.seeds[0]}'))
        if osp.isfile(out) and not force:
            written.append(out)
            continue
        ckpt = last_checkpoint_of(first.work_dir)
        if not first.done or ckpt is None:
            echo(f'[{i + 1}/{len(rows)}] {row.name}: not trained yet, no benchmark')
            continue
        echo(f'[{i + 1}/{len(rows)}] benchmarking {row.name} at '
             f'{row.input_size[0]}x{row.input_size[1]}')
        tmp = out + '.part.json'
        proc = subprocess.run(bench_command(row, ckpt, tmp, repo, runs, warmup, python,
                                            row.val_image),
                              cwd=repo, capture_output=True, text=True)
        if proc.returncode != 0:
            raise RuntimeError(f'benchmark of {row.name} failed:\n{proc.stderr[-3000:]}')
        with open(tmp) as f:
            data = json.load(f)
        data.update(name=row.name, task=row.task)
        write_json_atomic(out, data)
        os.remove(tmp)
        written.append(out)
    return written
