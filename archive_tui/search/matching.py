"""Which documents match a query, computed with sets and a direct positional check.

Whoosh evaluates phrases with its generic span machinery, document by document in Python, and does it again when
scoring. Here a phrase of bigrams is checked once: a leapfrog intersection of the terms' posting lists, driven by
the rarest term, then the positions (stored as machine arrays, see :class:`.schema.ArrayPositions`) must line up.
Boolean structure is combined with Python sets. Scoring then runs on the bag of terms restricted to the verified
documents, which lets Whoosh use its fast term matchers.
"""

from __future__ import annotations

from collections.abc import Iterator

from whoosh import query as Q
from whoosh.searching import Searcher


def docset(searcher: Searcher, q: Q.Query, everything: set[int]) -> set[int]:
    """Document numbers matching ``q``."""
    if isinstance(q, Q.Or):
        return set().union(*(docset(searcher, sub, everything) for sub in q.subqueries))
    if isinstance(q, Q.And):
        parts = sorted((docset(searcher, sub, everything) for sub in q.subqueries), key=len)
        return parts[0].intersection(*parts[1:]) if parts else set()
    if isinstance(q, Q.AndNot):
        return docset(searcher, q.a, everything) - docset(searcher, q.b, everything)
    if isinstance(q, Q.Every):
        return set(everything)
    if isinstance(q, Q.Phrase):
        return phrase_docs(searcher, q.fieldname, list(q.words))
    return set(searcher.docs_for_query(q))


def phrase_docs(searcher: Searcher, fieldname: str, words: list[str]) -> set[int]:
    """Documents where ``words`` occur at consecutive positions of ``fieldname``."""
    found: set[int] = set()
    for reader, offset in searcher.reader().leaf_readers():
        if any((fieldname, w) not in reader for w in words):
            continue
        matchers = [reader.postings(fieldname, w) for w in words]
        rarest = min(range(len(words)), key=lambda i: reader.doc_frequency(fieldname, words[i]))
        found.update(doc + offset for doc in _aligned(matchers, rarest))
    return found


def _aligned(matchers: list, rarest: int) -> Iterator[int]:
    """Leapfrog intersection of the posting lists (driven by the rarest term), keeping documents whose positions
    line up."""
    driver = matchers[rarest]
    others = [m for i, m in enumerate(matchers) if i != rarest]
    while driver.is_active():
        target = driver.id()
        ahead = None
        for m in others:
            if m.id() < target:
                m.skip_to(target)
            if not m.is_active():
                return
            if m.id() > target:
                ahead = m.id()
                break
        if ahead is None:
            if _positions_line_up(matchers):
                yield target
            driver.next()
        else:
            driver.skip_to(ahead)


def _positions_line_up(matchers: list) -> bool:
    starts = set(matchers[0].value_as("positions"))
    for k, m in enumerate(matchers[1:], 1):
        starts &= {p - k for p in m.value_as("positions")}
        if not starts:
            return False
    return True


def scoring_query(q: Q.Query) -> Q.Query | None:
    """``q`` for ranking only: phrases become their bag of terms, exclusions are dropped (the verified document
    set already applies them). None when nothing positive is left to score."""
    if isinstance(q, Q.Phrase):
        terms = [Q.Term(q.fieldname, w) for w in dict.fromkeys(q.words)]
        return Q.And(terms, boost=q.boost) if len(terms) > 1 else terms[0].with_boost(q.boost)
    if isinstance(q, Q.AndNot):
        return scoring_query(q.a)
    if isinstance(q, Q.Every):
        return None
    if isinstance(q, (Q.Or, Q.And)):
        parts = [p for p in (scoring_query(sub) for sub in q.subqueries) if p is not None]
        if not parts:
            return None
        if isinstance(q, Q.And):
            return Q.And(parts, boost=q.boost)
        ranked = Q.Or(parts, boost=q.boost, scale=q.scale)
        # Whoosh may pick a matcher that scores every matching document up front; the binary union matcher
        # supports skipping blocks that cannot reach the top N
        ranked.matcher_type = Q.Or.DEFAULT_MATCHER
        return ranked
    return q


def is_one_character(q: Q.Query) -> bool:
    """A one-character query (an Or of prefix queries): ranked by title match and date instead of by score."""
    return isinstance(q, Q.Or) and all(isinstance(sub, Q.Prefix) for sub in q.subqueries)
