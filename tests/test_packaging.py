"""The installed package carries what a user's project needs: the configs and the hook that
teaches mmengine the ``mmplugins::`` scope (checked in the wheel that ``pip install .`` builds)."""
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_ships_configs_model_index_and_scope_hook(tmp_path):
    # a copy of the sources: setuptools writes build/ and *.egg-info into the folder it builds
    source = tmp_path / 'src'
    shutil.copytree(REPO, source, symlinks=True, ignore=shutil.ignore_patterns(
        '.git', '.venv', 'data', 'work_dirs', 'build', '*.egg-info', '__pycache__',
        '.pytest_cache'))
    proc = subprocess.run([sys.executable, '-m', 'pip', 'wheel', '--no-deps',
                           '--no-build-isolation', '-q', '-w', str(tmp_path), str(source)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    (wheel,) = tmp_path.glob('mmplugins-*.whl')
    names = set(zipfile.ZipFile(wheel).namelist())
    configs = {f'mmplugins_mim/.mim/configs/{p.relative_to(REPO / "configs").as_posix()}'
               for p in (REPO / 'configs').rglob('*') if p.is_file() and '__pycache__' not in p.parts}
    assert configs and configs <= names, sorted(configs - names)[:5]
    assert 'mmplugins_mim/.mim/model-index.yml' in names
    assert 'mmplugins_mim.pth' in names  # installed into site-packages beside the packages
    assert (REPO / 'mmplugins_mim.pth').read_text().strip() in \
        zipfile.ZipFile(wheel).read('mmplugins_mim.pth').decode()


def test_scope_hook_registers_mmplugins_before_mmengine_parses_configs():
    """In a fresh interpreter (site-packages' .pth ran), mmengine knows the scope without
    importing mmplugins, which a config's custom_imports would only do after its _base_."""
    code = ('import sys; import mmengine.config.utils as u; '
            "print(u.MODULE2PACKAGE.get('mmplugins'), 'mmplugins' in sys.modules)")
    out = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True,
                         timeout=120, check=True).stdout.split()
    assert out == ['mmplugins_mim', 'False']
