"""Distributed training on CPUs: 2 gloo processes via tools/dist_train.sh match 1 process on
the same total batch; SyncBN configs run (as per-process BN, said in the log)."""
import glob
import logging
import os
import os.path as osp
import subprocess
import sys

import pytest
import torch
import torch.distributed as dist

from mmplugins.checkpoint_io import load_checkpoint_file

from conftest import REPO, tiny_config

SEG = 'configs/demo/upernet_swin-demo_shapes-ade20k.py'
# Same samples and no per-process randomness: no random augmentation, no dropout/drop path,
# GroupNorm instead of BN in the heads (BN statistics of 1 image per process differ from those
# of 2 images by design), SGD (Adam's first steps are sign(g), which amplifies rounding).
SAME_BATCH = '''
randomness = dict(seed=0, deterministic=True)
gn = dict(type='GN', num_groups=8, requires_grad=True)
model = dict(backbone=dict(drop_path_rate=0.0),
             decode_head=dict(dropout_ratio=0.0, norm_cfg=gn),
             auxiliary_head=dict(dropout_ratio=0.0, norm_cfg=gn))
optim_wrapper = dict(_delete_=True, type='OptimWrapper',
                     optimizer=dict(type='SGD', lr=0.01, momentum=0.9))
train_dataloader = dict(dataset=dict(pipeline=[
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations', reduce_zero_label=True),
    dict(type='PackSegInputs')]))
val_dataloader = val_cfg = val_evaluator = None  # training only
'''


@pytest.mark.slow
def test_two_gloo_processes_match_one_process_on_the_same_total_batch(shapes_root, tmp_path):
    cfg = tiny_config(SEG, shapes_root, tmp_path, iters=3, extra=SAME_BATCH)
    opts = [f'train_dataloader.dataset.data_root={shapes_root}/ade/ADEChallengeData2016']
    single = str(tmp_path / 'single')
    one = subprocess.Popen([sys.executable, 'tools/train.py', cfg, '--work-dir', single,
                            '--cfg-options', *opts, 'train_dataloader.batch_size=2'],
                           cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    dual = str(tmp_path / 'dual')
    env = dict(os.environ, PYTHON=sys.executable, PORT='29517', OMP_NUM_THREADS='1')
    proc = subprocess.run(
        ['bash', 'tools/dist_train.sh', cfg, '2', '--work-dir', dual, '--cfg-options', *opts,
         'train_dataloader.batch_size=1'],
        cwd=REPO, capture_output=True, text=True, timeout=300, env=env)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    out = one.communicate(timeout=300)[0]
    assert one.returncode == 0, out[-3000:]
    log = open(sorted(glob.glob(osp.join(dual, '*', '*.log')))[-1]).read()
    assert 'Distributed training: True' in log and 'model_wrapper_cfg' in log
    assert 'Iter(train) [3/3]' in log

    a = load_checkpoint_file(osp.join(single, 'iter_3.pth'))
    b = load_checkpoint_file(osp.join(dual, 'iter_3.pth'))
    assert a['state_dict'].keys() == b['state_dict'].keys()
    # The InfiniteSampler gives rank r the samples r, r+2, ... of the one-process order, so both
    # runs see the same pairs. DDP averages two per-image gradients with a gloo all-reduce where
    # one process backpropagates the mean over the pair: the same sums in another order, fp32
    # rounding only. Measured after 3 iterations: max |diff| 1.5e-8 (weights of order 0.1).
    for key, value in a['state_dict'].items():
        torch.testing.assert_close(b['state_dict'][key], value, rtol=1e-5, atol=1e-6,
                                   msg=lambda m, k=key: f'{k}: {m}')


def test_sync_bn_runs_as_per_process_bn_on_cpu(tmp_path, monkeypatch):
    """torch's SyncBatchNorm refuses CPU tensors once a process group exists, so without
    CUDA the tools convert SyncBN to BN and say that statistics are per process."""
    from mmengine.config import Config

    import mmplugins.apis.runtime as runtime
    logged = []
    monkeypatch.setattr(runtime, 'print_log', lambda msg, **kw: logged.append((msg, kw['level'])))
    monkeypatch.setattr(torch.cuda, 'is_available', lambda: False)
    monkeypatch.setenv('WORLD_SIZE', '2')
    sync = dict(type='SyncBN', requires_grad=True)
    cfg = Config(dict(model=dict(backbone=dict(norm_cfg=sync), decode_head=dict(norm_cfg=sync),
                                 auxiliary_head=dict(norm_cfg=dict(type='GN', num_groups=2)))))
    dist.init_process_group('gloo', init_method=f'file://{tmp_path / "store"}', rank=0,
                            world_size=1)
    try:
        bn = torch.nn.SyncBatchNorm(4).train()
        with pytest.raises(ValueError, match='SyncBatchNorm expected input tensor to be on GPU'):
            bn(torch.randn(2, 4, 3, 3))
        runtime.prepare_runtime(cfg, 'pytorch')
    finally:
        dist.destroy_process_group()
    assert cfg.model.backbone.norm_cfg.type == 'BN' and cfg.model.decode_head.norm_cfg.type == 'BN'
    assert cfg.model.auxiliary_head.norm_cfg.type == 'GN'
    assert logged == [('no CUDA: 2 SyncBN layers of the config run as BN (batch statistics are '
                       'computed per process, NOT synchronised across the 2 processes)',
                       logging.WARNING)]
