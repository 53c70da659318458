"""Reading-room statistics from the visit and print logs: 接待人次, 查阅件次, pages printed and fees.

- 接待人次: visits registered (``visits``), dated by when the visit started.
- 查阅件次: documents consulted — each record opened during a visit counts once for that visit
  (``visit_records``, distinct visit and record), dated by the visit.
- 打印页数: pages of the documents printed, ``page_count × copies`` from ``print_log`` (a cover sheet not counted).
- 收费: the copy fees charged (``print_log.fee_cents``).

A period is given as a date prefix: ``2026`` (a year), ``2026-03`` (a month) or ``2026-03-05`` (a day).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

from sqlite_utils import Database

from ..access import Actor
from ..errors import InvalidInput, PermissionDenied
from .tables import Table, yuan

UNITS = {"year": 4, "month": 7, "day": 10}
UNIT_LABELS = {"year": "年", "month": "月", "day": "日"}
DIMENSIONS = {"issuer": "发布机构", "subject": "主题分类"}
MISSING = "（未填）"


@dataclass
class Counts:
    visitors: int = 0
    documents: int = 0
    pages: int = 0
    fee_cents: int = 0

    def row(self) -> list:
        return [self.visitors, self.documents, self.pages, yuan(self.fee_cents)]


HEADERS = ["接待人次", "查阅件次", "打印页数", "收费（元）"]


def check_period(period: str) -> str:
    period = (period or "").strip()
    if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", period):
        raise InvalidInput(f"统计期间「{period}」应写作 2026、2026-03 或 2026-03-05", f"bad period {period!r}")
    return period


def _require(actor: Actor) -> None:
    if not actor.roles:
        raise PermissionDenied(f"「{actor.name}」不是登记的操作员，不能查看统计", "actor has no role")


def _range(period: str) -> list[str]:
    """Bounds for ``column >= lo AND column < hi`` matching every timestamp that starts with ``period`` (an index
    range, unlike LIKE): after the prefix comes '-', 'T' or a digit, all sorting before '~'."""
    return [period, period + "~"]


def _visits(db: Database, period: str, width: int) -> dict[str, int]:
    sql = (f"SELECT substr(started_at, 1, {width}) AS k, count(*) FROM visits "
           "WHERE started_at >= ? AND started_at < ? GROUP BY k")
    return {k: n for k, n in db.execute(sql, _range(period))}


def _documents(db: Database, period: str, width: int) -> dict[str, int]:
    # Distinct records per visit first (cheap: grouped by visit id), then summed per day/month/year.
    sql = (f"SELECT substr(ts, 1, {width}) AS k, sum(n) FROM ("
           "SELECT v.started_at AS ts, count(DISTINCT vr.record_id) AS n FROM visits v "
           "JOIN visit_records vr ON vr.visit_id = v.id WHERE v.started_at >= ? AND v.started_at < ? GROUP BY v.id"
           ") GROUP BY k")
    return {k: int(n) for k, n in db.execute(sql, _range(period))}


def _prints(db: Database, period: str, width: int) -> dict[str, tuple[int, int]]:
    sql = (f"SELECT substr(ts, 1, {width}) AS k, sum(page_count * copies), sum(coalesce(fee_cents, 0)) "
           "FROM print_log WHERE ts >= ? AND ts < ? GROUP BY k")
    return {k: (int(p or 0), int(f or 0)) for k, p, f in db.execute(sql, _range(period))}


def _keys(period: str, unit: str) -> list[str]:
    """Every period of ``unit`` inside ``period`` when that makes a short list (months of a year, days of a month)."""
    if unit == "month" and len(period) == 4:
        return [f"{period}-{m:02d}" for m in range(1, 13)]
    if unit == "day" and len(period) == 7:
        year, month = map(int, period.split("-"))
        return [f"{period}-{d:02d}" for d in range(1, calendar.monthrange(year, month)[1] + 1)]
    if UNITS[unit] == len(period):
        return [period]
    return []


def by_period(db: Database, actor: Actor, period: str, unit: str = "month") -> list[tuple[str, Counts]]:
    """Counts for each day, month or year inside ``period`` (empty months/days of a short list included)."""
    _require(actor)
    period = check_period(period)
    if unit not in UNITS:
        raise InvalidInput(f"统计单位只能是 {'、'.join(UNITS)}", f"bad unit {unit!r}")
    if UNITS[unit] < len(period):
        raise InvalidInput("统计单位不能比统计期间更长", f"unit {unit} is longer than period {period}")
    width = UNITS[unit]
    visits, docs, prints = _visits(db, period, width), _documents(db, period, width), _prints(db, period, width)
    keys = sorted(set(_keys(period, unit)) | set(visits) | set(docs) | set(prints))
    return [(k, Counts(visits.get(k, 0), docs.get(k, 0), *prints.get(k, (0, 0)))) for k in keys]


def total(db: Database, actor: Actor, period: str) -> Counts:
    rows = by_period(db, actor, period, next(u for u, w in UNITS.items() if w == len(check_period(period))))
    return rows[0][1] if rows else Counts()


def by_dimension(db: Database, actor: Actor, period: str, dimension: str) -> list[tuple[str, Counts]]:
    """Per 发布机构 or top-level 主题分类 of the documents: visits that consulted them (a visit consulting two
    agencies counts for each), documents consulted, pages printed and fees. Busiest first."""
    _require(actor)
    period = check_period(period)
    if dimension not in DIMENSIONS:
        raise InvalidInput(f"分组只能是 {'、'.join(DIMENSIONS)}", f"bad dimension {dimension!r}")
    # Pairs are fetched and grouped here rather than in SQL: a DISTINCT over (visit, record) joined to records
    # needed a temporary B-tree and was several times slower on a year of visits (bench/bench_stats.py).
    column = "issuer" if dimension == "issuer" else "subject"
    names: dict[int, str] = {}
    for record_id, value in db.execute(f"SELECT id, {column} FROM records"):
        value = (value or "").split("/", 1)[0] if column == "subject" else value
        names[record_id] = value or MISSING
    visits: dict[str, set[int]] = {}
    pairs: dict[str, set[tuple[int, int]]] = {}
    sql = ("SELECT vr.visit_id, vr.record_id FROM visit_records vr JOIN visits v ON v.id = vr.visit_id "
           "WHERE v.started_at >= ? AND v.started_at < ?")
    for visit_id, record_id in db.execute(sql, _range(period)):
        key = names.get(record_id, MISSING)
        visits.setdefault(key, set()).add(visit_id)
        pairs.setdefault(key, set()).add((visit_id, record_id))
    found = {key: Counts(len(visits[key]), len(pairs[key])) for key in visits}
    sql = ("SELECT record_id, sum(page_count * copies), sum(coalesce(fee_cents, 0)) FROM print_log "
           "WHERE ts >= ? AND ts < ? GROUP BY record_id")
    for record_id, pages, fee in db.execute(sql, _range(period)):
        counts = found.setdefault(names.get(record_id, MISSING), Counts())
        counts.pages += int(pages or 0)
        counts.fee_cents += int(fee or 0)
    return sorted(found.items(), key=lambda kv: (-kv[1].documents, -kv[1].pages, kv[0]))


def tables(db: Database, actor: Actor, period: str, *, by: str | None = None) -> list[Table]:
    """The report tables: totals, by month (or day), by 发布机构 and by 主题分类; ``by`` picks just one of them."""
    period = check_period(period)
    unit = "day" if len(period) >= 7 else "month"
    everything = {
        "total": lambda: Table(f"{period} 查阅点接待统计", "合计", ["期间", *HEADERS],
                               [[period, *total(db, actor, period).row()]]),
        unit: lambda: Table(f"{period} 按{UNIT_LABELS[unit]}统计", f"按{UNIT_LABELS[unit]}", ["日期", *HEADERS],
                            [[k, *c.row()] for k, c in by_period(db, actor, period, unit)]),
        "issuer": lambda: _dimension_table(db, actor, period, "issuer"),
        "subject": lambda: _dimension_table(db, actor, period, "subject"),
    }
    if by is None:
        return [make() for make in everything.values()]
    if by not in everything:
        raise InvalidInput(f"分组只能是 {'、'.join(everything)}", f"bad grouping {by!r} for period {period}")
    return [everything[by]()]


def _dimension_table(db: Database, actor: Actor, period: str, dimension: str) -> Table:
    label = DIMENSIONS[dimension]
    rows = [[k, *c.row()] for k, c in by_dimension(db, actor, period, dimension)]
    return Table(f"{period} 按{label}统计", f"按{label}", [label, "涉及人次", *HEADERS[1:]], rows,
                 ["涉及人次：查阅过该组文件的来访人次（一次来访查阅多个机构的文件时分别计入）"])
