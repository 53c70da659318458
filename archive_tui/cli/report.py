"""``archive-tui report …``: reading-room counts, catalogue counts and the annual report tables."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import click

from ..errors import InvalidInput
from ..requests import outcomes
from ..stats import annual_report, catalogue, reading_room, tables
from ..timeutil import today
from .base import State, main, pass_state

FORMATS = click.Choice(["md", "csv", "xlsx"])


@main.group()
def report() -> None:
    """统计报表：查阅点接待、目录件数、年度报告表格。"""


def _emit(made: list[tables.Table], fmt: str, output: Path | None) -> None:
    if fmt == "xlsx":
        if output is None:
            raise InvalidInput("XLSX 格式须用 -o 指定输出文件", "xlsx needs --output")
        tables.write_xlsx(made, output)
    else:
        buffer = io.StringIO()
        if fmt == "csv":
            tables.write_csv(made, buffer)
        else:
            buffer.write(tables.to_markdown(made))
        _write_text(buffer.getvalue(), fmt, output)


def _write_text(text: str, fmt: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    output.write_text(text, encoding="utf-8-sig" if fmt == "csv" else "utf-8")
    click.echo(f"已写出 {output}", err=True)


@report.command("reading-room")
@click.option("--year", type=int, default=None, help="统计年份（默认今年）")
@click.option("--month", type=int, default=None, help="只统计该月（按日列出）")
@click.option("--by", type=click.Choice(["total", "month", "day", "issuer", "subject"]), default=None,
              help="只输出一种分组（CSV 默认按月或按日）")
@click.option("--format", "fmt", type=FORMATS, default="md", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None, help="输出文件")
@pass_state
def reading_room_cmd(state: State, year: int | None, month: int | None, by: str | None, fmt: str,
                     output: Path | None) -> None:
    """查阅点接待统计：接待人次、查阅件次、打印页数、收费，按月/日、发布机构、主题分类。"""
    period = f"{year or today().year}" + (f"-{month:02d}" if month else "")
    if fmt == "csv" and by is None:
        by = "day" if month else "month"
    _emit(reading_room.tables(state.archive.db, state.staff_actor(), period, by=by), fmt, output)


@report.command("catalogue")
@click.option("--year", type=int, default=None, help="统计年份（默认今年）")
@click.option("--include-unreleased", is_flag=True, help="把未发布的记录也计入")
@click.option("--format", "fmt", type=FORMATS, default="md", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None, help="输出文件")
@pass_state
def catalogue_cmd(state: State, year: int | None, include_unreleased: bool, fmt: str, output: Path | None) -> None:
    """目录统计：本年制发、本年废止、现行有效件数，按发布机构、体裁、年份。"""
    made = catalogue.tables(state.archive.db, state.staff_actor(), year or today().year,
                            include_unreleased=include_unreleased)
    _emit(made[:1] if fmt == "csv" else made, fmt, output)


def _parse_carried(text: str | None) -> dict[str, int] | None:
    if not text:
        return None
    found: dict[str, int] = {}
    for part in text.replace("，", ",").split(","):
        name, _, number = part.partition("=")
        if not number.strip().isdigit():
            raise InvalidInput(f"上年结转数「{part}」应写作 类型=件数，如 自然人=2", f"bad carried-over item {part!r}")
        found[name.strip()] = int(number)
    return found


@report.command("annual")
@click.option("--year", type=int, default=None, help="报告年份（默认去年）")
@click.option("--carried-over", default=None,
              help=f"上年报告公布的结转数，替代登记簿中的数字，如 自然人=2,商业企业=1（类型：{'、'.join(outcomes.applicant_types())}）")
@click.option("--format", "fmt", type=FORMATS, default="md", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None, help="输出文件")
@pass_state
def annual(state: State, year: int | None, carried_over: str | None, fmt: str, output: Path | None) -> None:
    """年度报告统计表：表二（目录可提供的部分）、表三（依申请公开，含勾稽检查）、表四（行政复议、行政诉讼）、查阅点统计。"""
    made = annual_report.build(state.archive, year or today().year - 1, state.staff_actor(),
                               carried_over=_parse_carried(carried_over))
    if fmt == "xlsx":
        if output is None:
            raise InvalidInput("XLSX 格式须用 -o 指定输出文件", "xlsx needs --output")
        annual_report.write_xlsx(made, output)
        click.echo(f"已写出 {output}", err=True)
    elif fmt == "md":
        _write_text(annual_report.to_md(made), fmt, output)
    else:
        _emit(annual_report.plain_tables(made), fmt, output)
