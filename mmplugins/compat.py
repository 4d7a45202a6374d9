"""Fixes for known breakages of the pinned stack that must run before mmdet/mmseg are imported.

Each fix is narrow and says which upstream problem it works around.
"""
import importlib.util


def check_stack() -> None:
    """Raise a clear error when a package the toolkit cannot work without is missing."""
    missing = [name for name in ('mmcv', 'mmengine', 'mmdet', 'mmseg')
               if importlib.util.find_spec(name) is None]
    if missing:
        raise ImportError(
            f'mmplugins needs {", ".join(missing)}; run `make setup` (or tools/setup_env.sh) '
            'to build the pinned environment.')
    if importlib.util.find_spec('pkg_resources') is None:
        raise ImportError(
            'mmengine 0.10.7 imports pkg_resources at run time, which setuptools>=81 removed: '
            'pip install "setuptools<81"')


check_stack()


# --- atomic checkpoint saving ----------------------------------------------------------------
# mmengine 0.10.7 writes a checkpoint straight to its final path, writes the ``last_checkpoint``
# pointer in place, and with ``max_keep_ckpts`` deletes the oldest checkpoint BEFORE saving the
# new one. A run killed while saving could leave a truncated ``iter_N.pth`` that
# ``--resume`` then picks up, or no intact checkpoint at all. The patches below make each of
# these writes atomic (a temporary file in the same folder, fsync, ``os.replace``) and delete
# outdated checkpoints only once the new one and the pointer are in place.


def atomic_write(path: str, write, mode: str = 'wb') -> None:
    """Call ``write(file)`` on a temporary file next to ``path``, then rename it to ``path``.

    On any error the temporary file is removed and an existing ``path`` is left untouched.
    """
    import os
    import os.path as osp
    import tempfile
    folder = osp.dirname(osp.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f'.{osp.basename(path)}.', suffix='.tmp')
    umask = os.umask(0)
    os.umask(umask)
    try:
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp creates 0600; give the usual permissions
        with os.fdopen(fd, mode) as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if osp.exists(tmp):
            os.remove(tmp)
        raise


def _patch_atomic_checkpoints() -> None:
    import io

    import mmengine.hooks.checkpoint_hook as checkpoint_hook
    import mmengine.runner as runner_pkg
    import mmengine.runner.checkpoint as checkpoint_mod
    import mmengine.runner.runner as runner_mod
    import torch
    from mmengine.fileio import LocalBackend, get_file_backend

    original_save = checkpoint_mod.save_checkpoint
    if getattr(original_save, '_mmplugins_atomic', False):
        return

    def save_checkpoint(checkpoint, filename, file_client_args=None, backend_args=None):
        local = (file_client_args is None and not str(filename).startswith('pavi://')
                 and isinstance(get_file_backend(filename, backend_args=backend_args),
                                LocalBackend))
        if not local:
            return original_save(checkpoint, filename, file_client_args, backend_args)
        atomic_write(str(filename), lambda f: torch.save(checkpoint, f))

    save_checkpoint._mmplugins_atomic = True
    save_checkpoint.__doc__ = original_save.__doc__
    for module in (checkpoint_mod, runner_mod, runner_pkg):
        module.save_checkpoint = save_checkpoint

    def pointer_open(file, mode='r', *args, **kwargs):
        # CheckpointHook uses ``open`` only to write the last_checkpoint pointer: write the
        # text to memory and publish it atomically when the ``with`` block closes
        if 'w' not in mode:
            return open(file, mode, *args, **kwargs)

        class _Pointer(io.StringIO):
            def close(self) -> None:
                if not self.closed:
                    text = self.getvalue()
                    atomic_write(file, lambda f: f.write(text), mode='w')
                super().close()

            def __exit__(self, exc_type, exc, tb):
                if exc_type is not None:  # failed while writing: publish nothing
                    io.StringIO.close(self)
                    return False
                self.close()
                return False

        return _Pointer()

    checkpoint_hook.open = pointer_open

    original_step = checkpoint_hook.CheckpointHook._save_checkpoint_with_step

    class _DeferRemoval:
        """File backend proxy that records removals instead of doing them."""

        def __init__(self, backend) -> None:
            self._backend, self.removals = backend, []

        def remove(self, path) -> None:
            self.removals.append((self._backend.remove, path))

        def rmtree(self, path) -> None:
            self.removals.append((self._backend.rmtree, path))

        def __getattr__(self, name):
            return getattr(self._backend, name)

    def _save_checkpoint_with_step(self, runner, step, meta):
        backend = self.file_backend
        self.file_backend = deferred = _DeferRemoval(backend)
        try:
            original_step(self, runner, step, meta)
        finally:
            self.file_backend = backend
        for remove, path in deferred.removals:  # only once the new checkpoint is complete
            remove(path)

    checkpoint_hook.CheckpointHook._save_checkpoint_with_step = _save_checkpoint_with_step


_patch_atomic_checkpoints()
