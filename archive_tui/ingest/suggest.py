"""Catalogue suggestions from a document's text: 信息名称, 文号, 发布机构, 成文日期, 体裁分类, 时效性/废止日期.

Official documents follow the layout of GB/T 9704: the issuing body's header (…文件), the 文号, a title
"关于……的通知", the body, and at the end the issuing body and the date written in Chinese numerals. The
suggestions are stored as unconfirmed (``records.suggested``) until an archivist confirms them.
"""

from __future__ import annotations

import re

from ..domain import dates, docno, vocab
from ..domain.chinese import to_simplified

#: Genre words a title ends with, longest first so that 实施方案 wins over 方案 and 通告 over 告.
_GENRE_ENDINGS = [
    ("年度报告", "年报"), ("工作报告", "报告"), ("命令", "命令（令）"),
    ("通知", "通知"), ("决定", "决定"), ("公告", "公告"), ("通告", "通告"), ("意见", "意见"), ("通报", "通报"),
    ("议案", "议案"), ("报告", "报告"), ("请示", "请示"), ("批复", "批复"), ("纪要", "纪要"), ("规划", "规划"),
    ("计划", "计划"), ("方案", "方案"), ("办法", "办法"), ("规定", "规定"), ("年报", "年报"), ("复函", "函"),
    ("函", "函"), ("令", "命令（令）"),
]
_ORG_END = re.compile(r"(人民政府|政府|办公室|委员会|局|厅|部|院|委|会|中心|署|处|所|站|队|公司|管委会|办|室|馆|街道|镇|乡)$")
_HEADER = re.compile(r"^(?P<org>.{2,30}?)文件$")
_TITLE_START = re.compile(r"^(.{0,24}?(关于|關於)|印发|转发)")
#: Title endings that are not genres of the vocabulary but still close a title line.
_OTHER_ENDINGS = ("公报", "公示", "简报", "名单", "花名册", "目录", "解读", "一封信")
_ORG_AND_DATE = re.compile(r"^(?P<org>.{2,30}?)[\s　]*(?P<date>(?:19|20)\d\d年.{1,6}日|[〇零○一二三四五六七八九]{4}年.{1,6}日)$")
_REPEALED = re.compile(r"已废止|已失效|已廢止|宣布废止|予以废止|停止执行|已于[^。\n]{0,20}?(?:废止|失效|廢止)")
MAX_TITLE_LINE = 40  # longer lines are body paragraphs (electronic texts keep a paragraph on one line)
_LEADING_NOISE = re.compile(r"^[^\w\u4e00-\u9fff]+")
_NOISE = re.compile(r"^[\s\d\-—·.。，,、*]*$")


def _lines(text: str) -> list[str]:
    return [re.sub(r"\s+", "", line) for line in text.splitlines() if line.strip()]


def genre_of(title: str) -> str | None:
    stripped = title.rstrip("》」）)")
    for ending, genre in _GENRE_ENDINGS:
        if stripped.endswith(ending) and vocab.allows("genre", genre):
            return genre
    return None


def _ends_title(text: str) -> bool:
    return bool(genre_of(text)) or text.rstrip("》」）)").endswith(_OTHER_ENDINGS)


def _candidate(line: str) -> bool:
    return (4 <= len(line) <= MAX_TITLE_LINE and not _NOISE.match(line) and not _HEADER.match(line)
            and not docno.find_all(line) and not line.endswith(("：", ":")))


def title_of(lines: list[str]) -> str | None:
    """The 标题: the first line near the top that starts a title (…关于…, or a line that, alone or with the next
    short line, ends with a genre word), continued over wrapped lines until it ends like a title."""
    head = lines[:25]
    for i, line in enumerate(head):
        if not _candidate(line):
            continue
        following = head[i + 1:i + 3]
        if _TITLE_START.match(line):
            title = line
            for nxt in following:
                if (_ends_title(title) or len(nxt) > len(line) or _NOISE.match(nxt) or docno.find_all(nxt)
                        or nxt.endswith(("：", ":"))):
                    break
                title += nxt
            return title
        if _ends_title(line):
            return line
        if following and len(following[0]) <= 12 and _ends_title(line + following[0]):
            return line + following[0]
    return next((line for line in head if _candidate(line)), None)


def doc_no_of(lines: list[str]) -> str | None:
    """The document's own 文号 stands on a line of its own near the top (perhaps beside 签发人); one quoted
    inside a sentence belongs to another document."""
    for line in lines[:15]:
        found = docno.find_all(line)
        if found and len(line) - len(found[0].normal) <= 10:
            return found[0].normal
    return None


def issuer_of(lines: list[str]) -> str | None:
    """The signature above the closing date (or beside it), else the header (临川县人民政府文件 → 临川县人民政府)."""
    for line in lines[-12:] + lines[:5]:
        both = _ORG_AND_DATE.match(line)
        if both and _ORG_END.search(both["org"]) and dates.find_all(both["date"]):
            return both["org"]
    for i in range(len(lines) - 1, max(-1, len(lines) - 12), -1):
        if dates.find_all(lines[i]) and len(lines[i]) <= 16 and i > 0:
            top = i
            while top > 0 and _ORG_END.search(lines[top - 1]) and len(lines[top - 1]) <= 30:
                top -= 1  # joint documents sign one body per line; the lead signs first
            if top < i:
                return lines[top]
    for line in lines[:6]:
        header = _HEADER.match(line)
        if header:
            return header["org"]
    for line in lines[:3]:
        if _ORG_END.search(line) and len(line) <= 30 and not _TITLE_START.match(line):
            return line
    return None


def created_date_of(lines: list[str]) -> str | None:
    """成文日期: the last date of the last lines (where the signature is), else the first date in the text."""
    for line in reversed(lines[-10:]):
        found = dates.find_all(line)
        if found and len(line) <= 20:
            return found[-1].isoformat()
    found = dates.find_all("\n".join(lines))
    return found[0].isoformat() if found else None


def validity_of(text: str) -> tuple[str, str | None] | None:
    """(时效性, 废止日期) when the text says the document has been repealed."""
    m = _REPEALED.search(text)
    if not m:
        return None
    window = text[max(0, m.start() - 40):m.end() + 10]
    found = dates.find_all(window)
    return "已废止", found[-1].isoformat() if found else None


def _simplified(name: str) -> str:
    """发布机构 is catalogued in Simplified characters whatever script the document is printed in."""
    return to_simplified(name)


def suggest(text: str) -> dict[str, str]:
    """Suggested catalogue fields (only those found) from the text of the whole document."""
    lines = _lines(text)
    out: dict[str, str] = {}
    if not lines:
        return out
    title = title_of(lines)
    if title:
        out["title"] = title
        genre = genre_of(title)
        if genre:
            out["genre"] = genre
    doc_no = doc_no_of(lines)
    if doc_no:
        out["doc_no"] = doc_no
    issuer = issuer_of(lines)
    if issuer and _LEADING_NOISE.sub("", issuer):
        out["issuer"] = _simplified(_LEADING_NOISE.sub("", issuer))
    created = created_date_of(lines)
    if created:
        out["created_date"] = created
    validity = validity_of(text)
    if validity:
        out["validity"] = validity[0]
        if validity[1]:
            out["repeal_date"] = validity[1]
    return out
