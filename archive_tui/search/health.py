"""Is the search index in step with the catalogue? (for ``archive-tui check``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import indexer

if TYPE_CHECKING:
    from ..archive import Archive

#: Individual records listed before the rest are summed up.
LIST_AT_MOST = 20


def index_problems(archive: "Archive") -> list[tuple[str, int | None]]:
    """(Chinese message, record id or None) for every way the index differs from the catalogue.

    What heals itself is not a problem: a missing or outdated index is built by the next search, and records
    waiting in ``index_queue`` are indexed by it. Differences the queue does not explain are.
    """
    if not indexer.index_ready(archive.index_dir):
        return []
    db = archive.db
    queued = {rid for (rid,) in db.execute("SELECT record_id FROM index_queue")}
    found: list[tuple[str, int | None]] = []
    catalogue = dict(db.execute("SELECT id, status FROM records").fetchall())
    indexed = indexer.indexed_statuses(archive.index_dir)
    missing = sorted(set(catalogue) - set(indexed) - queued)
    extra = sorted(set(indexed) - set(catalogue) - queued)
    stale = sorted(rid for rid in set(catalogue) & set(indexed) - queued if catalogue[rid] != indexed[rid])
    for ids, what in ((missing, "不在检索索引中"), (extra, "已不在目录中，但仍在检索索引中"), (stale, "在检索索引中的审核状态已过期")):
        found += [(f"记录 {rid} {what}", rid) for rid in ids[:LIST_AT_MOST]]
        if len(ids) > LIST_AT_MOST:
            found.append((f"另有 {len(ids) - LIST_AT_MOST} 条记录{what}（请运行 archive-tui reindex）", None))
    return found
