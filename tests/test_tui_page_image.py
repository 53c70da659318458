"""Where the record screen's page picture comes from: the stored page image, else the page of its file (an image,
or a PDF page rendered with PDFium); nothing when the page has neither."""

from __future__ import annotations

import io

from PIL import Image

from archive_tui import Archive
from archive_tui.storage import put_bytes
from archive_tui.tui.widgets.page_image import load_page_image


def _released_with_file(archive: Archive, staff, data: bytes, suffix: str, mime: str) -> tuple[int, int]:
    record_id = archive.add_record({"title": "页面图像测试"}, staff)
    archive.db["records"].update(record_id, {"status": "released"})
    sha, rel, size = put_bytes(archive.store_dir, data, suffix)
    file_id = archive.db["files"].insert({"record_id": record_id, "seq": 1, "name": f"原件{suffix}", "sha256": sha,
                                          "size": size, "mime": mime, "stored_path": rel}).last_pk
    return record_id, file_id


def test_pdf_page_is_rendered(archive: Archive, staff, clerk) -> None:
    pages = [Image.new("RGB", (200, 300), color) for color in ("white", "black")]
    buffer = io.BytesIO()
    pages[0].save(buffer, format="PDF", save_all=True, append_images=pages[1:], resolution=72)
    record_id, file_id = _released_with_file(archive, staff, buffer.getvalue(), ".pdf", "application/pdf")
    archive.db["pages"].insert({"record_id": record_id, "page_no": 1, "file_id": file_id, "file_page": 2})
    page = archive.pages(record_id, clerk)[0]
    picture = load_page_image(archive, page, clerk)
    assert picture is not None and picture.mode == "RGB"
    assert abs(picture.width - 200 * 100 / 72) < 3 and picture.getpixel((50, 50)) == (0, 0, 0)


def test_image_file_page_and_page_without_picture(archive: Archive, staff, clerk) -> None:
    buffer = io.BytesIO()
    Image.new("L", (40, 60), 128).save(buffer, format="PNG")
    record_id, file_id = _released_with_file(archive, staff, buffer.getvalue(), ".png", "image/png")
    archive.db["pages"].insert({"record_id": record_id, "page_no": 1, "file_id": file_id, "file_page": 1})
    archive.db["pages"].insert({"record_id": record_id, "page_no": 2, "text": "只有文字的页"})
    first, second = archive.pages(record_id, clerk)
    picture = load_page_image(archive, first, clerk)
    assert picture.size == (40, 60) and picture.getpixel((1, 1)) == (128, 128, 128)
    assert load_page_image(archive, second, clerk) is None
