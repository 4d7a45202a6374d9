"""Write the synthetic shapes dataset in the COCO 2017 and ADE20K layouts.

    python tools/make_shapes_dataset.py --out data/shapes --num-train 400 --num-val 100 --size 128

Does nothing (prints "up to date") when ``--out`` already holds a complete dataset made with the
same arguments. See :mod:`mmplugins.datasets.shapes` for what is generated.
"""
import argparse
import importlib.util
import sys
from pathlib import Path

SHAPES_PY = Path(__file__).resolve().parents[1] / 'mmplugins' / 'datasets' / 'shapes.py'


def load_shapes():
    """Load the generator module from its file.

    ``import mmplugins`` would first import torch, mmdet and mmseg (it registers the models),
    which costs seconds and needs the full stack; the generator needs only numpy and OpenCV,
    and ``make demo`` calls this on every run, mostly to learn that the data is up to date.
    """
    spec = importlib.util.spec_from_file_location('_mmplugins_shapes', SHAPES_PY)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def parse_args(shapes, argv=None) -> argparse.Namespace:
    """Command-line arguments (``shapes``: the generator module, for the task names)."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--out', default='data/shapes', help='dataset root (default data/shapes)')
    parser.add_argument('--num-train', type=int, default=400, help='training images (400)')
    parser.add_argument('--num-val', type=int, default=100, help='validation images (100)')
    parser.add_argument('--size', type=int, nargs='+', default=[128], metavar='S',
                        help='image size: S (square) or H W (default 128)')
    parser.add_argument('--seed', type=int, default=0, help='random seed (0)')
    parser.add_argument('--tasks', nargs='+', default=list(shapes.TASKS), choices=shapes.TASKS,
                        help='layouts to write (default: all)')
    parser.add_argument('--min-objects', type=int, default=1, help='objects per image, min (1)')
    parser.add_argument('--max-objects', type=int, default=6, help='objects per image, max (6)')
    parser.add_argument('--min-size', type=float, default=0.15,
                        help='object diameter, min, as a fraction of the shorter side (0.15)')
    parser.add_argument('--max-size', type=float, default=0.5,
                        help='object diameter, max, as a fraction of the shorter side (0.5)')
    parser.add_argument('--force', action='store_true', help='regenerate even if up to date')
    args = parser.parse_args(argv)
    if len(args.size) not in (1, 2):
        parser.error(f'--size takes S or H W, got {len(args.size)} numbers')
    return args


def main(argv=None) -> int:
    """Generate (or confirm) the dataset and print a one-line summary."""
    shapes = load_shapes()
    args = parse_args(shapes, argv)
    size = args.size * 2 if len(args.size) == 1 else args.size
    try:
        manifest = shapes.generate_shapes_dataset(
            out=args.out, num_train=args.num_train, num_val=args.num_val, size=size,
            seed=args.seed, tasks=args.tasks, min_objects=args.min_objects,
            max_objects=args.max_objects, size_range=(args.min_size, args.max_size),
            force=args.force)
    except (ValueError, FileExistsError) as err:
        print(f'make_shapes_dataset: error: {err}', file=sys.stderr)
        return 2
    if manifest['up_to_date']:
        print(f'{args.out}: up to date')
    print(shapes.summary_line(manifest))
    return 0


if __name__ == '__main__':
    sys.exit(main())
