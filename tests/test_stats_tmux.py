"""End to end: requests logged with the real ``archive-tui request`` command, then the 统计 mode of the real app
in tmux — the month chart, the overdue flag, table 3 exported to the archive's reports folder."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from archive_tui import Archive, system_actor
from test_e2e_tmux import CLI, Terminal

pytestmark = [
    pytest.mark.slow,
    pytest.mark.xdist_group("tmux"),
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]


def test_stats_mode_in_a_real_terminal(tmp_path: Path) -> None:
    folder = tmp_path / "archive"
    archive = Archive.create(folder)
    year = dt.date.today().year
    record = archive.add_record({"title": "关于公布收费目录的通知", "issuer": "临川县财政局"}, system_actor())
    with archive.db.conn:
        archive.db["records"].update(record, {"status": "released"})
        for n in range(4):
            visit = archive.db["visits"].insert(
                {"visitor_name": "读者", "operator": "窗口", "started_at": f"{year}-01-1{n}T10:00:00+08:00"}).last_pk
            archive.db["visit_records"].insert({"visit_id": visit, "record_id": record})
    archive.close()
    received = (dt.date.today() - dt.timedelta(days=60)).isoformat()
    subprocess.run([str(CLI), "--archive", str(folder), "request", "add", "--type", "科研机构", "--name", "某研究所",
                    "--content", "2024年空气质量监测数据", "--channel", "网络", "--received", received],
                   check=True, capture_output=True)
    term = Terminal(f"{CLI} --archive {folder}", 120, 36, {"LANG": "C.UTF-8", "ARCHIVE_TUI_CONFIG": str(tmp_path / "c.toml")})
    try:
        term.wait_for("输入关键词")
        term.keys("F5")
        screen = term.wait_for("按月接待人次")
        assert "最大 4" in screen
        assert "1 件临近或超过期限" in screen
        term.keys("3")
        screen = term.wait_for("某研究所")
        assert "已超期" in screen and "科研机构" in screen
        term.keys("4")
        term.wait_for("勾稽检查通过")
        term.keys("x")
        term.wait_for("已导出")
        term.keys("C-q")
    finally:
        term.close()
    exported = sorted((folder / "reports").glob("年度报告统计表-*.xlsx"))
    assert len(exported) == 1
    sheet = openpyxl.load_workbook(exported[0])["表三 依申请公开"]
    row = 5 if received[:4] == str(year) else 6  # 一、本年新收, or 二、上年结转 early in a year
    assert sheet.cell(row, 6).value == 1 and sheet["J29"].value == 1  # 科研机构 (F), still open at year end
