"""What a worker process does with one document: read every file, OCR the scanned pages, store the files and
page images in the content-addressed store, suggest catalogue fields. The database is not touched here."""

from __future__ import annotations

import io
import os
import signal
import time
from pathlib import Path

from .. import storage
from . import formats, ocr, suggest
from .model import Extracted, Job, PageOut, Rejected, SourcePage, StoredFile
from .report import page_notes


def init() -> None:
    """Worker start-up: tesseract single-threaded, and Ctrl-C is the parent's business (it stops cleanly)."""
    os.environ["OMP_THREAD_LIMIT"] = "1"
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _fresh(store: Path, rel: str) -> str:
    """Mark stored content as in use now: the cleanup of unreferenced files spares recent ones."""
    try:
        os.utime(store / rel)
    except PermissionError:
        pass  # stored by another user: the cleanup then merely keeps it longer
    return rel


#: Image modes PNG can hold; others (CMYK scans, say) are stored as RGB.
_PNG_MODES = {"1", "L", "LA", "P", "RGB", "RGBA", "I", "I;16"}


def _page_image(store: Path, page: SourcePage, original: str) -> str:
    if not page.keep_image:
        return original
    image = page.image if page.image.mode in _PNG_MODES else page.image.convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, "PNG", compress_level=3)
    return _fresh(store, storage.put_bytes(store, buffer.getvalue(), ".png")[1])


def _store(store: Path, path: Path, expected: str, mime: str) -> StoredFile:
    sha256 = storage.sha256_of(path)
    if sha256 != expected:
        raise Rejected(f"「{path.name}」在入库过程中被修改，请稍后重试", "content changed after hashing")
    _, rel, size = storage.put_file(store, path, sha256)
    return StoredFile(path.name, str(path), sha256, _fresh(store, rel), size, mime)


def _read_file(store: Path, index: int, path: Path, sha256: str, out: Extracted) -> None:
    kind = formats.sniff(path)
    reader, mime, _ = formats.FORMATS[kind]
    original = storage.relative_path(sha256, path.suffix)
    pages: list[PageOut] = []
    for page in reader(path):
        noted = page.note is not None
        if page.text is not None:
            pages.append(PageOut(index, page.file_page, page.text, None, None, None, noted, page.note))
            continue
        result = ocr.read_page(page.image)
        pages.append(PageOut(index, page.file_page, result.text, result.confidence, result.lang,
                             _page_image(store, page, original), result.flagged or noted, page.note))
        out.scanned = True
        page.image.close()
    if not pages:
        raise Rejected(f"「{path.name}」没有任何页面", "no pages")
    if all(p.confidence is None for p in pages) and not any(p.text.strip() for p in pages):
        notes = "；".join(page_notes({p.file_page: p.note for p in pages if p.note}))
        raise Rejected(f"「{path.name}」没有文字内容" + (f"（{notes}）" if notes else ""),
                       "electronic document without text")
    out.files.append(_store(store, path, sha256, mime))
    out.pages.extend(pages)


def process(job: Job, store_dir: str) -> Extracted:
    """Turn one job into an :class:`Extracted`; a bad file gives a rejection instead (never an exception)."""
    started = time.monotonic()
    out = Extracted(job.seq)
    store = Path(store_dir)
    try:
        for index, item in enumerate(job.files):
            try:
                _read_file(store, index, item.path, item.sha256, out)
            except OSError as exc:
                raise Rejected(f"「{item.path.name}」无法读取：{exc.strerror or exc}", repr(exc)) from exc
            except MemoryError as exc:
                raise Rejected(f"「{item.path.name}」太大，内存不足，已拒收", "MemoryError") from exc
        out.suggested = suggest.suggest("\n".join(p.text for p in out.pages))
    except Rejected as exc:
        out = Extracted(job.seq, rejection=(exc.message, exc.detail))
    except Exception as exc:  # a library choking on hostile input must not stop the batch
        out = Extracted(job.seq, rejection=("文件内容异常，无法处理", f"{type(exc).__name__}: {exc}"))
    out.seconds = time.monotonic() - started
    return out
