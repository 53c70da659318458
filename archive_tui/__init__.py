"""archive_tui — a local-first archive and terminal app for government information disclosure records.

The package root is the headless core: it never imports Textual (only :mod:`archive_tui.tui` does).
"""

from .access import Actor, Role, counter_actor, system_actor
from .archive import Archive
from .errors import ArchiveError, InvalidInput, NotFound, PermissionDenied

__version__ = "0.1.0"
__all__ = [
    "Actor", "Archive", "ArchiveError", "InvalidInput", "NotFound", "PermissionDenied", "Role",
    "counter_actor", "system_actor",
]
