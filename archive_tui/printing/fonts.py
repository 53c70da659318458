"""The CJK font embedded in every printed page.

WenQuanYi Micro Hei comes first: fpdf2 embeds it with a ToUnicode map that pypdf extracts cleanly. Noto Sans CJK
(CFF outlines) also embeds, but pypdf reads its text back with a NUL before every character (poppler reads it
fine), so it is only the fallback. ``print.font`` in the archive settings overrides the search.

Loading the whole font (≈50,000 glyphs) costs fpdf2 1–2 s per document, more than composing the pages. So a
cached subset with the GB 2312 characters, ASCII and full-width forms (≈7,600 glyphs, ~4× faster to load) is
built once per machine (:func:`warm_cache`, a few seconds; after a print, the dialog and ``archive-tui print`` start
it in the background with :func:`warm_cache_soon`) in the user cache folder; a job whose text is all
inside it uses it, anything else falls back to the full font. The cache is an optimisation only: without it
every job still prints, with the full font.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from functools import lru_cache
from pathlib import Path

import platformdirs
from fontTools import subset, ttLib

from ..errors import ArchiveError

CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
)
SETTING_KEY = "print.font"
CACHE_ENV = "ARCHIVE_TUI_FONT_CACHE"


def cjk_font(configured: str | None = None) -> Path:
    """The full font to embed: the configured one if it exists, else the first installed candidate."""
    for candidate in ([configured] if configured else []) + list(CANDIDATES):
        path = Path(candidate)
        if path.is_file():
            return path
    raise ArchiveError(
        "找不到可嵌入的中文字体，请安装 fonts-wqy-microhei 或 fonts-noto-cjk",
        f"none of {', '.join(CANDIDATES)} exists",
    )


def font_for(text: str, configured: str | None = None) -> Path:
    """The cached common-character subset if it covers every character of ``text``, else the full font."""
    full = cjk_font(configured)
    cached = _cache_path(full)
    if cached.is_file() and set(text) - set("\n\r\t") <= _covered(cached):
        return cached
    return full


def warm_cache(configured: str | None = None) -> Path | None:
    """Build the common-character subset of the font if it is missing; None when the cache cannot be written."""
    full = cjk_font(configured)
    target = _cache_path(full)
    if target.is_file():
        return target
    font = ttLib.TTFont(full, fontNumber=0, lazy=True)
    options = subset.Options(notdef_outline=True, hinting=False, layout_features=[], name_IDs=["*"],
                             glyph_names=False, drop_tables=["FFTM", "GSUB", "GPOS", "GDEF", "DSIG"])
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="".join(sorted(common_characters())))
    subsetter.subset(font)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".part")
        with os.fdopen(fd, "wb") as fh:
            font.save(fh)
        os.replace(tmp, target)
    except OSError:
        return None
    return target


def warm_cache_soon(configured: str | None = None) -> bool:
    """Start building the subset in a separate process if it is missing (fontTools is pure Python: in a
    thread of the terminal app it would hold the GIL for seconds). Returns True when a build was started."""
    if _cache_path(cjk_font(configured)).is_file():
        return False
    code = "import sys; from archive_tui.printing import fonts; fonts.warm_cache(sys.argv[1] or None)"
    try:
        subprocess.Popen([sys.executable, "-c", code, configured or ""], stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    except OSError:
        return False
    return True


def common_characters() -> set[str]:
    """GB 2312 (all rows), printable ASCII and the full-width forms."""
    chars = {chr(c) for c in range(0x20, 0x7F)} | {chr(c) for c in range(0xFF01, 0xFF5F)}
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                chars.add(bytes((high, low)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return chars | set("〔〕　—–·‘’“”…●○■□△※")


def _cache_path(full: Path) -> Path:
    stat = full.stat()
    base = Path(os.environ.get(CACHE_ENV) or platformdirs.user_cache_dir("archive-tui")) / "fonts"
    return base / f"{full.stem}-{stat.st_size}-{int(stat.st_mtime)}-common-v2.ttf"


@lru_cache(maxsize=4)
def _covered(path: Path) -> frozenset[str]:
    cmap = ttLib.TTFont(path, lazy=True).getBestCmap() or {}
    return frozenset(chr(c) for c in cmap)
