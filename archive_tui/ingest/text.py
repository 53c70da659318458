"""Cleaning extracted and recognised text: tesseract's spaces between Chinese characters, stray whitespace."""

from __future__ import annotations

import re
import unicodedata

#: Han ideographs, CJK punctuation and full-width forms: characters between which Chinese text has no spaces.
_CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff60\u2018-\u201d\u2026\u00b7"
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}])[ \t\u00a0\u2002-\u200b]+(?=[{_CJK}])")
_SPACE_BEFORE_CJK_PUNCT = re.compile(r"[ \t]+(?=[，。、；：？！）》」』〕】”’])")
_SPACE_AFTER_CJK_OPEN = re.compile(r"(?<=[（《「『〔【“‘])[ \t]+")
_SPACE_CJK_DIGIT = re.compile(rf"(?<=[{_CJK}])[ \t]+(?=[0-9A-Za-z])|(?<=[0-9A-Za-z])[ \t]+(?=[{_CJK}])")


def join_cjk(text: str) -> str:
    """Remove the spaces tesseract's Chinese models put between characters (and around CJK punctuation).

    Spaces between Latin words are kept; a space between a Chinese character and a digit or Latin letter is
    dropped too, since Chinese typesetting does not use one and OCR inserts it at random.
    """
    text = _SPACE_BETWEEN_CJK.sub("", text)
    text = _SPACE_BEFORE_CJK_PUNCT.sub("", text)
    text = _SPACE_AFTER_CJK_OPEN.sub("", text)
    return _SPACE_CJK_DIGIT.sub("", text)


def tidy(text: str) -> str:
    """Normalise line ends, strip trailing spaces and control characters, collapse runs of blank lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    text = "".join(c for c in text if c in "\n\t\f" or unicodedata.category(c) != "Cc")
    lines = [line.rstrip() for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if not line and out and not out[-1]:
            continue
        out.append(line)
    return "\n".join(out).strip("\n")


def meaningful_chars(text: str) -> int:
    """How many letters/ideographs/digits a text has — to tell a real text layer from an empty or junk one."""
    return sum(1 for c in text if c.isalnum())


#: A page that shows an image and has fewer letters/characters than this in its text layer is a scan
#: (scanners stamp a page number or a few junk characters on top of the picture).
MIN_TEXT_CHARS = 10


def keeps_text_layer(text: str, has_image: bool) -> bool:
    """Whether a fixed-layout page (PDF, OFD) is read from its text layer rather than recognised as a scan.

    Enough meaningful characters always win; a page with a little text and no picture is still text (a short
    last page); a page with a picture and next to no text is a scan with a stamped page number on it.
    """
    chars = meaningful_chars(text)
    return chars >= MIN_TEXT_CHARS or (chars > 0 and not has_image)


_HALF_TO_FULL = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）"}
_ASCII_PUNCT_NEAR_CJK = re.compile(rf"(?<=[{_CJK}])\s*([,:;?!()])\s*|\s*([,:;?!()])\s*(?=[{_CJK}])")
_OCR_DOC_NO = re.compile(r"(?<=[\u4e00-\u9fff])\s*[\[【（(［〔{｛]\s*((?:19|20)\d\d)\s*[\]】）)］〕}｝]\s*(\d{1,5})\s*(?=[号號])")


def fix_ocr_punctuation(text: str) -> str:
    """Chinese text uses full-width punctuation; OCR often returns the ASCII look-alike next to a character.

    The year brackets of a 文号 are always 〔〕 in an official document; OCR reads them as 【】, [ ] or ( ).
    """
    text = _OCR_DOC_NO.sub(lambda m: f"〔{m[1]}〕{m[2]}", text)
    return _ASCII_PUNCT_NEAR_CJK.sub(lambda m: _HALF_TO_FULL[m[1] or m[2]], text)


def cjk_ratio(text: str) -> float:
    """Share of Han characters among the letters of a text (0 for no letters)."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for c in letters if "\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff") / len(letters)
