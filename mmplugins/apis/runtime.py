"""Run-time conveniences of the toolkit's tools: CPU-only distributed runs, SyncBN on CPU.

mmengine's PyTorch launcher calls ``torch.cuda.set_device`` and wraps the model with
``device_ids=[LOCAL_RANK]``, both of which fail on a machine without CUDA. On such a machine the
tools start the process group with gloo themselves (mmengine then skips its own set-up) and
wrap the model without device ids, so ``tools/dist_train.sh CONFIG 2`` trains on CPUs exactly as
it does on GPUs.
"""
import logging
import os
from typing import Any

import torch
import torch.distributed as dist
from mmengine.config import Config
from mmengine.logging import print_log


def replace_sync_bn(node: Any) -> int:
    """Turn plain SyncBN norm configs anywhere in ``node`` into BN (in place); returns how
    many were replaced."""
    count = 0
    if isinstance(node, dict):
        if node.get('type') in ('SyncBN', 'MMSyncBN') and set(node) <= {'type', 'requires_grad',
                                                                       'eps', 'momentum'}:
            node['type'] = 'BN'
            count += 1
        for value in node.values():
            count += replace_sync_bn(value)
    elif isinstance(node, (list, tuple)):
        for value in node:
            count += replace_sync_bn(value)
    return count


def prepare_runtime(cfg: Config, launcher: str) -> Config:
    """Adapt ``cfg`` to the machine (in place): CPU distributed runs and SyncBN without CUDA.
    A convenience of the toolkit's tools; the configs run without it wherever CUDA is there."""
    if torch.cuda.is_available():
        return cfg
    replaced = replace_sync_bn(cfg.model)
    world_size = int(os.environ.get('WORLD_SIZE', '1')) if launcher != 'none' else 1
    if replaced:
        # torch's SyncBatchNorm refuses CPU tensors ("expected input tensor to be on GPU")
        where = (f'batch statistics are computed per process, NOT synchronised across the '
                 f'{world_size} processes' if world_size > 1 else 'one process')
        print_log(f'no CUDA: {replaced} SyncBN layers of the config run as BN ({where})',
                  logger='current', level=logging.WARNING if world_size > 1 else logging.INFO)
    if launcher == 'pytorch' and not dist.is_initialized():
        dist.init_process_group('gloo', init_method='env://',
                                rank=int(os.environ['RANK']),
                                world_size=int(os.environ['WORLD_SIZE']))
        wrapper = cfg.get('model_wrapper_cfg') or dict(type='MMDistributedDataParallel')
        wrapper.setdefault('device_ids', None)
        wrapper.setdefault('broadcast_buffers', False)
        wrapper.setdefault('find_unused_parameters', cfg.get('find_unused_parameters', False))
        cfg.model_wrapper_cfg = wrapper
    return cfg


def release_runtime() -> None:
    """Tear down the process group, if any, before the interpreter exits.

    Left to interpreter shutdown, gloo's threads can abort the process ("terminate called
    without an active exception") after a run that otherwise succeeded.
    """
    if dist.is_available() and dist.is_initialized():
        dist.destroy_process_group()


def run(cfg: Config, loop: str) -> None:
    """Build the runner of ``cfg`` (its ``runner_type`` when set) and run its ``loop``
    (``'train'`` or ``'test'``), releasing the process group afterwards."""
    from mmengine.registry import RUNNERS
    from mmengine.runner import Runner
    runner = Runner.from_cfg(cfg) if 'runner_type' not in cfg else RUNNERS.build(cfg)
    try:
        getattr(runner, loop)()
    finally:
        release_runtime()
