"""The tantivy schema of the search index: one document per catalogue record.

Text fields are analysed here, in Python, by :mod:`.analysis` and :mod:`.pinyin`; tantivy receives the tokens as a
space-separated string and splits them with its whitespace tokenizer (registered as :data:`TOKENIZER`). A token's
position is its index in that string, so where our analysis leaves a gap between positions (between pages, between
pinyin runs) a :data:`GAP` token is written: no query ever contains it, so no phrase can run across a gap.

Only the record id is kept (as a fast field); everything shown in a hit is read from SQLite, which also re-checks
the review status.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import tantivy

from . import analysis, pinyin

#: Bump when the schema or the analysis changes; an index of another version is rebuilt.
VERSION = 4
#: Name under which the whitespace tokenizer is registered on every opened index.
TOKENIZER = "tokens"
#: Written where positions are not consecutive (a private-use character: the query analysis never produces it).
GAP = "\ue000"

#: Field boosts (applied in queries): a match in the title outweighs the same match in the body.
TITLE_BOOST = 4.0
PINYIN_BOOST = 3.0
META_BOOST = 1.5
#: Relevance scores are multiplied by log2(2 + standing): a record still in force gets ×1.14 over a repealed one,
#: so of two similar matches the visitor sees the rule that applies today first (the repealed one stays, marked).
IN_FORCE_STANDING = 0.2
REPEALED = "已废止"

Tokenizer = Callable[[str], list[tuple[str, int]]]

#: Analysed text fields: title; page texts in page order; 发布机构/主题词/内容概述/责任部门; 文号 (for partial 文号
#: queries); 发布机构 (for 机构:); 体裁/主题分类/信息分类 (for 类:); title pinyin syllables and initials.
TEXT_FIELDS = ("title", "content", "meta", "docno_text", "issuer_text", "kind", "py", "pyi")
#: The pinyin fields' tokenizers (the others are analysed as Chinese text).
PINYIN_TOKENIZERS: dict[str, Tokenizer] = {"py": pinyin.syllable_tokens, "pyi": pinyin.initial_tokens}
#: Exact values, filtered on and (facet columns) counted.
EXACT_FIELDS = (
    "status", "docno", "index_no", "issuer", "subject", "subject_full", "genre", "category", "validity", "carrier",
)
NUMBER_FIELDS = ("id", "year", "date")


@functools.cache
def make_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    for name in NUMBER_FIELDS:
        builder.add_integer_field(name, indexed=True, fast=True)
    for name in TEXT_FIELDS:
        builder.add_text_field(name, tokenizer_name=TOKENIZER, index_option="position")
    for name in EXACT_FIELDS:
        builder.add_text_field(name, tokenizer_name="raw", fast=True, index_option="basic")
    builder.add_float_field("standing", indexed=False, fast=True)
    return builder.build()


def register_tokenizer(index: tantivy.Index) -> None:
    index.register_tokenizer(TOKENIZER, tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build())


def joined(tokens: list[tuple[str, int]]) -> str:
    """(token, position) pairs as tantivy's whitespace tokenizer will read them back, gaps marked."""
    out: list[str] = []
    last = None
    for token, pos in tokens:
        if last is not None and pos > last + 1:
            out.append(GAP)
        out.append(token)
        last = pos
    return " ".join(out)


def record_date(row: dict[str, Any]) -> str | None:
    """The date shown and sorted on: 成文日期, else 发布日期."""
    return row.get("created_date") or row.get("published_date")


def document(row: dict[str, Any], pages: list[str]) -> dict[str, Any]:
    """The index document for one record row and its page texts, analysed (plain data: it crosses processes)."""
    date = record_date(row)
    subject = row.get("subject") or ""
    texts = {
        "title": row["title"],
        "meta": " \n".join(
            v for v in (row.get("issuer"), row.get("keywords"), row.get("summary"), row.get("department")) if v
        ),
        "docno_text": row.get("doc_no"),
        "issuer_text": row.get("issuer"),
        "kind": " \n".join(v for v in (row.get("genre"), subject, row.get("category")) if v),
        "py": row["title"],
        "pyi": row["title"],
    }
    doc: dict[str, Any] = {
        name: joined(PINYIN_TOKENIZERS.get(name, analysis.tokens)(value)) for name, value in texts.items() if value
    }
    doc["content"] = joined(analysis.page_tokens(pages))
    doc |= {
        "id": int(row["id"]),
        "status": row["status"],
        "docno": row.get("doc_no_norm"),
        "index_no": row["index_no"],
        "issuer": row.get("issuer"),
        "subject": subject.split("/")[0] or None,
        "subject_full": subject or None,
        "genre": row.get("genre"),
        "category": row.get("category"),
        "validity": row.get("validity"),
        "carrier": row.get("carrier"),
        "year": int(date[:4]) if date else None,
        "date": int(date.replace("-", "")) if date else None,
        "standing": 0.0 if row.get("validity") == REPEALED else IN_FORCE_STANDING,
    }
    return {k: v for k, v in doc.items() if v not in (None, "")}


def to_tantivy(doc: dict[str, Any]) -> tantivy.Document:
    return tantivy.Document.from_dict(doc, make_schema())
