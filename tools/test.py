"""Evaluate a checkpoint with the config's test dataloader and metrics.

Usage: python tools/test.py CONFIG CHECKPOINT [--work-dir DIR] [--out FILE_OR_DIR]
                            [--show-dir DIR] [--tta] [--cfg-options k=v ...] [--launcher pytorch]

``--out``: mmdet configs dump the raw predictions to a ``.pkl`` file; mmseg configs write the
predicted label PNGs into a folder. ``--show-dir`` saves drawn predictions.
"""
import argparse
import os
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

import mmplugins  # noqa: E402,F401
from mmengine.config import ConfigDict, DictAction  # noqa: E402

from mmplugins.apis import load_config, prepare_runtime, run  # noqa: E402
from mmplugins.apis.config import check_data_paths  # noqa: E402
from mmplugins.checkpoint_io import TRUST_FLAG, trusted_checkpoints  # noqa: E402


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Test a model of mmplugins')
    parser.add_argument('config', help='config file')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument('--work-dir', help='where the metrics are written')
    parser.add_argument('--out', help='mmdet: .pkl of raw predictions; mmseg: folder of PNGs')
    parser.add_argument('--show-dir', help='save drawn predictions into this folder')
    parser.add_argument('--tta', action='store_true', help='test-time augmentation '
                        '(needs tta_model and tta_pipeline in the config)')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='override config keys')
    parser.add_argument(TRUST_FLAG, action='store_true',
                        help='let this run unpickle any type from its checkpoints '
                        '(CHECKPOINT, Pretrained init_cfg): only for files you trust; '
                        'loads are weights-only without it (docs/checkpoints.md)')
    parser.add_argument('--launcher', choices=['none', 'pytorch', 'slurm', 'mpi'],
                        default='none')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args(argv)
    os.environ.setdefault('LOCAL_RANK', str(args.local_rank))
    return args


def _enable_drawing(cfg, show_dir: str) -> None:
    hooks = cfg.get('default_hooks', {})
    if 'visualization' not in hooks:
        raise KeyError('--show-dir needs default_hooks.visualization in the config')
    vis = hooks['visualization']
    vis['draw'] = True
    if cfg.default_scope == 'mmdet':
        vis['test_out_dir'] = osp.abspath(show_dir)
    else:  # mmseg draws through the visualizer's save_dir
        vis['interval'] = 1
        cfg.visualizer['save_dir'] = osp.abspath(show_dir)
        cfg.visualizer['vis_backends'] = [dict(type='LocalVisBackend')]


def _add_output(cfg, out: str) -> None:
    if cfg.default_scope == 'mmdet':
        if not out.endswith(('.pkl', '.pickle')):
            raise ValueError(f'--out {out!r}: mmdet predictions are dumped to a .pkl file')
        dump = ConfigDict(type='DumpDetResults', out_file_path=out)
        evaluator = cfg.test_evaluator
        cfg.test_evaluator = (list(evaluator) if isinstance(evaluator, (list, tuple))
                              else [evaluator]) + [dump]
    else:
        cfg.test_evaluator['output_dir'] = out
        cfg.test_evaluator['keep_results'] = True


def main(argv=None) -> None:
    args = parse_args(argv)
    cfg = load_config(args.config, args.cfg_options)
    if not osp.isfile(args.checkpoint):
        raise FileNotFoundError(
            f'checkpoint {args.checkpoint!r} does not exist; train one with `python '
            f'tools/train.py {args.config}` (it is saved under work_dirs/), or convert an '
            'official release file with `python tools/convert_checkpoint.py MODEL SRC DST` '
            '(docs/checkpoints.md)')
    check_data_paths(cfg, ('test',))
    cfg.launcher = args.launcher
    prepare_runtime(cfg, args.launcher)
    cfg.work_dir = args.work_dir or cfg.get('work_dir') or osp.join(
        'work_dirs', osp.splitext(osp.basename(args.config))[0])
    cfg.load_from = args.checkpoint
    if args.show_dir:
        _enable_drawing(cfg, args.show_dir)
    if args.out:
        _add_output(cfg, args.out)
    if args.tta:
        if 'tta_model' not in cfg or 'tta_pipeline' not in cfg:
            raise KeyError(f'{args.config}: --tta needs tta_model and tta_pipeline')
        cfg.test_dataloader.dataset.pipeline = cfg.tta_pipeline
        cfg.tta_model.module = cfg.model
        cfg.model = cfg.tta_model
    # the opt-in covers this run's loads only (model building may load a teacher's weights)
    with trusted_checkpoints(args.trust_checkpoint):
        run(cfg, 'test')


if __name__ == '__main__':
    main()
