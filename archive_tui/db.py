"""Opening the catalogue database: WAL mode, foreign keys, and every module's migrations applied.

Each thread (and each process) opens its own connection with :func:`connect`; connections are never shared.
"""

from __future__ import annotations

import importlib
import sqlite3
from pathlib import Path

import sqlite_utils
from sqlite_utils.migrations import Migrations

#: Modules that own tables. Each defines ``MIGRATIONS`` (a named sqlite-utils ``Migrations`` set); the sets are
#: applied in this order, so a module may only refer to tables of modules above it.
MIGRATION_MODULES = [
    "archive_tui.migrations",
    "archive_tui.operators",
    "archive_tui.audit",
    "archive_tui.requests.migrations",
]


def migration_sets() -> list[Migrations]:
    return [importlib.import_module(name).MIGRATIONS for name in MIGRATION_MODULES]


def connect(path: Path | str, *, migrate: bool = True) -> sqlite_utils.Database:
    """Open (creating if needed) the catalogue at ``path``."""
    # Each thread gets its own connection (see Archive.db); the guard is off only so that Archive.close() can
    # close every thread's connection from the thread that shuts down.
    conn = sqlite3.connect(str(path), timeout=30, check_same_thread=False)
    db = sqlite_utils.Database(conn)
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA busy_timeout = 30000")
    if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        db.enable_wal()
    db.execute("PRAGMA synchronous = NORMAL")
    if migrate:
        apply_migrations(db)
    return db


def apply_migrations(db: sqlite_utils.Database) -> None:
    for migrations in migration_sets():
        if migrations.pending(db):
            migrations.apply(db)


def pending_migrations(db: sqlite_utils.Database) -> list[str]:
    return [f"{m.name}:{p.name}" for m in migration_sets() for p in m.pending(db)]
