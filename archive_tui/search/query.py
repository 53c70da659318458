"""The keyboard query language, turned into Whoosh queries without ever raising.

- plain words are ANDed; each word matches as a substring (Chinese whitespace ignored, Traditional = Simplified);
- ``"…"`` (also “…” 「…」) is an exact phrase; ``-词`` excludes;
- field prefixes: ``标题:``/``title:``, ``文号:``/``no:``, ``机构:``/``org:``, ``年:``/``year:`` (``年:2019..2021``),
  ``类:``/``type:``, ``索引号:``/``index:`` — full-width colons work too;
- a word that looks like a 文号 (any bracket style) or a 索引号 matches it without a prefix;
- a word of Latin letters also matches title pinyin: initials (``zfxxgk``) or full spelling.

Anything else (unbalanced quotes, stray colons, endless input) still gives a query, plus a Chinese note in
:attr:`ParsedQuery.message`.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field

from whoosh import query as Q

from ..domain import docno, indexno
from . import analysis, pinyin

@functools.cache
def _segmenter():
    """jieba, imported when a relaxed query first needs it: its import and dictionary would slow the app's start."""
    import jieba

    jieba.setLogLevel(60)  # no "Building prefix dict" chatter on stderr
    return jieba


#: Longer input is cut (a query is typed at a counter; pasted pages are not queries).
MAX_QUERY = 200
MAX_TERMS = 24
TEXT_FIELDS = ("title", "content", "meta", "docno_text")
#: Extra weight of an exact 文号 / 索引号 match over a mention in some text.
EXACT_BOOST = 30.0
#: Coordination bonus of the any-word retry (Whoosh ``Or(scale=…)``).
COORDINATION = 0.9

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
    """A parsed query: the Whoosh query (None = everything), what to highlight, and a note for the user."""

    text: str
    query: Q.Query | None
    highlight: list[str] = field(default_factory=list)  # folded strings to mark in page texts
    doc_nos: list[docno.DocNo] = field(default_factory=list)
    message: str | None = None
    empty: bool = False  # nothing searchable was typed
    relaxable: list[str] = field(default_factory=list)  # long plain words that may be split by jieba
    positives: int = 0  # how many words must match


def _phrase(fieldname: str, tokens: list[str], boost: float = 1.0) -> Q.Query:
    if len(tokens) == 1:
        return Q.Term(fieldname, tokens[0], boost=boost)
    return Q.Phrase(fieldname, tokens, boost=boost)


def _text_query(folded: str, fields: tuple[str, ...] = TEXT_FIELDS) -> Q.Query | None:
    """Substring match of folded text in any of ``fields``; a single character is a prefix query."""
    tokens = analysis.query_tokens(folded)
    if not tokens:
        return None
    if len(tokens) == 1 and len(tokens[0]) == 1 and analysis.is_cjk(tokens[0]):
        return Q.Or([Q.Prefix(f, tokens[0]) for f in fields])
    return Q.Or([_phrase(f, tokens) for f in fields])


def _pinyin_query(word: str) -> Q.Query | None:
    """Title pinyin: initials anywhere in the title, or a full spelling split into syllables."""
    if not re.fullmatch(r"[a-z]{2,40}", word):
        return None
    parts = [_phrase("pyi", pinyin.initial_query_tokens(word))]
    syllables = pinyin.split_syllables(word)
    if syllables and len(syllables) > 1:
        parts.append(_phrase("py", syllables))
    return Q.Or(parts)


def _docno_query(doc: docno.DocNo) -> Q.Query:
    text = _text_query(analysis.fold(doc.normal))
    exact = Q.Term("docno", doc.normal, boost=EXACT_BOOST)
    return Q.Or([exact, text]) if text else exact


def _year_query(value: str) -> Q.Query | None:
    m = _YEARS.fullmatch(value.strip())
    if not m:
        return None
    if m["one"]:
        return Q.Term("year", int(m["one"]))
    if not (m["a"] or m["b"]):
        return None
    start, end = (int(m["a"]) if m["a"] else None), (int(m["b"]) if m["b"] else None)
    if start and end and start > end:
        start, end = end, start
    return Q.NumericRange("year", start, end)


class _Builder:
    def __init__(self, text: str, any_word: bool = False) -> None:
        self.parsed = ParsedQuery(text=text, query=None)
        self.notes: list[str] = []
        self.any_word = any_word

    def note(self, message: str) -> None:
        if message not in self.notes:
            self.notes.append(message)

    def plain(self, word: str, quoted: bool) -> Q.Query | None:
        doc = (docno.parse(word) or docno.parse(analysis.fold(word))) if not quoted and "号" in analysis.fold(word) else None
        if doc is not None:
            self.parsed.doc_nos.append(doc)
            return _docno_query(doc)
        if not quoted and indexno.looks_like(word):
            normal = indexno.normalize(word)
            exact = Q.Term("index_no", normal) if indexno.is_valid(normal) else Q.Prefix("index_no", normal)
            exact = exact.with_boost(EXACT_BOOST)
            text = _text_query(analysis.fold(word))
            return Q.Or([exact, text]) if text else exact
        folded = analysis.fold(word)
        parts = [q for q in (_text_query(folded), None if quoted else _pinyin_query(folded)) if q is not None]
        if not parts:
            return None
        self.parsed.highlight.append(folded)
        if not quoted and len(analysis.query_tokens(folded)) >= 3 and analysis.has_cjk(folded):
            self.parsed.relaxable.append(word)
        return parts[0] if len(parts) == 1 else Q.Or(parts)

    def fielded(self, name: str, value: str) -> Q.Query | None:
        folded = analysis.fold(value)
        if name == "title":
            parts = [q for q in (_text_query(folded, ("title",)), _pinyin_query(folded)) if q is not None]
            if parts:
                self.parsed.highlight.append(folded)
            return Q.Or(parts) if parts else None
        if name == "docno":
            doc = docno.parse(value)
            if doc is not None:
                self.parsed.doc_nos.append(doc)
                return Q.Term("docno", doc.normal)
            return _text_query(folded, ("docno_text",))
        if name == "issuer":
            text = _text_query(folded, ("issuer_text",))
            return Q.Or([Q.Term("issuer", value.strip()), text]) if text else None
        if name == "type":
            exact = [Q.Term(f, value.strip()) for f in ("genre", "subject", "subject_full", "category")]
            text = _text_query(folded, ("kind",))
            return Q.Or(exact + ([text] if text else []))
        if name == "year":
            year = _year_query(value)
            if year is None:
                self.note(f"年份「{value}」无法识别，应如 年:2021 或 年:2019..2021，已忽略")
            return year
        if name == "index_no":
            normal = indexno.normalize(value)
            return Q.Term("index_no", normal) if indexno.is_valid(normal) else Q.Prefix("index_no", normal)
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
        must: list[Q.Query] = []
        must_not: list[Q.Query] = []
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
                (must_not if neg else must).append(q)
        self.parsed.positives = len(must)
        if not must and not must_not:
            self.parsed.empty = True
            if typed and not self.notes:
                self.note("查询中没有可检索的文字（只有标点或符号）")
        elif must_not and not must:
            self.parsed.query = Q.AndNot(Q.Every(), Q.Or(must_not))
        else:
            if len(must) == 1:
                positive = must[0]
            else:  # every word, or (relaxed) any word with a bonus for each further word that matches
                positive = Q.Or(must, scale=COORDINATION) if self.any_word else Q.And(must)
            self.parsed.query = Q.AndNot(positive, Q.Or(must_not)) if must_not else positive
        self.parsed.message = "；".join(self.notes) or None
        return self.parsed


def parse(text: str, *, any_word: bool = False) -> ParsedQuery:
    """Parse a query as typed at the counter. Never raises."""
    return _Builder(text or "", any_word).build()


def relaxed(parsed: ParsedQuery) -> list[ParsedQuery]:
    """Looser queries for when the strict one finds nothing, loosest last: long words split into jieba words that
    must all occur; then, when several words were typed, any of them, documents matching more of them first."""
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
    if parsed.positives > 1 and isinstance(loose.query, Q.Or) or (isinstance(loose.query, Q.AndNot) and isinstance(loose.query.a, Q.Or)):
        out.append(loose)
    for q in out:
        q.relaxable = []
    return out
