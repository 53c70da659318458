"""What moves between the walker, the worker processes and the committing process (all picklable)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image

from ..errors import ArchiveError


class Rejected(ArchiveError):
    """This document cannot be ingested; the batch goes on. ``message`` is Chinese, ``detail`` English."""


@dataclass
class SourcePage:
    """One page as a format reader delivers it: a usable text layer, or an image to recognise."""

    file_page: int  # 1-based within its file
    text: str | None = None
    image: Image.Image | None = None
    keep_image: bool = True  # store the image for viewing/printing (False when the original file is the image)
    note: str | None = None  # a problem with this page (Chinese): the page is kept and flagged for checking


@dataclass
class InputFile:
    path: Path
    sha256: str
    size: int


@dataclass
class Job:
    """One document to ingest: one or more files (a manifest row, or a single file found by walking)."""

    seq: int
    label: str  # how the report names it: the path, or 清单第N行
    files: list[InputFile]
    fields: dict[str, Any] = field(default_factory=dict)  # from the manifest, already cleaned
    attempts: int = 0


@dataclass
class StoredFile:
    name: str
    source_path: str
    sha256: str
    stored_path: str
    size: int
    mime: str


@dataclass
class PageOut:
    file_index: int
    file_page: int
    text: str
    confidence: float | None  # None for a text layer
    lang: str | None
    image_path: str | None
    flagged: bool
    note: str | None = None  # why the page is flagged, when it is not just a low OCR confidence


@dataclass
class Extracted:
    """A worker's answer for one job: everything needed for the database transaction, or the rejection."""

    seq: int
    files: list[StoredFile] = field(default_factory=list)
    pages: list[PageOut] = field(default_factory=list)
    suggested: dict[str, str] = field(default_factory=dict)
    scanned: bool = False  # any page came from an image (paper original)
    rejection: tuple[str, str] | None = None
    seconds: float = 0.0

    @property
    def ocr_pages(self) -> int:
        return sum(1 for p in self.pages if p.confidence is not None)
