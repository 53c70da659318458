"""Getting a scanned page ready for tesseract with Pillow: grey, ~300 dpi, upright, straight, full contrast.

Orientation (tesseract's OSD) costs about as much as recognising a small page, so :mod:`.ocr` asks for it only
when a first pass reads badly; deskewing is a cheap projection-profile search on a thumbnail.
"""

from __future__ import annotations

from PIL import Image, ImageFilter, ImageOps

TARGET_DPI = 300
#: Scans between these resolutions are left at their size; outside, they are scaled to TARGET_DPI.
DPI_KEEP = (250, 400)
MAX_SKEW = 6.0  # degrees searched either way
_THUMB_WIDTH = 600


def to_grey(image: Image.Image) -> Image.Image:
    """8-bit grey; transparency is flattened onto white (scanner software sometimes writes RGBA)."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(white, rgba)
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        image = image.point(lambda v: v / 256).convert("L") if image.mode != "I" else image.convert("L")
    return image.convert("L")


def source_dpi(image: Image.Image) -> float | None:
    dpi = image.info.get("dpi")
    if not dpi:
        return None
    try:
        value = float(dpi[0] if isinstance(dpi, tuple) else dpi)
    except (TypeError, ValueError):
        return None
    return value if 50 <= value <= 2400 else None


def rescale(image: Image.Image, dpi: float | None) -> Image.Image:
    """Scale to about 300 dpi when the scan says it was made at a very different resolution."""
    if dpi is None or DPI_KEEP[0] <= dpi <= DPI_KEEP[1]:
        return image
    factor = TARGET_DPI / dpi
    size = (max(1, round(image.width * factor)), max(1, round(image.height * factor)))
    return image.resize(size, Image.LANCZOS)


def _profile_score(ink: Image.Image, angle: float) -> float:
    """Sharpness of the row profile after rotating: straight text lines give tall peaks and empty gaps."""
    rotated = ink.rotate(angle, resample=Image.BILINEAR, fillcolor=0)
    rows = list(rotated.resize((1, rotated.height), Image.BOX).get_flattened_data())
    return float(sum((a - b) ** 2 for a, b in zip(rows, rows[1:])))


def skew_angle(grey: Image.Image) -> float:
    """The rotation (degrees, counter-clockwise) that makes the text lines horizontal."""
    scale = _THUMB_WIDTH / grey.width if grey.width > _THUMB_WIDTH else 1.0
    thumb = grey.resize((max(1, round(grey.width * scale)), max(1, round(grey.height * scale))), Image.BOX)
    ink = ImageOps.invert(ImageOps.autocontrast(thumb)).point(lambda v: 255 if v > 100 else 0)
    if ink.getbbox() is None:
        return 0.0
    best = max((a / 2 for a in range(int(-MAX_SKEW * 2), int(MAX_SKEW * 2) + 1)), key=lambda a: _profile_score(ink, a))
    fine = [best + d / 10 for d in range(-5, 6)]
    return max(fine, key=lambda a: _profile_score(ink, a))


def deskew(grey: Image.Image) -> Image.Image:
    angle = skew_angle(grey)
    if abs(angle) < 0.3:
        return grey
    return grey.rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor=255)


def prepare(image: Image.Image) -> Image.Image:
    """The whole chain for one page, except orientation (see :func:`archive_tui.ingest.ocr.read_page`).

    Contrast is stretched before deskewing: the corners a rotation adds are white, which must then be the
    paper's colour too — stretched afterwards, they would count as the brightest paper and leave a faded
    page mid-grey. A 3×3 median removes isolated speckles last.
    """
    dpi = source_dpi(image)
    grey = ImageOps.autocontrast(rescale(to_grey(image), dpi), cutoff=1)
    return deskew(grey).filter(ImageFilter.MedianFilter(3))


def rotate_upright(grey: Image.Image, degrees: int) -> Image.Image:
    """Turn a page ``degrees`` clockwise, as OSD's "Rotate" asks (Pillow turns counter-clockwise)."""
    return grey.rotate(-degrees, expand=True, fillcolor=255) if degrees % 360 else grey
