"""The annual report tables (政府信息公开工作年度报告, 2021 template): table 2 from the catalogue where it can
supply the figures, table 3 from the request register, table 4 from the register of 行政复议、行政诉讼 cases
(counting rule in :mod:`.table4`), and the reading point's own counts.

Table 3 for year Y counts, per applicant column: 一 requests received in Y; 二 requests received earlier and not
closed before Y; 三 requests closed in Y by outcome, (七) their total; 四 requests received by the end of Y and not
closed by then. A report whose columns do not satisfy 一 + 二 = 三 + 四 (or whose (七) is not the sum of its rows)
is refused with a Chinese explanation of the column that is off.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import openpyxl

from ..access import Actor
from ..errors import ArchiveError
from ..requests import outcomes
from ..requests.register import require_operator
from . import catalogue, reading_room
from .table4 import Table4, build_table4, table4_table, write_table4_sheet
from .tables import LEFT, WRAP, Table, add_sheet, to_markdown, yuan
from .tables import boxed as _cell
from .tables import merge_boxed as _merge

if TYPE_CHECKING:
    from ..archive import Archive


class ReportRefused(ArchiveError):
    """The figures break a rule of the template; the report is not produced."""


TITLE3 = "三、收到和处理政府信息公开申请情况"
CHECK_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
NEW, CARRIED, TOTAL, NEXT = "new", "carried", "total", "next"
PARTS = {NEW: "一、本年新收政府信息公开申请数量", CARRIED: "二、上年结转政府信息公开申请数量",
         TOTAL: "（七）总计", NEXT: "四、结转下年度继续办理"}
RESULT_LABEL = "三、本年度办理结果"
TOTAL_COLUMN = "总计"


def columns() -> list[str]:
    """The six count columns: 自然人 and the five kinds of 法人或其他组织 (总计 is added when shown)."""
    return outcomes.applicant_types()


def row_keys() -> list[str]:
    """Keys of the numbered rows, top to bottom."""
    return [NEW, CARRIED, *outcomes.outcomes(), TOTAL, NEXT]


def row_label(key: str) -> str:
    return PARTS[key] if key in PARTS else outcomes.outcome(key).row_label


@dataclass
class Table3:
    year: int
    counts: dict[str, dict[str, int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for key in row_keys():
            self.counts.setdefault(key, {})
            for col in columns():
                self.counts[key].setdefault(col, 0)

    def value(self, key: str, col: str) -> int:
        if col == TOTAL_COLUMN:
            return sum(self.counts[key][c] for c in columns())
        return self.counts[key][col]

    def problems(self) -> list[str]:
        """Chinese descriptions of every column that breaks the template's rules; empty when it balances."""
        found = []
        outcome_keys = list(outcomes.outcomes())
        for col in [*columns(), TOTAL_COLUMN]:
            listed = sum(self.value(k, col) for k in outcome_keys)
            total = self.value(TOTAL, col)
            if listed != total:
                found.append(f"「{col}」列：（七）总计为 {total}，但（一）至（六）各项相加为 {listed}")
            new, carried, nxt = self.value(NEW, col), self.value(CARRIED, col), self.value(NEXT, col)
            if new + carried != total + nxt:
                diff = new + carried - total - nxt
                found.append(
                    f"「{col}」列：一、本年新收 {new} + 二、上年结转 {carried} = {new + carried}，"
                    f"而 三、办理结果总计 {total} + 四、结转下年度 {nxt} = {total + nxt}，"
                    f"{'多出' if diff > 0 else '少了'} {abs(diff)} 件（有申请未办结也未结转，或结转数与登记不符）"
                )
        return found

    def check(self) -> None:
        found = self.problems()
        if found:
            raise ReportRefused(
                f"{self.year} 年度报告表三未通过勾稽检查（第一项加第二项之和应等于第三项加第四项之和），不予生成：" + "；".join(found),
                "table 3 does not balance: new + carried != handled + carried to next year",
            )


def build_table3(archive: "Archive", year: int, actor: Actor, *, carried_over: dict[str, int] | None = None) -> Table3:
    """Fill table 3 from the register. ``carried_over`` replaces row 二 with the figures of last year's published
    report (per column), for a register that does not go back far enough; the totals check then shows any gap."""
    year = catalogue.check_year(year)
    start, end = f"{year}-01-01", f"{year}-12-31"
    table = Table3(year)
    require_operator(actor)
    rows = archive.db.execute(
        "SELECT applicant_type, received_date, closed_date, outcome FROM requests WHERE received_date <= ?", [end]
    )
    for col, received, closed, outcome in rows:
        if received >= start:
            table.counts[NEW][col] += 1
        elif not closed or closed >= start:
            table.counts[CARRIED][col] += 1
        if closed and start <= closed <= end:
            table.counts[outcome][col] += 1
            table.counts[TOTAL][col] += 1
        elif not closed or closed > end:
            table.counts[NEXT][col] += 1
    if carried_over is not None:
        for col in columns():
            table.counts[CARRIED][col] = int(carried_over.get(col, 0))
        unknown = set(carried_over) - set(columns())
        if unknown:
            raise ReportRefused(f"上年结转数中有未知的申请人类型：{'、'.join(sorted(unknown))}", f"unknown columns {unknown}")
    return table


# -- table 2 ---------------------------------------------------------------------------------------------------

TABLE2_BLOCKS = [
    ("第二十条第（一）项", ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"], ["规章", "行政规范性文件"]),
    ("第二十条第（五）项", ["信息内容", "本年处理决定数量"], ["行政许可"]),
    ("第二十条第（六）项", ["信息内容", "本年处理决定数量"], ["行政处罚", "行政强制"]),
    ("第二十条第（八）项", ["信息内容", "本年收费金额（单位：万元）"], ["行政事业性收费"]),
]


@dataclass
class Table2:
    year: int
    counts: dict[str, catalogue.YearCounts]  # 规章 / 行政规范性文件 → counts from the catalogue
    rules: dict[str, dict[str, list[str]]]  # how each row was selected
    all_documents: catalogue.YearCounts

    def notes(self) -> list[str]:
        out = []
        for row, rule in self.rules.items():
            how = "；".join(f"{_FIELD_LABELS.get(k, k)}为{'、'.join(v)}" for k, v in rule.items())
            out.append(f"{row}：按目录统计已发布记录中{how}的件数（口径可在设置 report.table2 中修改）")
        made, repealed, valid = self.all_documents.row()
        out.append(f"目录全部已发布文件：本年制发 {made} 件，本年废止 {repealed} 件，现行有效 {valid} 件")
        out.append("行政许可、行政处罚、行政强制、行政事业性收费：目录无此数据，请按业务系统数据填报")
        return out


_FIELD_LABELS = {"genre": "体裁", "category": "信息分类", "issuer": "发布机构", "subject": "主题分类", "disclosure": "公开属性"}


def build_table2(archive: "Archive", year: int, actor: Actor) -> Table2:
    rules = archive.setting("report.table2") or catalogue.DEFAULT_TABLE2
    counts = {row: catalogue.year_counts(archive.db, actor, year, select=rule) for row, rule in rules.items()}
    return Table2(year, counts, rules, catalogue.year_counts(archive.db, actor, year))


# -- the whole report ------------------------------------------------------------------------------------------

@dataclass
class AnnualReport:
    year: int
    reading_point: str
    table2: Table2
    table3: Table3
    table4: Table4
    reading: reading_room.Counts
    reading_by_month: list[tuple[str, reading_room.Counts]]
    warnings: list[str] = field(default_factory=list)


def build(archive: "Archive", year: int, actor: Actor, *, carried_over: dict[str, int] | None = None) -> AnnualReport:
    """Build and check the report; raises :class:`ReportRefused` when table 3 does not balance (and
    :class:`~.table4.Table4Refused` when a group of table 4 does not add up)."""
    table3 = build_table3(archive, year, actor, carried_over=carried_over)
    table3.check()
    table4 = build_table4(archive, year, actor)
    table4.check()
    period = str(year)
    return AnnualReport(
        year=year,
        reading_point=archive.setting("reading_point"),
        table2=build_table2(archive, year, actor),
        table3=table3,
        table4=table4,
        reading=reading_room.total(archive.db, actor, period),
        reading_by_month=reading_room.by_period(archive.db, actor, period, "month"),
    )


def table3_table(table: Table3) -> Table:
    """Table 3 as a plain table: one label column (indented like the template) and the seven count columns."""
    headers3 = ["项目", *columns(), TOTAL_COLUMN]
    blank = [""] * (len(headers3) - 1)
    rows3 = []
    for key in row_keys():
        values = [table.value(key, c) for c in [*columns(), TOTAL_COLUMN]]
        if key in outcomes.outcomes():
            found = outcomes.outcome(key)
            if key == next(iter(outcomes.outcomes())):
                rows3.append([RESULT_LABEL, *blank])
            if found.reason and key.endswith(".1"):
                rows3.append(["　" + found.group_label, *blank])
            label = "　　" + found.row_label if found.reason else "　" + found.group_label
        else:
            label = "　" + PARTS[key] if key == TOTAL else PARTS[key]
        rows3.append([label, *values])
    return Table(f"{TITLE3}（{table.year} 年）", "表三", headers3, rows3, [CHECK_NOTE.strip("（）")])


def plain_tables(report: AnnualReport) -> list[Table]:
    """The report as plain tables (for Markdown and CSV): tables 2, 3 and 4, then :func:`reading_tables`."""
    t2 = report.table2
    t2_rows = [[row, *t2.counts[row].row()] for row in t2.counts]
    t2_rows += [[name, "", "", ""] for _, _, names in TABLE2_BLOCKS[1:] for name in names]
    return [
        Table(f"二、主动公开政府信息情况（{report.year} 年）", "表二", ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
              t2_rows, t2.notes()),
        table3_table(report.table3),
        table4_table(report.table4),
        *reading_tables(report),
    ]


def reading_tables(report: AnnualReport) -> list[Table]:
    """The reading point's own counts, which the template does not have."""
    reading = report.reading
    return [
        Table(f"查阅点统计（{report.reading_point}，{report.year} 年）", "查阅点统计", ["项目", "数量"],
              [["接待人次", reading.visitors], ["查阅件次", reading.documents], ["打印页数", reading.pages],
               ["收费（元）", yuan(reading.fee_cents)]]),
        Table(f"查阅点按月统计（{report.year} 年）", "查阅点按月", ["月份", *reading_room.HEADERS],
              [[k, *c.row()] for k, c in report.reading_by_month]),
    ]


def to_md(report: AnnualReport) -> str:
    head = f"# {report.reading_point} {report.year} 年政府信息公开工作年度报告（统计表）\n\n"
    return head + to_markdown(plain_tables(report))


# -- XLSX in the template's layout ----------------------------------------------------------------------------

def write_table3_sheet(book: openpyxl.Workbook, table: Table3) -> None:
    """Columns A–C hold the row labels (三 spans A, its groups B, their reasons C), D–I the six applicant
    columns, J 总计; rows 2–4 are the merged header of the template."""
    sheet = book.create_sheet("表三 依申请公开")
    cols = columns()
    last = 3 + len(cols) + 1
    _merge(sheet, 1, 1, 1, last, TITLE3, bold=True)
    _merge(sheet, 2, 1, 4, 3, CHECK_NOTE)
    _merge(sheet, 2, 4, 2, last, "申请人情况", bold=True)
    _merge(sheet, 3, 4, 4, 4, outcomes.NATURAL_PERSON, bold=True)
    _merge(sheet, 3, 5, 3, last - 1, outcomes.LEGAL_GROUP, bold=True)
    for n, col in enumerate(outcomes.legal_types()):
        _cell(sheet, 4, 5 + n, col, bold=True)
    _merge(sheet, 3, last, 4, last, TOTAL_COLUMN, bold=True)
    keys = row_keys()
    outcome_rows = {key: n for n, key in enumerate(keys)}
    first_outcome = outcome_rows[next(iter(outcomes.outcomes()))]
    _merge(sheet, 5 + first_outcome, 1, 5 + outcome_rows[TOTAL], 1, RESULT_LABEL)
    for group in outcomes.groups():
        members = [k for k in keys if k in outcomes.outcomes() and outcomes.outcome(k).group_code == group["code"]]
        top, bottom = 5 + outcome_rows[members[0]], 5 + outcome_rows[members[-1]]
        if group["reasons"]:
            _merge(sheet, top, 2, bottom, 2, group["label"])
        else:
            _merge(sheet, top, 2, top, 3, group["label"], align=LEFT)
    for key in keys:
        row = 5 + outcome_rows[key]
        if key in (NEW, CARRIED, NEXT):
            _merge(sheet, row, 1, row, 3, PARTS[key], align=LEFT)
        elif key == TOTAL:
            _merge(sheet, row, 2, row, 3, PARTS[TOTAL], align=LEFT)
        elif outcomes.outcome(key).reason:
            _cell(sheet, row, 3, outcomes.outcome(key).row_label, align=LEFT)
        for n, col in enumerate([*cols, TOTAL_COLUMN]):
            _cell(sheet, row, 4 + n, table.value(key, col))
    for letter, width in (("A", 10), ("B", 16), ("C", 44)):
        sheet.column_dimensions[letter].width = width
    for n in range(4, last + 1):
        sheet.column_dimensions[openpyxl.utils.get_column_letter(n)].width = 10


def write_table2_sheet(book: openpyxl.Workbook, table: Table2) -> None:
    sheet = book.create_sheet("表二 主动公开")
    _merge(sheet, 1, 1, 1, 4, "二、主动公开政府信息情况", bold=True)
    row = 2
    for block, headers, names in TABLE2_BLOCKS:
        _merge(sheet, row, 1, row, 4, block, bold=True)
        row += 1
        if len(headers) == 4:
            for n, header in enumerate(headers, 1):
                _cell(sheet, row, n, header, bold=True)
        else:
            _cell(sheet, row, 1, headers[0], bold=True)
            _merge(sheet, row, 2, row, 4, headers[1], bold=True)
        row += 1
        for name in names:
            _cell(sheet, row, 1, name)
            if name in table.counts:
                for n, value in enumerate(table.counts[name].row(), 2):
                    _cell(sheet, row, n, value)
            else:
                _merge(sheet, row, 2, row, 4, None)
            row += 1
    for note in table.notes():
        row += 1
        sheet.cell(row=row, column=1, value=note)
    sheet.column_dimensions["A"].width = 22
    for letter in "BCD":
        sheet.column_dimensions[letter].width = 16


def write_xlsx(report: AnnualReport, path: Path) -> None:
    book = openpyxl.Workbook()
    book.remove(book.active)
    write_table2_sheet(book, report.table2)
    write_table3_sheet(book, report.table3)
    write_table4_sheet(book, report.table4)
    for table in reading_tables(report):
        add_sheet(book, table)
    book.save(path)
