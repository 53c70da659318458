"""End to end: the real ``archive-tui`` command in a real terminal (tmux), driven by keystrokes and read back with
capture-pane — register a visit, search, check the table's columns line up with Chinese text, open the record,
jump to the next hit, end the visit, quit; then check what the catalogue recorded."""

from __future__ import annotations

import shutil
import subprocess
import time
import uuid
from pathlib import Path

import pytest
from rich.cells import cell_len

from counter_fixtures import build

ROOT = Path(__file__).resolve().parents[1]
RESIDENT_ID = "11010519491231002X"
PACE = 0.3

pytestmark = [
    pytest.mark.slow,
    pytest.mark.xdist_group("tmux"),
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]


class Terminal:
    def __init__(self, command: str, width: int, height: int, env: dict[str, str]) -> None:
        self.name = f"archive-tui-{uuid.uuid4().hex[:8]}"
        args = ["tmux", "new-session", "-d", "-s", self.name, "-x", str(width), "-y", str(height)]
        for key, value in env.items():
            args += ["-e", f"{key}={value}"]
        subprocess.run([*args, command], check=True, cwd=ROOT)

    def screen(self) -> str:
        result = subprocess.run(["tmux", "capture-pane", "-p", "-t", self.name], capture_output=True, text=True)
        return result.stdout

    def wait_for(self, text: str, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"「{text}」 never appeared; the screen was:\n{self.screen()}")

    def keys(self, *keys: str) -> None:
        """Press keys one at a time, at a person's pace: a burst from tmux arrives before a focus change that an
        earlier key causes, which no typist can do."""
        for key in keys:
            subprocess.run(["tmux", "send-keys", "-t", self.name, key], check=True)
            time.sleep(PACE)

    def type(self, text: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.name, "-l", text], check=True)
        time.sleep(PACE)

    def alive(self) -> bool:
        return subprocess.run(["tmux", "has-session", "-t", self.name], capture_output=True).returncode == 0

    def close(self) -> None:
        if self.alive():
            subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)


def column_starts(line: str, *cells: str) -> list[int]:
    """The terminal column where each of ``cells`` starts in ``line`` (wide characters count two)."""
    return [cell_len(line[: line.index(cell)]) for cell in cells]


def test_counter_in_a_real_terminal(tmp_path: Path) -> None:
    archive = build(tmp_path / "archive")
    archive.close()
    env = {"ARCHIVE_TUI_CONFIG": str(tmp_path / "config.toml"), "LANG": "C.UTF-8"}
    term = Terminal(f"{ROOT}/.venv/bin/archive-tui --archive {tmp_path / 'archive'}", 100, 30, env)
    try:
        term.wait_for("输入关键词")
        term.wait_for("馆藏已发布 3 件")

        term.keys("F8")
        term.wait_for("查阅登记")
        term.type("张三")
        term.keys("Enter", "Tab")
        term.type(RESIDENT_ID)
        term.keys("C-s")
        screen = term.wait_for("● 查阅登记 张三")
        assert "1101**********002X" in screen and RESIDENT_ID not in screen

        term.type("医疗保险")
        screen = term.wait_for("共 2 条")
        assert "审计底稿" not in screen
        header = next(line for line in screen.splitlines() if "名称" in line and "文号" in line)
        rows = [line for line in screen.splitlines() if "·" not in line]  # table rows, not the preview
        first = next(line for line in rows if "临府发〔2021〕3号" in line)
        second = next(line for line in rows if "临政办〔2020〕15号" in line)
        assert column_starts(header, "名称", "文号", "日期", "时效性") == column_starts(
            first, "临川县", "临府发", "2021-03-05", "现行有效"
        ) == column_starts(second, "关于公布", "临政办", "2020-07-01", "✕已废止")

        term.keys("Enter")
        screen = term.wait_for("原件位置：一号库房 3架 2层 12盒 5件")
        term.wait_for("第 1 / 3 处")
        term.keys("n")
        term.wait_for("第 2 / 3 处")
        term.keys("n")
        screen = term.wait_for("第 3 / 3 处")
        assert "第 2 / 2 页" in screen and "第十条" in screen

        term.keys("F1")
        screen = term.wait_for("按键说明")
        assert "record.next_hit" in screen
        term.keys("Escape")
        term.keys("Escape")
        term.wait_for("已查阅 1 件")
        term.keys("F9")
        term.wait_for("未登记来访者")
        term.keys("C-q")
        deadline = time.monotonic() + 10
        while term.alive() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not term.alive()
    finally:
        term.close()

    from archive_tui import Archive

    with Archive.open(tmp_path / "archive") as reopened:
        visits = list(reopened.db.query("SELECT * FROM visits"))
        assert len(visits) == 1 and visits[0]["ended_at"] and visits[0]["id_masked"] == "1101**********002X"
        assert reopened.db.execute("SELECT count(*) FROM visit_records").fetchone()[0] == 1
