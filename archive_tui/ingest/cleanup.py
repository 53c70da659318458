"""Stored files no record refers to: what a crash between storing and committing leaves behind.

They are harmless (nothing points at them, ``check`` looks only at referenced files) and re-running the batch
reuses them. Only files untouched for a grace period are removed, so a batch that is running right now —
whose files are stored before its transaction — is never robbed; workers refresh the time of content that
was already in the store.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from .. import events
from ..access import Actor, Role

if TYPE_CHECKING:
    from ..archive import Archive

GRACE_SECONDS = 3600


def unreferenced(archive: "Archive", *, grace: float = GRACE_SECONDS) -> list[Path]:
    """Store files (and interrupted ``.incoming-`` copies) older than ``grace`` seconds that nothing references."""
    db = archive.db
    referenced = {row[0] for row in db.execute("SELECT stored_path FROM files")}
    referenced |= {row[0] for row in db.execute("SELECT image_path FROM pages WHERE image_path IS NOT NULL")}
    cutoff = time.time() - grace
    found = []
    for path in sorted(archive.store_dir.rglob("*")):
        if path.is_file() and path.stat().st_mtime < cutoff:
            if path.relative_to(archive.store_dir).as_posix() not in referenced:
                found.append(path)
    return found


def remove_unreferenced(archive: "Archive", actor: Actor, *, grace: float = GRACE_SECONDS) -> list[Path]:
    actor.require(Role.ARCHIVIST)
    removed = unreferenced(archive, grace=grace)
    for path in removed:
        path.unlink()
    if removed:
        with archive.db.conn:
            events.log(archive.db, actor.name, "store_cleanup", None, removed=len(removed),
                       files=[p.name for p in removed[:50]])
    return removed
