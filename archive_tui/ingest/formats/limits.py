"""Guards against hostile or broken input: decompression bombs in images, zip bombs in DOCX/OFD."""

from __future__ import annotations

import warnings
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PIL import Image

from ..model import Rejected

#: Largest image accepted, in pixels: an A3 page at 600 dpi is ~70 million. Pillow warns above this and
#: raises DecompressionBombError above twice this; the warning is turned into a rejection as well.
MAX_PIXELS = 100_000_000
MAX_PAGES = 2000
MAX_UNZIPPED = 256 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed for one zip member

Image.MAX_IMAGE_PIXELS = MAX_PIXELS
warnings.simplefilter("error", Image.DecompressionBombWarning)


def bomb(name: str, detail: str) -> Rejected:
    return Rejected(f"「{name}」解压后过大，疑为压缩炸弹，已拒收", detail)


def check_pixels(name: str, width: int, height: int) -> None:
    if width * height > MAX_PIXELS:
        raise bomb(name, f"{width}x{height} pixels exceeds the limit of {MAX_PIXELS}")


@contextmanager
def pixel_guard(name: str) -> Iterator[None]:
    """Pillow's decompression-bomb error (and its warning, made an error above) become a rejection of ``name``."""
    try:
        yield
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise bomb(name, str(exc)) from exc


def open_zip(path: Path) -> zipfile.ZipFile:
    """Open a zip package after checking that it does not expand to something enormous."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise Rejected(f"「{path.name}」已损坏，无法打开（压缩包结构错误）", repr(exc)) from exc
    total = 0
    for info in archive.infolist():
        total += info.file_size
        if info.file_size > 1 << 20 and info.file_size > MAX_RATIO * max(1, info.compress_size):
            archive.close()
            raise bomb(path.name, f"member {info.filename} ratio {info.file_size}/{info.compress_size}")
    if total > MAX_UNZIPPED:
        archive.close()
        raise bomb(path.name, f"unzipped size {total} exceeds {MAX_UNZIPPED}")
    return archive
