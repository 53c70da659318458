"""The CJK font embedded in every printed page.

WenQuanYi Micro Hei comes first: fpdf2 embeds it with a ToUnicode map that pypdf extracts cleanly. Noto Sans CJK
(CFF outlines) also embeds, but pypdf reads its text back with a NUL before every character (poppler reads it
fine), so it is only the fallback. ``print.font`` in the archive settings overrides the search.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import ArchiveError

CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
)
SETTING_KEY = "print.font"


def cjk_font(configured: str | None = None) -> Path:
    """The font file to embed: the configured one if it exists, else the first installed candidate."""
    for candidate in ([configured] if configured else []) + list(CANDIDATES):
        path = Path(candidate)
        if path.is_file():
            return path
    raise ArchiveError(
        "找不到可嵌入的中文字体，请安装 fonts-wqy-microhei 或 fonts-noto-cjk",
        f"none of {', '.join(CANDIDATES)} exists",
    )
