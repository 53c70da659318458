"""Annual report table 3 from a register covering every outcome, the totals rule, and the template-shaped XLSX."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from archive_tui import Archive, system_actor
from archive_tui.cli import main
from archive_tui.requests import outcomes
from archive_tui.stats import annual_report
from archive_tui.stats.annual_report import CARRIED, NEW, NEXT, TOTAL, ReportRefused, Table3

COLUMNS = outcomes.applicant_types()


def _add(archive: Archive, staff, received: str, kind: str) -> str:
    return archive.request_register().add(
        {"applicant_type": kind, "applicant_name": f"{kind}申请人", "content": "某文件", "channel": "网络",
         "received_date": received}, staff).ref


@pytest.fixture(scope="module")
def staff():
    return system_actor("统计员")


@pytest.fixture(scope="module")
def register(tmp_path_factory: pytest.TempPathFactory, staff) -> Archive:
    """2024: two requests, one closed in 2024, one carried into 2025. 2025: one request per outcome code, spread
    over the six applicant columns, plus three still open at the end of 2025 and one received in 2026. The tests
    only read it."""
    archive = Archive.create(tmp_path_factory.mktemp("register") / "archive")
    reg = archive.request_register()
    closed_2024 = _add(archive, staff, "2024-03-04", "自然人")
    reg.close(closed_2024, staff, date="2024-03-20", outcome="1")
    carried = _add(archive, staff, "2024-12-16", "商业企业")
    reg.close(carried, staff, date="2025-01-08", outcome="2")
    for n, code in enumerate(outcomes.outcomes()):
        ref = _add(archive, staff, f"2025-{1 + n % 10:02d}-{6 + n % 3:02d}", COLUMNS[n % len(COLUMNS)])
        reg.close(ref, staff, date=f"2025-{1 + n % 10:02d}-20", outcome=code)
    for kind in ("自然人", "科研机构", "其他"):
        _add(archive, staff, "2025-12-22", kind)
    late = _add(archive, staff, "2025-12-29", "自然人")
    reg.close(late, staff, date="2026-01-05", outcome="4.1")
    _add(archive, staff, "2026-01-05", "社会公益组织")
    yield archive
    archive.close()


def test_table3_counts_every_outcome_row(register: Archive, staff) -> None:
    table = annual_report.build_table3(register, 2025, staff)
    table.check()
    n_outcomes = len(outcomes.outcomes())
    assert n_outcomes == 2 + 8 + 3 + 5 + 3  # the rows of the 2021 template
    assert table.value(NEW, "总计") == n_outcomes + 4
    assert table.value(CARRIED, "总计") == 1 and table.value(CARRIED, "商业企业") == 1
    for code in outcomes.outcomes():
        expected = 1 + (code == "2")  # the carried 2024 request was also partly released
        assert table.value(code, "总计") == expected, code
    assert table.value(TOTAL, "总计") == n_outcomes + 1
    assert table.value(NEXT, "总计") == 4  # three open, one closed only in 2026
    assert table.value(NEXT, "自然人") == 2
    for col in COLUMNS:
        assert table.value(NEW, col) + table.value(CARRIED, col) == table.value(TOTAL, col) + table.value(NEXT, col)
    assert sum(table.value("3." + str(n), "总计") for n in range(1, 9)) == 8
    # The next year starts from what 2025 carried over.
    table_2026 = annual_report.build_table3(register, 2026, staff)
    assert [table_2026.value(CARRIED, c) for c in COLUMNS] == [table.value(NEXT, c) for c in COLUMNS]


def test_unbalanced_table_is_refused_naming_the_column(register: Archive, staff) -> None:
    with pytest.raises(ReportRefused) as caught:
        register.annual_report(2025, staff, carried_over={"商业企业": 1, "法律服务机构": 2})
    message = caught.value.message
    assert "不予生成" in message and "「法律服务机构」列" in message
    assert "二、上年结转 2" in message and "多出 2 件" in message
    assert "「商业企业」列" not in message  # that column matches last year's published figure
    broken = Table3(2025)
    broken.counts["1"]["自然人"] = 2
    broken.counts[TOTAL]["自然人"] = 1
    broken.counts[NEW]["自然人"] = 1
    problems = broken.problems()
    assert any("（七）总计为 1，但（一）至（六）各项相加为 2" in p for p in problems)
    assert not any("「商业企业」列" in p for p in problems)


def test_balanced_carried_over_figures_are_accepted(register: Archive, staff) -> None:
    report = register.annual_report(2025, staff, carried_over={"商业企业": 1})
    assert report.table3.value(CARRIED, "总计") == 1


def test_xlsx_has_the_template_rows_and_columns(register: Archive, staff, tmp_path: Path) -> None:
    path = tmp_path / "年报.xlsx"
    annual_report.write_xlsx(register.annual_report(2025, staff), path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[:2] == ["表二 主动公开", "表三 依申请公开"]
    sheet = book["表三 依申请公开"]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A1:J1", "A2:C4", "D2:J2", "D3:D4", "E3:I3", "J3:J4", "A5:C5", "A6:C6", "A7:A28", "B9:B16",
            "B17:B19", "B20:B24", "B25:B27", "B28:C28", "A29:C29"} <= merged
    assert sheet["A1"].value == "三、收到和处理政府信息公开申请情况"
    assert sheet["D2"].value == "申请人情况" and sheet["D3"].value == "自然人" and sheet["E3"].value == "法人或其他组织"
    assert [sheet.cell(4, c).value for c in range(5, 10)] == ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    assert sheet["J3"].value == "总计"
    labels = {r: sheet.cell(r, 1).value or sheet.cell(r, 2).value or sheet.cell(r, 3).value for r in range(5, 30)}
    assert labels[5] == "一、本年新收政府信息公开申请数量" and labels[6] == "二、上年结转政府信息公开申请数量"
    assert sheet["A7"].value == "三、本年度办理结果" and sheet["B7"].value == "（一）予以公开"
    assert sheet["B9"].value == "（三）不予公开" and sheet["C9"].value == "1.属于国家秘密"
    assert sheet["C16"].value == "8.属于行政查询事项" and sheet["B17"].value == "（四）无法提供"
    assert sheet["B20"].value == "（五）不予处理" and sheet["C24"].value == "5.要求行政机关确认或重新出具已获取信息"
    assert sheet["B25"].value == "（六）其他处理" and sheet["C27"].value == "3.其他"
    assert sheet["B28"].value == "（七）总计" and sheet["A29"].value == "四、结转下年度继续办理"
    # Figures: row 一 总计, row (七) 总计, and the check across the whole 总计 column.
    assert sheet["J5"].value == len(outcomes.outcomes()) + 4
    assert sheet["J5"].value + sheet["J6"].value == sheet["J28"].value + sheet["J29"].value
    assert sum(sheet.cell(r, 10).value for r in range(7, 28)) == sheet["J28"].value
    table2 = book["表二 主动公开"]
    assert table2["A2"].value == "第二十条第（一）项" and table2["B3"].value == "本年制发件数"
    assert [table2.cell(r, 1).value for r in (4, 5)] == ["规章", "行政规范性文件"]
    assert "查阅点统计" in book.sheetnames


def test_markdown_and_cli(register: Archive, staff, tmp_path: Path) -> None:
    text = annual_report.to_md(register.annual_report(2025, staff))
    assert "| 一、本年新收政府信息公开申请数量 | 6 | 4 | 5 | 3 | 3 | 4 | 25 |" in text
    assert "　　1.属于国家秘密" in text and "| 四、结转下年度继续办理 |" in text
    runner = CliRunner()
    base = ["--archive", str(register.root)]
    result = runner.invoke(main, [*base, "report", "annual", "--year", "2025", "--format", "xlsx",
                                  "-o", str(tmp_path / "a.xlsx")])
    assert result.exit_code == 0, result.output
    assert openpyxl.load_workbook(tmp_path / "a.xlsx")["表三 依申请公开"]["J5"].value == 25
    result = runner.invoke(main, [*base, "report", "annual", "--year", "2025", "--carried-over", "自然人=3"])
    assert result.exit_code == 1 and "「自然人」列" in result.output and "不予生成" in result.output
    result = runner.invoke(main, [*base, "report", "annual", "--year", "2025", "--format", "csv"])
    assert result.exit_code == 0 and "（七）总计" in result.output
