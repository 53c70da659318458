"""``archive-tui search`` and ``archive-tui reindex``."""

from __future__ import annotations

import dataclasses
import json

import click

from ..access import STATUS_LABELS
from .base import State, main, pass_state


@main.command()
@click.argument("query", nargs=-1)
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True, help="最多显示多少条")
@click.option("--sort", type=click.Choice(["relevance", "date"]), default="relevance", show_default=True,
              help="按相关度或按日期（新的在前）排序")
@click.option("--all", "all_records", is_flag=True, help="档案员范围：包括待审核和不予发布的记录（默认只查已发布）")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@pass_state
def search(state: State, query: tuple[str, ...], limit: int, sort: str, all_records: bool, as_json: bool) -> None:
    """全文检索。词语之间为“并且”；"…" 精确短语；-词 排除；标题: 文号: 机构: 年:2019..2021 类: 限定栏目。"""
    actor = state.staff_actor() if all_records else state.counter_actor()
    result = state.archive.search(" ".join(query), actor, limit=limit, sort=sort)
    if as_json:
        click.echo(json.dumps(dataclasses.asdict(result), ensure_ascii=False, indent=2))
        return
    if result.message:
        click.echo(f"提示：{result.message}", err=True)
    click.echo(f"共 {result.total} 条，用时 {result.elapsed_ms:.0f} 毫秒")
    for n, hit in enumerate(result.hits, 1):
        marks = "".join(
            f" [{label}]" for label, show in (
                ("已废止", hit.repealed), (STATUS_LABELS.get(hit.status, hit.status), hit.status != "released"),
            ) if show
        )
        page = f"  第{hit.best_page}页" if hit.best_page else ""
        click.echo(f"{n:>3}. {hit.title}{marks}")
        click.echo(f"     {hit.index_no}  {hit.doc_no or '—'}  {hit.issuer or '—'}  {hit.date or '—'}{page}")
        if hit.snippet:
            click.echo(f"     {_marked(hit.snippet, hit.highlights)}")


def _marked(snippet: str, spans: list[tuple[int, int]]) -> str:
    """The snippet with its matches in bold (plain brackets when not on a terminal)."""
    out, last = [], 0
    for start, end in spans:
        out.append(snippet[last:start])
        out.append(click.style(snippet[start:end], bold=True, fg="yellow"))
        last = end
    out.append(snippet[last:])
    return "".join(out)


@main.command()
@click.option("--jobs", type=click.IntRange(1, 16), default=None, help="并行写入的进程数（默认：CPU 核数，最多 2）")
@pass_state
def reindex(state: State, jobs: int | None) -> None:
    """从目录重建检索索引（旧索引在重建完成前仍可检索）。"""
    archive = state.archive
    total = archive.count(state.staff_actor())
    with click.progressbar(length=max(total, 1), label="重建检索索引", show_pos=True) as bar:
        seen = 0

        def progress(done: int, _total: int) -> None:
            nonlocal seen
            bar.update(done - seen)
            seen = done

        count = archive.reindex(progress, procs=jobs)
    click.echo(f"检索索引已重建：{count} 条记录")
