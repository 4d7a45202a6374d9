"""Render README.md's model zoo table from model-index.yml, the metafiles and the benchmarks.

Usage: python tools/model_zoo_table.py            print the table
       python tools/model_zoo_table.py --write    replace the table in README.md
       python tools/model_zoo_table.py --check    exit 1 if README.md's table is out of date

Sources, so that nothing in the table is typed by hand:

* model-index.yml -> each ``configs/<model>/metafile.yml``: the collection (name, README), its
  configs and their paper targets (the best target per dataset and metric is shown);
* ``leaderboard/bench/<Backbone>.json`` (``make bench``, ``tools/benchmark.py``): this
  toolkit's measured backbone params, FLOPs and latency for the backbones the folder's configs
  name (``mmplugins.<Backbone>``);
* ``configs/<model>/README.md``: the converter names its ``tools/convert_checkpoint.py``
  commands use.
"""
import argparse
import json
import os.path as osp
import re
import sys
from typing import Dict, List

import yaml

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
sys.path.insert(0, REPO)

import mmplugins.models  # noqa: E402,F401  (fills the model registry)
from mmplugins.analysis.leaderboard import collection_of_types  # noqa: E402
from mmplugins.registry import MODELS  # noqa: E402

START, END = '<!-- model-zoo:start -->', '<!-- model-zoo:end -->'
HEADER = ('| model | registered types | tasks | configs | paper targets (best config) | '
          'backbone params / FLOPs / latency (measured) | checkpoint conversion |\n'
          '|---|---|---|---|---|---|---|')


def _targets(models: List[dict]) -> str:
    """``'COCO box AP 51.1, mask AP 44.6; ADE20K mIoU 48.8'``: the best target of each metric."""
    best: Dict[str, Dict[str, float]] = {}
    for model in models:
        for result in model.get('Results') or []:
            per = best.setdefault(result.get('Dataset', '?'), {})
            for metric, value in (result.get('Metrics') or {}).items():
                if isinstance(value, (int, float)):
                    per[metric] = max(per.get(metric, value), value)
    return '; '.join(f'{dataset} ' + ', '.join(f'{m} {v:g}' for m, v in metrics.items())
                     for dataset, metrics in best.items() if metrics) or '-'


def _tasks(models: List[dict], collection: dict) -> str:
    seen: Dict[str, None] = {}
    for model in models:
        for result in model.get('Results') or []:
            seen[f"{result.get('Dataset')} {result.get('Task', '').lower()}"] = None
    if seen:
        return ', '.join(seen)
    data = (collection.get('Metadata') or {}).get('Training Data') or []
    return ', '.join(data) + ' (no verified paper numbers)' if data else '-'


def _measured(types: List[str], repo: str) -> str:
    cells = []
    for name in types:
        path = osp.join(repo, 'leaderboard', 'bench', f'{name}.json')
        if not osp.isfile(path):
            continue
        with open(path) as f:
            bench = json.load(f)
        shape = 'x'.join(map(str, bench['input_shape'][2:]))
        arch = f"-{bench['arch']}" if bench.get('arch') else ''
        cells.append(f"`{name}{arch}`: {bench['params'] / 1e6:.1f}M / "
                     f"{bench['flops'] / 1e9:.2f}G / {bench['latency']['median_ms']:.0f} ms "
                     f"({shape}, {bench['device']} {bench['threads']} thr)")
    return '; '.join(cells) or '-'


def _converters(readme: str) -> str:
    if not osp.isfile(readme):
        return '-'
    names = re.findall(r'tools/convert_checkpoint\.py\s+([\w-]+)\s', open(readme).read())
    return ', '.join(f'`{n}`' for n in dict.fromkeys(names)) or '-'


def render(repo: str = REPO) -> str:
    """The Markdown table (header and one row per collection), without the markers."""
    with open(osp.join(repo, 'model-index.yml')) as f:
        index = yaml.safe_load(f)
    types_of: Dict[str, List[str]] = {}
    for name, collection in sorted(collection_of_types(repo).items()):
        if name in MODELS.module_dict:  # models only, not the hooks and datasets they use
            types_of.setdefault(collection, []).append(name)
    rows = [HEADER]
    for metafile in index['Import']:
        with open(osp.join(repo, metafile)) as f:
            data = yaml.safe_load(f)
        models = data.get('Models') or []
        for collection in data.get('Collections') or []:
            name = collection['Name']
            readme = collection.get('README') or osp.join(osp.dirname(metafile), 'README.md')
            mine = [m for m in models if m.get('In Collection') == name]
            names = types_of.get(name, [])
            types = ', '.join(f'`mmplugins.{t}`' for t in names) or '-'
            rows.append(f'| [{name}]({readme}) | {types} | {_tasks(mine, collection)} | '
                        f'{len(mine)} | {_targets(mine)} | {_measured(names, repo)} | '
                        f'{_converters(osp.join(repo, readme))} |')
    return '\n'.join(rows)


def replace_table(text: str, table: str) -> str:
    """``text`` with the part between the model-zoo markers replaced by ``table``."""
    if START not in text or END not in text:
        raise ValueError(f'README.md has no {START} ... {END} section to fill')
    head, rest = text.split(START, 1)
    return f'{head}{START}\n{table}\n{END}{rest.split(END, 1)[1]}'


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument('--write', action='store_true', help='update README.md in place')
    group.add_argument('--check', action='store_true', help='fail if README.md is stale')
    args = parser.parse_args(argv)
    table = render()
    if not (args.write or args.check):
        print(table)
        return 0
    readme = osp.join(REPO, 'README.md')
    text = open(readme).read()
    new = replace_table(text, table)
    if args.check:
        if new != text:
            print('README.md model zoo table is out of date: run python tools/model_zoo_table.py '
                  '--write', file=sys.stderr)
            return 1
        return 0
    with open(readme, 'w') as f:
        f.write(new)
    print(f'wrote the model zoo table into {readme}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
