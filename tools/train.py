"""Train a detector (mmdet) or segmentor (mmseg) from a config of this toolkit.

Usage: python tools/train.py CONFIG [--work-dir DIR] [--resume [CKPT]] [--amp]
                             [--auto-scale-lr] [--cfg-options k=v ...] [--launcher pytorch]

The config's ``default_scope`` (mmdet or mmseg) picks the library, as with their own tools.
"""
import argparse
import os
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

import mmplugins  # noqa: E402,F401  (registers the models, applies stack fixes)
from mmengine.config import DictAction  # noqa: E402

from mmplugins.apis import load_config, prepare_runtime, run  # noqa: E402
from mmplugins.apis.config import check_data_paths  # noqa: E402
from mmplugins.checkpoint_io import TRUST_FLAG, trusted_checkpoints  # noqa: E402


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Train a model of mmplugins')
    parser.add_argument('config', help='config file')
    parser.add_argument('--work-dir', help='where logs and checkpoints go '
                        '(default: work_dirs/<config name>)')
    parser.add_argument('--amp', action='store_true', help='automatic mixed precision')
    parser.add_argument('--auto-scale-lr', action='store_true',
                        help='scale the lr by the actual total batch size')
    parser.add_argument('--resume', nargs='?', type=str, const='auto',
                        help='resume from CKPT, or from the latest checkpoint of the work dir')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='override config keys, e.g. train_cfg.max_iters=100')
    parser.add_argument(TRUST_FLAG, action='store_true',
                        help='let this run unpickle any type from its checkpoints '
                        '(load_from, --resume, Pretrained init_cfg): only for files you trust; '
                        'loads are weights-only without it (docs/checkpoints.md)')
    parser.add_argument('--launcher', choices=['none', 'pytorch', 'slurm', 'mpi'],
                        default='none', help='job launcher')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args(argv)
    os.environ.setdefault('LOCAL_RANK', str(args.local_rank))
    return args


def main(argv=None) -> None:
    args = parse_args(argv)
    cfg = load_config(args.config, args.cfg_options)
    check_data_paths(cfg)
    cfg.launcher = args.launcher
    prepare_runtime(cfg, args.launcher)
    cfg.work_dir = args.work_dir or cfg.get('work_dir') or osp.join(
        'work_dirs', osp.splitext(osp.basename(args.config))[0])
    if args.amp:
        if cfg.optim_wrapper.get('type', 'OptimWrapper') == 'AmpOptimWrapper':
            print('AMP is already enabled in the config')
        else:
            cfg.optim_wrapper.type = 'AmpOptimWrapper'
            cfg.optim_wrapper.setdefault('loss_scale', 'dynamic')
    if args.auto_scale_lr:
        if 'auto_scale_lr' not in cfg or 'base_batch_size' not in cfg.auto_scale_lr:
            raise KeyError(f'{args.config}: --auto-scale-lr needs auto_scale_lr.base_batch_size '
                           'in the config')
        cfg.auto_scale_lr.enable = True
    if args.resume == 'auto':
        cfg.resume, cfg.load_from = True, None
    elif args.resume is not None:
        if not osp.isfile(args.resume):
            raise FileNotFoundError(f'--resume: checkpoint {args.resume!r} does not exist')
        if args.resume.endswith('.safetensors'):
            raise ValueError(f'--resume {args.resume!r}: a .safetensors file holds weights only, '
                             'not the optimizer and loop state a resume needs; start from its '
                             f'weights with --cfg-options load_from={args.resume}')
        cfg.resume, cfg.load_from = True, args.resume
    # the opt-in covers this run's loads only (model building may load a teacher's weights)
    with trusted_checkpoints(args.trust_checkpoint):
        run(cfg, 'train')


if __name__ == '__main__':
    main()
