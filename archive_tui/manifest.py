"""Reading bulk-ingest manifests (CSV in UTF-8/GB18030 or XLSX): header mapping and row validation.

Rows that fail validation are returned with their Chinese problems rather than raised, so that a batch can
report them and go on with the rest.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import schema
from .errors import InvalidInput
from .fields import HEADER_TO_FIELD

FILE_SEPARATORS = (";", "；", "|", "\n")


@dataclass
class ManifestRow:
    line: int  # 1-based row number in the sheet, header = 1
    files: list[Path]  # absolute paths
    fields: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    extra: dict[str, str] = field(default_factory=dict)  # columns that are not catalogue fields


def _split_files(cell: str) -> list[str]:
    for sep in FILE_SEPARATORS[1:]:
        cell = cell.replace(sep, FILE_SEPARATORS[0])
    return [part.strip() for part in cell.split(FILE_SEPARATORS[0]) if part.strip()]


def _read_cells(path: Path) -> list[list[str]]:
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        import openpyxl

        try:
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for damaged files
            raise InvalidInput(f"清单「{path.name}」无法打开（不是有效的 XLSX 文件）", repr(exc)) from exc
        sheet = book.worksheets[0]
        cells = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        book.close()
        return cells
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InvalidInput(f"清单「{path.name}」的编码无法识别（应为 UTF-8 或 GB18030）", "undecodable CSV")
    return [row for row in csv.reader(io.StringIO(text))]


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "date") and hasattr(value, "isoformat"):
        return value.date().isoformat() if hasattr(value, "hour") else value.isoformat()
    return str(value)


def read(path: Path | str) -> list[ManifestRow]:
    """Parse a manifest; every data row comes back, with ``problems`` filled in where it is not valid."""
    path = Path(path)
    if not path.is_file():
        raise InvalidInput(f"找不到清单文件「{path}」", "manifest not found")
    cells = _read_cells(path)
    if not cells:
        raise InvalidInput(f"清单「{path.name}」是空的", "empty manifest")
    header = [HEADER_TO_FIELD.get(h.strip().lstrip("\ufeff"), None) for h in cells[0]]
    if "files" not in header:
        raise InvalidInput(f"清单「{path.name}」缺少「文件」列", "manifest needs a 文件/files column")
    rows = []
    for number, raw in enumerate(cells[1:], start=2):
        if not any(c.strip() for c in raw):
            continue
        rows.append(_row(path, number, cells[0], header, raw))
    return rows


def _row(path: Path, number: int, names: list[str], header: list[str | None], raw: list[str]) -> ManifestRow:
    values: dict[str, Any] = {}
    extra: dict[str, str] = {}
    for name, key, cell in zip(names, header, raw):
        cell = cell.strip()
        if key is None:
            if cell:
                extra[name] = cell
        elif cell:
            values[key] = cell
    files = _split_files(values.pop("files", ""))
    row = ManifestRow(line=number, files=[(path.parent / f).resolve() for f in files], extra=extra)
    document = {"files": files, **values}
    from .records import clean_fields  # late: records imports schema, which is fine, but keep manifest light

    try:
        row.fields = clean_fields(values)
        document = {"files": files, **{k: v for k, v in row.fields.items() if k != "doc_no_norm"}}
    except InvalidInput as exc:
        row.problems.append(exc.message)
    row.problems.extend(p for p in schema.problems("manifest", document) if p not in row.problems)
    for file in row.files:
        if not file.is_file():
            row.problems.append(f"文件「{file.name}」不存在")
    return row
