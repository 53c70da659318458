"""OFD pages that hold only a scanned image: the reader hands the largest image to OCR (as for a scanned PDF
page), notes what it cannot use, refuses bombs; the pipeline OCRs such pages with real tesseract."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from archive_tui.access import system_actor
from archive_tui.archive import Archive
from archive_tui.ingest.formats import ofd, sniff
from archive_tui.ingest.model import Rejected

from ingest_fixtures import SIMPLIFIED, OfdImage, cer, ofd as make_ofd, render_lines, save

STAFF = system_actor("测试档案员")
SMALL = (1000, 330)
SCANNED = SIMPLIFIED[:3]


def _bomb() -> Image.Image:
    """Above Pillow's limit (100 Mpx here) yet a few kilobytes as PNG."""
    return Image.new("1", (12_000, 12_000))


def test_scanned_page_yields_its_largest_image_at_its_resolution(tmp_path):
    scan = render_lines(SCANNED, size=SMALL)
    seal = Image.new("RGB", (120, 120), "red")
    path = make_ofd(tmp_path / "a.ofd", [["第一页是电子文字"], [OfdImage(seal), OfdImage(scan, "JPEG"), "1"]])
    assert sniff(path) == "ofd"
    first, second = ofd.read(path)
    assert (first.text, first.image) == ("第一页是电子文字", None)
    assert second.text is None and second.note is None
    assert second.image.size == SMALL
    assert second.image.info["dpi"] == (300, 300)


def test_a_page_with_enough_text_keeps_it_despite_an_image(tmp_path):
    path = make_ofd(tmp_path / "a.ofd", [[*SCANNED, OfdImage(Image.new("RGB", (200, 200), "red"))]])
    (page,) = ofd.read(path)
    assert page.image is None and page.text == "\n".join(SCANNED)


@pytest.mark.parametrize("item,message", [
    (OfdImage(None), "缺失"),
    (OfdImage(Image.new("L", (50, 50)), declared=False), "找不到"),
    (OfdImage(Image.new("L", (50, 50)), media="../../../evil.png"), "指向 OFD 文件之外"),
    (OfdImage(b"\x97JB2\r\n\x1a\n\x01\x00\x00\x00\x01", "JBIG2"), "JBIG2"),
    (OfdImage(b"not an image at all", "PNG"), "不是可识别的图像"),
])
def test_an_unusable_image_leaves_the_page_with_a_note(tmp_path, item, message):
    path = make_ofd(tmp_path / "a.ofd", [["第一页是电子文字"], [item]])
    first, second = ofd.read(path)
    assert first.note is None
    assert second.image is None and second.text == ""
    assert message in second.note


def test_a_bomb_inside_an_ofd_is_refused(tmp_path):
    path = make_ofd(tmp_path / "a.ofd", [["第一页是电子文字"], [OfdImage(_bomb())]])
    with pytest.raises(Rejected, match="压缩炸弹"):
        list(ofd.read(path))


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    base = tmp_path_factory.mktemp("ofd")
    folder = base / "in"
    folder.mkdir()
    make_ofd(folder / "scanned.ofd", [["临川县人民政府办公室文件", "第一页是电子文字"],
                                      [OfdImage(render_lines(SCANNED, size=SMALL))]])
    make_ofd(folder / "bomb.ofd", [["第一页是电子文字"], [OfdImage(_bomb())]])
    make_ofd(folder / "missing.ofd", [["关于调整办公时间的通告"], [OfdImage(None)]])
    make_ofd(folder / "jbig2.ofd", [[OfdImage(b"\x97JB2\r\n\x1a\n\x01", "JBIG2")]])
    save(render_lines(SIMPLIFIED[3:], size=SMALL), folder / "after.png")
    archive = Archive.create(base / "archive")
    events: list[dict] = []
    report = archive.ingest([folder], STAFF, jobs=2, progress=events.append)
    yield archive, report, events
    archive.close()


def _record(archive: Archive, name: str) -> dict:
    return next(archive.db.query("SELECT r.* FROM files f JOIN records r ON r.id = f.record_id WHERE f.name = ?",
                                 [name]))


@pytest.mark.slow
def test_an_ofd_with_a_scanned_page_gets_both_pages_text_and_the_page_image(batch):
    archive, report, _ = batch
    record = _record(archive, "scanned.ofd")
    first, second = archive.pages(record["id"], STAFF)
    assert first["text"] == "临川县人民政府办公室文件\n第一页是电子文字" and first["ocr_confidence"] is None
    assert cer("\n".join(SCANNED), second["text"]) < 0.05
    assert second["ocr_confidence"] > 70 and not second["flagged"]
    assert (archive.store_dir / second["image_path"]).is_file()
    assert record["carrier"] == "纸质" and record["page_count"] == 2


@pytest.mark.slow
def test_a_bomb_ofd_is_refused_and_the_batch_goes_on(batch):
    archive, report, _ = batch
    rejected = {Path(o.label).name: o for o in report.rejected}
    assert set(rejected) == {"bomb.ofd", "jbig2.ofd"}
    assert "压缩炸弹" in rejected["bomb.ofd"].message and rejected["bomb.ofd"].detail
    assert "JBIG2" in rejected["jbig2.ofd"].message and "没有文字内容" in rejected["jbig2.ofd"].message
    assert {Path(o.label).name for o in report.added} == {"scanned.ofd", "missing.ofd", "after.png"}


@pytest.mark.slow
def test_a_missing_image_resource_leaves_the_page_flagged_with_a_message(batch):
    archive, report, events = batch
    record = _record(archive, "missing.ofd")
    first, second = archive.pages(record["id"], STAFF)
    assert not first["flagged"] and second["flagged"] and second["text"] == ""
    (outcome,) = [o for o in report.flagged if o.label.endswith("missing.ofd")]
    assert outcome.flagged_pages == [2] and "缺失" in outcome.notes[2]
    assert any("missing.ofd" in line and "第 2 页：扫描图像文件" in line for line in report.summary_lines())
    (flag,) = [e for e in events if e["event"] == "flagged"]
    assert flag["notes"] == {2: outcome.notes[2]}
    assert record["carrier"] == "电子"
