"""The main job of ``make demo``: train and evaluate Swin detectors/segmentors on the shapes data.

For each demo config it reports parameters, FLOPs at the demo input size, the metric of the
untrained (randomly initialised) model, the training time and the metric after training, then
prints one table and writes it to ``<work-dir>/demo_results.json``. A few validation images with
the trained model's predictions drawn over them (mmdet's / mmseg's inferencers) go to
``<work-dir>/<config name>/predictions/vis/``.

Usage: python tools/demo.py [--data data/shapes] [--work-dir work_dirs/demo] [--configs ...]
"""
import argparse
import json
import os
import os.path as osp
import sys
import time
from typing import Dict, List

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

import torch  # noqa: E402
from mmengine.runner import Runner  # noqa: E402

import mmplugins  # noqa: E402,F401
from mmplugins.analysis import count_flops, count_params  # noqa: E402
from mmplugins.apis import load_config, set_data_root  # noqa: E402
from mmplugins.apis.inference import draw_predictions  # noqa: E402
from mmplugins.datasets import shapes_root_ready  # noqa: E402

DEMO_CONFIGS = [
    'configs/demo/mask-rcnn_swin-demo_fpn_shapes-coco.py',
    'configs/demo/upernet_swin-demo_shapes-ade20k.py',
]
#: metric keys shown in the table, per library
HEADLINE = {'mmdet': ('coco/bbox_mAP', 'coco/segm_mAP'), 'mmseg': ('mIoU',)}
#: validation images drawn with their predictions per config
NUM_PICTURES = 4


def model_flops(runner: Runner) -> int:
    """Multiply-adds of one forward on the first validation image."""
    model = runner.model
    batch = next(iter(runner.val_dataloader))
    data = model.data_preprocessor(batch, False)
    if runner.cfg.default_scope == 'mmdet':
        return count_flops(model, forward=lambda: model._forward(data['inputs'],
                                                                 data['data_samples']))
    return count_flops(model, forward=lambda: model._forward(data['inputs']))


def val_image_dir(cfg) -> str:
    """Folder of the config's validation images."""
    dataset = cfg.val_dataloader.dataset
    prefix = dataset.data_prefix
    return osp.join(dataset.data_root, prefix.get('img') or prefix.get('img_path'))


def run_one(config: str, data_root: str, work_root: str) -> Dict:
    """Train and evaluate one config; returns a row of the results table."""
    cfg = load_config(config)
    set_data_root(cfg, data_root)
    name = osp.splitext(osp.basename(config))[0]
    cfg.work_dir = osp.join(work_root, name)
    runner = Runner.from_cfg(cfg)
    scope = cfg.default_scope
    # The untrained score uses the randomly constructed model; evaluation draws no random
    # numbers, so the training that follows is the same as `tools/train.py CONFIG` would run.
    print(f'\n=== {name}: evaluating the untrained model', flush=True)
    untrained = runner.val()
    params = count_params(runner.model)
    flops = model_flops(runner)
    start = time.time()
    print(f'=== {name}: training', flush=True)
    runner.train()
    train_time = time.time() - start
    trained = runner.test()
    with open(osp.join(cfg.work_dir, 'last_checkpoint')) as f:
        checkpoint = f.read().strip()
    # the saved config has the data paths of this run
    pictures = draw_predictions(osp.join(cfg.work_dir, osp.basename(config)), checkpoint,
                                val_image_dir(cfg), osp.join(cfg.work_dir, 'predictions'),
                                limit=NUM_PICTURES)
    row = dict(config=config, model=name, task='instance' if scope == 'mmdet' else 'semantic',
               params=params, flops=flops, train_time_s=round(train_time, 1),
               input=list(cfg.get('demo_input_size', ())),
               pictures=osp.dirname(pictures[0]))
    for key in HEADLINE[scope]:
        row[key] = float(trained[key])
        row[key + '_untrained'] = float(untrained[key])
    return row


def format_table(rows: List[Dict]) -> str:
    """Markdown table of the demo results."""
    lines = ['| model | task | params | FLOPs | train time | metric | trained | untrained |',
             '|---|---|---|---|---|---|---|---|']
    for row in rows:
        for key in [k for k in row if k in sum(HEADLINE.values(), ())]:
            lines.append(
                f"| {row['model']} | {row['task']} | {row['params'] / 1e6:.2f}M | "
                f"{row['flops'] / 1e9:.2f}G | {row['train_time_s'] / 60:.1f} min | {key} | "
                f"{row[key]:.3f} | {row[key + '_untrained']:.3f} |")
    return '\n'.join(lines)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--data', default='data/shapes', help='shapes dataset root')
    parser.add_argument('--work-dir', default='work_dirs/demo')
    parser.add_argument('--configs', nargs='+', default=DEMO_CONFIGS)
    parser.add_argument('--threads', type=int, default=1,
                        help='torch threads of the training process (default 1: the data '
                             'loader workers use the other cores; on 2 cores two threads '
                             'competing with them made a step 7x slower)')
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    if not shapes_root_ready(args.data):
        raise FileNotFoundError(f'no shapes dataset at {args.data!r}; generate it with '
                                f'python tools/make_shapes_dataset.py --out {args.data}')
    torch.manual_seed(0)
    rows = [run_one(c, args.data, args.work_dir) for c in args.configs]
    table = format_table(rows)
    os.makedirs(args.work_dir, exist_ok=True)
    with open(osp.join(args.work_dir, 'demo_results.json'), 'w') as f:
        json.dump(rows, f, indent=2)
    print('\n' + table)
    print(f'\nresults: {osp.join(args.work_dir, "demo_results.json")}')
    for row in rows:
        print(f"predictions of {row['model']} drawn on {NUM_PICTURES} validation images: "
              f"{row['pictures']}")


if __name__ == '__main__':
    main()
