"""Backup and restore: a round trip is identical, a damaged backup is refused, a backup taken while another
process writes restores to a consistent archive; XLSX export."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from archive_tui import Archive, InvalidInput, backup, checks
from archive_tui.cli import main
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


WRITER = r"""
import sys, pathlib
from archive_tui import Archive, system_actor, storage
arc = Archive.open(sys.argv[1]); actor = system_actor("写入进程"); tmp = pathlib.Path(sys.argv[2])
for i in range(int(sys.argv[3])):
    src = tmp / f"w{i}.txt"; src.write_text(f"并发写入的文件 {i}" * 200, encoding="utf-8")
    sha, rel, size = storage.put_file(arc.store_dir, src)
    with arc.db.conn:
        from archive_tui import records
        rid = records.insert(arc.db, {"title": f"并发写入的记录{i}"}, actor, style=arc.index_no_style())
        fid = arc.db["files"].insert({"record_id": rid, "seq": 1, "name": src.name, "sha256": sha, "size": size,
                                      "stored_path": rel}).last_pk
        arc.db["pages"].insert({"record_id": rid, "page_no": 1, "file_id": fid, "file_page": 1, "text": "x"})
        arc.db["records"].update(rid, {"page_count": 1})
    print(i, flush=True)
"""


def test_backup_while_another_process_writes_is_consistent(archive: Archive, staff, tmp_path: Path) -> None:
    populate(archive, staff, tmp_path / "src")
    (tmp_path / "w").mkdir()
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(archive.root), str(tmp_path / "w"), "400"],
        stdout=subprocess.PIPE, text=True,
    )
    assert writer.stdout is not None
    for _ in range(20):  # the writer is under way before the backup starts
        writer.stdout.readline()
    target = tmp_path / "during.tar.gz"
    backup.backup(archive, target, staff)
    still_running = writer.poll() is None
    writer.communicate(timeout=120)
    restored = tmp_path / "restored"
    report = backup.restore(target, restored)
    assert 4 + 20 <= report.records
    arc = Archive.open(restored)
    try:
        assert checks.run_all(arc) == []
    finally:
        arc.close()
    assert still_running or report.records < 404, "the backup did not overlap the writes"


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
