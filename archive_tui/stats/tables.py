"""A plain table (title, headers, rows) and its three outputs: CSV, Markdown and an XLSX sheet."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import openpyxl
from openpyxl.styles import Alignment, Border, Font, Side

BOLD = Font(bold=True)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


@dataclass
class Table:
    title: str
    sheet: str  # worksheet name (at most 31 characters)
    headers: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def yuan(cents: int) -> str:
    return f"{cents / 100:.2f}"


def write_csv(tables: Sequence[Table], out: TextIO) -> None:
    """One table: headers and rows. Several: each preceded by its title and followed by a blank line."""
    writer = csv.writer(out)
    for n, table in enumerate(tables):
        if len(tables) > 1:
            if n:
                writer.writerow([])
            writer.writerow([table.title])
        writer.writerow(table.headers)
        writer.writerows(table.rows)


def _md_cell(value: Any) -> str:
    return str("" if value is None else value).replace("|", "\\|").replace("\n", " ")


def to_markdown(tables: Sequence[Table]) -> str:
    parts = []
    for table in tables:
        lines = [f"### {table.title}", "", "| " + " | ".join(table.headers) + " |",
                 "|" + "|".join("---" if i == 0 else "---:" for i in range(len(table.headers))) + "|"]
        lines += ["| " + " | ".join(_md_cell(v) for v in row) + " |" for row in table.rows]
        lines += [""] + [f"> {note}" for note in table.notes] if table.notes else []
        parts.append("\n".join(lines))
    return "\n\n".join(parts) + "\n"


def add_sheet(book: openpyxl.Workbook, table: Table) -> None:
    sheet = book.create_sheet(table.sheet[:31])
    sheet.append([table.title])
    sheet["A1"].font = BOLD
    sheet.append(table.headers)
    for cell in sheet[2]:
        cell.font = BOLD
        cell.alignment = CENTER
    for row in table.rows:
        sheet.append(row)
    for note in table.notes:
        sheet.append([note])
    for n, header in enumerate(table.headers, 1):
        width = max([len(str(header))] + [len(str(r[n - 1])) for r in table.rows if len(r) >= n] or [4])
        sheet.column_dimensions[openpyxl.utils.get_column_letter(n)].width = min(60, 2 * width + 2)
    sheet.freeze_panes = "A3"


THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)


def boxed(sheet, row: int, col: int, value, *, align: Alignment = WRAP, bold: bool = False) -> None:
    """One bordered cell, as the template's tables are drawn."""
    cell = sheet.cell(row=row, column=col, value=value)
    cell.alignment = align
    cell.border = BOX
    if bold:
        cell.font = Font(bold=True)


def merge_boxed(sheet, r1: int, c1: int, r2: int, c2: int, value, *, align: Alignment = WRAP,
                bold: bool = False) -> None:
    """A bordered block of cells merged into one (every cell gets the border, or merged edges show gaps)."""
    for r in range(r1, r2 + 1):
        for c in range(c1, c2 + 1):
            boxed(sheet, r, c, None)
    boxed(sheet, r1, c1, value, align=align, bold=bold)
    if (r1, c1) != (r2, c2):
        sheet.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)


def write_xlsx(tables: Sequence[Table], path: Path) -> None:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for table in tables:
        add_sheet(book, table)
    book.save(path)
