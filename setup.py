"""Build hooks that setup.cfg cannot express; all metadata lives in setup.cfg.

* ``mmplugins_mim.pth`` goes into site-packages (wheel and editable installs alike): it teaches
  mmengine the ``mmplugins::`` config scope before any config is parsed (see mmplugins_mim).
* A wheel carries the configs and model index under ``mmplugins_mim/.mim/`` as real files, the
  way mmdet and mmseg ship theirs; the checkout has links there instead.
"""
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.command.editable_wheel import editable_wheel

HERE = Path(__file__).resolve().parent
PTH = HERE / 'mmplugins_mim.pth'


class BuildPyWithConfigs(build_py):
    """build_py that also copies the configs into the package and the start-up hook beside it."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:  # the checkout's links serve an editable install
            return
        mim = Path(self.build_lib) / 'mmplugins_mim' / '.mim'
        shutil.rmtree(mim, ignore_errors=True)
        shutil.copytree(HERE / 'configs', mim / 'configs',
                        ignore=shutil.ignore_patterns('__pycache__'))
        shutil.copy(HERE / 'model-index.yml', mim / 'model-index.yml')
        self.copy_file(str(PTH), str(Path(self.build_lib) / PTH.name))


class EditableWheelWithHook(editable_wheel):
    """editable_wheel that puts the start-up hook into site-packages too."""

    def _run_build_commands(self, dist_name, unpacked_wheel, build_lib, tmp_dir):
        outputs = super()._run_build_commands(dist_name, unpacked_wheel, build_lib, tmp_dir)
        shutil.copy(PTH, Path(unpacked_wheel) / PTH.name)
        return outputs


setup(cmdclass={'build_py': BuildPyWithConfigs, 'editable_wheel': EditableWheelWithHook})
