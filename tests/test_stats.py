"""Reading-room figures from seeded visits and prints, catalogue counts, and their CSV/XLSX/Markdown exports."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from archive_tui import Archive, InvalidInput, system_actor
from archive_tui.cli import main
from archive_tui.stats import catalogue, reading_room, tables


def _visit(db, started: str, records: list[int], prints: list[tuple[int, int, int, int]] = ()) -> int:
    """One visit on ``started`` that opened ``records`` (one twice) and printed (record, pages, copies, fee)."""
    visit = db["visits"].insert({"visitor_name": "读者", "operator": "窗口", "started_at": started}).last_pk
    for rid in [*records, *records[:1]]:
        db["visit_records"].insert({"visit_id": visit, "record_id": rid, "opened_at": started, "operator": "窗口"})
    for rid, pages, copies, fee in prints:
        db["print_log"].insert({"ts": started, "operator": "窗口", "visit_id": visit, "record_id": rid,
                                "page_count": pages, "copies": copies, "fee_cents": fee})
    return visit


@pytest.fixture(scope="module")
def staff():
    return system_actor("统计员")


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory, staff) -> Archive:
    archive = Archive.create(tmp_path_factory.mktemp("stats") / "archive")
    rec = {}
    for key, fields in {
        "budget": {"title": "2025年预算", "issuer": "临川县财政局", "subject": "财政、金融、审计/预算", "genre": "通知",
                   "created_date": "2025-02-10", "validity": "现行有效", "category": "法规公文"},
        "road": {"title": "道路养护办法", "issuer": "临川县交通运输局", "subject": "工业、交通", "genre": "办法",
                 "created_date": "2024-06-01", "validity": "已废止", "repeal_date": "2025-08-01"},
        "order": {"title": "县政府令第1号", "issuer": "临川县人民政府", "subject": "综合政务", "genre": "命令（令）",
                  "created_date": "2025-05-05", "validity": "现行有效"},
        "old": {"title": "旧通知", "issuer": "临川县财政局", "genre": "通知", "created_date": "2019-01-01",
                "validity": "已废止", "repeal_date": "2026-03-01"},
        "draft": {"title": "未发布的文件", "issuer": "临川县财政局", "genre": "通知", "created_date": "2025-04-01",
                  "validity": "现行有效"},
    }.items():
        rec[key] = archive.add_record(fields, staff)
        if key != "draft":
            archive.db["records"].update(rec[key], {"status": "released"})
    db = archive.db
    with db.conn:
        _visit(db, "2025-03-03T09:00:00+08:00", [rec["budget"], rec["road"]], [(rec["budget"], 4, 2, 160)])
        _visit(db, "2025-03-03T15:30:00+08:00", [rec["budget"]])
        _visit(db, "2025-03-17T10:00:00+08:00", [rec["order"]], [(rec["order"], 3, 1, 60), (rec["budget"], 1, 1, 20)])
        _visit(db, "2025-11-05T10:00:00+08:00", [], [])
        _visit(db, "2024-12-31T16:00:00+08:00", [rec["road"]], [(rec["road"], 10, 1, 200)])
    yield archive
    archive.close()


def test_counts_by_month_and_day(seeded: Archive, staff) -> None:
    months = dict(reading_room.by_period(seeded.db, staff, "2025", "month"))
    assert len(months) == 12
    march = months["2025-03"]
    assert (march.visitors, march.documents, march.pages, march.fee_cents) == (3, 4, 12, 240)
    assert months["2025-11"].visitors == 1 and months["2025-11"].documents == 0
    assert months["2025-01"].visitors == 0
    days = dict(reading_room.by_period(seeded.db, staff, "2025-03", "day"))
    assert len(days) == 31 and days["2025-03-03"].visitors == 2 and days["2025-03-03"].documents == 3
    assert days["2025-03-03"].pages == 8 and days["2025-03-17"].pages == 4
    year = reading_room.total(seeded.db, staff, "2025")
    assert (year.visitors, year.documents, year.pages, year.fee_cents) == (4, 4, 12, 240)
    assert reading_room.total(seeded.db, staff, "2024").pages == 10
    assert [k for k, _ in seeded.reading_room_stats(staff, "2024", "year")] == ["2024"]


def test_counts_by_agency_and_subject(seeded: Archive, staff) -> None:
    by_issuer = dict(reading_room.by_dimension(seeded.db, staff, "2025", "issuer"))
    budget = by_issuer["临川县财政局"]
    assert (budget.visitors, budget.documents, budget.pages, budget.fee_cents) == (2, 2, 9, 180)
    assert by_issuer["临川县人民政府"].pages == 3 and by_issuer["临川县交通运输局"].documents == 1
    by_subject = dict(reading_room.by_dimension(seeded.db, staff, "2025", "subject"))
    assert by_subject["财政、金融、审计"].documents == 2  # "top/second" counted under the top level
    assert set(by_subject) == {"财政、金融、审计", "工业、交通", "综合政务"}


def test_bad_periods_are_refused(seeded: Archive, staff) -> None:
    with pytest.raises(InvalidInput, match="应写作 2026、2026-03"):
        reading_room.by_period(seeded.db, staff, "25年", "month")
    with pytest.raises(InvalidInput, match="统计单位不能比统计期间更长"):
        reading_room.by_period(seeded.db, staff, "2025-03", "year")


def test_catalogue_made_repealed_valid(seeded: Archive, staff) -> None:
    counts = catalogue.year_counts(seeded.db, staff, 2025)
    # made in 2025: budget, order (the draft is not released); repealed in 2025: road;
    # valid at the end of 2025: budget, order, and "old" (repealed only in 2026).
    assert counts.row() == [2, 1, 3]
    assert catalogue.year_counts(seeded.db, staff, 2025, include_unreleased=True).row() == [3, 1, 4]
    assert catalogue.year_counts(seeded.db, staff, 2024).row() == [1, 0, 2]
    assert catalogue.year_counts(seeded.db, staff, 2025, select={"genre": ["命令（令）"]}).row() == [1, 0, 1]
    assert dict(catalogue.grouped(seeded.db, staff, "issuer"))["临川县财政局"] == 2
    assert catalogue.grouped(seeded.db, staff, "year") == [("2019", 1), ("2024", 1), ("2025", 2)]
    assert dict(catalogue.grouped(seeded.db, staff, "genre", year=2025)) == {"通知": 1, "命令（令）": 1}
    report = seeded.annual_report(2025, staff)
    assert report.table2.counts["规章"].row() == [1, 0, 1]
    assert report.table2.counts["行政规范性文件"].row() == [1, 0, 1]
    assert report.reading.visitors == 4


def test_exports(seeded: Archive, staff, tmp_path: Path) -> None:
    made = reading_room.tables(seeded.db, staff, "2025")
    assert [t.sheet for t in made] == ["合计", "按月", "按发布机构", "按主题分类"]
    buffer = io.StringIO()
    tables.write_csv(reading_room.tables(seeded.db, staff, "2025", by="month"), buffer)
    rows = list(csv.reader(io.StringIO(buffer.getvalue())))
    assert rows[0] == ["日期", "接待人次", "查阅件次", "打印页数", "收费（元）"]
    assert ["2025-03", "3", "4", "12", "2.40"] in rows
    path = tmp_path / "阅览.xlsx"
    tables.write_xlsx(made + catalogue.tables(seeded.db, staff, 2025), path)
    book = openpyxl.load_workbook(path)
    assert book["按月"]["A2"].value == "日期" and book["按月"]["B5"].value == 3  # row 5 = March
    assert book["制发废止有效"]["B3"].value == 2
    md = tables.to_markdown(made)
    assert "| 2025-03 | 3 | 4 | 12 | 2.40 |" in md


def test_report_cli(seeded: Archive, tmp_path: Path) -> None:
    runner = CliRunner()
    base = ["--archive", str(seeded.root), "report"]
    result = runner.invoke(main, [*base, "reading-room", "--year", "2025", "--month", "3", "--format", "csv"])
    assert result.exit_code == 0 and "2025-03-03,2,3,8,1.60" in result.output
    result = runner.invoke(main, [*base, "reading-room", "--year", "2025", "--format", "xlsx", "-o", str(tmp_path / "r.xlsx")])
    assert result.exit_code == 0 and (tmp_path / "r.xlsx").is_file()
    result = runner.invoke(main, [*base, "reading-room", "--year", "2025", "--format", "xlsx"])
    assert result.exit_code == 1 and "须用 -o 指定输出文件" in result.output
    result = runner.invoke(main, [*base, "catalogue", "--year", "2025"])
    assert result.exit_code == 0 and "| 全部 | 2 | 1 | 3 |" in result.output
