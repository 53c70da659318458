"""Working days (工作日) in mainland China: weekends, public holidays and the adjusted working weekends (调休).

Years the ``chinese-calendar`` package covers come from it; later years come from a yearly data file
``schemas/holidays/<year>.json`` (or one the archive keeps in ``<archive>/holidays/``, which wins). A file marked
``"provisional": true`` holds only the statutory holidays derived before the State Council's notice for that year
is out; every answer that touched such a year says so, and the CLI and the app show a warning.

Periods follow the usual rule for statutory time limits: the day something happens is not counted, the period
starts on the next working day ("自收到申请之日起 20 个工作日内" ends on the 20th working day after receipt).
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import chinese_calendar

from ..domain.vocab import schemas_dir
from ..errors import InvalidInput

PACKAGE_YEARS = range(2004, 2027)


@dataclass(frozen=True)
class YearData:
    year: int
    holidays: frozenset[dt.date]
    workdays: frozenset[dt.date]  # weekend days that are working days (调休上班)
    provisional: bool
    source: str


def _file_year(path: Path) -> YearData:
    """The data of one file, read again whenever the file changes."""
    stat = path.stat()
    return _read_year(path, stat.st_mtime_ns, stat.st_size)


@cache
def _read_year(path: Path, mtime_ns: int, size: int) -> YearData:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        year = int(data["year"])
        holidays = frozenset(dt.date.fromisoformat(d) for d in data.get("holidays", {}))
        workdays = frozenset(dt.date.fromisoformat(d) for d in data.get("workdays", {}))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InvalidInput(f"节假日数据文件「{path}」无法读取或格式不对", repr(exc)) from exc
    wrong = [d for d in holidays | workdays if d.year != year]
    if wrong:
        raise InvalidInput(f"节假日数据文件「{path}」含有不属于 {year} 年的日期", f"dates outside {year}: {wrong[:3]}")
    return YearData(year, holidays, workdays, bool(data.get("provisional", False)), str(data.get("source", "")))


class WorkCalendar:
    """Answers "is this a working day" and counts working days; ``data_dirs`` are searched before the shipped data."""

    def __init__(self, data_dirs: Sequence[Path] = ()) -> None:
        self.data_dirs = [Path(p) for p in data_dirs] + [schemas_dir() / "holidays"]
        self._cache: dict[int, frozenset[dt.date]] = {}
        self._sorted: dict[int, list[dt.date]] = {}
        self._data: dict[int, YearData | None] = {}

    def year_data(self, year: int) -> YearData | None:
        """The data file for ``year`` when the package does not cover it (None for package years)."""
        if year not in self._data:
            self._data[year] = self._find_year_data(year)
        return self._data[year]

    def _find_year_data(self, year: int) -> YearData | None:
        for folder in self.data_dirs:
            path = folder / f"{year}.json"
            if path.is_file():
                return _file_year(path)
        if year in PACKAGE_YEARS:
            return None
        raise InvalidInput(
            f"没有 {year} 年的节假日数据，无法计算工作日；请按国务院办公厅放假安排通知添加 schemas/holidays/{year}.json",
            f"no holiday data for {year}: chinese-calendar covers {PACKAGE_YEARS.start}-{PACKAGE_YEARS.stop - 1}",
        )

    def is_workday(self, day: dt.date) -> bool:
        return day in self._workdays(day.year)

    def _workdays(self, year: int) -> frozenset[dt.date]:
        """Every working day of ``year``, worked out once per calendar object."""
        found = self._cache.get(year)
        if found is None:
            data = self.year_data(year)
            days = [dt.date(year, 1, 1) + dt.timedelta(days=n) for n in range(366)]
            days = [d for d in days if d.year == year]
            if data is None:
                found = frozenset(d for d in days if chinese_calendar.is_workday(d))
            else:
                found = frozenset(d for d in days if d in data.workdays or (d.weekday() < 5 and d not in data.holidays))
            self._cache[year] = found
        return found

    def provisional(self, years: Iterable[int]) -> list[int]:
        """Those of ``years`` whose data is provisional."""
        out = []
        for year in sorted(set(years)):
            data = self.year_data(year)
            if data is not None and data.provisional:
                out.append(year)
        return out

    def add_workdays(self, start: dt.date, count: int, *, skip: Sequence["Pause"] = ()) -> dt.date:
        """The ``count``-th working day after ``start`` (``start`` itself not counted); working days inside a
        pause are not counted either."""
        if count < 0:
            raise InvalidInput("工作日数不能为负数", f"count={count}")
        day, left = start, count
        while left:
            day += dt.timedelta(days=1)
            if self.is_workday(day) and not any(p.covers(day) for p in skip):
                left -= 1
        return day

    def workdays_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end``; negative when ``end`` is before ``start``."""
        if end < start:
            return -self.workdays_between(end, start)
        count = 0
        for year in range(start.year, end.year + 1):
            days = self._sorted.get(year)
            if days is None:
                days = self._sorted[year] = sorted(self._workdays(year))
            count += bisect.bisect_right(days, end) - bisect.bisect_right(days, start)
        return count


@dataclass(frozen=True)
class Pause:
    """Working days after ``start`` up to and including ``end`` are not counted (``end`` None: still running)."""

    start: dt.date
    end: dt.date | None = None

    def covers(self, day: dt.date) -> bool:
        return day > self.start and (self.end is None or day <= self.end)


def provisional_warning(years: Sequence[int]) -> str | None:
    """The Chinese warning shown wherever a date relied on provisional holiday data."""
    if not years:
        return None
    listed = "、".join(str(y) for y in years)
    return (
        f"注意：{listed} 年的节假日为暂定数据（按放假办法推算的节日和补假，未含调休），期限可能有出入；"
        f"国务院办公厅放假安排通知发布后请更新 schemas/holidays/{years[0]}.json"
    )
