"""The :class:`Archive`: one folder holding ``catalogue.db``, the search index and the stored original files.

This is the Python API the CLI and the TUI both use. Every read takes an :class:`~archive_tui.access.Actor`, so
what a caller sees is decided here, never in the UI. Connections are opened per thread.
"""

from __future__ import annotations

import importlib
import os
import threading
from pathlib import Path
from typing import Any

import platformdirs
from sqlite_utils import Database

from . import db as dbmod
from . import audit, events, operators, records, review, settings
from . import visits as visitsmod
from . import search
from .access import Actor
from .requests import AppealRegister, RequestRegister, RequestView
from .domain.indexno import IndexNoStyle
from .errors import ArchiveMissing, InvalidInput



class _OnFirstUse:
    """A module imported when first used: printing and reports are not needed to open the counter, and importing
    them (fpdf, pikepdf, …) would slow every start of the app."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        return getattr(importlib.import_module(self._name), attr)


printing = _OnFirstUse("archive_tui.printing.service")
annual_report = _OnFirstUse("archive_tui.stats.annual_report")
reading_room = _OnFirstUse("archive_tui.stats.reading_room")
catalogue_stats = _OnFirstUse("archive_tui.stats.catalogue")

ENV_VAR = "ARCHIVE_TUI_ARCHIVE"
CATALOGUE = "catalogue.db"


def default_dir() -> Path:
    """``--archive`` is resolved by the CLI; then ``$ARCHIVE_TUI_ARCHIVE``; then the platform data folder."""
    env = os.environ.get(ENV_VAR)
    return Path(env) if env else Path(platformdirs.user_data_dir("archive-tui")) / "archive"


class Archive:
    def __init__(self, root: Path) -> None:
        self.root = Path(root).resolve()
        self._local = threading.local()
        self._connections: list[Database] = []
        self._lock = threading.Lock()

    # -- opening ---------------------------------------------------------------------------------------------

    @classmethod
    def create(
        cls, root: Path | str, *, org_code: str | None = None, reading_point: str | None = None,
        period: str | None = None,
    ) -> "Archive":
        """Create the folder layout and an empty catalogue (no-op for the parts that exist)."""
        root = Path(root)
        if root.exists() and not root.is_dir():
            raise InvalidInput(f"「{root}」不是文件夹", "archive path exists and is not a directory")
        if period not in (None, "year", "month"):
            raise InvalidInput("索引号周期只能是 year 或 month", f"bad period {period!r}")
        for sub in ("", "store", "index"):
            (root / sub).mkdir(parents=True, exist_ok=True)
        archive = cls(root)
        with archive.db.conn:
            for key, value in (
                ("index_no.org_code", org_code), ("reading_point", reading_point), ("index_no.period", period)
            ):
                if value:
                    settings.put(archive.db, key, value)
        return archive

    @classmethod
    def open(cls, root: Path | str) -> "Archive":
        root = Path(root)
        if not (root / CATALOGUE).is_file():
            raise ArchiveMissing(
                f"「{root}」还不是档案库，请先运行 archive-tui --archive {root} init",
                f"no {CATALOGUE} in {root}",
            )
        return cls(root)

    @property
    def db_path(self) -> Path:
        return self.root / CATALOGUE

    @property
    def store_dir(self) -> Path:
        return self.root / "store"

    @property
    def index_dir(self) -> Path:
        return self.root / "index"

    @property
    def db(self) -> Database:
        """This thread's connection (opened on first use, migrations applied)."""
        conn = getattr(self._local, "db", None)
        if conn is None:
            conn = dbmod.connect(self.db_path)
            self._local.db = conn
            with self._lock:
                self._connections.append(conn)
        return conn

    def close(self) -> None:
        with self._lock:
            for conn in self._connections:
                conn.close()
            self._connections.clear()
        self._local = threading.local()

    def __enter__(self) -> "Archive":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- settings --------------------------------------------------------------------------------------------

    def setting(self, key: str) -> Any:
        return settings.get(self.db, key)

    def set_setting(self, key: str, value: Any, actor: Actor) -> None:
        with self.db.conn:
            settings.put(self.db, key, value)
            events.log(self.db, actor.name, "setting", None, key=key, value=value)

    def index_no_style(self) -> IndexNoStyle:
        return IndexNoStyle(
            org_code=self.setting("index_no.org_code"),
            period=self.setting("index_no.period"),
            serial_width=int(self.setting("index_no.serial_width")),
        )

    def org_code_for(self, issuer: str | None) -> str | None:
        return (self.setting("index_no.issuer_codes") or {}).get(issuer or "")

    # -- records ---------------------------------------------------------------------------------------------

    def add_record(self, fields: dict[str, Any], actor: Actor, *, suggested: dict[str, Any] | None = None) -> int:
        """Add a catalogue record (review status pending). A missing 索引号 is generated."""
        with self.db.conn:
            return records.insert(
                self.db, fields, actor, style=self.index_no_style(),
                org_code=self.org_code_for(fields.get("issuer")), suggested=suggested,
            )

    def get_record(self, ref: int | str, actor: Actor) -> dict[str, Any]:
        """By id, 索引号 or 文号; raises NotFound when missing or outside the actor's scope."""
        return records.get(self.db, ref, actor)

    def update_record(self, record_id: int, changes: dict[str, Any], actor: Actor) -> dict[str, Any]:
        with self.db.conn:
            return records.update(self.db, record_id, changes, actor)

    def list_records(self, actor: Actor, *, limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
        return records.list_visible(self.db, actor, limit=limit, offset=offset)

    def find_by_doc_no(self, text: str, actor: Actor) -> list[dict[str, Any]]:
        return records.find_by_doc_no(self.db, text, actor)

    def pages(self, record_id: int, actor: Actor) -> list[dict[str, Any]]:
        return records.pages(self.db, record_id, actor)

    def files(self, record_id: int, actor: Actor) -> list[dict[str, Any]]:
        return records.files(self.db, record_id, actor)

    def file_path(self, stored_path: str) -> Path:
        return self.store_dir / stored_path

    def history(self, record_id: int, actor: Actor) -> list[dict[str, Any]]:
        records.get(self.db, record_id, actor)
        return events.for_record(self.db, record_id)

    def count(self, actor: Actor) -> int:
        statuses = actor.visible_statuses()
        sql = f"SELECT count(*) FROM records WHERE status IN ({','.join('?' * len(statuses))})"
        return int(self.db.execute(sql, list(statuses)).fetchone()[0])

    # -- ingest (archive_tui/ingest/) --------------------------------------------------------------------------

    def ingest(self, paths: list[Path | str], actor: Actor, **options: Any) -> "IngestReport":
        """Bulk ingest (manifest=, jobs=, progress=, cancel=): new records enter as pending."""
        from .ingest import ingest

        return ingest(self, paths, actor, **options)

    # -- search (archive_tui/search/) --------------------------------------------------------------------------

    def search(self, query: str, actor: Actor, **options: Any) -> "search.SearchResult":
        """Full-text search in the actor's scope (limit, offset, sort="relevance"|"date", filters, facets)."""
        return search.search_service(self).search(query, actor, **options)

    def find_in_pages(self, record_id: int, query: str, actor: Actor) -> list[tuple[int, int, int]]:
        return search.search_service(self).find_in_pages(record_id, query, actor)

    def sync_index(self) -> int:
        """Bring the search index up to date with the catalogue (drains ``index_queue``)."""
        return search.search_service(self).sync()

    def warm_up_search(self) -> None:
        """Load the word-segmentation and pinyin tables ahead of the first query that needs them."""
        search.query.warm_up()

    def search_index_ready(self) -> bool:
        """Is there a search index of the current version? (Without one, the first search builds it.)"""
        return search.indexer.index_ready(self.index_dir)

    def reindex(self, progress: Any = None, *, procs: int | None = None) -> int:
        """Rebuild the search index from the catalogue in a separate process; ``progress(done, total)``."""
        return search.search_service(self).reindex(progress, procs=procs)

    # -- visits (查阅登记, archive_tui/visits.py) ---------------------------------------------------------------

    def start_visit(self, fields: dict[str, Any], actor: Actor) -> int:
        with self.db.conn:
            return visitsmod.start(self.db, fields, actor)

    def end_visit(self, visit_id: int, actor: Actor) -> dict[str, Any]:
        with self.db.conn:
            return visitsmod.end(self.db, visit_id, actor)

    def note_opened(self, visit_id: int, record_id: int, actor: Actor) -> None:
        with self.db.conn:
            visitsmod.note_opened(self.db, visit_id, record_id, actor)

    def visit(self, visit_id: int, actor: Actor) -> dict[str, Any]:
        return visitsmod.get(self.db, visit_id, actor)

    def find_visitors(self, text: str, actor: Actor) -> list[dict[str, Any]]:
        with self.db.conn:
            return visitsmod.find_visitors(self.db, text, actor)

    def open_visits(self, actor: Actor) -> list[dict[str, Any]]:
        return visitsmod.open_visits(self.db, actor)

    # -- review (保密审查) ------------------------------------------------------------------------------------

    def review_queue(self, actor: Actor) -> list["review.QueueItem"]:
        return review.queue(self.db, actor)

    def review_detail(self, record_id: int, actor: Actor) -> "review.ReviewDetail":
        return review.detail(self.db, record_id, actor)

    def mark_ready(self, record_id: int, actor: Actor) -> dict[str, Any]:
        with self.db.conn:
            return review.mark_ready(self.db, record_id, actor)

    def release(self, record_id: int, actor: Actor, note: str = "", *, acknowledge_pii: bool = False) -> dict:
        with self.db.conn:
            return review.release(self.db, record_id, actor, note, acknowledge_pii=acknowledge_pii)

    def withhold(self, record_id: int, actor: Actor, reason: str, note: str) -> dict[str, Any]:
        with self.db.conn:
            return review.withhold(self.db, record_id, actor, reason, note)

    def return_for_changes(self, record_id: int, actor: Actor, note: str) -> dict[str, Any]:
        with self.db.conn:
            return review.return_for_changes(self.db, record_id, actor, note)

    # -- operators and the audit trail ------------------------------------------------------------------------

    def login(self, username: str, password: str) -> Actor:
        return operators.login(self.db, username, password)

    def has_operators(self) -> bool:
        return operators.count(self.db) > 0

    def init_admin(self, username: str, password: str, display_name: str | None = None) -> Actor:
        with self.db.conn:
            return operators.init_admin(self.db, username, password, display_name)

    def audit_verify(self, *, expect: "audit.Head | None" = None) -> list[str]:
        return audit.verify(self.db, expect=expect)

    def log_view(self, record_id: int, actor: Actor) -> None:
        with self.db.conn:
            audit.log_view(self.db, record_id, actor)

    # -- statistics, requests (依申请公开) and the annual report -------------------------------------------------

    def request_register(self) -> RequestRegister:
        return RequestRegister(self)

    def appeal_register(self) -> AppealRegister:
        """行政复议、行政诉讼 cases about disclosure (table 4 of the annual report); staff only."""
        return AppealRegister(self)

    def requests_due(self, actor: Actor, *, on: Any = None) -> list[RequestView]:
        """Open requests at most 3 working days from (or past) their next time limit, most urgent first."""
        return RequestRegister(self).due(actor, on=on)

    def reading_room_stats(self, actor: Actor, period: str, unit: str = "month") -> list:
        return reading_room.by_period(self.db, actor, period, unit)

    def catalogue_stats(self, actor: Actor, year: int, **kw: Any) -> list:
        return catalogue_stats.tables(self.db, actor, year, **kw)

    def annual_report(self, year: int, actor: Actor, *, carried_over: dict[str, int] | None = None):
        return annual_report.build(self, year, actor, carried_over=carried_over)

    # -- printing (archive_tui/printing/) ------------------------------------------------------------------------

    def print_record(self, record_id: int | str, actor: Actor, **options: Any) -> "printing.PrintResult":
        """Print a stamped copy to a CUPS queue (``printer=``) or a PDF file (``output=``), then log it."""
        return printing.print_record(self, record_id, actor, **options)

    def quote_fee(self, page_count: int, copies: int) -> int:
        return printing.quote_fee(self, page_count, copies)

    def printers(self) -> list[str]:
        return printing.cups.printer_names()
