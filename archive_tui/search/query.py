"""The keyboard query language, turned into tantivy queries without ever raising.

- plain words are ANDed; each word matches as a substring (Chinese whitespace ignored, Traditional = Simplified);
- ``"…"`` (also “…” 「…」) is an exact phrase; ``-词`` excludes;
- field prefixes: ``标题:``/``title:``, ``文号:``/``no:``, ``机构:``/``org:``, ``年:``/``year:`` (``年:2019..2021``),
  ``类:``/``type:``, ``索引号:``/``index:`` — full-width colons work too;
- a word that looks like a 文号 (any bracket style) or a 索引号 matches it without a prefix;
- a word of Latin letters also matches title pinyin: initials (``zfxxgk``) or full spelling.

Anything else (unbalanced quotes, stray colons, endless input) still gives a query, plus a Chinese note in
:attr:`ParsedQuery.message`. Queries are tantivy queries built term by term from our own analysis (tantivy's query
parser is never used), with the field boosts of :mod:`.schema`.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field

from tantivy import FieldType, Occur, Query

from ..domain import docno, indexno
from . import analysis, pinyin, schema

@functools.cache
def _segmenter():
    """jieba, imported when a relaxed query first needs it: its import and dictionary would slow the app's start."""
    import jieba

    jieba.setLogLevel(60)  # no "Building prefix dict" chatter on stderr
    return jieba


def warm_up() -> None:
    """Load jieba's dictionary and the pinyin syllable table now, instead of during the first query that needs them
    (about a second of CPU). Meant for a background thread once the app shows its first listing."""
    _segmenter().lcut("政府信息公开工作年度报告")  # a first cut also loads the model for words not in the dictionary
    pinyin.syllables()


#: Longer input is cut (a query is typed at a counter; pasted pages are not queries).
MAX_QUERY = 200
MAX_TERMS = 24
#: Words shorter than this many bigrams are not matched approximately (too few bigrams to tell a misread
#: character from a different word).
APPROX_MIN_BIGRAMS = 4
#: Bigrams a misread character may break: one wrong character spoils the two bigrams it belongs to.
APPROX_SPOILED = 2
TEXT_FIELDS = ("title", "content", "meta", "docno_text")
#: Extra weight of an exact 文号 / 索引号 match over a mention in some text.
EXACT_BOOST = 30.0
FIELD_BOOSTS = {
    "title": schema.TITLE_BOOST, "meta": schema.META_BOOST, "py": schema.PINYIN_BOOST, "pyi": schema.PINYIN_BOOST,
}
#: Characters with a meaning in tantivy's (Rust) regular expressions.
_REGEX_META = re.compile(r"([\\.+*?()|\[\]{}^$#&\-~])")

FIELD_ALIASES = {
    "标题": "title", "题名": "title", "名称": "title", "title": "title",
    "文号": "docno", "字号": "docno", "no": "docno", "docno": "docno",
    "机构": "issuer", "发布机构": "issuer", "org": "issuer", "issuer": "issuer",
    "年": "year", "年份": "year", "year": "year",
    "类": "type", "类别": "type", "分类": "type", "type": "type",
    "索引号": "index_no", "index": "index_no",
}
_QUOTES = str.maketrans({"“": '"', "”": '"', "「": '"', "」": '"', "『": '"', "』": '"', "＂": '"'})
_DOCNO_SPAN = re.compile(
    rf"[{analysis.CJK}A-Za-z]{{1,20}}\s*[{re.escape(docno.OPEN)}]\s*(?:19|20)\d\d\s*[{re.escape(docno.CLOSE)}]"
    r"\s*第?\s*\d{1,5}\s*号"
)
_WORD = re.compile(r'(?P<neg>-)?(?:(?P<field>[^\s:"\-]{1,8}):)?(?:"(?P<quoted>[^"]*)"?|(?P<word>[^\s"]+))')
_YEARS = re.compile(r"(?P<a>\d{4})?\s*(?:\.\.|～|~|-|—|至|到)\s*(?P<b>\d{4})?|(?P<one>\d{4})")


@dataclass
class ParsedQuery:
    """A parsed query: what must and must not match, what to highlight, and a note for the user."""

    text: str
    must: list[Query] = field(default_factory=list)
    must_not: list[Query] = field(default_factory=list)
    any_word: bool = False  # relaxed: any of ``must`` will do, documents matching more of them first
    #: A lone one-character word: its match in the title (such queries rank title matches first, then by date).
    one_character: Query | None = None
    highlight: list[str] = field(default_factory=list)  # folded strings to mark in page texts
    doc_nos: list[docno.DocNo] = field(default_factory=list)
    message: str | None = None
    empty: bool = False  # nothing searchable was typed
    relaxable: list[str] = field(default_factory=list)  # long plain words that may be split by jieba
    #: Index in ``must`` → that plain word, folded, when it is long enough to be matched approximately.
    approximable: dict[int, str] = field(default_factory=dict)
    #: For a relaxed query: what the note to the user says about its results.
    relaxation: str = "没有完全符合的结果，以下为部分词语符合的结果"

    @property
    def positives(self) -> int:
        """How many words must match."""
        return len(self.must)

    @property
    def query(self) -> Query | None:
        """The whole query; None when it matches everything (nothing typed)."""
        if not self.must and not self.must_not:
            return None
        occur = Occur.Should if self.any_word else Occur.Must
        clauses = [(occur, q) for q in self.must] or [(Occur.Must, Query.all_query())]
        if len(clauses) == 1 and not self.must_not:
            return clauses[0][1]
        return Query.boolean_query(clauses + [(Occur.MustNot, q) for q in self.must_not])


def _any(queries: list[Query]) -> Query:
    return queries[0] if len(queries) == 1 else Query.boolean_query([(Occur.Should, q) for q in queries])


def _boosted(fieldname: str, q: Query, boost: float = 1.0) -> Query:
    boost *= FIELD_BOOSTS.get(fieldname, 1.0)
    return q if boost == 1.0 else Query.boost_query(q, boost)


def _term(fieldname: str, value: str | int, boost: float = 1.0) -> Query:
    return _boosted(fieldname, Query.term_query(schema.make_schema(), fieldname, value), boost)


def _phrase(fieldname: str, tokens: list[str]) -> Query:
    if len(tokens) == 1:
        return _term(fieldname, tokens[0])
    return _boosted(fieldname, Query.phrase_query(schema.make_schema(), fieldname, tokens))


def _prefix(fieldname: str, text: str, boost: float = 1.0) -> Query:
    """Terms of ``fieldname`` starting with ``text`` (constant score)."""
    pattern = _REGEX_META.sub(r"\\\1", text) + ".*"
    return _boosted(fieldname, Query.regex_query(schema.make_schema(), fieldname, pattern), boost)


def _text_query(folded: str, fields: tuple[str, ...] = TEXT_FIELDS) -> Query | None:
    """Substring match of folded text in any of ``fields``; a single character is a prefix query."""
    tokens = analysis.query_tokens(folded)
    if not tokens:
        return None
    if len(tokens) == 1 and len(tokens[0]) == 1 and analysis.is_cjk(tokens[0]):
        return _any([_prefix(f, tokens[0]) for f in fields])
    return _any([_phrase(f, tokens) for f in fields])


def _pinyin_query(word: str) -> Query | None:
    """Title pinyin: initials anywhere in the title, or a full spelling split into syllables."""
    if not re.fullmatch(r"[a-z]{2,40}", word):
        return None
    parts = [_phrase("pyi", pinyin.initial_query_tokens(word))]
    syllables = pinyin.split_syllables(word)
    if syllables and len(syllables) > 1:
        parts.append(_phrase("py", syllables))
    return _any(parts)


def _docno_query(doc: docno.DocNo) -> Query:
    text = _text_query(analysis.fold(doc.normal))
    exact = _term("docno", doc.normal, EXACT_BOOST)
    return _any([exact, text]) if text else exact


def _index_no_query(normal: str, boost: float = 1.0) -> Query:
    return _term("index_no", normal, boost) if indexno.is_valid(normal) else _prefix("index_no", normal, boost)


def _year_query(value: str) -> Query | None:
    m = _YEARS.fullmatch(value.strip())
    if not m:
        return None
    if m["one"]:
        return _term("year", int(m["one"]))
    if not (m["a"] or m["b"]):
        return None
    start, end = (int(m["a"]) if m["a"] else None), (int(m["b"]) if m["b"] else None)
    if start and end and start > end:
        start, end = end, start
    return Query.range_query(schema.make_schema(), "year", FieldType.Integer, start, end)


class _Builder:
    def __init__(self, text: str, any_word: bool = False) -> None:
        self.parsed = ParsedQuery(text=text, any_word=any_word)
        self.notes: list[str] = []
        self.approximable: str | None = None  # the plain word just read, folded, when it is long

    def note(self, message: str) -> None:
        if message not in self.notes:
            self.notes.append(message)

    def plain(self, word: str, quoted: bool) -> Query | None:
        doc = (docno.parse(word) or docno.parse(analysis.fold(word))) if not quoted and "号" in analysis.fold(word) else None
        if doc is not None:
            self.parsed.doc_nos.append(doc)
            return _docno_query(doc)
        if not quoted and indexno.looks_like(word):
            exact = _index_no_query(indexno.normalize(word), EXACT_BOOST)
            text = _text_query(analysis.fold(word))
            return _any([exact, text]) if text else exact
        folded = analysis.fold(word)
        parts = [q for q in (_text_query(folded), None if quoted else _pinyin_query(folded)) if q is not None]
        if not parts:
            return None
        self.parsed.highlight.append(folded)
        if not quoted and len(analysis.query_tokens(folded)) >= 3 and analysis.has_cjk(folded):
            self.parsed.relaxable.append(word)
            self.approximable = folded
        return _any(parts)

    def fielded(self, name: str, value: str) -> Query | None:
        folded = analysis.fold(value)
        if name == "title":
            parts = [q for q in (_text_query(folded, ("title",)), _pinyin_query(folded)) if q is not None]
            if parts:
                self.parsed.highlight.append(folded)
            return _any(parts) if parts else None
        if name == "docno":
            doc = docno.parse(value)
            if doc is not None:
                self.parsed.doc_nos.append(doc)
                return _term("docno", doc.normal)
            return _text_query(folded, ("docno_text",))
        if name == "issuer":
            text = _text_query(folded, ("issuer_text",))
            return _any([_term("issuer", value.strip()), text]) if text else None
        if name == "type":
            exact = [_term(f, value.strip()) for f in ("genre", "subject", "subject_full", "category")]
            text = _text_query(folded, ("kind",))
            return _any(exact + ([text] if text else []))
        if name == "year":
            year = _year_query(value)
            if year is None:
                self.note(f"年份「{value}」无法识别，应如 年:2021 或 年:2019..2021，已忽略")
            return year
        if name == "index_no":
            return _index_no_query(indexno.normalize(value))
        return None

    def words(self, text: str) -> list[tuple[bool, str | None, str, bool]]:
        """(excluded, field or None, value, quoted) for each word typed."""
        out = []
        for m in _WORD.finditer(text):
            quoted = m["quoted"] is not None
            value = m["quoted"] if quoted else m["word"]
            name = FIELD_ALIASES.get((m["field"] or "").lower())
            if m["field"] and name is None:  # "abc:def" with an unknown prefix: two plain words
                out.append((bool(m["neg"]), None, m["field"], False))
                out.append((False, None, value, quoted))
                continue
            if m["field"] and not value.strip():
                self.note(f"「{m['field']}:」后面没有内容，已忽略")
            out.append((bool(m["neg"]), name, value, quoted))
        return out

    def build(self) -> ParsedQuery:
        text = self.parsed.text
        if len(text) > MAX_QUERY:
            self.note(f"查询过长（{len(text)} 字），只用前 {MAX_QUERY} 字检索")
            text = text[:MAX_QUERY]
        text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
        if text.count('"') % 2:
            self.note("引号不成对，最后一个引号后的文字按短语检索")
        text = _DOCNO_SPAN.sub(lambda m: re.sub(r"\s+", "", m.group()), text)
        typed = False
        for neg, name, value, quoted in self.words(text)[:MAX_TERMS]:
            if not value.strip():
                continue
            typed = True
            marked = len(self.parsed.highlight)
            q = self.fielded(name, value) if name else self.plain(value.strip(), quoted)
            if neg:  # excluded words are not marked in the text
                del self.parsed.highlight[marked:]
            if q is not None:
                (self.parsed.must_not if neg else self.parsed.must).append(q)
                if self.approximable is not None and not neg:
                    self.parsed.approximable[len(self.parsed.must) - 1] = self.approximable
            self.approximable = None
        if not self.parsed.must and not self.parsed.must_not:
            self.parsed.empty = True
            if typed and not self.notes:
                self.note("查询中没有可检索的文字（只有标点或符号）")
        single = self.parsed.highlight[0] if len(self.parsed.highlight) == 1 else ""
        if self.parsed.positives == 1 and not self.parsed.must_not and len(single) == 1 and analysis.is_cjk(single):
            self.parsed.one_character = _text_query(single, ("title",))
        self.parsed.message = "；".join(self.notes) or None
        return self.parsed


def parse(text: str, *, any_word: bool = False) -> ParsedQuery:
    """Parse a query as typed at the counter. Never raises."""
    return _Builder(text or "", any_word).build()


def relaxed(parsed: ParsedQuery) -> list[ParsedQuery]:
    """Looser queries for when the strict one finds nothing, loosest last: long words split into jieba words that
    must all occur; then, when several words are left, any of them, documents matching more of them first; last,
    the long words matched approximately (see :func:`approximate`)."""
    if parsed.query is None:
        return []
    text = parsed.text
    for word in parsed.relaxable:
        pieces = [w for w in _segmenter().lcut(analysis.fold(word)) if w.strip()]
        if len(pieces) > 1:
            text = text.replace(word, " ".join(pieces), 1)
    out = []
    if text != parsed.text:
        out.append(parse(text))
    loose = parse(text, any_word=True)
    if loose.positives > 1 and (parsed.positives > 1 or loose.must_not):
        out.append(loose)
    near = approximate(parsed)
    if near is not None:
        out.append(near)
    for q in out:
        q.relaxable = []
    return out



def _approximate_word(folded: str) -> tuple[Query, list[str]] | None:
    """A long Chinese word as OCR may have read it: all but two of its bigrams (one misread character spoils the two
    bigrams it belongs to) in the title, the text or the metadata; documents holding more of them rank higher."""
    bigrams = list(dict.fromkeys(t for t in analysis.query_tokens(folded) if len(t) == 2 and analysis.is_cjk(t[0])))
    if len(bigrams) < APPROX_MIN_BIGRAMS:
        return None
    clauses = [(Occur.Should, _any([_term(f, b) for f in ("title", "content", "meta")])) for b in bigrams]
    return Query.boolean_query(clauses, minimum_number_should_match=len(bigrams) - APPROX_SPOILED), bigrams


def approximate(parsed: ParsedQuery) -> ParsedQuery | None:
    """``parsed`` with its long Chinese words matched approximately (the other words as typed); None when no word
    is long enough for that."""
    approximations = {i: _approximate_word(folded) for i, folded in parsed.approximable.items()}
    if not any(approximations.values()):
        return None
    near = ParsedQuery(
        text=parsed.text, must_not=parsed.must_not, highlight=list(parsed.highlight), doc_nos=parsed.doc_nos,
        relaxation="没有完全符合的结果，以下为近似匹配的结果（原文可能有识别错字）",
    )
    for i, q in enumerate(parsed.must):
        approximation = approximations.get(i)
        near.must.append(approximation[0] if approximation else q)
        near.highlight.extend(approximation[1] if approximation else [])
    return near
