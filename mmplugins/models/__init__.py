"""Models of the toolkit; importing this package registers them all."""
from . import backbones  # noqa: F401
from . import decode_heads  # noqa: F401
from . import kmax  # noqa
from . import necks  # noqa: F401
from . import spiking_heads  # noqa: F401
