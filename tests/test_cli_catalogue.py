"""The CLI over the catalogue (CliRunner): init, list, show, export, check, error messages."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

from click.testing import CliRunner

from archive_tui import Archive, system_actor
from archive_tui.cli import main


def run(*args: str, env: dict | None = None):
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def _seed(path: Path) -> Archive:
    arc = Archive.open(path)
    arc.add_record({"title": "关于做好政策解读工作的通知", "doc_no": "临政办[2021]13号", "created_date": "2021-03-05",
                    "issuer": "临川县人民政府办公室"}, system_actor())
    arc.add_record({"title": "临川县2020年政府信息公开工作年度报告", "validity": "已废止"}, system_actor())
    return arc


def test_init_then_list_json(tmp_path: Path) -> None:
    target = tmp_path / "a"
    result = run("--archive", str(target), "init", "--org-code", "003226443")
    assert result.exit_code == 0 and "档案库已就绪" in result.output
    assert json.loads(run("--archive", str(target), "list", "--json").output) == []
    _seed(target).close()
    listed = json.loads(run("--archive", str(target), "list", "--json").output)
    assert {r["title"] for r in listed} == {"关于做好政策解读工作的通知", "临川县2020年政府信息公开工作年度报告"}
    text = run("--archive", str(target), "list").output
    assert "[已废止]" in text and "临政办〔2021〕13号" in text


def test_archive_from_environment(tmp_path: Path) -> None:
    env = {"ARCHIVE_TUI_ARCHIVE": str(tmp_path / "env-archive")}
    assert run("init", env=env).exit_code == 0
    assert (tmp_path / "env-archive" / "catalogue.db").is_file()


def test_show_record_and_missing_record(tmp_path: Path) -> None:
    run("--archive", str(tmp_path), "init", "--org-code", "003226443")
    _seed(tmp_path).close()
    shown = run("--archive", str(tmp_path), "show", "003226443/2021-00001")
    assert shown.exit_code == 0 and "文号：临政办〔2021〕13号" in shown.output and "原件位置：未登记" in shown.output
    as_json = json.loads(run("--archive", str(tmp_path), "show", "1", "--json").output)
    assert as_json["index_no"] == "003226443/2021-00001" and as_json["files"] == []
    missing = CliRunner().invoke(main, ["--archive", str(tmp_path), "show", "999"])
    assert missing.exit_code == 1
    assert "错误：找不到记录「999」" in missing.output and "Traceback" not in missing.output


def test_commands_on_a_folder_that_is_not_an_archive(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["--archive", str(tmp_path / "none"), "list"])
    assert result.exit_code == 1 and "还不是档案库" in result.output


def test_export_csv_and_json(tmp_path: Path) -> None:
    run("--archive", str(tmp_path), "init")
    _seed(tmp_path).close()
    out = tmp_path / "catalogue.csv"
    assert run("--archive", str(tmp_path), "export", "--format", "csv", "-o", str(out)).exit_code == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert len(rows) == 2 and rows[0]["信息名称"] == "关于做好政策解读工作的通知" and rows[0]["审核状态"] == "待审核"
    data = json.loads(run("--archive", str(tmp_path), "export", "--format", "json").output)
    assert [d["title"] for d in data][0] == "关于做好政策解读工作的通知"


def test_check_reports_problems_and_exits_non_zero(tmp_path: Path) -> None:
    run("--archive", str(tmp_path), "init")
    arc = _seed(tmp_path)
    assert run("--archive", str(tmp_path), "check").exit_code == 0
    stored = tmp_path / "store" / "ab" / ("ab" + "0" * 62 + ".pdf")
    stored.parent.mkdir(parents=True)
    stored.write_bytes(b"%PDF-1.4 changed")
    arc.db["files"].insert({"record_id": 1, "seq": 1, "name": "原件.pdf", "sha256": "ab" + "0" * 62, "size": 16,
                            "stored_path": stored.relative_to(tmp_path / "store").as_posix()})
    arc.db["files"].insert({"record_id": 2, "seq": 1, "name": "丢失.pdf", "sha256": "cd" * 32, "size": 5,
                            "stored_path": "cd/missing.pdf"})
    arc.db.conn.commit()
    arc.close()
    result = CliRunner().invoke(main, ["--archive", str(tmp_path), "check"])
    assert result.exit_code == 1
    assert "哈希不符" in result.output and "丢失.pdf" in result.output
