"""The ``archive-tui`` command: a thin layer over the core. Each module adds its subcommands to :data:`main`."""

from . import catalogue  # noqa: F401  (registers commands)
from . import backup  # noqa: F401
from . import shelf  # noqa: F401
from . import review, audit, user  # noqa: F401,E401
from . import report, request, appeal  # noqa: F401,E401
from . import search  # noqa: F401
from . import printing  # noqa: F401
from . import ingest, demo  # noqa: F401,E401
from .base import main

__all__ = ["main"]
