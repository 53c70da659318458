"""Catalogue statistics for the proactive-disclosure table: documents by issuer, genre and year, and the
本年制发 / 本年废止 / 现行有效 counts of a year.

- 本年制发: 成文日期 (``created_date``) in the year.
- 本年废止: 时效性 已废止 with a 废止日期 in the year.
- 现行有效 (at the end of the year): made by then, and either 现行有效 now or repealed only after that year.
Records marked 已废止 without a 废止日期, and records without 时效性, cannot be placed and are counted in notes.

By default only released records count (what the reading point actually discloses); staff may include the
unreleased ones. The actor's scope is always applied.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from ..access import RELEASED, Actor
from ..errors import InvalidInput
from .tables import Table

MISSING = "（未填）"
#: Which records table 2's rows 规章 and 行政规范性文件 count; an archive can change it with the setting
#: ``report.table2`` (same shape: row → {catalogue field: [values]}).
DEFAULT_TABLE2 = {"规章": {"genre": ["命令（令）"]}, "行政规范性文件": {"category": ["法规公文"]}}
SELECTABLE = {"genre", "category", "issuer", "subject", "disclosure"}


@dataclass
class YearCounts:
    made: int = 0
    repealed: int = 0
    valid: int = 0

    def row(self) -> list[int]:
        return [self.made, self.repealed, self.valid]


def check_year(year: int) -> int:
    if not 1949 <= int(year) <= 2100:
        raise InvalidInput(f"年份「{year}」不对", f"bad year {year!r}")
    return int(year)


def _scope(actor: Actor, include_unreleased: bool) -> tuple[str, list[str]]:
    statuses = list(actor.visible_statuses()) if include_unreleased else [RELEASED]
    return f"status IN ({','.join('?' * len(statuses))})", statuses


def _where(select: dict[str, list[str]] | None) -> tuple[str, list[str]]:
    if not select:
        return "", []
    parts, params = [], []
    for column, values in select.items():
        if column not in SELECTABLE:
            raise InvalidInput(f"表二的统计口径不能按「{column}」选取", f"bad selection column {column!r}")
        parts.append(f"{column} IN ({','.join('?' * len(values))})")
        params += list(values)
    return " AND (" + " OR ".join(parts) + ")", params


def year_counts(db: Database, actor: Actor, year: int, *, select: dict[str, list[str]] | None = None,
                include_unreleased: bool = False) -> YearCounts:
    year = check_year(year)
    scope, params = _scope(actor, include_unreleased)
    extra, extra_params = _where(select)
    end = f"{year}-12-31"
    sql = (
        "SELECT "
        " sum(substr(created_date, 1, 4) = ?),"
        " sum(validity = '已废止' AND substr(repeal_date, 1, 4) = ?),"
        " sum(created_date <= ? AND (validity = '现行有效' OR (validity = '已废止' AND repeal_date > ?)))"
        f" FROM records WHERE {scope}{extra}"
    )
    made, repealed, valid = db.execute(sql, [str(year), str(year), end, end, *params, *extra_params]).fetchone()
    return YearCounts(int(made or 0), int(repealed or 0), int(valid or 0))


def unplaced(db: Database, actor: Actor, *, include_unreleased: bool = False) -> dict[str, int]:
    scope, params = _scope(actor, include_unreleased)
    sql = (f"SELECT sum(coalesce(created_date, '') = ''), sum(validity = '已废止' AND coalesce(repeal_date, '') = ''),"
           f" sum(coalesce(validity, '') = '') FROM records WHERE {scope}")
    no_date, no_repeal, no_validity = db.execute(sql, params).fetchone()
    return {"未填成文日期": int(no_date or 0), "已废止但未填废止日期": int(no_repeal or 0), "未填时效性": int(no_validity or 0)}


def grouped(db: Database, actor: Actor, column: str, *, year: int | None = None,
            include_unreleased: bool = False) -> list[tuple[str, int]]:
    """Documents per 发布机构 (``issuer``), 体裁 (``genre``) or 年份 (``year``), largest first (years in order)."""
    scope, params = _scope(actor, include_unreleased)
    key = {"issuer": "issuer", "genre": "genre", "year": "substr(created_date, 1, 4)"}.get(column)
    if key is None:
        raise InvalidInput("只能按发布机构、体裁或年份分组", f"bad column {column!r}")
    where = scope
    if year is not None:
        where += " AND substr(created_date, 1, 4) = ?"
        params = [*params, str(check_year(year))]
    sql = f"SELECT coalesce(nullif({key}, ''), '{MISSING}') AS k, count(*) FROM records WHERE {where} GROUP BY k"
    rows = [(k, int(n)) for k, n in db.execute(sql, params)]
    if column == "year":
        return sorted(rows)
    return sorted(rows, key=lambda kv: (-kv[1], kv[0]))


def by_issuer_year(db: Database, actor: Actor, year: int, *, include_unreleased: bool = False) -> list[tuple[str, YearCounts]]:
    issuers = [k for k, _ in grouped(db, actor, "issuer", include_unreleased=include_unreleased) if k != MISSING]
    out = [(i, year_counts(db, actor, year, select={"issuer": [i]}, include_unreleased=include_unreleased))
           for i in issuers]
    return [(i, c) for i, c in out if any(c.row())]


def tables(db: Database, actor: Actor, year: int, *, include_unreleased: bool = False) -> list[Table]:
    year = check_year(year)
    scope_note = "统计范围：已发布的记录" if not include_unreleased else "统计范围：全部记录（含未发布）"
    kw = {"include_unreleased": include_unreleased}
    overall = year_counts(db, actor, year, **kw)
    notes = [scope_note] + [f"{k} {n} 件（无法计入对应栏目）" for k, n in unplaced(db, actor, **kw).items() if n]
    rows = [["全部", *overall.row()]] + [[i, *c.row()] for i, c in by_issuer_year(db, actor, year, **kw)]
    return [
        Table(f"{year} 年制发、废止与现行有效件数", "制发废止有效", ["发布机构", "本年制发件数", "本年废止件数", "现行有效件数"],
              rows, notes),
        Table(f"{year} 年制发文件按发布机构", "按发布机构", ["发布机构", "件数"],
              [list(r) for r in grouped(db, actor, "issuer", year=year, **kw)]),
        Table(f"{year} 年制发文件按体裁", "按体裁", ["体裁分类", "件数"],
              [list(r) for r in grouped(db, actor, "genre", year=year, **kw)]),
        Table("各年份文件件数", "按年份", ["年份", "件数"], [list(r) for r in grouped(db, actor, "year", **kw)]),
    ]
