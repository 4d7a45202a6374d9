"""Draw a model's predictions over images with mmdet's / mmseg's own inferencers.

Usage: python tools/infer.py IMAGE_OR_DIR [...] CONFIG CHECKPOINT --out DIR
                             [--score-thr 0.3] [--device cpu] [--limit N]

Writes ``DIR/vis/<image name>`` for each input: boxes and instance masks or the panoptic
segmentation (mmdet configs), the semantic segmentation (mmseg configs). The same works from
Python with ``mmdet.apis.DetInferencer(model=CONFIG, weights=CHECKPOINT)`` or
``mmseg.apis.MMSegInferencer``; this script only picks the one the config's default_scope names.
"""
import argparse
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

from mmplugins.apis.inference import draw_predictions  # noqa: E402


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('inputs', nargs='+', help='image files or folders')
    parser.add_argument('config', help='config file')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument('--out', required=True, help='output folder (pictures in OUT/vis)')
    parser.add_argument('--score-thr', type=float, default=0.3,
                        help='mmdet: draw instances scoring at least this')
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--limit', type=int, default=0, help='at most N images (0: all)')
    args = parser.parse_args(argv)
    written = draw_predictions(args.config, args.checkpoint, args.inputs, args.out,
                               score_thr=args.score_thr, device=args.device, limit=args.limit)
    for path in written:
        print(path)


if __name__ == '__main__':
    main()
