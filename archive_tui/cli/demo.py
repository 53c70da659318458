"""``archive-tui demo-setup SAMPLE_DIR``: build a demonstration archive from ``sample_archive/``.

Creates the archive if needed, ingests the sample through the real pipeline with its manifest (a second run
adds nothing: every file is already there), then applies ``review.csv`` as a demo reviewer who is not the
demo archivist that ingested the records (发布人、审核人分离).
"""

from __future__ import annotations

import csv
from pathlib import Path

import click

from ..access import RELEASED, WITHHELD, Actor, Role
from ..archive import Archive
from ..domain import vocab
from ..errors import ArchiveError, PermissionDenied
from ..storage import sha256_of
from .base import State, main, pass_state

ARCHIVIST = Actor("演示档案员", frozenset({Role.ARCHIVIST}))
REVIEWER = Actor("演示审核员", frozenset({Role.REVIEWER}))
RELEASE_WORDS = {"release", "released", "发布", "同意发布", "公开"}
WITHHOLD_WORDS = {"withhold", "withheld", "不予发布", "不予公开"}
PENDING_WORDS = {"pending", "待审核", ""}


def _record_for(archive: Archive, path: Path) -> dict | None:
    if not path.is_file():
        return None
    row = archive.db.execute(
        "SELECT r.id, r.status, r.ready_at FROM files f JOIN records r ON r.id = f.record_id WHERE f.sha256 = ?",
        [sha256_of(path)],
    ).fetchone()
    return {"id": row[0], "status": row[1], "ready_at": row[2]} if row else None


def withhold_reason(text: str) -> str:
    """The listed exemption a free-text reason names (涉及个人隐私（第十五条） → 个人隐私)."""
    return next((value for value in vocab.values("withhold_reason") if value in text), text)


def apply_review(archive: Archive, sample: Path) -> tuple[int, int, list[str]]:
    """Release/withhold what ``review.csv`` says; returns (released, withheld, problems)."""
    released = withheld = 0
    problems: list[str] = []
    sheet = sample / "review.csv"
    if not sheet.is_file():
        return 0, 0, []
    with open(sheet, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for line, row in enumerate(rows, start=2):
        name, decision = (row.get("file") or "").strip(), (row.get("decision") or "").strip().lower()
        reason = (row.get("reason") or "").strip()
        record = _record_for(archive, sample / name.split(";")[0].strip())
        if record is None:
            problems.append(f"review.csv 第{line}行：找不到「{name}」对应的记录")
            continue
        try:
            if decision in RELEASE_WORDS and record["status"] != RELEASED:
                if not record["ready_at"]:
                    archive.mark_ready(record["id"], ARCHIVIST)
                archive.release(record["id"], REVIEWER, note=reason or "演示审核通过",
                                acknowledge_pii=bool(reason))
                released += 1
            elif decision in WITHHOLD_WORDS and record["status"] != WITHHELD:
                archive.withhold(record["id"], REVIEWER, withhold_reason(reason), f"演示审核：{reason}")
                withheld += 1
            elif decision not in RELEASE_WORDS | WITHHOLD_WORDS | PENDING_WORDS:
                problems.append(f"review.csv 第{line}行：无法识别的审核决定「{decision}」")
        except ArchiveError as exc:
            problems.append(f"review.csv 第{line}行（{name}）：{exc.message}")
    return released, withheld, problems


@main.command("demo-setup")
@click.argument("sample_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--jobs", "-j", type=click.IntRange(1, 256), default=None, help="并行识别进程数")
@pass_state
def demo_setup(state: State, sample_dir: Path, jobs: int | None) -> None:
    """用示例材料建立演示档案库（可重复运行，不会重复入库）。"""
    archive = Archive.create(state.archive_dir)
    if archive.has_operators():  # its demo reviewer would release records past the real review
        raise PermissionDenied(
            "本档案库已设置操作员，不能装入演示数据；请用新的文件夹", "demo-setup needs an archive without operators"
        )
    manifest = next((sample_dir / n for n in ("manifest.csv", "manifest.xlsx") if (sample_dir / n).is_file()), None)
    click.echo(f"演示档案库：{state.archive_dir}；正在入库 {sample_dir} …", err=True)
    # Documents the manifest does not list (a folder of unsorted scans) are ingested too; the sample's own
    # metadata (truth/, review.csv, README) stays out when the documents sit under docs/.
    paths = [sample_dir / "docs"] if (sample_dir / "docs").is_dir() else [sample_dir]
    report = archive.ingest(paths, ARCHIVIST, manifest=manifest, jobs=jobs)
    for line in report.summary_lines():
        click.echo(line)
    if hasattr(archive, "release") and hasattr(archive, "withhold"):
        released, withheld, problems = apply_review(archive, sample_dir.resolve())
        click.echo(f"演示审核（{REVIEWER.name}）：发布 {released} 件，不予发布 {withheld} 件。")
        for problem in problems:
            click.echo(f"  {problem}")
    archive.close()
