"""Check the datasets of a config before a long training: json, files, sizes, class ids.

Usage: python tools/check_dataset.py CONFIG [--split train val test] [--decode] [--limit N]
                                     [--cfg-options k=v ...]

Builds each split's dataset (mmplugins' validating classes check the annotation file and that
every listed file exists), then reads every sample's file headers: empty, truncated or
unreadable images, sizes that differ from the json, label maps of another size than their
image. ``--decode`` also decodes every image and label map (slow: minutes for COCO) and checks
the class ids of label maps. Prints the counts and the first ``--limit`` problems of each
kind; the exit code is 1 when any error was found.
"""
import argparse
import os.path as osp
import sys
from typing import List, Optional

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

import mmplugins  # noqa: E402,F401
from mmengine.config import Config, DictAction  # noqa: E402
from mmengine.registry import DATASETS, init_default_scope  # noqa: E402

from mmplugins.datasets import DatasetError, ValidatedDatasetMixin  # noqa: E402


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Check the datasets of a config')
    parser.add_argument('config', help='config file')
    parser.add_argument('--split', nargs='+', choices=['train', 'val', 'test'],
                        default=['train', 'val', 'test'], help='which dataloaders to check')
    parser.add_argument('--decode', action='store_true',
                        help='also decode every image and label map (slow)')
    parser.add_argument('--limit', type=int, default=10, help='problems shown per split')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='override config keys (e.g. a data_root)')
    return parser.parse_args(argv)


def check_split(name: str, dataset_cfg: dict, decode: bool, limit: int) -> int:
    """Build and check one dataset; prints a report and returns the number of errors."""
    print(f'[{name}] {dataset_cfg.get("type")} at {dataset_cfg.get("data_root", "")}')
    try:
        dataset = DATASETS.build(dataset_cfg)
    except DatasetError as e:
        print(e.report.format_errors(limit) if e.report is not None else f'  {e}')
        return len(e.report.errors) if e.report is not None else 1
    if not isinstance(dataset, ValidatedDatasetMixin):
        print(f'  {type(dataset).__name__} is not a validating dataset class: only a build '
              'was tried (use the mmplugins.* dataset types for the checks)')
        return 0
    for line in dataset.validation_report.format_warnings():
        print(f'  warning: {line}')
    problems: List[str] = []
    for idx in range(len(dataset)):
        try:
            dataset.check_sample(idx, decode=decode)
        except (DatasetError, OSError) as e:
            problems.append(str(e))
    print(f'  {len(dataset)} samples, {len(problems)} with bad files'
          f'{" (decoded)" if decode else " (headers read)"}')
    for p in problems[:limit]:
        print(f'  - {p}')
    if len(problems) > limit:
        print(f'  ... and {len(problems) - limit} more')
    return len(problems)


def main(argv: Optional[list] = None) -> int:
    args = parse_args(argv)
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    init_default_scope(cfg.get('default_scope', 'mmengine'))
    seen, errors = [], 0
    for split in args.split:
        loader = cfg.get(f'{split}_dataloader')
        if not loader or 'dataset' not in loader:
            print(f'[{split}] no dataloader in the config')
            continue
        dataset_cfg = loader['dataset'].to_dict() if hasattr(loader['dataset'], 'to_dict') \
            else dict(loader['dataset'])
        if dataset_cfg in seen:  # test_dataloader = val_dataloader
            print(f'[{split}] same dataset as an earlier split')
            continue
        seen.append(dataset_cfg)
        errors += check_split(split, dataset_cfg, args.decode, args.limit)
    print('OK: no errors' if not errors else f'FAILED: {errors} error(s)')
    return 1 if errors else 0


if __name__ == '__main__':
    sys.exit(main())
