"""Printing through a real private CUPS scheduler and to files: marks, formats, ranges, copies, fees, log, failures."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from archive_tui import ArchiveError, InvalidInput, NotFound, checks
from archive_tui.printing import PrintError, fonts, ranges
from archive_tui.printing.marks import CONTENT_BOX
from archive_tui.storage import put_bytes

from cups_fixtures import (  # noqa: F401  (fixtures)
    CupsServer, add_printable, cups, cups_server, font_cache, private_dir, scan_png,
)

#: Tests on the shared private scheduler run in one xdist worker, one after another.
CUPS = pytest.mark.xdist_group("cups")

A4 = (595.28, 841.89)
HEADER = "政府信息公开查阅件 仅供查阅参考"


def texts(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def sizes(data: bytes) -> list[tuple[float, float]]:
    return [(round(float(p.mediabox.width), 2), round(float(p.mediabox.height), 2))
            for p in PdfReader(io.BytesIO(data)).pages]


def log_rows(archive) -> list[dict]:
    return list(archive.db.query("SELECT * FROM print_log ORDER BY id"))


def print_events(archive) -> list[dict]:
    return list(archive.db.query("SELECT * FROM events WHERE action = 'print' ORDER BY id"))


# -- composing ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["scan", "pdf", "text"])
def test_each_source_format_prints_marked_a4_pages(archive, clerk, tmp_path, kind):
    record_id = add_printable(archive, kind, 3)
    record = archive.get_record(record_id, clerk)
    result = archive.print_record(record_id, clerk, output=tmp_path / "out.pdf")
    data = result.pdf_path.read_bytes()
    assert sizes(data) == [A4] * 3
    for n, text in enumerate(texts(data), start=1):
        assert HEADER in text
        assert archive.setting("reading_point") in text
        assert record["index_no"] in text and "临政办〔2021〕13号" in text
        assert f"第 {n} / 3 页" in text
        assert "打印时间：" in text
        assert "已废止" not in text
    reader = PdfReader(io.BytesIO(data))
    fonts = {str(f["/BaseFont"]) for p in reader.pages for f in p["/Resources"]["/Font"].values()}
    assert any("WenQuanYi" in f or "Noto" in f for f in fonts)
    if kind == "pdf":  # vectors: the original's own text is still text, and nothing was rasterised
        assert "原件第1页" in texts(data)[0]
        assert not reader.pages[0].images
    if kind == "scan":  # the stored image, at its own pixel size
        image = reader.pages[0].images[0].image
        assert image.size == (1240, 1754)
    if kind == "text":
        assert "为进一步做好政府信息公开工作" in texts(data)[0]


def test_scanned_page_fits_the_content_area(archive, clerk, tmp_path):
    record_id = add_printable(archive, "scan", 1)
    data = archive.print_record(record_id, clerk, output=tmp_path / "s.pdf").pdf_path.read_bytes()
    content = PdfReader(io.BytesIO(data)).pages[0].get_contents().get_data().decode("latin-1")
    outer, inner = [[float(v) for v in line.split()[:6]] for line in content.splitlines() if line.endswith(" cm")][:2]
    x0, y0 = outer[4] + outer[0] * inner[4], outer[5] + outer[3] * inner[5]
    x1, y1 = x0 + outer[0] * inner[0], y0 + outer[3] * inner[3]
    mm = 72 / 25.4
    left, top, width, height = (v * mm for v in CONTENT_BOX)
    bottom = A4[1] - top - height
    assert left - 0.01 <= x0 < x1 <= left + width + 0.01
    assert bottom - 0.01 <= y0 < y1 <= bottom + height + 0.01
    assert max(x1 - x0 - width, y1 - y0 - height) > -0.5  # as large as the area allows


def test_characters_outside_the_common_font_use_the_full_font(archive, clerk, tmp_path):
    title = "臺灣地區來往通行證辦理須知"  # Traditional: not in the GB 2312 subset
    record_id = add_printable(archive, "text", 1, title=title)
    result = archive.print_record(record_id, clerk, output=tmp_path / "t.pdf", cover=True)
    assert title in texts(result.pdf_path.read_bytes())[0]
    assert fonts.font_for(title) == fonts.cjk_font()
    assert fonts.font_for("政府信息公开") != fonts.cjk_font()


def test_repealed_record_is_marked_on_every_page_and_the_cover(archive, clerk, tmp_path):
    record_id = add_printable(archive, "pdf", 2, validity="已废止", repeal_date="2023-05-01")
    result = archive.print_record(record_id, clerk, output=tmp_path / "r.pdf", cover=True)
    pages = texts(result.pdf_path.read_bytes())
    assert len(pages) == 3
    assert all(page.count("已废止") >= 2 for page in pages)  # header box and the diagonal mark
    assert all("本文件已于 2023-05-01 废止" in page for page in pages)


def test_cover_sheet_lists_catalogue_and_visit(archive, clerk, tmp_path):
    record_id = add_printable(archive, "text", 4)
    visit_id = archive.start_visit({"visitor_name": "王小明", "purpose": "了解政策"}, clerk)
    result = archive.print_record(record_id, clerk, output=tmp_path / "c.pdf", cover=True, pages="2-3",
                                  visit_id=visit_id)
    pages = texts(result.pdf_path.read_bytes())
    assert len(pages) == 3
    cover = pages[0]
    for expected in ("打印封面", "信息名称", "临川县人民政府办公室", "成文日期", "2021-03-05", "王小明", "了解政策",
                     "第 2-3 页（共 4 页，本次 2 页 × 1 份）", clerk.name, "封面"):
        assert expected in cover
    assert "第 2 / 4 页" in pages[1] and "第 3 / 4 页" in pages[2]
    assert log_rows(archive)[0]["visit_id"] == visit_id


def test_configured_header_footer_and_reading_point(archive, clerk, staff, tmp_path):
    archive.set_setting("print.header", "临川县政府信息查阅件", staff)
    archive.set_setting("print.footer", "复制件仅供参考", staff)
    archive.set_setting("reading_point", "临川县图书馆查阅点", staff)
    record_id = add_printable(archive, "text", 1)
    page = texts(archive.print_record(record_id, clerk, output=tmp_path / "h.pdf").pdf_path.read_bytes())[0]
    assert "临川县政府信息查阅件" in page and "复制件仅供参考" in page and "临川县图书馆查阅点" in page


# -- rules and input ---------------------------------------------------------------------------------------------

def test_only_released_records_print_from_the_counter(archive, clerk, staff, tmp_path):
    record_id = add_printable(archive, "text", 1, release=False)
    with pytest.raises(NotFound):
        archive.print_record(record_id, clerk, output=tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists() and log_rows(archive) == []
    assert archive.print_record(record_id, staff, output=tmp_path / "x.pdf").page_count == 1


@pytest.mark.parametrize("text, pages", [
    (None, [1, 2, 3, 4, 5, 6]), ("1-3,5", [1, 2, 3, 5]), ("５，１－２", [1, 2, 5]), ("3,3,2-3", [2, 3]),
    ("6", [6]),
])
def test_page_ranges(text, pages):
    assert ranges.parse(text, 6) == pages


@pytest.mark.parametrize("text, message", [
    ("0-2", "超出范围：该记录共 6 页"), ("5-7", "超出范围"), ("4-2", "起始页大于结束页"), ("a", "看不懂"),
    ("1-", "看不懂"), (",", "没有选中任何页"),
])
def test_bad_page_ranges_are_explained(text, message):
    with pytest.raises(InvalidInput) as exc:
        ranges.parse(text, 6)
    assert message in exc.value.message


def test_page_range_selects_pages_and_keeps_record_numbering(archive, clerk, tmp_path):
    record_id = add_printable(archive, "scan", 6)
    result = archive.print_record(record_id, clerk, output=tmp_path / "p.pdf", pages="1-3,5")
    pages = texts(result.pdf_path.read_bytes())
    assert [p.split("第 ")[-1].split(" 页")[0] for p in pages] == ["1 / 6", "2 / 6", "3 / 6", "5 / 6"]
    assert (result.pages, result.page_count) == ("1-3,5", 4)
    with pytest.raises(InvalidInput, match="该记录共 6 页"):
        archive.print_record(record_id, clerk, output=tmp_path / "q.pdf", pages="7")
    assert len(log_rows(archive)) == 1


def test_fee_from_the_price_list(archive, clerk, staff, tmp_path):
    assert archive.quote_fee(10, 1) == 0  # defaults: 10 pages free, then 20 分 a page
    assert archive.quote_fee(6, 2) == 40
    archive.set_setting("print.fee.per_page_cents", 50, staff)
    archive.set_setting("print.fee.free_pages", 3, staff)
    assert archive.quote_fee(2, 1) == 0 and archive.quote_fee(4, 2) == 250
    record_id = add_printable(archive, "text", 4)
    result = archive.print_record(record_id, clerk, output=tmp_path / "f.pdf", copies=2)
    assert result.fee_cents == 250
    assert log_rows(archive)[0]["fee_cents"] == 250
    archive.set_setting("print.fee.free_pages", "很多", staff)
    with pytest.raises(InvalidInput, match="收费标准"):
        archive.quote_fee(1, 1)


def test_file_output_holds_all_copies_and_is_logged(archive, clerk, tmp_path):
    record_id = add_printable(archive, "pdf", 2)
    result = archive.print_record(record_id, clerk, output=tmp_path / "copies.pdf", copies=3)
    pages = texts(result.pdf_path.read_bytes())
    assert len(pages) == 6 and ["第 1 / 2 页" in p for p in pages] == [True, False] * 3
    (row,) = log_rows(archive)
    assert row["output_file"] == str(tmp_path / "copies.pdf") and row["printer"] is None
    assert (row["copies"], row["page_count"], row["pages"], row["operator"]) == (3, 2, "1-2", clerk.name)
    (event,) = print_events(archive)
    assert event["record_id"] == record_id and f'"print_log_id": {row["id"]}' in event["detail"]


def test_printer_or_file_is_required_and_copies_bounded(archive, clerk, tmp_path):
    record_id = add_printable(archive, "text", 1)
    with pytest.raises(InvalidInput, match="二者选一"):
        archive.print_record(record_id, clerk)
    with pytest.raises(InvalidInput, match="份数"):
        archive.print_record(record_id, clerk, output=tmp_path / "x.pdf", copies=0)
    with pytest.raises(InvalidInput, match=r"\.pdf"):
        archive.print_record(record_id, clerk, output=tmp_path / "x.txt")
    assert log_rows(archive) == []


# -- file output failures ----------------------------------------------------------------------------------------

def test_unwritable_location_leaves_no_file_and_no_log(archive, clerk):
    record_id = add_printable(archive, "text", 1)
    for target in (Path("/proc/archive-tui-print.pdf"), Path("/nonexistent-dir/x.pdf")):
        with pytest.raises(ArchiveError) as exc:
            archive.print_record(record_id, clerk, output=target)
        assert "没有记入打印登记" in exc.value.message or "不存在" in exc.value.message
    assert log_rows(archive) == [] and print_events(archive) == []


def print_with_file_size_limit(archive, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run ``archive-tui print`` in a subprocess whose files may not grow past 60 kB (RLIMIT_FSIZE): writing a
    bigger file fails part-way with EFBIG, as on a full disk."""
    code = (
        "import resource, sys\n"
        "from archive_tui.cli import main\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (60000, 60000))\n"
        "main(sys.argv[1:])\n"
    )
    archive.close()
    return subprocess.run([sys.executable, "-c", code, "--archive", str(archive.root), "print", *args],
                          capture_output=True, text=True, env={**(env or os.environ), "PYTHONDONTWRITEBYTECODE": "1"})


def test_full_disk_leaves_no_partial_file_and_no_log(archive, clerk, tmp_path):
    record_id = add_printable(archive, "scan", 3)
    target = tmp_path / "out" / "full.pdf"
    target.parent.mkdir()
    result = print_with_file_size_limit(archive, str(record_id), "--output", str(target))
    assert result.returncode == 1, result.stderr
    assert "磁盘空间不足" in result.stderr and "没有记入打印登记" in result.stderr
    assert list(target.parent.iterdir()) == []
    assert log_rows(archive) == []


# -- CUPS ----------------------------------------------------------------------------------------------------------

@CUPS
def test_printers_are_listed_from_cups(archive, cups):
    names = archive.printers()
    assert {"archive_pdf", "archive_raw", "archive_paused", "archive_rejecting"} <= set(names)


@CUPS
def test_raw_queue_receives_exactly_the_marked_pdf(archive, clerk, cups):
    record_id = add_printable(archive, "scan", 2)
    result = archive.print_record(record_id, clerk, printer="archive_raw")
    assert result.job_id.startswith("archive_raw-")
    data = cups.wait_output("archive_raw", result.job_id)
    assert data.startswith(b"%PDF")
    pages = texts(data)
    assert len(pages) == 2 and sizes(data) == [A4] * 2
    assert all(HEADER in p for p in pages) and "第 2 / 2 页" in pages[1]
    (row,) = log_rows(archive)
    assert (row["printer"], row["cups_job_id"], row["output_file"]) == ("archive_raw", result.job_id, None)


@CUPS
def test_copies_collated_through_cups_pdftopdf(archive, clerk, cups):
    record_id = add_printable(archive, "pdf", 3, validity="已废止")
    result = archive.print_record(record_id, clerk, printer="archive_pdf", copies=2, pages="1,3")
    data = cups.wait_output("archive_pdf", result.job_id)
    pages = texts(data)
    assert len(pages) == 4 and sizes(data) == [(595.0, 842.0)] * 4 or sizes(data) == [A4] * 4
    assert ["第 1 / 3 页" in p for p in pages] == [True, False, True, False]
    assert all("已废止" in p and HEADER in p for p in pages)
    (row,) = log_rows(archive)
    assert (row["copies"], row["page_count"], row["pages"]) == (2, 2, "1,3")


@CUPS
def test_duplex_pads_each_copy_to_whole_sheets(archive, clerk, cups):
    record_id = add_printable(archive, "text", 3)
    result = archive.print_record(record_id, clerk, printer="archive_pdf", copies=2, duplex=True)
    pages = texts(cups.wait_output("archive_pdf", result.job_id))
    # 3 pages two-sided: each copy takes 2 sheets, so CUPS adds a blank back after page 3 of each set
    assert len(pages) == 8 and pages[3].strip() == "" and "第 1 / 3 页" in pages[4]


@CUPS
def test_unknown_printer(archive, clerk, cups):
    record_id = add_printable(archive, "text", 1)
    with pytest.raises(PrintError) as exc:
        archive.print_record(record_id, clerk, printer="no_such_printer")
    assert "没有名为「no_such_printer」的打印机" in exc.value.message and "archive_pdf" in exc.value.message
    assert log_rows(archive) == []


@CUPS
@pytest.mark.parametrize("queue, message", [
    ("archive_paused", "已暂停"), ("archive_rejecting", "拒绝接收新作业"),
])
def test_stopped_or_rejecting_queue(archive, clerk, cups, queue, message):
    record_id = add_printable(archive, "text", 1)
    with pytest.raises(PrintError, match=message):
        archive.print_record(record_id, clerk, printer=queue)
    assert log_rows(archive) == [] and print_events(archive) == []


@CUPS
def test_job_refused_by_cups_is_not_logged(archive, clerk, cups):
    """The quota queue takes one job, then CUPS itself refuses the next (``lp`` fails: quota reached)."""
    record_id = add_printable(archive, "text", 1)
    first = archive.print_record(record_id, clerk, printer="archive_quota")
    cups.wait_output("archive_quota", first.job_id)
    with pytest.raises(PrintError) as exc:
        archive.print_record(record_id, clerk, printer="archive_quota")
    assert "配额" in exc.value.message and "Quota" in exc.value.detail
    assert len(log_rows(archive)) == 1


@CUPS
def test_full_spool_disk_when_printing_leaves_no_log(archive, clerk, cups, tmp_path):
    """The PDF for ``lp`` is spooled to a temporary file first; a full disk there stops the job cleanly."""
    record_id = add_printable(archive, "scan", 3)
    spool = tmp_path / "spool"
    spool.mkdir()
    result = print_with_file_size_limit(archive, str(record_id), "--printer", "archive_raw",
                                        env={**os.environ, "TMPDIR": str(spool)})
    assert result.returncode == 1, result.stderr
    assert "磁盘空间不足" in result.stderr and "没有记入打印登记" in result.stderr
    assert list(spool.iterdir()) == [] and log_rows(archive) == []


def test_scheduler_down(archive, clerk, monkeypatch):
    stopped = CupsServer(private_dir()).start()
    stopped.stop()
    shutil.rmtree(stopped.root)
    monkeypatch.setenv("CUPS_SERVER", str(stopped.socket))
    record_id = add_printable(archive, "text", 1)
    with pytest.raises(PrintError, match="打印服务（CUPS）没有运行"):
        archive.print_record(record_id, clerk, printer="archive_pdf")
    with pytest.raises(PrintError, match="没有运行"):
        archive.printers()
    assert log_rows(archive) == []


def test_font_subset_is_only_built_when_missing(font_cache):
    assert fonts.warm_cache_soon() is False  # the session's cache exists: nothing is started
    assert fonts.warm_cache() == fonts.font_for("政府信息公开查阅件")


def test_check_finds_print_log_rows_without_their_event(archive, clerk, tmp_path):
    record_id = add_printable(archive, "text", 1)
    archive.print_record(record_id, clerk, output=tmp_path / "ok.pdf")
    assert [p for p in checks.run_all(archive) if p.area == "打印"] == []
    with archive.db.conn:
        archive.db["print_log"].insert({"ts": "2026-01-01T09:00:00+08:00", "operator": "x", "record_id": record_id,
                                        "page_count": 1, "copies": 1})
    (problem,) = [p for p in checks.run_all(archive) if p.area == "打印"]
    assert "没有对应的审计事件" in problem.message and problem.record_id == record_id


def test_scans_img2pdf_refuses_are_converted(archive, clerk, tmp_path):
    """A page image with an alpha channel (img2pdf will not embed transparency) still prints."""
    record_id = add_printable(archive, "scan", 1)
    (page,) = archive.pages(record_id, clerk)
    image = Image.open(io.BytesIO(scan_png(1, "透明通道"))).convert("LA")
    out = io.BytesIO()
    image.save(out, format="PNG")
    _, rel, _ = put_bytes(archive.store_dir, out.getvalue(), ".png")
    with archive.db.conn:
        archive.db["pages"].update(page["id"], {"image_path": rel})
    data = archive.print_record(record_id, clerk, output=tmp_path / "alpha.pdf").pdf_path.read_bytes()
    assert sizes(data) == [A4] and PdfReader(io.BytesIO(data)).pages[0].images[0].image.size == (1240, 1754)


def test_long_text_continues_on_a_marked_page_and_no_line_starts_with_a_comma(archive, clerk, staff, tmp_path):
    record_id = add_printable(archive, "text", 2)
    (first, _) = archive.pages(record_id, staff)
    with archive.db.conn:
        archive.db["pages"].update(first["id"], {"text": "各乡镇人民政府，县政府各部门：现将有关事项通知如下。" * 120})
    pages = texts(archive.print_record(record_id, clerk, output=tmp_path / "long.pdf").pdf_path.read_bytes())
    assert len(pages) >= 3
    assert "第 1 / 2 页" in pages[0] and "（续）" not in pages[0]
    assert all("第 1 / 2 页（续）" in page for page in pages[1:-1])
    assert "第 2 / 2 页" in pages[-1] and "（续）" not in pages[-1]
    body = [line for page in pages[:-1] for line in page.splitlines() if "各乡镇" in line or "县政府" in line]
    assert body and not any(line[0] in "，。：；" for line in body)
