"""One table of every trained and benchmarked model: Markdown, CSV, sortable HTML and plots.

Sources:

* mmengine work dirs: the config dumped at the work dir's root and the last metrics in
  ``<work_dir>/<timestamp>/vis_data/scalars.json`` (the newest run that evaluated);
* benchmark JSONs written by ``tools/benchmark.py`` (joined to a work dir by config name);
* paper targets from ``configs/*/metafile.yml`` (a shapes variant is matched to the real
  config it inherits, so the target of the full recipe sits beside the measured number).

One row per model/config/dataset. Accuracies are in percent (mmdet's 0-1 mAP is scaled);
``iters`` is the training iteration logged before the metrics (``-``: no training in that run,
e.g. an evaluation of the untrained model or a separate test run).
"""
import base64
import csv
import glob
import html
import json
import os
import os.path as osp
import re
import statistics
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

import yaml

#: measured metric key -> (paper metric name in metafiles, factor to percent)
METRICS = {
    'coco/bbox_mAP': ('box AP', 100.0),
    'coco/segm_mAP': ('mask AP', 100.0),
    'coco_panoptic/PQ': ('PQ', 1.0),
    'coco/PQ': ('PQ', 1.0),
    'mIoU': ('mIoU', 1.0),
}
#: order in which a row's headline metric is chosen
HEADLINE = ('box AP', 'PQ', 'mIoU', 'mask AP')
COLUMNS = ['task', 'model', 'method', 'backbone', 'config', 'dataset', 'metric', 'measured',
           'spread', 'seeds', 'paper', 'gap', 'params_M', 'flops_G', 'input', 'latency_ms',
           'latency_iqr_ms', 'img_s',
           'peak_mem_MiB', 'energy_mJ', 'energy_method', 'device', 'iters', 'other_metrics',
           'source']


# ------------------------------------------------------------------------------- metafiles
def load_metafiles(repo: str) -> Dict[str, dict]:
    """Config stem -> ``{'collection', 'config', 'targets': {metric: value}}``."""
    out: Dict[str, dict] = {}
    for path in sorted(glob.glob(osp.join(repo, 'configs', '*', 'metafile.yml'))):
        with open(path) as f:
            data = yaml.safe_load(f) or {}
        for model in data.get('Models') or []:
            targets: Dict[str, float] = {}
            for result in model.get('Results') or []:
                for key, value in (result.get('Metrics') or {}).items():
                    if isinstance(value, (int, float)):
                        targets[key] = float(value)
            stem = osp.splitext(osp.basename(model.get('Config', '')))[0]
            out[stem] = dict(collection=model.get('In Collection'), config=model.get('Config'),
                             name=model.get('Name'), targets=targets)
    return out


def collection_of_types(repo: str) -> Dict[str, str]:
    """Registered type name -> the metafile collection of the folder that uses it most."""
    counts: Dict[str, Dict[str, int]] = {}
    for path in sorted(glob.glob(osp.join(repo, 'configs', '*', 'metafile.yml'))):
        with open(path) as f:
            collections = (yaml.safe_load(f) or {}).get('Collections') or []
        if not collections:
            continue
        for config in glob.glob(osp.join(osp.dirname(path), '*.py')):
            for name in re.findall(r"mmplugins\.(\w+)", open(config).read()):
                per = counts.setdefault(name, {})
                per[collections[0]['Name']] = per.get(collections[0]['Name'], 0) + 1
    return {name: max(per, key=per.get) for name, per in counts.items()}


def real_config_of(stem: str, repo: str, metafiles: Dict[str, dict]) -> Optional[str]:
    """The metafile config a shapes variant stands for (``None`` for demo/unknown configs)."""
    if stem in metafiles:
        return stem
    for path in glob.glob(osp.join(repo, 'configs', '*', stem + '.py')):
        if osp.basename(osp.dirname(path)) in ('demo', '_base_'):
            return None
        text = open(path).read()
        match = re.search(r"_base_\s*=\s*\[?\s*'\./([^']+)\.py'", text)
        if match and match.group(1) in metafiles:
            return match.group(1)
    if '_shapes-' in stem:
        prefix, dataset = stem.split('_shapes-', 1)
        for name in sorted(metafiles):
            if name.startswith(prefix + '_' + dataset):
                return name
    return None


# ------------------------------------------------------------------------------- work dirs
def _metric_rows(scalars: str) -> List[Tuple[dict, Optional[int]]]:
    """Metric rows of a scalars.json, each with the training iteration logged before it.

    (The row's own ``step`` is the epoch for mmdet's logger even in iteration-based runs.)
    """
    rows, trained = [], None
    with open(scalars) as f:
        for line in f:
            line = line.strip()
            if line:
                row = json.loads(line)
                if any(k in row for k in METRICS):
                    rows.append((row, trained))
                elif 'loss' in row:
                    trained = row.get('iter', row.get('step'))
    return rows


def read_work_dir(work_dir: str) -> Optional[dict]:
    """Config stem, backbone, dataset, last metrics and trained iterations of a work dir.

    Returns ``None`` when no run of the work dir evaluated anything.
    """
    runs = sorted(glob.glob(osp.join(work_dir, '*', 'vis_data', 'scalars.json')))
    metrics, iters = None, None
    for scalars in reversed(runs):  # newest run with metrics (a test run after training, ...)
        rows = _metric_rows(scalars)
        if rows:
            metrics, iters = rows[-1]
            break
    if metrics is None:
        return None
    # mmengine dumps the config as <work_dir>/<config name>.py (and <run>/vis_data/config.py)
    configs = sorted(glob.glob(osp.join(work_dir, '*.py')))
    name = (osp.splitext(osp.basename(configs[-1]))[0] if configs
            else osp.basename(osp.normpath(work_dir)))
    configs = configs or sorted(glob.glob(osp.join(work_dir, '*', 'vis_data', 'config.py')))
    info: Dict[str, Any] = dict(work_dir=work_dir, metrics=metrics, iters=iters, config=name)
    if configs:
        from mmengine.config import Config
        cfg = Config.fromfile(configs[-1], import_custom_modules=False)
        backbone = (cfg.get('model') or {}).get('backbone') or {}
        info['backbone'] = str(backbone.get('type', '?')).split('.')[-1]
        arch = backbone.get('arch')
        info['arch'] = arch if isinstance(arch, str) else ('custom' if arch else None)
        dataset = ((cfg.get('val_dataloader') or {}).get('dataset') or {})
        info['dataset'] = _dataset_name(dataset, cfg.get('default_scope'))
    else:
        info.update(backbone='?', arch=None, dataset='?')
    return info


def _dataset_name(dataset: dict, scope: Optional[str]) -> str:
    root = str(dataset.get('data_root', ''))
    kind = str(dataset.get('type', '?'))
    shapes = 'shapes' in root
    if 'Panoptic' in kind:
        name = 'COCO-panoptic'
    elif scope == 'mmdet' or 'Coco' in kind:
        name = 'COCO'
    elif 'ade' in root.lower() or 'ADE' in kind or scope == 'mmseg':
        name = 'ADE20K'
    else:
        name = kind
    return f'shapes-{name}' if shapes else name


# ---------------------------------------------------------------------------- benchmarks
def read_benchmarks(paths: Iterable[str]) -> List[dict]:
    """Benchmark JSONs (files or folders of ``*.json``) written by ``tools/benchmark.py``."""
    results = []
    for path in paths:
        files = sorted(glob.glob(osp.join(path, '*.json'))) if osp.isdir(path) else [path]
        for file in files:
            with open(file) as f:
                data = json.load(f)
            if isinstance(data, dict) and 'latency' in data and 'flops' in data:
                data['_file'] = file
                results.append(data)
    return results


def _bench_cells(bench: Optional[dict]) -> dict:
    if not bench:
        return {}
    lat = bench['latency']
    return dict(params_M=round(bench['params'] / 1e6, 3), flops_G=round(bench['flops'] / 1e9, 3),
                input='x'.join(map(str, bench['input_shape'][2:])),
                latency_ms=round(lat['median_ms'], 2), latency_iqr_ms=round(lat['iqr_ms'], 2),
                img_s=round(bench['throughput_img_s'], 3),
                peak_mem_MiB=round(bench['peak_memory_mb'], 1),
                energy_mJ=None if bench.get('energy_mj') is None else
                round(bench['energy_mj'], 4),
                energy_method=(bench.get('energy') or {}).get('method'),
                device=f"{bench.get('device')} ({bench.get('threads')} thr)")


# ---------------------------------------------------------------------------------- rows
def build_rows(work_dirs: Sequence[str], benchmarks: Sequence[dict], repo: str) -> List[dict]:
    """One row per work dir (joined with its benchmark) and per unmatched benchmark."""
    metafiles = load_metafiles(repo)
    collections = collection_of_types(repo)
    by_name = {b.get('name'): b for b in benchmarks}
    used = set()
    rows = []
    for work_dir in work_dirs:
        info = read_work_dir(work_dir)
        if info is None:
            continue
        measured = {}
        for key, (paper_key, factor) in METRICS.items():
            if key in info['metrics']:
                measured[paper_key] = float(info['metrics'][key]) * factor
        real = real_config_of(info['config'], repo, metafiles)
        targets = metafiles[real]['targets'] if real else {}
        headline = next((k for k in HEADLINE if k in measured), None)
        bench = by_name.get(info['config'])
        if bench:
            used.add(info['config'])
        paper = targets.get(headline) if headline else None
        row = dict(model=metafiles[real]['collection'] if real else
                   collections.get(info['backbone'], info['backbone']),
                   backbone=info['backbone'] + (f"-{info['arch']}" if info['arch'] else ''),
                   config=info['config'], dataset=info['dataset'], metric=headline,
                   measured=None if headline is None else round(measured[headline], 2),
                   paper=paper, gap=None if paper is None or headline is None else
                   round(measured[headline] - paper, 2), iters=info['iters'],
                   other_metrics='; '.join(
                       f'{k} {v:.2f}' + (f' (paper {targets[k]})' if k in targets else '')
                       for k, v in measured.items() if k != headline),
                   source=work_dir, paper_config=real)
        row.update(_bench_cells(bench))
        rows.append(row)
    for bench in benchmarks:
        if bench.get('name') in used:
            continue
        real = real_config_of(bench.get('name', ''), repo, metafiles)
        targets = metafiles[real]['targets'] if real else {}
        headline = next((k for k in HEADLINE if k in targets), None)
        backbone = bench.get('backbone', '?') + (f"-{bench['arch']}" if bench.get('arch') else '')
        row = dict(model=metafiles[real]['collection'] if real else
                   collections.get(bench.get('backbone'), bench.get('backbone', '?')),
                   backbone=backbone, config=bench.get('name'),
                   dataset='-' if bench.get('task') == 'backbone' else
                   {'mmdet': 'COCO', 'mmseg': 'ADE20K'}.get(bench.get('scope'), '?'),
                   metric=headline, measured=None, paper=targets.get(headline) if headline
                   else None, gap=None, iters=None, other_metrics='',
                   source=bench.get('_file'), paper_config=real)
        row.update(_bench_cells(bench))
        rows.append(row)
    return rows


# --------------------------------------------------------------------------------- suite
#: headline metric of each suite task
TASK_HEADLINE = {'instance': 'mask AP', 'semantic': 'mIoU', 'panoptic': 'PQ'}
#: backbone type -> the model family (collection) it belongs to, for backbones of the host
#: libraries that no metafile of this toolkit names
HOST_BACKBONES = {'ResNet': 'ResNet (mmdet)', 'ResNetV1c': 'ResNet (mmseg)'}


#: detector / segmentor (or decode head) type -> the method's usual name
METHOD_NAMES = {'MaskRCNN': 'Mask R-CNN', 'UPerHead': 'UperNet', 'KMaXDeepLab': 'kMaX-DeepLab',
                'KMaXHead': 'kMaX-DeepLab', 'QFPNHead': 'QFPN (spiking)',
                'PanopticFPN': 'Panoptic FPN', 'FPNHead': 'Semantic FPN',
                'CascadeRCNN': 'Cascade Mask R-CNN', 'RetinaNet': 'RetinaNet'}


def method_of(model: dict) -> str:
    """The method a model config builds: its type, or its decode head's type for an
    encoder-decoder segmentor, by its usual name (``UPerHead`` -> ``UperNet``)."""
    kind = str(model.get('type', '?')).split('.')[-1]
    if kind == 'EncoderDecoder':
        kind = str((model.get('decode_head') or {}).get('type', kind)).split('.')[-1]
    return METHOD_NAMES.get(kind, kind)


def read_suite(work_root: str, repo: str) -> List[dict]:
    """One row per suite config trained under ``work_root`` (``<row>/seed<S>/suite_run.json``,
    see :mod:`mmplugins.analysis.suite`): the headline metric's mean over the seeds, its spread
    (sample standard deviation; ``None`` with one seed), the paper target of ``paper_config``
    and the row's ``bench.json``."""
    from mmengine.config import Config
    metafiles = load_metafiles(repo)
    collections = collection_of_types(repo)
    rows = []
    for row_dir in sorted(glob.glob(osp.join(work_root, '*', ''))):
        results = []
        for path in sorted(glob.glob(osp.join(row_dir, 'seed*', 'suite_run.json'))):
            with open(path) as f:
                results.append(json.load(f))
        if not results:
            continue
        first = results[0]
        task, name = first['task'], first['row']
        per_metric: Dict[str, List[float]] = {}
        for result in results:
            for key, (paper_key, factor) in METRICS.items():
                if key in result['metrics']:
                    per_metric.setdefault(paper_key, []).append(
                        float(result['metrics'][key]) * factor)
        headline = TASK_HEADLINE.get(task)
        for result in results:  # a model that predicted nothing scores 0
            if result.get('no_predictions'):
                per_metric.setdefault(headline, []).append(0.0)
        if headline not in per_metric:
            headline = next((k for k in HEADLINE if k in per_metric), None)
        values = per_metric.get(headline, [])
        paper_config = first.get('paper_config')
        targets = metafiles[paper_config]['targets'] if paper_config in metafiles else {}
        # the first seed's dumped config (the seeds differ only in randomness.seed)
        cfg = Config.fromfile(osp.join(row_dir, f"seed{first['seed']}", name + '.py'),
                              import_custom_modules=False)
        backbone = str(cfg.model.backbone.get('type', '?')).split('.')[-1]
        dataset = _dataset_name(cfg.val_dataloader.dataset, cfg.get('default_scope'))
        mean = statistics.fmean(values) if values else None
        paper = targets.get(headline)
        row = dict(task=task, method=method_of(cfg.model),
                   model=collections.get(backbone, HOST_BACKBONES.get(backbone, backbone)),
                   backbone=name.split('_')[1] if name.count('_') >= 2 else backbone,
                   config=name, dataset=dataset, metric=headline,
                   measured=None if mean is None else round(mean, 2),
                   spread=round(statistics.stdev(values), 2) if len(values) > 1 else None,
                   seeds=len(values), paper=paper, paper_config=paper_config,
                   gap=None if paper is None or mean is None else round(mean - paper, 2),
                   iters=first.get('iters'), source=row_dir,
                   other_metrics='; '.join(
                       f'{k} {statistics.fmean(v):.2f}' + (f' (paper {targets[k]})'
                                                          if k in targets else '')
                       for k, v in per_metric.items() if k != headline)
                   + ('; no predictions in %d of %d seeds' % (
                       sum(bool(r.get('no_predictions')) for r in results), len(results))
                      if any(r.get('no_predictions') for r in results) else ''))
        bench_path = osp.join(row_dir, 'bench.json')
        if osp.isfile(bench_path):
            with open(bench_path) as f:
                row.update(_bench_cells(json.load(f)))
        rows.append(row)
    return rows


# ------------------------------------------------------------------------------- writers
def _fmt(value: Any) -> str:
    if value is None:
        return '-'
    if isinstance(value, float):
        return f'{value:.4g}' if abs(value) < 1e3 else f'{value:.0f}'
    return str(value)


def write_markdown(rows: Sequence[dict], path: str, columns: Sequence[str] = COLUMNS) -> None:
    """The leaderboard as a Markdown table."""
    cols = [c for c in columns if c not in ('source', 'other_metrics')]
    lines = ['| ' + ' | '.join(cols) + ' |', '|' + '---|' * len(cols)]
    for row in rows:
        lines.append('| ' + ' | '.join(_fmt(row.get(c)).replace('|', '/') for c in cols) + ' |')
    with open(path, 'w') as f:
        f.write('# Leaderboard\n\nmeasured: this toolkit; paper: the metafile target of the '
                'full recipe (shapes runs are not comparable to it, the gap shows how far a run '
                'is from the paper). FLOPs are multiply-adds.\n\n' + '\n'.join(lines) + '\n')


def headline_table(rows: Sequence[dict]) -> str:
    """One Markdown line per suite row: task, method, backbone, metric (mean ± sd over the
    seeds), params, FLOPs, latency, peak memory, energy."""
    lines = ['| task | method | backbone | metric | measured (mean ± sd, seeds) | paper | '
             'params (M) | FLOPs (G) | latency (ms) | peak mem (MiB) | energy (mJ) |',
             '|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|']
    for r in rows:
        value = '-' if r.get('measured') is None else f"{r['measured']:.1f}" + (
            f" ± {r['spread']:.1f}" if r.get('spread') is not None else '') + \
            f" ({r.get('seeds')})"
        lines.append(f"| {r['task']} | {r['method']} | {r['backbone']} | {r['metric']} | "
                     f"{value} | {_fmt(r.get('paper'))} | {_fmt(r.get('params_M'))} | "
                     f"{_fmt(r.get('flops_G'))} | {_fmt(r.get('latency_ms'))} | "
                     f"{_fmt(r.get('peak_mem_MiB'))} | {_fmt(r.get('energy_mJ'))} |")
    return '\n'.join(lines) + '\n'


def write_csv(rows: Sequence[dict], path: str, columns: Sequence[str] = COLUMNS) -> None:
    """The leaderboard as CSV (every column)."""
    with open(path, 'w', newline='') as f:
        writer = csv.DictWriter(f, fieldnames=list(columns), extrasaction='ignore')
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c) for c in columns})


def pareto_front(points: Sequence[Tuple[float, float]]) -> List[int]:
    """Indices of the points no other point beats (lower x and higher-or-equal y), by x."""
    order = sorted(range(len(points)), key=lambda i: (points[i][0], -points[i][1]))
    front, best = [], float('-inf')
    for i in order:
        if points[i][1] > best:
            front.append(i)
            best = points[i][1]
    return front


PLOTS = (('flops_G', 'FLOPs (G multiply-adds)'), ('latency_ms', 'latency (ms, median)'),
         ('energy_mJ', 'energy (mJ per image)'))


def write_plots(rows: Sequence[dict], out_dir: str, file_suffix: str = '') -> List[str]:
    """Accuracy vs FLOPs / latency / energy PNGs, Pareto front per metric; returns the paths
    (``accuracy_vs_<x><file_suffix>.png``)."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    paths = []
    for key, label in PLOTS:
        fig, ax = plt.subplots(figsize=(6.4, 4.4), dpi=100)
        drawn = 0
        metrics = sorted({r['metric'] for r in rows if r.get('metric')})
        for n, metric in enumerate(metrics):
            color = f'C{n}'
            for value_key, marker, suffix in (('measured', 'o', 'measured'),
                                              ('paper', 's', 'paper target')):
                pts = [(r[key], r[value_key], r['config']) for r in rows
                       if r.get('metric') == metric and r.get(key) is not None
                       and r.get(value_key) is not None]
                if not pts:
                    continue
                ax.scatter([p[0] for p in pts], [p[1] for p in pts], marker=marker,
                           color=color, facecolors=color if marker == 'o' else 'none',
                           label=f'{metric} ({suffix})')
                for x, y, name in pts:
                    ax.annotate(name[:28], (x, y), fontsize=6, alpha=0.7)
                front = pareto_front([(p[0], p[1]) for p in pts])
                # the front: dashed line through ringed points (a lone point is its own front)
                ax.plot([pts[i][0] for i in front], [pts[i][1] for i in front], '--o',
                        color=color, linewidth=1, markersize=11, markerfacecolor='none',
                        label=f'Pareto front, {metric} ({suffix})')
                drawn += len(pts)
        if not drawn:
            ax.text(0.5, 0.5, f'no row has both an accuracy and {label}', ha='center',
                    va='center', transform=ax.transAxes)
        ax.set_xlabel(label)
        ax.set_ylabel('accuracy (%)')
        ax.set_title(f'accuracy vs {label.split(" (")[0]}'
                     + (f' ({file_suffix.strip("_")})' if file_suffix else ''))
        ax.grid(alpha=0.3)
        if drawn:
            ax.legend(fontsize=7)
        fig.tight_layout()
        path = osp.join(out_dir, f'accuracy_vs_{key.split("_")[0]}{file_suffix}.png')
        fig.savefig(path)
        plt.close(fig)
        paths.append(path)
    return paths


_SORT_JS = """
function sortTable(col) {
  var table = document.getElementById('leaderboard');
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var th = table.tHead.rows[0].cells[col];
  var asc = th.getAttribute('data-order') !== 'asc';
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (c) {
    c.removeAttribute('data-order'); });
  th.setAttribute('data-order', asc ? 'asc' : 'desc');
  function key(row) {
    var t = row.cells[col].textContent.trim();
    var n = parseFloat(t);
    return (t === '-' || t === '') ? null : (isNaN(n) || !/^-?[0-9.]/.test(t) ? t : n);
  }
  rows.sort(function (a, b) {
    var x = key(a), y = key(b);
    if (x === null) return 1;
    if (y === null) return -1;
    if (typeof x === typeof y) return (x < y ? -1 : x > y ? 1 : 0) * (asc ? 1 : -1);
    return typeof x === 'number' ? -1 : 1;
  });
  rows.forEach(function (r) { body.appendChild(r); });
}
"""


def write_html(rows: Sequence[dict], plots: Sequence[str], path: str,
               columns: Sequence[str] = COLUMNS) -> None:
    """Static page: sortable table (click a header) and the plots inlined as data URIs."""
    head = ''.join(f'<th onclick="sortTable({i})" title="sort">{html.escape(c)}</th>'
                   for i, c in enumerate(columns))
    body = ''.join('<tr>' + ''.join(f'<td>{html.escape(_fmt(r.get(c)))}</td>'
                                    for c in columns) + '</tr>\n' for r in rows)
    images = ''
    for plot in plots:
        with open(plot, 'rb') as f:
            data = base64.b64encode(f.read()).decode()
        images += (f'<figure><img alt="{html.escape(osp.basename(plot))}" '
                   f'src="data:image/png;base64,{data}"><figcaption>'
                   f'{html.escape(osp.basename(plot))}</figcaption></figure>\n')
    page = f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>mmplugins leaderboard</title>
<style>
body {{ font-family: sans-serif; margin: 1em; }}
table {{ border-collapse: collapse; font-size: 12px; }}
th, td {{ border: 1px solid #bbb; padding: 2px 6px; }}
th {{ background: #eee; cursor: pointer; }}
th[data-order=asc]::after {{ content: ' \\25B2'; }}
th[data-order=desc]::after {{ content: ' \\25BC'; }}
figure {{ display: inline-block; margin: 0.5em; }}
</style>
<script>{_SORT_JS}</script></head>
<body><h1>mmplugins leaderboard</h1>
<p>{len(rows)} rows. Click a column header to sort. Accuracies in percent; FLOPs are
multiply-adds; paper = metafile target of the full recipe.</p>
<table id="leaderboard"><thead><tr>{head}</tr></thead>
<tbody>
{body}</tbody></table>
<h2>Plots</h2>
{images}</body></html>
"""
    with open(path, 'w') as f:
        f.write(page)


def build_leaderboard(work_dirs: Sequence[str], bench_paths: Sequence[str], out_dir: str,
                      repo: str, suite_root: Optional[str] = None) -> Dict[str, Any]:
    """Gather every source and write leaderboard.{md,csv,html} and the plots into ``out_dir``.

    ``suite_root``: the suite's work dirs (:func:`read_suite`); their rows come first, by task
    and headline metric (best first), and each task gets its own three plots.
    """
    os.makedirs(out_dir, exist_ok=True)
    suite_rows = read_suite(suite_root, repo) if suite_root and osp.isdir(suite_root) else []
    suite_rows.sort(key=lambda r: (r['task'], -(r['measured'] or 0.0)))
    rows = build_rows(work_dirs, read_benchmarks(bench_paths), repo)
    rows.sort(key=lambda r: (str(r['model']), str(r['dataset']), str(r['config'])))
    if suite_rows:  # the suite's plots, one set per task; loose rows keep the plain set
        plots = []
        for task in sorted({r['task'] for r in suite_rows}):
            plots += write_plots([r for r in suite_rows if r['task'] == task], out_dir,
                                 file_suffix=f'_{task}')
        rows = suite_rows + rows
    else:
        plots = write_plots(rows, out_dir)
    md, csv_path, html_path = (osp.join(out_dir, f'leaderboard.{ext}')
                               for ext in ('md', 'csv', 'html'))
    write_markdown(rows, md)
    write_csv(rows, csv_path)
    write_html(rows, plots, html_path)
    result = dict(rows=rows, markdown=md, csv=csv_path, html=html_path, plots=plots)
    if suite_rows:
        result.update(suite_rows=suite_rows, headline=osp.join(out_dir, 'headline.md'))
        with open(result['headline'], 'w') as f:
            f.write(headline_table(suite_rows))
    return result
