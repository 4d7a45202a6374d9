"""Convert an official release checkpoint to this toolkit's layout.

Usage: python tools/convert_checkpoint.py MODEL SRC DST
e.g.   python tools/convert_checkpoint.py swin swin_tiny_patch4_window7_224.pth swin-t.pth

The output holds ``state_dict`` and ``meta`` (source file, converter, dropped keys); it is written
to a temporary file and renamed, so an interrupted run never leaves a partial DST.
"""
import argparse
import os
import os.path as osp
import sys
import tempfile

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

import torch  # noqa: E402

from mmplugins.converters import available_converters, convert  # noqa: E402
from mmplugins.models.utils import read_state_dict  # noqa: E402


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('model', choices=available_converters(), help='model family')
    parser.add_argument('src', help='official checkpoint')
    parser.add_argument('dst', help='output file')
    args = parser.parse_args(argv)
    report = convert(args.model, read_state_dict(args.src))
    out_dir = osp.dirname(osp.abspath(args.dst))
    os.makedirs(out_dir, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out_dir, suffix='.tmp')
    os.close(fd)
    try:
        torch.save(dict(state_dict=report.state_dict,
                        meta=dict(source=osp.basename(args.src), converter=args.model,
                                  dropped=report.dropped)), tmp)
        os.replace(tmp, args.dst)
    finally:
        if osp.exists(tmp):
            os.remove(tmp)
    print(report.summary())
    print(f'saved {args.dst}')


if __name__ == '__main__':
    main()
