"""The Whoosh schema of the search index: one document per catalogue record.

Text fields use :class:`TokenField`, which indexes the (token, position) pairs of our own Chinese analysis
directly (no per-token objects), so indexing stays fast. Only the record id is stored: everything shown in a hit
is read from SQLite, which also re-checks the review status.
"""

from __future__ import annotations

from array import array
from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any

from whoosh import fields, formats
from whoosh.codec.whoosh3 import W3Codec
from whoosh.system import _INT_SIZE, pack_uint

from . import analysis, pinyin

#: Bump when the schema or the analysis changes; an index of another version is rebuilt.
VERSION = 2

Tokenizer = Callable[[Any], list[tuple[str, int]]]


def text_tokens(value: str | list[str]) -> list[tuple[str, int]]:
    """A string, or a list of pages kept apart by a position gap."""
    return analysis.page_tokens(value) if isinstance(value, list) else analysis.tokens(value)


class ArrayPositions(formats.Positions):
    """Positions stored as a machine array instead of a pickled delta list: several times faster to write."""

    def encode(self, poslist: list[int]) -> bytes:
        return pack_uint(len(poslist)) + array("I", poslist).tobytes()

    def decode_positions(self, valuestring: bytes) -> list[int]:
        positions = array("I")
        positions.frombytes(valuestring[_INT_SIZE:])
        return positions.tolist()


class IndexCodec(W3Codec):
    """Whoosh's codec without per-posting length statistics while writing: reading each posting's field length
    back from disk was a fifth of indexing time. Blocks then report a minimum length of 0, which only makes
    top-N block skipping a little less eager; scores use the real lengths."""

    length_stats = False


class TokenField(fields.FieldType):
    """A positional text field analysed by a tokenizer function returning (token, position) pairs."""

    def __init__(self, tokenizer: Tokenizer = text_tokens, boost: float = 1.0) -> None:
        self.tokenizer = tokenizer
        self.format = ArrayPositions(field_boost=boost)
        self.scorable = True
        self.stored = False
        self.unique = False
        self.vector = None
        self.analyzer = None

    def index(self, value: Any, **kwargs: Any) -> Iterator[tuple[bytes, int, float, bytes]]:
        positions: dict[str, list[int]] = defaultdict(list)
        for token, pos in self.tokenizer(value):
            positions[token].append(pos)
        boost = self.format.field_boost
        encode = self.format.encode
        for token, poslist in positions.items():
            yield token.encode("utf-8"), len(poslist), len(poslist) * boost, encode(poslist)

    def __eq__(self, other: object) -> bool:
        return (
            type(other) is type(self) and other.tokenizer is self.tokenizer
            and other.format.field_boost == self.format.field_boost
        )

    def __hash__(self) -> int:
        return hash((type(self), self.tokenizer, self.format.field_boost))


def facet_id() -> fields.ID:
    """An exact value that can be filtered on and counted (column for facet counts)."""
    return fields.ID(sortable=True)


#: Field boosts: a match in the title outweighs the same match in the body.
TITLE_BOOST = 4.0
PINYIN_BOOST = 3.0
META_BOOST = 1.5


def make_schema() -> fields.Schema:
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        index_no=fields.ID,
        status=fields.ID(stored=True),
        docno=fields.ID,  # 文号 normal form
        title=TokenField(boost=TITLE_BOOST),
        content=TokenField(),  # page texts, in page order
        meta=TokenField(boost=META_BOOST),  # 发布机构, 主题词, 内容概述, 责任部门
        docno_text=TokenField(),  # 文号, for partial 文号 queries
        issuer_text=TokenField(),  # for 机构:
        kind=TokenField(),  # 体裁, 主题分类, 信息分类 (for 类:)
        py=TokenField(pinyin.syllable_tokens, boost=PINYIN_BOOST),
        pyi=TokenField(pinyin.initial_tokens, boost=PINYIN_BOOST),
        issuer=facet_id(),
        subject=facet_id(),  # top-level 主题分类
        subject_full=fields.ID,
        genre=facet_id(),
        category=fields.ID,
        validity=facet_id(),
        carrier=fields.ID,
        year=fields.NUMERIC(int, sortable=True),
        date=fields.NUMERIC(int, sortable=True),  # YYYYMMDD
    )


def record_date(row: dict[str, Any]) -> str | None:
    """The date shown and sorted on: 成文日期, else 发布日期."""
    return row.get("created_date") or row.get("published_date")


def document(row: dict[str, Any], pages: list[str]) -> dict[str, Any]:
    """Whoosh field values for one record row and its page texts (analysis happens in the field)."""
    date = record_date(row)
    subject = row.get("subject") or ""
    doc: dict[str, Any] = {
        "id": str(row["id"]),
        "index_no": row["index_no"],
        "status": row["status"],
        "docno": row.get("doc_no_norm"),
        "title": row["title"],
        "content": pages,
        "meta": " \n".join(
            v for v in (row.get("issuer"), row.get("keywords"), row.get("summary"), row.get("department")) if v
        ),
        "docno_text": row.get("doc_no"),
        "issuer_text": row.get("issuer"),
        "kind": " \n".join(v for v in (row.get("genre"), subject, row.get("category")) if v),
        "py": row["title"],
        "pyi": row["title"],
        "issuer": row.get("issuer"),
        "subject": subject.split("/")[0] or None,
        "subject_full": subject or None,
        "genre": row.get("genre"),
        "category": row.get("category"),
        "validity": row.get("validity"),
        "carrier": row.get("carrier"),
        "year": int(date[:4]) if date else None,
        "date": int(date.replace("-", "")) if date else None,
    }
    return {k: v for k, v in doc.items() if v not in (None, "", [])}
