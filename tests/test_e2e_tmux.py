"""End to end: the real ``archive-tui`` command in a real terminal (tmux) on the archive that ``demo-setup`` builds
from ``sample_archive/``, driven by keystrokes and read back with capture-pane — register a visit, find documents
the way a clerk types (a 文号 in square brackets, a Traditional-character word), check the table's columns line up
with Chinese text, open a record, jump through the hits, open and close the print dialog, look for the withheld and
pending documents and see they are not there, end the visit, quit; then check what the catalogue recorded."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
import time
import uuid
from contextlib import closing
from pathlib import Path
from typing import Any, Callable

import pytest
from rich.cells import cell_len

from archive_tui import Archive, counter_actor, system_actor
from archive_tui.fields import location_text
from sample_fixtures import CLI, SAMPLE_GROUP, SampleBuild, sample_truths

ROOT = Path(__file__).resolve().parents[1]
RESIDENT_ID = "11010519491231002X"
PACE = 0.3
WIDTH, HEIGHT = 100, 30
HEADERS = ["名称", "文号", "发布机构", "日期", "时效性"]  # the table's columns at 100 terminal columns
SCROLLBAR = "▁▂▃▄▅▆▇█▔▉▊▋▌▍▎▏"
DOC_NO_QUERY = "临政办[2021]13号"  # as typed from a paper copy: square brackets for 〔〕
TRADITIONAL_QUERY = "僑務"  # 侨务 in Traditional characters; the document itself is printed in Traditional
WITHHELD_MATCH_QUERY = "最低生活保障"  # matches a released notice and the withheld 花名册

pytestmark = [
    pytest.mark.slow,
    SAMPLE_GROUP,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]


class Terminal:
    """One app in a detached tmux session on its own tmux server, no user configuration, no other sessions; its
    socket lives in a temporary folder removed on ``close`` (tmux leaves the socket file behind). The server gets
    ``os.environ`` (``PYTHONPATH`` included) without ``COLUMNS``/``LINES``: under pytest the process's C-level
    environment holds ``COLUMNS=80 LINES=24`` (set by a library, not visible in ``os.environ``), and Textual would
    take those over the pane's real size."""

    def __init__(self, command: str, width: int, height: int, env: dict[str, str]) -> None:
        self.name = f"archive-tui-{uuid.uuid4().hex[:8]}"
        self.folder = Path(tempfile.mkdtemp(prefix="archive-tui-tmux-"))  # short: a socket path has ~100 bytes
        args = [*self._tmux(), "new-session", "-d", "-s", self.name, "-x", str(width), "-y", str(height)]
        for key, value in env.items():
            args += ["-e", f"{key}={value}"]
        server_env = {k: v for k, v in os.environ.items() if k not in {"COLUMNS", "LINES", "TMUX", "TMUX_PANE"}}
        subprocess.run([*args, command], check=True, cwd=ROOT, env=server_env)

    def _tmux(self) -> list[str]:
        return ["tmux", "-f", "/dev/null", "-S", str(self.folder / "socket")]

    def screen(self) -> str:
        result = subprocess.run([*self._tmux(), "capture-pane", "-p", "-t", self.name], capture_output=True, text=True)
        return result.stdout

    def wait_for(self, text: str, timeout: float = 20.0) -> str:
        return self._poll(lambda screen: text in screen, f"「{text}」 never appeared", timeout)

    def wait_gone(self, text: str, timeout: float = 20.0) -> str:
        return self._poll(lambda screen: text not in screen, f"「{text}」 never went away", timeout)

    def _poll(self, done: Callable[[str], bool], failure: str, timeout: float) -> str:
        """The screen as soon as ``done`` holds for it, read every 0.1 s until ``timeout``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if done(screen):
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{failure}; the screen was:\n{self.screen()}")

    def keys(self, *keys: str) -> None:
        """Press keys one at a time, at a person's pace: a burst from tmux arrives before a focus change that an
        earlier key causes, which no typist can do."""
        for key in keys:
            subprocess.run([*self._tmux(), "send-keys", "-t", self.name, key], check=True)
            time.sleep(PACE)

    def type(self, text: str) -> None:
        subprocess.run([*self._tmux(), "send-keys", "-t", self.name, "-l", text], check=True)
        time.sleep(PACE)

    def alive(self) -> bool:
        return subprocess.run([*self._tmux(), "has-session", "-t", self.name], capture_output=True).returncode == 0

    def close(self) -> None:
        subprocess.run([*self._tmux(), "kill-server"], capture_output=True)
        shutil.rmtree(self.folder, ignore_errors=True)


def column_starts(line: str, *cells: str) -> list[int]:
    """The terminal column where each of ``cells`` starts in ``line`` (wide characters count two)."""
    return [cell_len(line[: line.index(cell)]) for cell in cells]


def split_cells(line: str, starts: list[int]) -> list[str]:
    """Cut a screen line at the terminal columns ``starts``. A wide character across a cut, or text left of the
    first column, means the row does not line up with the header."""
    cells = [""] * len(starts)
    column, index = 0, -1
    for char in line:
        while index + 1 < len(starts) and column >= starts[index + 1]:
            index += 1
        width = cell_len(char)
        assert index >= 0 or char == " ", f"text before the first column: {line!r}"
        nxt = starts[index + 1] if index + 1 < len(starts) else None
        assert nxt is None or column + width <= nxt, f"「{char}」 straddles column {nxt}: {line!r}"
        if index >= 0:
            cells[index] += char
        column += width
    cells[-1] = cells[-1].rstrip(" " + SCROLLBAR)
    return [cell.strip() for cell in cells]


def shown_as(value: str, cell: str) -> bool:
    """``cell`` is ``value``, or ``value`` cut to the column's width with an ellipsis."""
    return cell == value or (cell.endswith("…") and len(cell) > 1 and value.startswith(cell[:-1].rstrip()))


def table(screen: str) -> tuple[str, list[str]]:
    """The results table's header line and its row lines (down to the preview's rule)."""
    lines = screen.splitlines()
    top = next(n for n, line in enumerate(lines) if all(h in line for h in HEADERS))
    rows = []
    for line in lines[top + 1:]:
        if line.startswith("─") or not line.strip():
            break
        rows.append(line)
    return lines[top], rows


def check_table(screen: str, hits: list[Any]) -> None:
    """Every visible row shows the next hit's values, each cell under its header, cut to the column's width."""
    header, rows = table(screen)
    starts = column_starts(header, *HEADERS)
    assert split_cells(header, starts) == HEADERS
    assert 1 <= len(rows) <= len(hits), screen
    for row, hit in zip(rows, hits):
        validity = "✕已废止" if hit.validity == "已废止" else hit.validity or ""
        expected = [hit.title, hit.doc_no or "", hit.issuer or "", hit.date or "", validity]
        for value, cell in zip(expected, split_cells(row, starts)):
            assert shown_as(value, cell), f"「{cell}」 is not 「{value}」 in row {row!r}"


def results_area(screen: str) -> str:
    """The screen below the query box (whatever the clerk typed is not a result)."""
    lines = screen.splitlines()
    bottom = next(n for n, line in enumerate(lines) if "▁▁▁▁" in line)
    return "\n".join(lines[bottom + 1:])


def hit_position(screen: str) -> tuple[int, int]:
    found = re.search(r"第 (\d+) / (\d+) 处", screen)
    assert found, screen
    return int(found[1]), int(found[2])


def search(term: Terminal, query: str, expected: Any) -> str:
    """Clear the query box (the listing of the released catalogue comes back), type ``query`` and wait for its
    count; the rows must be the counter-scope ``expected`` result's hits."""
    term.keys("Escape", "Escape")
    term.wait_for("馆藏已发布 29 件")
    term.type(query)
    screen = term.wait_for(f"共 {expected.total} 条")
    if expected.hits:
        check_table(screen, expected.hits)
    else:
        assert "没有找到匹配的记录" in screen
    return screen


def test_counter_on_the_sample_archive(sample_build: SampleBuild, tmp_path: Path) -> None:
    assert "发布 29 件，不予发布 1 件" in sample_build.run.stdout
    folder = tmp_path / "archive"
    shutil.copytree(sample_build.folder, folder)  # the shared build stays untouched
    truths = sample_truths()
    by_id = {t["id"]: t for t in truths}
    notice = by_id["临政办〔2021〕13号 关于进一步加强政策解读工作的通知"]["fields"]
    letter = by_id["致海外鄉親的一封信_1"]["fields"]
    hidden = [t["fields"]["title"] for t in truths if t["review"]["decision"] != "released"]
    assert len(hidden) == 3  # 1 withheld + 2 pending

    queries = ["", DOC_NO_QUERY, TRADITIONAL_QUERY, WITHHELD_MATCH_QUERY, *hidden]
    with Archive.open(folder) as archive:
        expect = {q: archive.search(q, counter_actor(), limit=30) for q in queries}
        staff = system_actor("测试")
        for title in hidden:  # the search does find them: what keeps them off the counter is the review status
            assert [h.title for h in archive.search(title, staff, limit=1).hits] == [title]
            assert title not in [h.title for h in expect[title].hits]
        shared = [h.title for h in expect[WITHHELD_MATCH_QUERY].hits]
        assert shared and not set(hidden) & set(shared)
        assert set(hidden) & {h.title for h in archive.search(WITHHELD_MATCH_QUERY, staff).hits}

    env = {"ARCHIVE_TUI_CONFIG": str(tmp_path / "config.toml"), "LANG": "C.UTF-8",
           "CUPS_SERVER": str(tmp_path / "no-cups.sock")}  # no scheduler: the dialog offers a PDF file
    term = Terminal(f"{CLI} --archive {folder}", WIDTH, HEIGHT, env)
    try:
        term.wait_for("输入关键词")
        screen = term.wait_for("馆藏已发布 29 件")
        check_table(screen, expect[""].hits)

        term.keys("F8")
        term.wait_for("查阅登记")
        term.type("张三")
        term.keys("Enter", "Tab")
        term.type(RESIDENT_ID)
        term.keys("C-s")
        screen = term.wait_for("● 查阅登记 张三")
        assert "1101**********002X" in screen and RESIDENT_ID not in screen

        # A 文号 typed from a paper copy, square brackets and all: the notice is on top.
        search(term, DOC_NO_QUERY, expect[DOC_NO_QUERY])
        assert expect[DOC_NO_QUERY].hits[0].title == notice["title"]
        term.keys("Enter")
        screen = term.wait_for(f"「{DOC_NO_QUERY}」第 1 / ")
        assert f"{notice['title']}  {notice['doc_no']}" in screen and "原件位置：未登记" in screen
        assert "第 1 / 2 页" in screen
        term.keys("p")
        term.wait_for("打印查阅件")
        screen = term.wait_for("共 2 页 × 1 份，费用")
        assert notice["index_no"] in screen and "只能输出为 PDF 文件" in screen
        term.keys("Escape")
        screen = term.wait_gone("打印查阅件")
        assert "已打印 0 份" in screen
        term.keys("Escape")
        screen = term.wait_for("f6 筛选")  # back at the counter
        assert "已查阅 1 件" in screen

        # 侨务 typed in Traditional characters finds the letter printed in Traditional; n walks its hits across pages.
        search(term, TRADITIONAL_QUERY, expect[TRADITIONAL_QUERY])
        assert expect[TRADITIONAL_QUERY].hits[0].title == letter["title"]
        term.keys("Enter")
        screen = term.wait_for(f"「{TRADITIONAL_QUERY}」第 1 / ")
        assert f"原件位置：{location_text(letter)}" in screen
        _, hits = hit_position(screen)
        assert hits >= 2, screen
        term.keys("n")
        term.wait_for(f"第 2 / {hits} 处")
        term.keys(*["n"] * (hits - 2))
        screen = term.wait_for(f"第 {hits} / {hits} 处")
        assert "第 2 / 2 页" in screen  # the last hit is in the signature on the second page
        term.keys("F1")
        screen = term.wait_for("按键说明")
        assert "record.next_hit" in screen
        term.keys("Escape")
        term.wait_gone("按键说明")
        term.keys("Escape")
        screen = term.wait_for("f6 筛选")
        assert "已查阅 2 件" in screen

        # Withheld and pending documents are never shown: not among the matches of a shared word, not by title.
        screen = search(term, WITHHELD_MATCH_QUERY, expect[WITHHELD_MATCH_QUERY])
        assert all(title[:12] not in results_area(screen) for title in hidden), screen
        for title in hidden:
            screen = search(term, title, expect[title])
            assert title[:12] not in results_area(screen), screen

        term.keys("F9")
        term.wait_for("未登记来访者")
        term.keys("C-q")
        deadline = time.monotonic() + 10
        while term.alive() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not term.alive()
    finally:
        term.close()

    with closing(sqlite3.connect(folder / "catalogue.db")) as db:
        visits = db.execute("SELECT id, visitor_name, id_masked, ended_at FROM visits").fetchall()
        assert len(visits) == 1
        visit_id, name, masked, ended = visits[0]
        assert (name, masked) == ("张三", "1101**********002X") and ended
        opened = db.execute("SELECT r.title FROM visit_records v JOIN records r ON r.id = v.record_id "
                            "WHERE v.visit_id = ? ORDER BY v.id", [visit_id]).fetchall()
        assert [title for (title,) in opened] == [notice["title"], letter["title"]]

