"""The documentation runs as written: runnable shell blocks, relative links, the model zoo table.

A fenced ``shell``/``bash`` block preceded by ``<!-- runnable -->`` is run with ``bash -e`` in a
fresh directory that holds the repository's code (``tools/``, ``configs/``, ``mmplugins/``,
``spiking/``) and nothing else, with this interpreter's ``bin`` first on ``PATH`` (as after
``source .venv/bin/activate``). A marker may carry JSON options:

    <!-- runnable {"timeout": 300, "replace": [["OLD", "NEW"]]} -->

``replace`` shrinks a real command for the test (fewer images, two iterations); each ``OLD``
must occur in the block, so the doc keeps showing the real command and the test fails when the
two drift apart. Blocks that need real data, GPUs or hours are not marked, and say so in the
text.
"""
import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, NamedTuple

import pytest

from conftest import REPO

DOCS = sorted([REPO / 'README.md', *(REPO / 'docs').glob('*.md'),
               *(REPO / 'configs').glob('*/README.md')])
CODE = ('tools', 'configs', 'mmplugins', 'spiking')
FENCE = re.compile(r'^```.*?^```', re.S | re.M)
MARKED = re.compile(r'<!--\s*runnable(?P<opts>[^>]*?)-->\s*\n```(?P<lang>\w*)\n(?P<body>.*?)^```',
                    re.S | re.M)


class Block(NamedTuple):
    doc: Path
    line: int
    body: str
    options: dict

    @property
    def name(self) -> str:
        return f'{self.doc.relative_to(REPO)}:{self.line}'


def runnable_blocks() -> List[Block]:
    blocks = []
    for doc in DOCS:
        text = doc.read_text()
        for match in MARKED.finditer(text):
            line = text.count('\n', 0, match.start()) + 1
            opts = match.group('opts').strip()
            try:
                options = json.loads(opts) if opts else {}
            except json.JSONDecodeError as err:
                raise ValueError(f'{doc}:{line}: runnable options are not JSON: {opts}') from err
            assert match.group('lang') in ('shell', 'bash'), f'{doc}:{line}: not a shell block'
            blocks.append(Block(doc, line, match.group('body'), options))
    return blocks


BLOCKS = runnable_blocks()


def test_every_runnable_marker_is_found():
    """A marker that does not sit right above a shell fence would silently never run."""
    for doc in DOCS:
        text = doc.read_text()
        assert text.count('<!-- runnable') == len(MARKED.findall(text)), doc
    assert len(BLOCKS) >= 3


@pytest.mark.parametrize('block', BLOCKS, ids=[b.name for b in BLOCKS])
def test_runnable_block(block: Block, tmp_path):
    script = block.body
    for old, new in block.options.get('replace', []):
        assert old in script, f'{block.name}: replace target {old!r} is not in the block'
        script = script.replace(old, new)
    for name in CODE:
        (tmp_path / name).symlink_to(REPO / name)
    env = dict(os.environ, OMP_NUM_THREADS='1', MPLBACKEND='Agg',
               PATH=f'{Path(sys.executable).parent}{os.pathsep}{os.environ.get("PATH", "")}')
    proc = subprocess.run(['bash', '-e', '-o', 'pipefail', '-c', script], cwd=tmp_path, env=env,
                          capture_output=True, text=True,
                          timeout=block.options.get('timeout', 120))
    assert proc.returncode == 0, (f'{block.name} failed:\n{script}\n--- stdout\n'
                                  f'{proc.stdout[-3000:]}\n--- stderr\n{proc.stderr[-3000:]}')


# ----------------------------------------------------------------------------------- links
def slug(heading: str) -> str:
    """GitHub's anchor of a Markdown heading."""
    text = re.sub(r'[`*_]|\[|\]\([^)]*\)', '', heading.strip().lower())
    return re.sub(r'[^\w\- ]', '', text).replace(' ', '-')


def anchors(doc: Path) -> set:
    text = FENCE.sub('', doc.read_text())
    return {slug(m.group(1)) for m in re.finditer(r'^#{1,6}\s+(.*)$', text, re.M)}


def relative_links(doc: Path) -> Dict[str, int]:
    text = FENCE.sub('', doc.read_text())
    text = re.sub(r'`[^`\n]*`', '', text)  # inline code is not a link
    links = {}
    for match in re.finditer(r'!?\[[^\]]*\]\(([^)\s]+)\)', text):
        target = match.group(1)
        if not re.match(r'[a-z]+:', target):
            links[target] = text.count('\n', 0, match.start()) + 1
    return links


@pytest.mark.parametrize('doc', DOCS, ids=[str(d.relative_to(REPO)) for d in DOCS])
def test_relative_links_resolve(doc: Path):
    broken = []
    for target, line in relative_links(doc).items():
        path, _, anchor = target.partition('#')
        dest = (doc.parent / path).resolve() if path else doc
        if not dest.exists():
            broken.append(f'{target} (line ~{line}): no file {dest}')
        elif anchor and dest.suffix == '.md' and anchor not in anchors(dest):
            broken.append(f'{target} (line ~{line}): no heading #{anchor} in {dest.name}')
    assert not broken, f'{doc.relative_to(REPO)}: ' + '; '.join(broken)


def test_slug_follows_github():
    assert slug('3. What the strict loader reports and refuses') == \
        '3-what-the-strict-loader-reports-and-refuses'
    assert slug('Fine-grained distillation (opt-in, our reading of the paper)') == \
        'fine-grained-distillation-opt-in-our-reading-of-the-paper'
    assert slug('`tools/benchmark.py`') == 'toolsbenchmarkpy'


def test_link_checker_finds_broken_links(tmp_path):
    doc = tmp_path / 'a.md'
    (tmp_path / 'b.md').write_text('# Title here\n')
    doc.write_text('[ok](b.md#title-here) [bad](b.md#nope) [gone](c.md) `[code](x.md)`\n'
                   '```\n[in a fence](y.md)\n```\n[web](https://example.com)\n')
    assert set(relative_links(doc)) == {'b.md#title-here', 'b.md#nope', 'c.md'}
    assert anchors(tmp_path / 'b.md') == {'title-here'}


# ------------------------------------------------------------------------- model zoo table
def test_readme_model_zoo_table_is_generated():
    spec = importlib.util.spec_from_file_location('model_zoo_table',
                                                  REPO / 'tools' / 'model_zoo_table.py')
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    readme = (REPO / 'README.md').read_text()
    table = tool.render()
    assert tool.replace_table(readme, table) == readme, (
        "README.md's model zoo table is stale: run python tools/model_zoo_table.py --write")
    # one row per collection of model-index.yml, each linking its README
    import yaml
    index = yaml.safe_load((REPO / 'model-index.yml').read_text())
    assert len(table.splitlines()) == 2 + len(index['Import'])
    for metafile in index['Import']:
        assert f'({Path(metafile).parent}/README.md)' in table


def test_checkpoint_doc_names_every_converter():
    from mmplugins.converters import available_converters
    text = (REPO / 'docs' / 'checkpoints.md').read_text()
    table = [line for line in text.splitlines() if line.startswith('| `')]
    named = set(re.findall(r'`([\w-]+)`', ' '.join(line.split('|')[1] for line in table)))
    assert named == set(available_converters())


# ---------------------------------------------------------------------- leaderboard headline
def test_readme_shows_the_committed_leaderboard_headline():
    """README's leaderboard table is leaderboard/headline.md, which tools/leaderboard.py
    --suite writes with the rest of the leaderboard."""
    readme = (REPO / 'README.md').read_text()
    block = readme.split('<!-- leaderboard:start -->\n')[1].split('<!-- leaderboard:end -->')[0]
    headline = (REPO / 'leaderboard' / 'headline.md').read_text()
    assert block.endswith(headline), (
        'README.md shows another leaderboard than leaderboard/headline.md: paste it between '
        'the leaderboard markers')
    for task in ('instance', 'semantic', 'panoptic'):
        assert f'| {task} |' in headline
