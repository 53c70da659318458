"""The scanned image on an OFD page: ``ImageObject`` → ``MultiMedia`` resource → a media file in the package.

Resources are declared in the document's ``PublicRes``/``DocumentRes`` files and a page's own ``PageRes``; a
resource file's ``BaseLoc`` is the folder of its ``MediaFile`` entries. Every path is resolved inside the zip (a
path climbing out with ``..`` is refused). Problems with one page's image (a missing resource, JBIG2, an
unreadable file) become a Chinese note on that page; only a decompression bomb rejects the whole document.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass, field

from lxml import etree
from PIL import Image, UnidentifiedImageError

from .limits import check_pixels, pixel_guard

NS = "{http://www.ofdspec.org/2016}"
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
_JBIG2_MAGIC = b"\x97JB2\r\n\x1a\n"
_JBIG2_SUFFIXES = (".jb2", ".jbig2", ".jbg2")


def resolve(folder: str, ref: str) -> str | None:
    """``ref`` (absolute from the package root, or relative to ``folder``) as a zip member name; ``None`` when
    it climbs out of the package."""
    ref = ref.strip().replace("\\", "/")
    name = posixpath.normpath(ref.lstrip("/") if ref.startswith("/") else posixpath.join(folder, ref))
    if name == ".":
        return ""
    if name == ".." or name.startswith("../") or name.startswith("/"):
        return None
    return name


def numbers(value: str | None) -> list[float]:
    """An OFD list of numbers (a ``Boundary``, a coordinate); empty when malformed."""
    try:
        return [float(v) for v in (value or "").split()]
    except ValueError:
        return []


@dataclass
class Media:
    name: str | None  # zip member; None when its path climbs out of the package
    ref: str  # the MediaFile text, for messages
    fmt: str  # the declared Format, upper case ("" when not given)


@dataclass
class Resources:
    """The MultiMedia entries of the package's resource files by ID, each file read once."""

    archive: zipfile.ZipFile
    _files: dict[str, dict[str, Media] | str] = field(default_factory=dict)

    def _parse(self, name: str) -> dict[str, Media] | str:
        try:
            root = etree.fromstring(self.archive.read(name), PARSER)
        except KeyError:
            return f"资源文件 {name} 缺失"
        except etree.XMLSyntaxError:
            return f"资源文件 {name} 已损坏"
        folder = resolve(posixpath.dirname(name), root.get("BaseLoc") or "")
        if folder is None:
            return f"资源文件 {name} 的 BaseLoc 指向 OFD 文件之外"
        found: dict[str, Media] = {}
        for entry in root.iter(f"{NS}MultiMedia"):
            ref = (entry.findtext(f"{NS}MediaFile") or "").strip()
            if entry.get("ID") and ref:
                found[entry.get("ID").strip()] = Media(resolve(folder, ref), ref, (entry.get("Format") or "").upper())
        return found

    def find(self, files: list[str | None], res_id: str) -> Media | str:
        """The media of ``res_id`` in the first of ``files`` declaring it, or why it cannot be found."""
        problems = []
        for name in files:
            if name is None:
                problems.append("资源文件路径指向 OFD 文件之外")
                continue
            if name not in self._files:
                self._files[name] = self._parse(name)
            entries = self._files[name]
            if isinstance(entries, str):
                problems.append(entries)
            elif res_id in entries:
                return entries[res_id]
        return f"扫描图像资源（ID {res_id}）在 OFD 文件中找不到" + (f"（{'；'.join(problems)}）" if problems else "")


def _dpi(image: Image.Image, boundary: list[float]) -> None:
    """The scan's resolution from the size it is shown at on the page (mm), which OCR scaling relies on."""
    if len(boundary) == 4 and boundary[2] > 0 and boundary[3] > 0:
        dpi = (image.width * 25.4 / boundary[2], image.height * 25.4 / boundary[3])
        if all(50 <= d <= 2400 for d in dpi):
            image.info["dpi"] = tuple(round(d) for d in dpi)


def _open(archive: zipfile.ZipFile, media: Media, label: str) -> Image.Image | str:
    """The image header (pixels not decoded yet), or why it cannot be used; a bomb raises :class:`Rejected`."""
    if media.name is None:
        return f"扫描图像路径 {media.ref} 指向 OFD 文件之外，已忽略"
    try:
        data = archive.read(media.name)
    except KeyError:
        return f"扫描图像文件 {media.name} 在 OFD 文件中缺失"
    if media.fmt in ("JBIG2", "JB2") or media.name.lower().endswith(_JBIG2_SUFFIXES) or data.startswith(_JBIG2_MAGIC):
        return f"扫描图像 {media.name} 为 JBIG2 格式，暂不支持识别，请对照原件核对"
    try:
        with pixel_guard(label):
            image = Image.open(io.BytesIO(data))
            check_pixels(label, *image.size)
    except UnidentifiedImageError:
        return f"扫描图像 {media.name} 不是可识别的图像格式"
    except (OSError, SyntaxError, ValueError, EOFError):
        return f"扫描图像 {media.name} 已损坏，无法读取"
    return image


def scan(archive: zipfile.ZipFile, resources: Resources, page, res_files: list[str | None],
         label: str) -> tuple[Image.Image | None, list[str]]:
    """The largest image (by pixel area) on a page, decoded, and notes on the images that could not be used."""
    notes: list[str] = []
    found: list[tuple[int, Image.Image, list[float], str]] = []
    for obj in page.iter(f"{NS}ImageObject"):
        media = resources.find(res_files, (obj.get("ResourceID") or "").strip())
        opened = media if isinstance(media, str) else _open(archive, media, label)
        if isinstance(opened, str):
            notes.append(opened)
        else:
            found.append((opened.width * opened.height, opened, numbers(obj.get("Boundary")), media.name))
    if not found:
        return None, notes
    found.sort(key=lambda item: item[0], reverse=True)
    for _, other, _, _ in found[1:]:
        other.close()
    _, image, boundary, name = found[0]
    try:
        with pixel_guard(label):
            image.load()
    except (OSError, SyntaxError, ValueError, EOFError):
        image.close()
        return None, [*notes, f"扫描图像 {name} 已损坏，无法读取"]
    _dpi(image, boundary)
    return image, notes
