"""``archive-tui backup FILE`` and ``archive-tui restore FILE DIR``."""

from __future__ import annotations

from pathlib import Path

import click

from .. import backup as backup_mod
from .base import State, main, pass_state


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@pass_state
def backup(state: State, file: Path) -> None:
    """把整个档案库（目录、原件、页面图像、设置）备份为一个文件；程序使用中也可以备份。"""
    report = backup_mod.backup(state.archive, file, state.staff_actor())
    click.echo(f"已备份 {report.records} 条记录、{report.files} 个文件（{report.bytes / 1e6:.1f} MB）到 {report.path}")


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def restore(file: Path, directory: Path) -> None:
    """校验备份文件中每个文件的哈希，恢复到新文件夹 DIRECTORY，并重建检索索引。"""
    report = backup_mod.restore(file, directory)
    click.echo(f"已恢复 {report.records} 条记录、{report.files} 个文件到 {report.root}，检索索引已重建")
