"""Models of the toolkit; importing this package registers them all."""
from . import backbones  # noqa: F401
from . import kmax  # noqa
from . import spiking_heads  # noqa: F401
