"""Scanned images: PNG, JPEG, TIFF (every frame of a multi-page TIFF is a page), BMP."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from PIL import Image, ImageSequence, UnidentifiedImageError

from ..model import Rejected, SourcePage
from .limits import MAX_PAGES, check_pixels, pixel_guard

#: Formats a browser/terminal viewer shows as they are; others are stored as PNG page images as well.
VIEWABLE = {"PNG", "JPEG"}


def read(path: Path) -> Iterator[SourcePage]:
    try:
        with pixel_guard(path.name), Image.open(path) as image:
            check_pixels(path.name, *image.size)
            single = getattr(image, "n_frames", 1) == 1
            for number, frame in enumerate(ImageSequence.Iterator(image), start=1):
                if number > MAX_PAGES:
                    raise Rejected(f"「{path.name}」页数超过 {MAX_PAGES}，已拒收", "too many frames")
                check_pixels(path.name, *frame.size)
                page = frame.copy()
                page.load()
                page.info.setdefault("dpi", image.info.get("dpi"))
                yield SourcePage(number, image=page, keep_image=not (single and image.format in VIEWABLE))
    except UnidentifiedImageError as exc:
        raise Rejected(f"「{path.name}」不是可识别的图像文件", repr(exc)) from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise Rejected(f"「{path.name}」图像已损坏或不完整", repr(exc)) from exc
