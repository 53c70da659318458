"""Catalogue commands: init, list, show, export, check, demo-setup."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .. import checks, export
from ..access import STATUS_LABELS, Role
from ..archive import CATALOGUE, Archive
from ..fields import CATALOGUE_FIELDS, location_text
from ..records import as_document
from .base import State, main, pass_state


@main.command()
@click.option("--org-code", help="本机构代码（生成索引号用），如 000014349")
@click.option("--name", "reading_point", help="查阅点名称，印在复印件上")
@click.option("--period", type=click.Choice(["year", "month"]), help="索引号按年或按月编号")
@pass_state
def init(state: State, org_code: str | None, reading_point: str | None, period: str | None) -> None:
    """新建档案库（已存在则只补齐缺少的部分）。"""
    if (org_code or reading_point or period) and (state.archive_dir / CATALOGUE).is_file():
        state.staff_actor().require(Role.ADMIN)  # changing an existing archive's settings
    Archive.create(state.archive_dir, org_code=org_code, reading_point=reading_point, period=period).close()
    click.echo(f"档案库已就绪：{state.archive_dir}")


@main.command("list")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@click.option("--limit", type=int, default=None, help="最多显示多少条")
@pass_state
def list_(state: State, as_json: bool, limit: int | None) -> None:
    """列出目录中的记录（新的在前）。"""
    rows = state.archive.list_records(state.staff_actor(), limit=limit)
    if as_json:
        click.echo(json.dumps([as_document(r) for r in rows], ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo("（目录为空）")
    for r in rows:
        repealed = " [已废止]" if r.get("validity") == "已废止" else ""
        click.echo(
            f"{r['index_no']}  {r['title']}{repealed}  {r.get('doc_no') or '—'}  {r.get('issuer') or '—'}  "
            f"{r.get('created_date') or '—'}  {STATUS_LABELS.get(r['status'], r['status'])}"
        )


@main.command()
@click.argument("record")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@pass_state
def show(state: State, record: str, as_json: bool) -> None:
    """显示一条记录（编号、索引号或文号）。"""
    archive, actor = state.archive, state.staff_actor()
    row = archive.get_record(record, actor)
    files = archive.files(row["id"], actor)
    if as_json:
        doc = as_document(row) | {"files": [f["name"] for f in files]}
        click.echo(json.dumps(doc, ensure_ascii=False, indent=2))
        return
    for f in CATALOGUE_FIELDS:
        if row.get(f.name) not in (None, ""):
            click.echo(f"{f.label}：{row[f.name]}")
    click.echo(f"原件位置：{location_text(row)}")
    click.echo(f"审核状态：{STATUS_LABELS.get(row['status'], row['status'])}")
    for f in files:
        click.echo(f"文件：{f['name']}（{f['size']} 字节，sha256 {f['sha256'][:12]}…）")


@main.command("export")
@click.option("--format", "fmt", type=click.Choice(["csv", "json", "xlsx"]), default="csv", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="输出文件（默认标准输出）")
@pass_state
def export_(state: State, fmt: str, output: Path | None) -> None:
    """导出目录（CSV 或 XLSX 带中文表头，或 JSON）。"""
    if fmt == "xlsx":
        if output is None:
            raise click.UsageError("导出 XLSX 需要用 --output 指定文件 (xlsx needs --output)")
        count = export.write_xlsx(state.archive, state.staff_actor(), output)
        click.echo(f"已导出 {count} 条记录到 {output}", err=True)
        return
    if output is None:
        export.write(state.archive, state.staff_actor(), fmt, sys.stdout)
        return
    encoding = "utf-8-sig" if fmt == "csv" else "utf-8"
    with open(output, "w", encoding=encoding, newline="") as fh:
        count = export.write(state.archive, state.staff_actor(), fmt, fh)
    click.echo(f"已导出 {count} 条记录到 {output}", err=True)


@main.command()
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@pass_state
def check(state: State, as_json: bool) -> None:
    """检查目录、原件、日志和索引是否一致；有问题时以非零状态退出。"""
    problems = checks.run_all(state.archive)
    if as_json:
        click.echo(checks.as_json(problems))
    elif problems:
        click.echo(f"发现 {len(problems)} 个问题：")
        for p in problems:
            click.echo(f"  [{p.area}] {p.message}")
    else:
        click.echo("检查通过：目录、原件、日志一致。")
    if problems:
        sys.exit(1)
