"""Searching the index in an actor's scope: ranked or dated hits with best page and snippet, and facet counts.

Scope is enforced twice: the index query only matches the review statuses the actor may see, and the hits are then
re-read from SQLite with the same status condition (the index may lag behind a review decision made a moment ago
by another process). A record the SQLite check drops never reaches the caller.
"""

from __future__ import annotations

import threading
import time
import weakref
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import tantivy
from tantivy import Occur, Order, Query

from .. import records
from ..access import Actor
from ..errors import InvalidInput
from . import highlight, indexer, schema
from .query import ParsedQuery, parse, relaxed

if TYPE_CHECKING:
    from ..archive import Archive

REPEALED = schema.REPEALED
SORTS = ("relevance", "date")
#: Facet key → the index field (a column) counted for it.
FACET_FIELDS = {"issuer": "issuer", "year": "year", "subject": "subject", "genre": "genre", "validity": "validity"}
#: Filter keys accepted by :meth:`SearchService.search` → index field.
FILTER_FIELDS = FACET_FIELDS | {"category": "category", "carrier": "carrier", "status": "status"}
#: More distinct values than this in one facet are not listed (a facet panel shows a few dozen at most).
FACET_SIZE = 500
#: Scores of one-character queries, which rank title matches first and then by date.
TITLE_MATCH, BODY_MATCH = 2.0, 1.0

Found = list[tuple[int, float]]  # (record id, score)


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
    """One per open :class:`Archive`; holds the opened index."""

    def __init__(self, archive: "Archive") -> None:
        self._archive = weakref.proxy(archive)
        self._lock = threading.RLock()
        self._index: tantivy.Index | None = None

    # -- keeping the index in step ---------------------------------------------------------------------------

    def sync(self) -> int:
        """Drain ``index_queue`` into the index (cheap when it is empty); build the index when there is none of the
        current version."""
        with self._lock:
            db, index_dir = self._archive.db, self._archive.index_dir
            if not indexer.index_ready(index_dir):
                self._index = None  # the one open here is of the directory about to be replaced
                return indexer.rebuild(db, index_dir)
            return indexer.drain(db, index_dir)

    def reindex(self, progress: indexer.Progress | None = None, *, procs: int | None = None) -> int:
        """Rebuild the whole index in a separate process (safe to call from the TUI's worker threads)."""
        return indexer.rebuild_in_subprocess(self._archive.root, procs=procs, progress=progress)

    def _searcher(self) -> tantivy.Searcher:
        """A searcher over the latest commit, whichever process made it."""
        try:
            if self._index is not None:
                self._index.reload()
        except (OSError, ValueError):  # the index was re-created by a rebuild in another process
            self._index = None
        if self._index is None:
            self._index = indexer.open_index(self._archive.index_dir)
        return self._index.searcher()

    def close(self) -> None:
        with self._lock:
            self._index = None

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
            searcher = self._searcher()
            if parsed.empty and parsed.message:
                hits, total, counts = [], 0, {}
            else:
                hits, total, counts = self._run(searcher, parsed, restrict, actor, limit, offset, sort, facets)
                for loose in relaxed(parsed) if total == 0 else []:
                    hits, total, counts = self._run(searcher, loose, restrict, actor, limit, offset, sort, facets)
                    if total:
                        note = loose.relaxation
                        parsed.message = f"{parsed.message}；{note}" if parsed.message else note
                        break
        elapsed = (time.perf_counter() - started) * 1000
        return SearchResult(text, hits, total, counts, round(elapsed, 2), parsed.message)

    def _run(
        self, searcher: tantivy.Searcher, parsed: ParsedQuery, restrict: Query, actor: Actor,
        limit: int, offset: int, sort: str, facets: bool,
    ) -> tuple[list[Hit], int, dict[str, list[tuple[str, int]]]]:
        matched = parsed.query
        query = restrict if matched is None else _within(matched, restrict)
        if matched is None or sort == "date":
            found, total = _top(searcher, query, limit, offset, by_date=True)
        elif parsed.one_character is not None:
            found, total = _title_first(searcher, query, parsed.one_character, limit, offset)
        else:
            found, total = _top(searcher, query, limit, offset)
        counts = _facets(searcher, query) if facets and total else {}
        hits = self._hits(found, parsed, actor)
        return hits, max(0, total - (len(found) - len(hits))), counts

    def _hits(self, ranked: Found, parsed: ParsedQuery, actor: Actor) -> list[Hit]:
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

    def find_in_pages(self, record_id: int, text: str, actor: Actor) -> list[tuple[int, int, int]]:
        """(page_no, start, end) of every match of the query in the record's page texts (offsets in ``pages.text``)."""
        parsed = parse(text)
        return [
            (page["page_no"], start, end)
            for page in records.pages(self._archive.db, record_id, actor)
            for start, end in highlight.find_spans(page["text"] or "", parsed)
        ]


def _restriction(actor: Actor, filters: dict[str, list[str]] | None) -> Query:
    """The actor's scope plus the caller's facet filters, as one query (it is only ever used without scores)."""
    sch = schema.make_schema()
    parts = [Query.term_set_query(sch, "status", list(actor.visible_statuses()))]
    for key, values in (filters or {}).items():
        fieldname = FILTER_FIELDS.get(key)
        if fieldname is None:
            raise InvalidInput(f"不能按「{key}」筛选", f"unknown filter {key!r}; use one of {sorted(FILTER_FIELDS)}")
        if fieldname == "year":
            terms: list[Any] = [int(v) for v in values or [] if str(v).isdigit()]
        else:
            terms = [str(v) for v in values or []]
        parts.append(Query.term_set_query(sch, fieldname, terms) if terms else Query.empty_query())
    return parts[0] if len(parts) == 1 else Query.boolean_query([(Occur.Must, q) for q in parts])


def _within(query: Query, restrict: Query) -> Query:
    """``query``, scored as it is, limited to the documents of ``restrict``."""
    return Query.boolean_query([(Occur.Must, query), (Occur.Must, Query.const_score_query(restrict, 0.0))])


def _ids(searcher: tantivy.Searcher, result: tantivy.SearchResult) -> list[int]:
    return searcher.fast_field_values("id", [address for _, address in result.hits])


def _top(
    searcher: tantivy.Searcher, query: Query, limit: int, offset: int, *, by_date: bool = False
) -> tuple[Found, int]:
    """The page of (record id, score) by score, or newest first; and how many documents match."""
    size = max(1, limit)  # tantivy wants a page of at least one
    if by_date:
        result = searcher.search(query, size, count=True, order_by_field="date", offset=offset, order=Order.Desc)
        found = [(rid, 0.0) for rid in _ids(searcher, result)]
    else:
        result = searcher.search(query, size, count=True, offset=offset, weight_by_field="standing")
        found = [(rid, float(score)) for rid, (score, _) in zip(_ids(searcher, result), result.hits)]
    return found[:limit], result.count or 0


def _title_first(searcher: tantivy.Searcher, query: Query, in_title: Query, limit: int, offset: int) -> tuple[Found, int]:
    """Documents matching a one-character query: those with it in the title first, each group newest first."""
    titled = _within(in_title, query)
    first, n_titled = _top(searcher, titled, limit, offset, by_date=True)
    rest_offset = max(0, offset - n_titled)
    rest_limit = limit - len(first)
    rest, total = _top(
        searcher, Query.boolean_query([(Occur.Must, query), (Occur.MustNot, in_title)]), rest_limit, rest_offset,
        by_date=True,
    ) if rest_limit > 0 else ([], None)
    if total is None:
        total = searcher.search(query, 1, count=True).count or 0
    else:
        total += n_titled
    return [(rid, TITLE_MATCH) for rid, _ in first] + [(rid, BODY_MATCH) for rid, _ in rest], total


def _facets(searcher: tantivy.Searcher, query: Query) -> dict[str, list[tuple[str, int]]]:
    """Counts of each facet value among the documents of ``query``."""
    request = {key: {"terms": {"field": fieldname, "size": FACET_SIZE}} for key, fieldname in FACET_FIELDS.items()}
    answer = searcher.aggregate(query, request)
    out = {}
    for key in FACET_FIELDS:
        items = [(str(b["key"]), int(b["doc_count"])) for b in answer.get(key, {}).get("buckets", []) if b["key"] != ""]
        if key == "year":
            items.sort(key=lambda kv: kv[0], reverse=True)
        else:
            items.sort(key=lambda kv: (-kv[1], kv[0]))
        out[key] = items
    return out


def _best_page(pages: list[tuple[int, str]], parsed: ParsedQuery) -> tuple[int | None, str, list[tuple[int, int]]]:
    """The page with the most matches (the first on a tie), its text and match spans."""
    if len(pages) == 1:  # nothing to compare: find the matches straight away
        page_no, text = pages[0]
        spans = highlight.find_spans(text, parsed)
        return (page_no, text, spans) if spans else (None, "", [])
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
