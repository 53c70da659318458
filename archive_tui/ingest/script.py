"""Simplified or Traditional? Chosen per page, since ``chi_sim+chi_tra`` together read worse than the right one.

Each model happily reads the other script (transcribing it into its own), so the output characters do not tell;
the models' confidence does. A few of the longest lines of the first (Simplified) pass are read again with
the Traditional model and the confidences compared on the same lines.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PIL import Image

if TYPE_CHECKING:
    from .ocr import Reading

SIMPLIFIED = "chi_sim"
TRADITIONAL = "chi_tra"
ENGLISH = "eng"
SAMPLE_LINES = 4
PAD = 6
#: Traditional must beat Simplified by this many confidence points to switch (ties stay Simplified).
MARGIN = 2.0


def sample_strip(grey: Image.Image, reading: "Reading") -> tuple[Image.Image, list[int]] | None:
    """The longest lines of a reading, stacked into one small image, and their indices."""
    ranked = sorted(range(len(reading.lines)), key=lambda i: -len(reading.lines[i].text))[:SAMPLE_LINES]
    ranked = [i for i in ranked if len(reading.lines[i].text) >= 4]
    if not ranked:
        return None
    crops = []
    for i in ranked:
        left, top, right, bottom = reading.lines[i].box
        crops.append(grey.crop((max(0, left - PAD), max(0, top - PAD), min(grey.width, right + PAD),
                                min(grey.height, bottom + PAD))))
    strip = Image.new("L", (max(c.width for c in crops) + 2 * PAD, sum(c.height + PAD for c in crops) + PAD), 255)
    y = PAD
    for crop in crops:
        strip.paste(crop, (PAD, y))
        y += crop.height + PAD
    return strip, ranked


def choose(grey: Image.Image, reading: "Reading") -> str:
    """``chi_tra`` if the page reads better with the Traditional model, else ``chi_sim``."""
    from .ocr import recognise

    sample = sample_strip(grey, reading)
    if sample is None:
        return reading.lang
    strip, ranked = sample
    chars = sum(len(reading.lines[i].text) for i in ranked)
    simplified = sum(reading.lines[i].confidence * len(reading.lines[i].text) for i in ranked) / chars
    traditional = recognise(strip, TRADITIONAL).confidence
    return TRADITIONAL if traditional > simplified + MARGIN else SIMPLIFIED


def of_text(text: str) -> str:
    """Script of a text (electronic documents): characters that exist only in one script decide."""
    from opencc import OpenCC

    to_simple = OpenCC("t2s").convert(text)
    to_traditional = OpenCC("s2t").convert(text)
    traditional_only = sum(1 for a, b in zip(text, to_simple) if a != b)
    simplified_only = sum(1 for a, b in zip(text, to_traditional) if a != b)
    return TRADITIONAL if traditional_only > simplified_only else SIMPLIFIED
