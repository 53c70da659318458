"""Reading one page image with tesseract (pytesseract): text, mean confidence, the model used, a review flag.

Per page: a first pass with ``chi_sim``; :mod:`.script` then checks a few lines with ``chi_tra`` and the page
is read again with the Traditional model when it fits better. A page that reads badly is offered to OSD and
turned upright if tesseract is sure it lies on its side. Tesseract must run single-threaded
(``OMP_THREAD_LIMIT=1``): the pipeline parallelises with processes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import pytesseract
from PIL import Image

from . import preprocess, script
from .text import cjk_ratio, fix_ocr_punctuation, join_cjk

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

PSM = "--psm 6"  # one uniform block: more robust than automatic layout on noisy official documents
#: Pages whose mean word confidence is below this are flagged for the archivist to check.
FLAG_BELOW = 70.0
#: Below this a page may be on its side: ask OSD.
TRY_OSD_BELOW = 70.0
OSD_MIN_CONFIDENCE = 1.5
#: Below this, and OSD unsure, the other three orientations are tried; one must beat the first by the margin.
TRIAL_BELOW = 50.0
TRIAL_MARGIN = 15.0


@dataclass
class Line:
    text: str
    confidence: float
    box: tuple[int, int, int, int]  # left, top, right, bottom


@dataclass
class Reading:
    lang: str
    lines: list[Line] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    @property
    def confidence(self) -> float:
        """Mean word confidence, weighted by characters so that one-character fragments do not dominate."""
        weight = sum(len(line.text) for line in self.lines)
        if not weight:
            return 0.0
        return sum(line.confidence * len(line.text) for line in self.lines) / weight


@dataclass
class PageText:
    text: str
    confidence: float
    lang: str
    flagged: bool
    rotated: int = 0  # degrees turned by OSD


def recognise(image: Image.Image, lang: str) -> Reading:
    """One tesseract pass; words are grouped into lines and the spaces between Chinese characters removed."""
    data = pytesseract.image_to_data(image, lang=lang, config=PSM, output_type=pytesseract.Output.DICT)
    groups: dict[tuple[int, int, int], list[int]] = {}
    for i, word in enumerate(data["text"]):
        if word.strip() and float(data["conf"][i]) >= 0:
            groups.setdefault((data["block_num"][i], data["par_num"][i], data["line_num"][i]), []).append(i)
    reading = Reading(lang)
    for key in sorted(groups):
        idx = groups[key]
        words = [data["text"][i] for i in idx]
        text = fix_ocr_punctuation(join_cjk(" ".join(words)))
        chars = sum(len(w) for w in words)
        conf = sum(float(data["conf"][i]) * len(data["text"][i]) for i in idx) / chars
        left = min(data["left"][i] for i in idx)
        top = min(data["top"][i] for i in idx)
        right = max(data["left"][i] + data["width"][i] for i in idx)
        bottom = max(data["top"][i] + data["height"][i] for i in idx)
        reading.lines.append(Line(text, conf, (left, top, right, bottom)))
    return reading


def _osd_rotation(image: Image.Image) -> int:
    """Clockwise degrees the page is turned, when OSD is confident; 0 otherwise (also when it cannot tell)."""
    try:
        osd = pytesseract.image_to_osd(image, output_type=pytesseract.Output.DICT)
    except pytesseract.TesseractError:
        return 0  # too little text for OSD
    if float(osd.get("orientation_conf", 0)) < OSD_MIN_CONFIDENCE:
        return 0
    return int(osd.get("rotate", 0)) % 360


def _trial_rotation(grey: Image.Image, baseline: float) -> int:
    """When OSD cannot tell (it often cannot on short Chinese pages), read a half-size copy each way round."""
    half = grey.resize((max(1, grey.width // 2), max(1, grey.height // 2)), Image.BOX)
    scores = {turn: recognise(preprocess.rotate_upright(half, turn), script.SIMPLIFIED).confidence
              for turn in (90, 180, 270)}
    best = max(scores, key=scores.__getitem__)
    return best if scores[best] > baseline + TRIAL_MARGIN else 0


def _read_upright(grey: Image.Image) -> tuple[Reading, Image.Image, int]:
    first = recognise(grey, script.SIMPLIFIED)
    if first.confidence >= TRY_OSD_BELOW and len(first.text) >= 4:
        return first, grey, 0
    turn = _osd_rotation(grey)
    if not turn and first.confidence < TRIAL_BELOW:
        turn = _trial_rotation(grey, first.confidence)
    if not turn:
        return first, grey, 0
    turned = preprocess.rotate_upright(grey, turn)
    second = recognise(turned, script.SIMPLIFIED)
    return (second, turned, turn) if second.confidence > first.confidence else (first, grey, 0)


def read_page(image: Image.Image) -> PageText:
    """Preprocess and recognise one scanned page."""
    grey = preprocess.prepare(image)
    reading, grey, turn = _read_upright(grey)
    lang = script.choose(grey, reading)
    if lang != reading.lang:
        reading = recognise(grey, lang)
    if reading.lines and cjk_ratio(reading.text) < 0.2:
        latin = recognise(grey, script.ENGLISH)
        if latin.confidence > reading.confidence:
            reading = latin
    confidence = round(reading.confidence, 1)
    text = reading.text
    return PageText(text, confidence, reading.lang, confidence < FLAG_BELOW or not text.strip(), turn)
