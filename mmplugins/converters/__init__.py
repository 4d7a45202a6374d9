"""Official checkpoint -> this toolkit's layout.

One module per model family registers a converter with :func:`register_converter`. Use
:func:`convert` from Python or ``python tools/convert_checkpoint.py MODEL SRC DST``.
"""
from .base import ConversionReport, available_converters, convert, register_converter
from . import swin  # noqa: F401,E402  (registers 'swin')
from . import hornet  # noqa: F401,E402  (registers 'hornet')
from . import rmt  # noqa: F401,E402  (registers 'rmt')
from . import vit_comer  # noqa: F401,E402  (registers 'vit_comer', 'deit')
from . import convnext  # noqa: F401,E402  (registers 'convnext')
from . import kmax  # noqa: F401,E402  (registers 'kmax', 'kmax-seg')
from . import qsd  # noqa: F401,E402  (registers 'qsd', 'qsd_transformer')

__all__ = ['ConversionReport', 'available_converters', 'convert', 'register_converter']
