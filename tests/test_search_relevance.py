"""Relevance on the sample archive's exact texts: recall@5 = 100 % and MRR ≥ 0.9 over queries of every kind.

The archive is built from ``sample_archive/truth/*.json`` straight into records and pages (no OCR), so this tests
search alone. Queries come from two places: the known-answer queries shipped in ``truth/index.json`` and a set
derived here from each released record (its 文号 in every bracket style, 索引号, rare phrases — as typed, OCR-spaced,
in the other script —, title fragments, pinyin initials, fields, ranges, exclusion, one character, malformed input).
A derived query's expected records are computed from the truth texts, so the expectation is exact.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

import opencc
import pytest

from archive_tui import Archive, counter_actor
from archive_tui.search import analysis, pinyin
from tests.search_fixtures import TRUTH, load_truth, truth_records

pytestmark = pytest.mark.skipif(not truth_records(), reason="sample_archive/truth has not been generated")

CLERK = counter_actor("测试窗口")
BRACKETS = [("〔", "〕"), ("[", "]"), ("（", "）"), ("(", ")"), ("［", "］"), ("【", "】")]
_S2T = opencc.OpenCC("s2t")
_T2S = opencc.OpenCC("t2s")


@dataclass
class Case:
    kind: str
    query: str
    expected: set[str]  # truth ids that must all be in the top 5 (when there are at most 5)
    best: str | None = None  # the record that should rank first (for MRR); default: any expected


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Archive, dict[str, int]]:
    archive = Archive.create(tmp_path_factory.mktemp("relevance") / "archive", org_code="369921000")
    ids = load_truth(archive)
    archive.sync_index()
    yield archive, ids
    archive.close()


def _records() -> list[dict]:
    return truth_records()


def _released(records: list[dict]) -> list[dict]:
    return [r for r in records if r["review"]["decision"] == "released"]


def _haystack(rec: dict) -> str:
    """What a plain query is matched against, folded."""
    f = rec["fields"]
    parts = [f.get("title") or "", f.get("doc_no") or "", f.get("issuer") or "", f.get("keywords") or "",
             f.get("summary") or "", f.get("department") or ""]
    return "\n".join(analysis.fold(p) for p in parts + rec["pages"])


def containing(records: list[dict], text: str) -> set[str]:
    """Released records whose folded text contains the folded ``text``."""
    needle = analysis.fold(text)
    return {r["id"] for r in _released(records) if needle in _haystack(r)}


def _rare_fragment(rec: dict, records: list[dict], source: str, lengths=(4, 5, 6)) -> str | None:
    """A fragment of ``source`` that no other released record contains."""
    runs = [r for r in re.split(rf"[^{analysis.CJK}]+", source) if len(r) >= min(lengths)]
    for n in lengths:
        for run in runs:
            for i in range(0, len(run) - n + 1, 2):
                frag = run[i:i + n]
                if containing(records, frag) == {rec["id"]}:
                    return frag
    return None


def _initials_in_title(title: str, fragment: str) -> str:
    """Initials of ``fragment`` as read inside the title (a polyphone is read as the title's context says)."""
    folded = analysis.fold(title)
    start = sum(1 for c in folded[:folded.index(analysis.fold(fragment))] if analysis.is_cjk(c))
    syllables = pinyin.syllable_tokens_of(title)
    return "".join(s[0] for s in syllables[start:start + len(fragment)])


def derived_cases(records: list[dict]) -> Iterator[Case]:
    released = _released(records)
    for n, rec in enumerate(released):
        f, rid = rec["fields"], rec["id"]
        if f.get("doc_no"):
            left, right = BRACKETS[n % len(BRACKETS)]
            yield Case("文号", f["doc_no"].replace("〔", left).replace("〕", right), {rid})
        yield Case("索引号", f["index_no"], {rid})
        title_frag = _rare_fragment(rec, records, f["title"])
        if title_frag:
            yield Case("title fragment", title_frag, {rid})
            yield Case("field 标题:", f"标题:{title_frag}", {rid})
            initials = _initials_in_title(f["title"], title_frag)
            yield Case("pinyin initials", initials, {rid})
        body = "\n".join(rec["pages"])
        frag = _rare_fragment(rec, records, body, (5, 6, 7))
        if frag:
            yield Case("body phrase", frag, {rid})
            yield Case("OCR spacing", " ".join(frag), {rid})
            other = _S2T.convert(frag) if rec.get("script") != "tra" else _T2S.convert(frag)
            yield Case("other script", other, {rid})
            yield Case("unbalanced quote", f'"{frag}', {rid})
            yield Case("stray colon", f"{frag}：", {rid})
            year = (f.get("created_date") or f.get("published_date") or "")[:4]
            if year:
                yield Case("year range", f"年:{int(year) - 1}..{year} {frag[:4]}", containing(records, frag[:4])
                           & {r["id"] for r in released
                              if int(year) - 1 <= int((r["fields"].get("created_date") or r["fields"].get(
                                  "published_date") or "0")[:4]) <= int(year)}, rid)


def one_character_cases(records: list[dict]) -> Iterator[Case]:
    """Characters found in only one or two released records (a one-character query must still find them)."""
    counts: dict[str, set[str]] = {}
    for rec in _released(records):
        for ch in set(_haystack(rec)):
            if analysis.is_cjk(ch):
                counts.setdefault(ch, set()).add(rec["id"])
    rare = sorted((ch for ch, ids in counts.items() if len(ids) <= 2), key=lambda c: (len(counts[c]), c))
    for ch in rare[:: max(1, len(rare) // 8)][:8]:
        yield Case("one character", ch, counts[ch])


def exclusion_cases(records: list[dict]) -> Iterator[Case]:
    """``A -B``: A is a title word of a few records, B a phrase found in only one of them."""
    made = 0
    for rec in _released(records):
        for n in (2, 3):
            title = rec["fields"]["title"]
            for i in range(len(title) - n + 1):
                word = title[i:i + n]
                cjk_only = all(analysis.is_cjk(c) for c in word)
                having = containing(records, word) if cjk_only else set()
                if not 3 <= len(having) <= 6:
                    continue
                frag = _rare_fragment(rec, records, "\n".join(rec["pages"]), (4,))
                if frag:
                    yield Case("exclusion", f"{word} -{frag}", having - {rec["id"]})
                    made += 1
                break
            if made >= 6:
                return


def shipped_cases() -> Iterator[Case]:
    index = json.loads((TRUTH / "index.json").read_text(encoding="utf-8"))
    for q in index.get("queries", []):
        yield Case("known answer", q["query"], set(q["relevant"]), q.get("best"))


def all_cases() -> list[Case]:
    records = _records()
    return [*shipped_cases(), *derived_cases(records), *one_character_cases(records), *exclusion_cases(records)]


def test_relevance_recall_at_5_and_mrr(sample: tuple[Archive, dict[str, int]]) -> None:
    archive, ids = sample
    by_record = {v: k for k, v in ids.items()}
    cases = all_cases()
    kinds = {c.kind for c in cases}
    assert len(cases) >= 50 and {"文号", "OCR spacing", "other script", "one character", "pinyin initials",
                                 "year range", "exclusion", "unbalanced quote", "field 标题:"} <= kinds
    misses, reciprocal = [], []
    for case in cases:
        result = archive.search(case.query, CLERK, limit=10)
        ranked = [by_record[h.record_id] for h in result.hits]
        top5 = set(ranked[:5])
        wanted = case.expected if len(case.expected) <= 5 else set()
        if not wanted <= top5 or (case.expected and not top5 & case.expected):
            misses.append((case.kind, case.query, sorted(case.expected), ranked[:5]))
        target = {case.best} if case.best else case.expected
        rank = next((i for i, r in enumerate(ranked, 1) if r in target), None)
        reciprocal.append(1 / rank if rank else 0.0)
    mrr = sum(reciprocal) / len(reciprocal)
    print(f"relevance over {len(cases)} queries: recall@5 {1 - len(misses) / len(cases):.1%}, MRR {mrr:.3f}")
    assert not misses, f"recall@5 misses ({len(misses)} of {len(cases)}): {misses}"
    assert mrr >= 0.9, f"MRR {mrr:.3f} over {len(cases)} queries"


def test_withheld_matches_of_known_queries_never_reach_the_counter(sample: tuple[Archive, dict[str, int]]) -> None:
    archive, ids = sample
    index = json.loads((TRUTH / "index.json").read_text(encoding="utf-8"))
    hidden = {ids[r["id"]] for r in _records() if r["review"]["decision"] != "released"}
    assert hidden
    for q in index.get("queries", []):
        assert not hidden & {h.record_id for h in archive.search(q["query"], CLERK, limit=50).hits}
    for rec in _records():
        if ids[rec["id"]] in hidden:
            for text in (rec["fields"]["index_no"], rec["fields"].get("doc_no") or "", rec["fields"]["title"]):
                if text:
                    assert not hidden & {h.record_id for h in archive.search(text, CLERK, limit=50).hits}


def test_a_10000_character_query_answers_with_a_message(sample: tuple[Archive, dict[str, int]]) -> None:
    archive, _ = sample
    result = archive.search("政" * 10_000, CLERK)
    assert result.message and "过长" in result.message
