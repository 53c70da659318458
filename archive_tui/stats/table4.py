"""Table 4 of the annual report (2021 template): 政府信息公开行政复议、行政诉讼情况.

Counting rule for year Y: every case **filed** (received) in Y is counted once, in its group — 行政复议, 行政诉讼
未经复议直接起诉, 行政诉讼复议后起诉 — under its result **as of 31 December Y**: 结果维持, 结果纠正 or 其他结果 when
decided by then, otherwise 尚未审结 (a case decided in Y+1 stays 尚未审结 in Y's report, as published). Cases filed
before Y are not counted again when decided in Y; a note under the table gives their number so the reader can
follow them. 总计 is counted on its own (the cases filed) and must equal 维持 + 纠正 + 其他 + 尚未审结 in every
group, or the report is refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import openpyxl

from ..access import Actor
from ..errors import ArchiveError
from ..requests import appeals
from .tables import Table, boxed, merge_boxed

if TYPE_CHECKING:
    from ..archive import Archive

TITLE4 = "四、政府信息公开行政复议、行政诉讼情况"
PENDING, TOTAL = "pending", "total"
#: Column keys of each group, in the template's order, and their headers.
COLUMNS = [*appeals.RESULTS, PENDING, TOTAL]
HEADERS = {**{k: label for k, (label, _) in appeals.RESULTS.items()}, PENDING: appeals.PENDING_LABEL, TOTAL: "总计"}
RULE_NOTE = ("口径：本年收到的复议申请和起诉，按截至 12 月 31 日的结果计数；当年未审结的计入尚未审结"
             "（次年审结的不改本年数字）；总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结")


class Table4Refused(ArchiveError):
    """A group's 总计 is not the sum of its results: the register holds a result table 4 does not know."""


@dataclass
class Table4:
    year: int
    counts: dict[str, dict[str, int]] = field(default_factory=dict)  # kind → column → count
    earlier_decided: dict[str, int] = field(default_factory=dict)  # result → cases filed before Y, decided in Y

    def __post_init__(self) -> None:
        for kind in appeals.KINDS:
            self.counts.setdefault(kind, {})
            for col in COLUMNS:
                self.counts[kind].setdefault(col, 0)

    def value(self, kind: str, col: str) -> int:
        return self.counts[kind][col]

    def row(self, kind: str) -> list[int]:
        return [self.value(kind, col) for col in COLUMNS]

    def figures(self) -> list[int]:
        """The template's 15 numbers, left to right: 行政复议, then 直接起诉, then 复议后起诉."""
        return [n for kind in appeals.KINDS for n in self.row(kind)]

    def problems(self) -> list[str]:
        found = []
        for kind in appeals.KINDS:
            listed = sum(self.value(kind, col) for col in COLUMNS if col != TOTAL)
            if listed != self.value(kind, TOTAL):
                found.append(f"「{appeals.kind_label(kind)}」总计为 {self.value(kind, TOTAL)}，"
                             f"但维持、纠正、其他、尚未审结相加为 {listed}")
        return found

    def check(self) -> None:
        found = self.problems()
        if found:
            raise Table4Refused(f"{self.year} 年度报告表四的总计与各项之和不符，不予生成：" + "；".join(found),
                                "table 4: total != upheld + corrected + other + pending")

    def notes(self) -> list[str]:
        out = [RULE_NOTE]
        if sum(self.earlier_decided.values()):
            parts = "、".join(f"{appeals.result_label(k)} {n} 件" for k, n in self.earlier_decided.items() if n)
            out.append(f"另有以前年度收到、本年审结的案件 {sum(self.earlier_decided.values())} 件（{parts}），"
                       "已在收到当年计入尚未审结，本表不重复计数")
        return out


def build_table4(archive: "Archive", year: int, actor: Actor) -> Table4:
    appeals.require_case_access(actor)
    start, end = f"{year:04d}-01-01", f"{year:04d}-12-31"
    table = Table4(year)
    rows = archive.db.execute(
        "SELECT kind, filed_date, result, decided_date FROM appeal_cases WHERE filed_date <= ?", [end]
    )
    for kind, filed, result, decided in rows:
        decided_by_end = bool(result) and bool(decided) and decided <= end
        if filed < start:
            if decided_by_end and decided >= start:
                table.earlier_decided[result] = table.earlier_decided.get(result, 0) + 1
            continue
        group = table.counts.setdefault(kind, {col: 0 for col in COLUMNS})
        group[TOTAL] += 1
        column = result if decided_by_end else PENDING
        group[column] = group.get(column, 0) + 1
    return table


def table4_table(table: Table4) -> Table:
    """Table 4 for Markdown, CSV and the screen: one row per group (the template puts the 15 figures in one row)."""
    rows = [[appeals.kind_label(kind), *table.row(kind)] for kind in appeals.KINDS]
    return Table(f"{TITLE4}（{table.year} 年）", "表四", ["类别", *(HEADERS[c] for c in COLUMNS)], rows, table.notes())


def cases_table(archive: "Archive", year: int, actor: Actor) -> Table:
    """The cases received in ``year``, one row each, for the 统计 mode's export of its 复议诉讼 view."""
    rows = [[c.ref, c.row["filed_date"], c.kind_label, c.result_label, c.row["decided_date"] or "",
             c.request_ref or "", c.row["note"] or ""] for c in archive.appeal_register().list(actor, year=year)]
    return Table(f"{year} 年行政复议、行政诉讼案件", "复议诉讼案件",
                 ["编号", "收到日期", "类型", "审结结果", "审结日期", "涉及申请", "备注"], rows)


def write_table4_sheet(book: openpyxl.Workbook, table: Table4) -> None:
    """The template's layout: row 2 行政复议 (A–E) | 行政诉讼 (F–O); row 3 the five headers of 行政复议 (merged down
    to row 4), 未经复议直接起诉 (F–J) and 复议后起诉 (K–O); row 4 their five headers; row 5 the 15 figures."""
    sheet = book.create_sheet("表四 复议诉讼")
    width = len(COLUMNS)
    last = 3 * width
    merge_boxed(sheet, 1, 1, 1, last, TITLE4, bold=True)
    merge_boxed(sheet, 2, 1, 2, width, appeals.kind_label(appeals.REVIEW), bold=True)
    merge_boxed(sheet, 2, width + 1, 2, last, "行政诉讼", bold=True)
    for n, col in enumerate(COLUMNS, 1):
        merge_boxed(sheet, 3, n, 4, n, HEADERS[col], bold=True)
    for g, kind in enumerate((appeals.DIRECT, appeals.AFTER_REVIEW), 1):
        merge_boxed(sheet, 3, g * width + 1, 3, (g + 1) * width, _suit_label(kind), bold=True)
        for n, col in enumerate(COLUMNS, 1):
            boxed(sheet, 4, g * width + n, HEADERS[col], bold=True)
    for n, value in enumerate(table.figures(), 1):
        boxed(sheet, 5, n, value)
    for offset, note in enumerate(table.notes()):
        sheet.cell(row=7 + offset, column=1, value=note)
    for n in range(1, last + 1):
        sheet.column_dimensions[openpyxl.utils.get_column_letter(n)].width = 10


def _suit_label(kind: str) -> str:
    """行政诉讼（未经复议直接起诉） → 未经复议直接起诉: the sub-header under 行政诉讼."""
    return appeals.kind_label(kind).removeprefix("行政诉讼（").removesuffix("）")
