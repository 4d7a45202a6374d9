"""Metafiles and model-index.yml stay true to the config tree (OpenMMLab format).

Every config under ``configs/<model>/`` that is not a shapes variant (``*_shapes-*.py``) has a
metafile entry, every entry's config exists, and ``model-index.yml`` imports every metafile.
``configs/_base_``, ``configs/demo`` and ``configs/leaderboard`` (shapes-data suites, no released
models) are exempt.
"""
import glob
import os.path as osp

import pytest
import yaml

from conftest import REPO

EXEMPT_DIRS = {'_base_', 'demo', 'leaderboard'}
MODEL_DIRS = sorted(d for d in glob.glob(str(REPO / 'configs' / '*'))
                    if osp.isdir(d) and osp.basename(d) not in EXEMPT_DIRS)


def _real_configs(folder: str) -> set:
    return {osp.relpath(p, REPO) for p in glob.glob(osp.join(folder, '*.py'))
            if '_shapes-' not in osp.basename(p)}


def _load(path: str) -> dict:
    with open(path) as f:
        return yaml.safe_load(f) or {}


@pytest.mark.parametrize('folder', MODEL_DIRS, ids=[osp.basename(d) for d in MODEL_DIRS])
def test_metafile_matches_configs(folder):
    metafile = osp.join(folder, 'metafile.yml')
    assert osp.isfile(metafile), f'{osp.relpath(metafile, REPO)} is missing'
    data = _load(metafile)
    collections = {c['Name'] for c in data.get('Collections') or []}
    assert collections, f'{osp.relpath(metafile, REPO)}: no Collections'
    models = data.get('Models') or []
    problems = []
    names = [m.get('Name') for m in models]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        problems.append(f'duplicate Names {dupes}')
    listed = set()
    for m in models:
        for key in ('Name', 'In Collection', 'Config', 'Results', 'Weights'):
            if key not in m:
                problems.append(f"entry {m.get('Name')!r} lacks {key!r}")
        if m.get('In Collection') not in collections:
            problems.append(f"entry {m.get('Name')!r}: In Collection {m.get('In Collection')!r} "
                            f'is not one of {sorted(collections)}')
        config = m.get('Config')
        if config:
            listed.add(config)
            if not osp.isfile(REPO / config):
                problems.append(f"entry {m.get('Name')!r}: Config {config} does not exist")
            if m.get('Name') != osp.splitext(osp.basename(config))[0]:
                problems.append(f"entry {m.get('Name')!r}: Name differs from its config stem")
        for result in m.get('Results') or []:
            for key in ('Task', 'Dataset', 'Metrics'):
                if key not in result:
                    problems.append(f"entry {m.get('Name')!r}: a Results item lacks {key!r}")
    missing = sorted(_real_configs(folder) - listed)
    if missing:
        problems.append(f'configs without a metafile entry: {missing}')
    assert not problems, f'{osp.relpath(metafile, REPO)}:\n  ' + '\n  '.join(problems)


def test_model_index_imports_every_metafile():
    index = _load(str(REPO / 'model-index.yml'))
    imports = index.get('Import') or []
    for path in imports:
        assert osp.isfile(REPO / path), f'model-index.yml imports missing {path}'
    expected = sorted(osp.relpath(osp.join(d, 'metafile.yml'), REPO) for d in MODEL_DIRS)
    assert sorted(imports) == expected, (
        f'model-index.yml should import exactly {expected}, has {sorted(imports)}')
