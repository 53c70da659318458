"""Backup and restore: a round trip is identical, a damaged backup is refused, a backup taken while another
process writes restores to a consistent archive; XLSX export."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from archive_tui import Archive, InvalidInput, backup, checks, manifest, storage
from archive_tui.cli import main
from archive_tui.fields import BY_NAME
from archive_tui.storage import sha256_of

from tests.desk_fixtures import populate


def _files(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): sha256_of(p) for p in sorted((root / "store").rglob("*")) if p.is_file()}


def test_round_trip_is_identical(archive: Archive, staff, tmp_path: Path) -> None:
    populate(archive, staff, tmp_path / "src")
    archive.set_setting("reading_point", "临川县档案馆查阅点", staff)
    target = tmp_path / "out" / "backup.tar"
    report = backup.backup(archive, target, staff)
    assert report.records == 4 and target.is_file()
    restored = backup.restore(target, tmp_path / "restored")
    assert restored.records == 4
    assert backup.table_contents(archive.db_path) == backup.table_contents(tmp_path / "restored" / "catalogue.db")
    assert _files(archive.root) == _files(tmp_path / "restored")
    again = Archive.open(tmp_path / "restored")
    try:
        assert checks.run_all(again) == []
        assert again.setting("reading_point") == "临川县档案馆查阅点"
        assert again.search("春季农业", staff).total == 1  # the index was rebuilt
    finally:
        again.close()


def test_damaged_backup_is_refused_and_nothing_written(archive: Archive, staff, tmp_path: Path) -> None:
    populate(archive, staff, tmp_path / "src")
    target = tmp_path / "backup.tar"
    backup.backup(archive, target, staff)
    data = bytearray(target.read_bytes())
    where = data.find("正文第".encode("utf-8"))
    data[where] ^= 0x01
    damaged = tmp_path / "damaged.tar"
    damaged.write_bytes(bytes(data))
    with pytest.raises(InvalidInput) as caught:
        backup.restore(damaged, tmp_path / "r1")
    assert "备份文件已损坏" in caught.value.message and "不符" in caught.value.message
    assert not (tmp_path / "r1").exists()
    truncated = tmp_path / "truncated.tar"
    truncated.write_bytes(target.read_bytes()[: len(data) // 2])
    result = CliRunner().invoke(main, ["restore", str(truncated), str(tmp_path / "r2")])
    assert result.exit_code == 1 and "备份文件已损坏" in result.output
    assert not (tmp_path / "r2").exists()


def test_restore_refuses_a_folder_in_use(archive: Archive, staff, tmp_path: Path) -> None:
    target = tmp_path / "b.tar"
    backup.backup(archive, target, staff)
    with pytest.raises(InvalidInput, match="不是空的"):
        backup.restore(target, archive.root)


def test_backup_during_an_ingest_restores_to_a_consistent_archive(archive: Archive, staff, tmp_path: Path) -> None:
    populate(archive, staff, tmp_path / "src")
    folder = tmp_path / "incoming"
    folder.mkdir()
    for n in range(120):
        (folder / f"通知{n:03d}.txt").write_text(f"关于第{n}批档案整理工作的通知\n" + "正文内容。" * 400, encoding="utf-8")
    ingest = subprocess.Popen(
        [sys.executable, "-m", "archive_tui", "--archive", str(archive.root), "ingest", str(folder), "--progress-json"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    assert ingest.stdout is not None
    for line in ingest.stdout:  # the ingest is under way: it has committed its first documents
        if '"file_done"' in line:
            break
    target = tmp_path / "during.tar.gz"
    backup.backup(archive, target, staff)
    overlapped = ingest.poll() is None
    ingest.communicate(timeout=300)
    restored = tmp_path / "restored"
    report = backup.restore(target, restored)
    assert 4 < report.records <= 124
    result = CliRunner().invoke(main, ["--archive", str(restored), "check"])
    assert result.exit_code == 0, result.output
    assert overlapped or report.records < 124, "the backup did not overlap the ingest"


def test_xlsx_export_has_chinese_headers(archive: Archive, staff, tmp_path: Path) -> None:
    populate(archive, staff, tmp_path / "src")
    out = tmp_path / "catalogue.xlsx"
    result = CliRunner().invoke(main, ["--archive", str(archive.root), "export", "--format", "xlsx", "-o", str(out)])
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(out).active
    rows = list(sheet.values)
    assert rows[0][:4] == ("编号", "索引号", "信息名称", "文号")
    assert len(rows) == 5
    assert {r[3] for r in rows[1:]} >= {"临政发〔2021〕3号", "临财〔2021〕11号"}


SAMPLE_MANIFEST = Path(__file__).resolve().parents[1] / "sample_archive" / "manifest.csv"


@pytest.mark.skipif(not SAMPLE_MANIFEST.is_file(), reason="sample_archive/ has not been generated yet")
def test_round_trip_of_the_sample_archive(archive: Archive, staff, tmp_path: Path) -> None:
    """Every sample document catalogued from its manifest row with its original files stored (no OCR)."""
    for row in manifest.read(SAMPLE_MANIFEST):
        if row.problems or not row.files:
            continue
        fields = {k: v for k, v in row.fields.items() if k in BY_NAME}
        record_id = archive.add_record({"title": row.files[0].stem, **fields}, staff)
        with archive.db.conn:
            for seq, path in enumerate(row.files, 1):
                sha, rel, size = storage.put_file(archive.store_dir, path)
                archive.db["files"].insert({"record_id": record_id, "seq": seq, "name": path.name, "sha256": sha,
                                            "size": size, "stored_path": rel})
    assert archive.db["files"].count > 10
    backup.backup(archive, tmp_path / "sample.tar", staff)
    backup.restore(tmp_path / "sample.tar", tmp_path / "restored")
    assert backup.table_contents(archive.db_path) == backup.table_contents(tmp_path / "restored" / "catalogue.db")
    assert _files(archive.root) == _files(tmp_path / "restored")
    result = CliRunner().invoke(main, ["--archive", str(tmp_path / "restored"), "check"])
    assert result.exit_code == 0, result.output
