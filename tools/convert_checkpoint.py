"""Convert an official release checkpoint to this toolkit's layout.

Usage: python tools/convert_checkpoint.py MODEL SRC DST [--trust-checkpoint]
e.g.   python tools/convert_checkpoint.py swin swin_tiny_patch4_window7_224.pth swin-t.pth

SRC may be a ``.pth`` or a ``.safetensors`` file; it is read weights-only (pickled code in a
downloaded file never runs; ``--trust-checkpoint`` lifts that for a file you trust). DST is
written as ``.safetensors`` when its name ends so, else with ``torch.save``; it holds the state
dict and ``meta`` (source file, converter, dropped keys) and is written to a temporary file and
renamed, so an interrupted run never leaves a partial DST.
"""
import argparse
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

from mmplugins.checkpoint_io import TRUST_FLAG, save_state_dict  # noqa: E402
from mmplugins.converters import available_converters, convert  # noqa: E402
from mmplugins.models.utils import read_state_dict  # noqa: E402


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('model', choices=available_converters(), help='model family')
    parser.add_argument('src', help='official checkpoint (.pth or .safetensors)')
    parser.add_argument('dst', help='output file (.safetensors or .pth)')
    parser.add_argument(TRUST_FLAG, action='store_true',
                        help='unpickle any type from SRC: only for a file you trust (SRC is '
                        'read weights-only without it)')
    args = parser.parse_args(argv)
    report = convert(args.model, read_state_dict(args.src, trust=args.trust_checkpoint))
    save_state_dict(args.dst, report.state_dict,
                    dict(source=osp.basename(args.src), converter=args.model,
                         dropped=report.dropped))
    print(report.summary())
    print(f'saved {args.dst}')


if __name__ == '__main__':
    main()
