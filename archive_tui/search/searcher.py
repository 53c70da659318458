"""Searching the index in an actor's scope: ranked or dated hits with best page and snippet, and facet counts.

Scope is enforced twice: the index query only matches the review statuses the actor may see, and the hits are then
re-read from SQLite with the same status condition (the index may lag behind a review decision made a moment ago
by another process). A record the SQLite check drops never reaches the caller.
"""

from __future__ import annotations

import heapq
import threading
import time
import weakref
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from whoosh import query as Q
from whoosh.searching import Searcher

from .. import records
from ..access import Actor
from ..errors import InvalidInput
from . import highlight, indexer, matching, schema
from .query import ParsedQuery, parse, relaxed

if TYPE_CHECKING:
    from ..archive import Archive

REPEALED = "已废止"
SORTS = ("relevance", "date")
#: Facet key → the index field (a column) counted for it.
FACET_FIELDS = {"issuer": "issuer", "year": "year", "subject": "subject", "genre": "genre", "validity": "validity"}
#: Filter keys accepted by :meth:`SearchService.search` → index field.
FILTER_FIELDS = FACET_FIELDS | {"category": "category", "carrier": "carrier", "status": "status"}


@dataclass
class Hit:
    record_id: int
    index_no: str
    title: str
    doc_no: str | None
    issuer: str | None
    date: str | None
    validity: str | None
    status: str
    files: list[str]
    score: float
    best_page: int | None
    snippet: str
    highlights: list[tuple[int, int]] = field(default_factory=list)

    @property
    def repealed(self) -> bool:
        """已废止 records are shown, marked, never dropped."""
        return self.validity == REPEALED


@dataclass
class SearchResult:
    query: str
    hits: list[Hit]
    total: int
    facets: dict[str, list[tuple[str, int]]]
    elapsed_ms: float
    message: str | None = None


class SearchService:
    """One per open :class:`Archive`; holds the shared searcher and per-segment facet columns."""

    def __init__(self, archive: "Archive") -> None:
        self._archive = weakref.proxy(archive)
        self._lock = threading.RLock()
        self._searcher: Searcher | None = None
        self._columns: dict[tuple[str, str], list[Any]] = {}
        self._allowed_cache: dict[tuple[int, str], set[int]] = {}
        self._order: list[int] = []
        self._order_for = 0

    # -- keeping the index in step ---------------------------------------------------------------------------

    def sync(self) -> int:
        """Drain ``index_queue`` into the index (cheap when it is empty)."""
        with self._lock:
            return indexer.drain(self._archive.db, self._archive.index_dir)

    def reindex(self, progress: indexer.Progress | None = None, *, procs: int | None = None) -> int:
        """Rebuild the whole index in a separate process (safe to call from the TUI's worker threads)."""
        return indexer.rebuild_in_subprocess(self._archive.root, procs=procs, progress=progress)

    def _current_searcher(self) -> Searcher:
        # Not Searcher.refresh(): whoosh-reloaded 2.7.5 re-uses the old segment readers there, keeping deleted
        # documents and dropped segments alive, so a withheld record would still count in totals and facets.
        if self._searcher is None or not self._searcher.up_to_date():
            if self._searcher is not None:
                self._searcher.close()
            self._searcher = indexer.open_index(self._archive.index_dir).searcher()
        return self._searcher

    def close(self) -> None:
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None

    # -- searching -------------------------------------------------------------------------------------------

    def search(
        self, text: str, actor: Actor, *, limit: int = 20, offset: int = 0, sort: str = "relevance",
        filters: dict[str, list[str]] | None = None, facets: bool = True,
    ) -> SearchResult:
        started = time.perf_counter()
        if sort not in SORTS:
            raise InvalidInput(f"排序方式只能是 {' / '.join(SORTS)}", f"bad sort {sort!r}")
        limit, offset = max(0, int(limit)), max(0, int(offset))
        parsed = parse(text)
        restrict = _restriction(actor, filters)
        with self._lock:
            self.sync()
            searcher = self._current_searcher()
            if parsed.empty and parsed.message:
                hits, total, counts = [], 0, {}
            else:
                hits, total, counts = self._run(searcher, parsed, restrict, actor, limit, offset, sort, facets)
                for loose in relaxed(parsed) if total == 0 else []:
                    hits, total, counts = self._run(searcher, loose, restrict, actor, limit, offset, sort, facets)
                    if total:
                        note = "没有完全符合的结果，以下为部分词语符合的结果"
                        parsed.message = f"{parsed.message}；{note}" if parsed.message else note
                        break
        elapsed = (time.perf_counter() - started) * 1000
        return SearchResult(text, hits, total, counts, round(elapsed, 2), parsed.message)

    def _run(
        self, searcher: Searcher, parsed: ParsedQuery, restrict: Q.Query, actor: Actor,
        limit: int, offset: int, sort: str, facets: bool,
    ) -> tuple[list[Hit], int, dict[str, list[tuple[str, int]]]]:
        allowed = self._allowed(searcher, restrict)
        wanted = offset + limit
        if parsed.query is None:
            docs: Collection[int] = allowed
            order = [d for d in self._date_order(searcher) if d in allowed][offset:wanted] if wanted else []
            found = [(d, 0.0) for d in order]
        else:
            docs = matching.docset(searcher, parsed.query, allowed) & allowed
            if not wanted or not docs:
                found = []
            elif sort == "date":
                dates = self._column(searcher, "date")
                found = [(d, 0.0) for d in heapq.nlargest(wanted, docs, key=lambda d: (dates[d] or 0, -d))][offset:]
            elif matching.is_one_character(parsed.query):
                in_title = matching.docset(searcher, parsed.query.subqueries[0], allowed) & docs
                order = [d for d in self._date_order(searcher) if d in docs]
                order = [d for d in order if d in in_title] + [d for d in order if d not in in_title]
                found = [(d, 2.0 if d in in_title else 1.0) for d in order[offset:wanted]]
            else:
                ranking = matching.scoring_query(parsed.query)
                if ranking is None:  # only exclusions: newest first
                    order = [d for d in self._date_order(searcher) if d in docs][offset:wanted]
                    found = [(d, 0.0) for d in order]
                else:
                    results = searcher.search(ranking, filter=docs, limit=wanted)
                    found = [(hit.docnum, float(hit.score or 0.0)) for hit in results][offset:]
        counts = self._facets(searcher, docs) if facets else {}
        ranked = [(int(searcher.stored_fields(d)["id"]), score) for d, score in found]
        hits = self._hits(ranked, parsed, actor)
        return hits, max(0, len(docs) - (len(ranked) - len(hits))), counts

    def _allowed(self, searcher: Searcher, restrict: Q.Query) -> set[int]:
        """Document numbers inside the scope and filters (cached until the index changes)."""
        key = (id(searcher), repr(restrict))
        cached = self._allowed_cache.get(key)
        if cached is None:
            if len(self._allowed_cache) > 32 or any(k[0] != id(searcher) for k in self._allowed_cache):
                self._allowed_cache.clear()
            cached = self._allowed_cache[key] = set(searcher.docs_for_query(restrict))
        return cached

    def _date_order(self, searcher: Searcher) -> list[int]:
        """Every document number, newest first (cached until the index changes)."""
        if self._order_for != id(searcher):
            dates = self._column(searcher, "date")
            self._order = sorted(range(len(dates)), key=lambda d: (-(dates[d] or 0), d))
            self._order_for = id(searcher)
        return self._order

    def _hits(self, ranked: list[tuple[int, float]], parsed: ParsedQuery, actor: Actor) -> list[Hit]:
        """Hits in rank order, built from SQLite rows still visible to ``actor``."""
        if not ranked:
            return []
        db = self._archive.db
        ids = [rid for rid, _ in ranked]
        statuses = actor.visible_statuses()
        marks = ",".join("?" * len(ids))
        rows = {r["id"]: r for r in db.query(
            f"SELECT * FROM records WHERE id IN ({marks}) AND status IN ({','.join('?' * len(statuses))})",
            [*ids, *statuses],
        )}
        names: dict[int, list[str]] = {}
        for rid, name in db.execute(f"SELECT record_id, name FROM files WHERE record_id IN ({marks}) ORDER BY seq", ids):
            names.setdefault(rid, []).append(name)
        pages: dict[int, list[tuple[int, str]]] = {}
        for rid, page_no, text in db.execute(
            f"SELECT record_id, page_no, text FROM pages WHERE record_id IN ({marks}) ORDER BY page_no", ids
        ):
            pages.setdefault(rid, []).append((page_no, text or ""))
        hits = []
        for rid, score in ranked:
            row = rows.get(rid)
            if row is None:
                continue
            best_page, text, spans = _best_page(pages.get(rid, []), parsed)
            if best_page is None:
                text = row.get("summary") or (pages[rid][0][1] if pages.get(rid) else "")
                spans = highlight.find_spans(text, parsed)
            snippet, marks_ = highlight.snippet(text, spans)
            hits.append(Hit(
                record_id=rid, index_no=row["index_no"], title=row["title"], doc_no=row.get("doc_no"),
                issuer=row.get("issuer"), date=schema.record_date(row), validity=row.get("validity"),
                status=row["status"], files=names.get(rid, []), score=round(float(score), 4),
                best_page=best_page, snippet=snippet, highlights=marks_,
            ))
        return hits

    def _column(self, searcher: Searcher, fieldname: str) -> list[Any]:
        """Values of a column for every document number of ``searcher`` (cached per immutable segment)."""
        values: list[Any] = []
        for reader, _offset in searcher.reader().leaf_readers():
            segment = reader.segment()
            key = (segment.segment_id() if segment is not None else str(id(reader)), fieldname)
            cached = self._columns.get(key)
            if cached is None:
                cached = list(reader.column_reader(fieldname)) if reader.has_column(fieldname) else [None] * reader.doc_count_all()
                self._columns[key] = cached
            values.extend(cached)
        return values

    def _facets(self, searcher: Searcher, docs: Collection[int]) -> dict[str, list[tuple[str, int]]]:
        out = {}
        for key, fieldname in FACET_FIELDS.items():
            column = self._column(searcher, fieldname)
            counts = Counter(map(column.__getitem__, docs))
            items = [(str(v), n) for v, n in counts.items() if v not in (None, "", 0, b"")]
            if key == "year":
                items.sort(key=lambda kv: kv[0], reverse=True)
            else:
                items.sort(key=lambda kv: (-kv[1], kv[0]))
            out[key] = items
        return out

    def find_in_pages(self, record_id: int, text: str, actor: Actor) -> list[tuple[int, int, int]]:
        """(page_no, start, end) of every match of the query in the record's page texts (offsets in ``pages.text``)."""
        parsed = parse(text)
        return [
            (page["page_no"], start, end)
            for page in records.pages(self._archive.db, record_id, actor)
            for start, end in highlight.find_spans(page["text"] or "", parsed)
        ]


def _restriction(actor: Actor, filters: dict[str, list[str]] | None) -> Q.Query:
    """The actor's scope plus the caller's facet filters, as one query that never scores."""
    statuses = actor.visible_statuses()
    parts: list[Q.Query] = [Q.Or([Q.Term("status", s) for s in statuses])]
    for key, values in (filters or {}).items():
        fieldname = FILTER_FIELDS.get(key)
        if fieldname is None:
            raise InvalidInput(f"不能按「{key}」筛选", f"unknown filter {key!r}; use one of {sorted(FILTER_FIELDS)}")
        terms = []
        for value in values or []:
            if fieldname == "year":
                if str(value).isdigit():
                    terms.append(Q.Term("year", int(value)))
            else:
                terms.append(Q.Term(fieldname, str(value)))
        parts.append(Q.Or(terms) if terms else Q.NullQuery)
    return Q.And(parts)


def _best_page(pages: list[tuple[int, str]], parsed: ParsedQuery) -> tuple[int | None, str, list[tuple[int, int]]]:
    """The page with the most matches (the first on a tie), its text and match spans."""
    best_no, best_text, best_count = None, "", 0
    for page_no, text in pages:
        count = highlight.count_matches(text, parsed)
        if count > best_count:
            best_no, best_text, best_count = page_no, text, count
    if best_no is None:
        return None, "", []
    return best_no, best_text, highlight.find_spans(best_text, parsed)


_services: "weakref.WeakKeyDictionary[Archive, SearchService]" = weakref.WeakKeyDictionary()
_services_lock = threading.Lock()


def search_service(archive: "Archive") -> SearchService:
    with _services_lock:
        service = _services.get(archive)
        if service is None:
            service = _services[archive] = SearchService(archive)
        return service
