"""Shelving: boxes, box contents, 件号 in order, placing records, box/shelf label PDFs with embedded CJK."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from archive_tui import Archive, InvalidInput, shelving
from archive_tui.cli import main

from tests.cups_fixtures import cups, cups_server  # noqa: F401  (fixtures)
from tests.desk_fixtures import populate


def test_boxes_and_assign_items_by_date_then_doc_no(archive: Archive, staff, tmp_path: Path) -> None:
    ids = populate(archive, staff, tmp_path)
    extra = archive.add_record({"title": "同日第二份", "doc_no": "临教〔2020〕12号", "created_date": "2020-06-01",
                                "loc_room": "一号库房", "loc_box": "12"}, staff)
    found = shelving.boxes(archive, staff)
    assert [(b.box, b.count) for b in found] == [("12", 4), ("13", 1)]
    result = shelving.assign_items(archive, staff, "12", "一号库房")
    assert [(row["id"], new) for row, _, new in result] == [(ids[2], "1"), (extra, "2"), (ids[1], "3"), (ids[0], "4")]
    contents = shelving.box_contents(archive, staff, "12")
    assert [r["loc_item"] for r in contents] == ["1", "2", "3", "4"]
    assert archive.history(ids[0], staff)[-1]["action"] == "shelve"
    again = shelving.assign_items(archive, staff, "12", order=[ids[0]], start=1)
    assert [(row["id"], new) for row, _, new in again][:2] == [(ids[0], "1"), (ids[2], "2")]
    with pytest.raises(InvalidInput, match="不在这个盒子里"):
        shelving.assign_items(archive, staff, "12", order=[ids[3]])
    with pytest.raises(InvalidInput, match="没有记录"):
        shelving.assign_items(archive, staff, "99")


def test_place_and_cli(archive: Archive, staff, tmp_path: Path) -> None:
    ids = populate(archive, staff, tmp_path)
    assert shelving.place(archive, staff, ids[3:], room="二号库房", shelf="1", layer="1", box="1") == 1
    runner = CliRunner()
    result = runner.invoke(main, ["--archive", str(archive.root), "shelf", "box"])
    assert result.exit_code == 0 and "二号库房 1架 1层 1盒  共 1 件" in result.output
    result = runner.invoke(main, ["--archive", str(archive.root), "shelf", "assign", "12"])
    assert result.exit_code == 0 and "盒号 12 共 3 件已编号" in result.output
    result = runner.invoke(main, ["--archive", str(archive.root), "shelf", "box", "12"])
    assert result.output.splitlines()[0].strip().startswith("1  ")
    result = runner.invoke(main, ["--archive", str(archive.root), "shelf", "assign", "77"])
    assert result.exit_code == 1 and "没有记录" in result.output


def test_label_pdfs_have_extractable_chinese(archive: Archive, staff, tmp_path: Path) -> None:
    populate(archive, staff, tmp_path)
    shelving.assign_items(archive, staff, "12")
    out = tmp_path / "labels" / "box.pdf"
    result = CliRunner().invoke(main, ["--archive", str(archive.root), "shelf", "labels", "-o", str(out)])
    assert result.exit_code == 0, result.output
    reader = PdfReader(out)
    text = reader.pages[0].extract_text()
    assert "盒号 12" in text and "共 3 件" in text and "临政发〔2021〕3号" in text
    fonts = [str(f) for page in reader.pages for f in page["/Resources"]["/Font"].values()]
    assert fonts
    shelf_pdf = tmp_path / "shelf.pdf"
    assert shelving.labels_pdf(archive, staff, shelf_pdf, kind="shelf") == 2
    assert "3架 2层" in PdfReader(shelf_pdf).pages[0].extract_text()
    one = tmp_path / "one.pdf"
    assert shelving.labels_pdf(archive, staff, one, selection=[("一号库房", "13")]) == 1
    with pytest.raises(InvalidInput, match="找不到"):
        shelving.labels_pdf(archive, staff, one, selection=[(None, "404")])


@pytest.mark.cups
@pytest.mark.xdist_group("cups")  # with the print tests: one private scheduler per worker
def test_labels_go_to_a_cups_queue(archive: Archive, staff, tmp_path: Path, cups) -> None:
    populate(archive, staff, tmp_path)
    job, count = shelving.print_labels(archive, staff, "archive_raw", selection=[("一号库房", "12")])
    assert count == 1 and job.startswith("archive_raw-")
    data = cups.wait_output("archive_raw", job)
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert "盒号 12" in text and "共 3 件" in text
    result = CliRunner().invoke(main, ["--archive", str(archive.root), "shelf", "labels", "--printer", "nowhere"])
    assert result.exit_code == 1 and "没有名为「nowhere」的打印机" in result.output
