"""Audit trail commands: ``archive-tui audit verify|head|export``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .. import audit as auditmod
from .base import State, main, pass_state


@main.group()
def audit() -> None:
    """操作日志（审计）：校验、日志头、导出。"""


@audit.command()
@click.option("--head", "expected", help="此前记下的日志头「条数:哈希」，校验日志仍以它为前缀")
@pass_state
def verify(state: State, expected: str | None) -> None:
    """校验操作日志的哈希链、末尾锚点和保护触发器；有问题时以非零状态退出。"""
    state.staff_actor()
    expect = auditmod.Head.parse(expected) if expected else None
    problems = state.archive.audit_verify(expect=expect)
    if problems:
        click.echo(f"操作日志校验失败，发现 {len(problems)} 个问题：")
        for problem in problems:
            click.echo(f"  {problem}")
        sys.exit(1)
    head = auditmod.head(state.archive.db)
    click.echo(f"操作日志完整：共 {head.count} 条，日志头 {head}")


@audit.command()
@pass_state
def head(state: State) -> None:
    """显示当前日志头（条数:哈希），可抄录保存，日后用 verify --head 核对。"""
    state.staff_actor()
    click.echo(str(auditmod.head(state.archive.db)))


@audit.command("export")
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="输出的 CSV 文件（UTF-8 带 BOM，Excel 可直接打开）")
@pass_state
def export_(state: State, csv_path: Path) -> None:
    """导出全部操作日志为 CSV（管理员或审核员）。"""
    actor = state.staff_actor()
    with open(csv_path, "w", encoding="utf-8-sig", newline="") as fh:
        n = auditmod.export_csv(state.archive.db, actor, fh)
    click.echo(f"已导出 {n} 条操作日志到 {csv_path}")
