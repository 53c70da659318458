"""The live batch view: the ingest runs in its own process (``archive-tui ingest --progress-json``) while the app
stays usable. Pilot tests: a mixed batch picked with the file picker runs to the end with rejections shown; a
larger batch is searched while it runs, cancelled (finished documents stay) and resumed."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, ProgressBar, RichLog, Static

from archive_tui import Archive
from archive_tui.tui.app import make_app
from archive_tui.tui.dialogs.desk_password import PasswordDialog
from archive_tui.tui.dialogs.desk_picker import PickerDialog
from archive_tui.tui.widgets.desk_batch import BatchPane, BatchProgress
from tests.ingest_fixtures import SIMPLIFIED, docx, render_lines, save, text_pdf

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("desk_ingest")]


async def until(pilot, condition, timeout: float = 240.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the batch view")
        await pilot.pause(0.2)


def notice(n: int) -> str:
    body = "为进一步做好档案整理工作，现将有关事项通知如下。" * 20
    return f"临川县人民政府办公室\n关于第{n}批档案整理工作的通知\n临政办〔2021〕{n}号\n{body}\n"


def group_states(pgid: int) -> set[str]:
    """The state letters (R running, S sleeping, T stopped, …) of every process in the process group."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        fields = text[text.rindex(")") + 2:].split()
        if int(fields[2]) == pgid:
            found.add(fields[0])
    return found


def records(archive: Archive, staff) -> int:
    return archive.count(staff)



async def batch_pane(pilot) -> BatchPane:
    """Switch to the 入库 mode (F3) once the app is up; its batch pane."""
    await pilot.pause()
    await pilot.press("f3")
    await pilot.pause()
    return pilot.app.screen.query_one(BatchPane)

async def test_pick_a_folder_and_watch_the_batch_to_the_end(archive: Archive, staff, tmp_path: Path) -> None:
    folder = tmp_path / "扫描件" / "二〇二一年"
    folder.mkdir(parents=True)
    (folder / "通知一.txt").write_text(notice(1), encoding="utf-8")
    docx(folder / "通知二.docx", ["临川县财政局", "关于下达资金的通知", "临财〔2021〕5号", "各单位：特此通知。"])
    text_pdf(folder / "报告.pdf", ["临川县教育局关于中小学招生工作的报告\n临教〔2020〕7号\n正文"])
    save(render_lines(SIMPLIFIED), folder / "扫描一.png")
    (folder / "损坏.pdf").write_bytes(b"%PDF-1.4 broken")
    app = make_app(archive, staff)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await batch_pane(pilot)
        pane.start_dir = tmp_path / "扫描件"
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, PickerDialog)
        await pilot.press("down", "a", "ctrl+s")  # the cursor starts on 扫描件; down → 二〇二一年
        await pilot.pause()
        assert pane.paths == [folder]
        await pilot.press("s")
        await until(pilot, lambda: pane.state not in ("idle", "running"))
        await pilot.pause()
        assert pane.state == "finished"
        assert records(archive, staff) == 4
        bar = app.screen.query_one("#batch-bar", ProgressBar)
        assert bar.total == 5 and bar.progress == 5
        table = app.screen.query_one("#batch-files", DataTable)
        states = sorted(str(table.get_row_at(i)[1]) for i in range(table.row_count))
        assert table.row_count == 5 and states.count("拒收") == 1
        assert all(s in ("完成", "完成·需核对", "拒收") for s in states)
        log = "\n".join(str(line.text) for line in app.screen.query_one("#batch-log", RichLog).lines)
        assert "拒收" in log and "损坏.pdf" in log and "本批结束" in log
        stats = str(app.screen.query_one("#batch-stats", Static).render())
        assert "文件 5/5" in stats and "页/秒" in stats and "拒收 1" in stats


async def test_cancel_then_resume_and_search_while_it_runs(archive: Archive, staff, tmp_path: Path) -> None:
    folder = tmp_path / "批量"
    folder.mkdir()
    for n in range(1, 5):  # scans first (files are taken in name order: 扫 < 通): OCR takes a while
        save(render_lines([*SIMPLIFIED, f"第{n}号扫描件"]), folder / f"扫描{n}.png")
    for n in range(1, 61):
        (folder / f"通知{n:02d}.txt").write_text(notice(n), encoding="utf-8")
    archive.search("档案", staff)  # the index exists and the segmenter is loaded, as after the counter's first search
    app = make_app(archive, staff)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await batch_pane(pilot)
        pane.paths = [folder]
        await pilot.press("s")
        await until(pilot, lambda: pane.progress.done_files >= 1)
        # Pilot's press() waits until this process is idle, which it is not while the live view redraws; run
        # what the keys do instead (the keys themselves are exercised in test_desk_tui and the test above).
        await pane.run_action("pause")
        assert pane.state == "paused"
        pgid = pane._process.pid
        await until(pilot, lambda: group_states(pgid) == {"T"}, timeout=10)  # the ingest and its OCR workers
        await pane.run_action("pause")
        assert pane.state == "running"
        await until(pilot, lambda: "T" not in group_states(pgid), timeout=10)
        await pane.run_action("cancel")
        assert pane.state == "stopping"
        await until(pilot, lambda: pane.state not in ("running", "stopping"))
        assert pane.state == "cancelled"
        first = records(archive, staff)
        summary = pane.progress.summary
        assert summary and summary["cancelled"] is True and summary["not_started"] > 0
        assert 1 <= first < 64
        await pane.run_action("start")  # re-run: what is stored is skipped, the rest goes in
        assert pane.state == "running"
        await app.screen.run_action("pane('catalogue')")
        box = app.screen.query_one("#desk-filter", Input)
        box.value = "春季农业"
        await box.action_submit()
        catalogue = app.screen.query_one("#desk-records", DataTable)
        asked = time.monotonic()
        await until(pilot, lambda: catalogue.row_count >= 1)
        answered = time.monotonic() - asked
        assert pane.state == "running", f"the search answered after {answered:.1f} s, when the batch had ended"
        await until(pilot, lambda: pane.state not in ("running", "stopping"), timeout=300)
        assert pane.state == "finished"
        assert records(archive, staff) == 64
        assert pane.progress.summary["duplicate"] == first
        assert pane.progress.summary["added"] == 64 - first
        table = app.screen.query_one("#batch-files", DataTable)
        states = [str(table.get_row_at(i)[1]) for i in range(table.row_count)]
        assert states.count("已有（跳过）") == first


async def test_with_operators_the_batch_logs_in_as_the_archivist(archive: Archive, tmp_path: Path) -> None:
    admin = archive.init_admin("lin", "档案员密码123")
    folder = tmp_path / "收文"
    folder.mkdir()
    (folder / "通知.txt").write_text(notice(1), encoding="utf-8")
    app = make_app(archive, admin)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await batch_pane(pilot)
        pane.paths = [folder]
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, PasswordDialog) and pane.state == "idle"
        await pilot.press(*"wrong-password", "enter")
        await until(pilot, lambda: "密码" in str(app.screen.query_one("#password-message", Static).render()))
        box = app.screen.query_one("#password-input", Input)
        box.value = ""
        await pilot.press(*"档案员密码123", "enter")
        await until(pilot, lambda: pane.state not in ("idle", "running"))
        assert pane.state == "finished"
        (row,) = archive.list_records(admin)
        assert row["created_by"] == "lin"


def test_flagged_pages_say_why_in_the_batch_view() -> None:
    """A flagged page reports its own reason (an OFD scan image that is missing) and the rest low OCR confidence,
    as the progress JSON carries them (page numbers as strings in ``notes``)."""
    progress = BatchProgress()
    lines = progress.apply({
        "event": "flagged", "file": "扫描件.ofd", "index_no": "003226443/2023-00007", "pages": [1, 2],
        "notes": {"2": "扫描图像文件 Res/img.png 在 OFD 文件中缺失"},
    })
    row = progress.files["扫描件.ofd"]
    assert row.state == "flagged" and progress.flagged == 1
    assert "第 1 页识别置信度低" in row.note and "Res/img.png 在 OFD 文件中缺失" in row.note
    assert "第 2 页识别置信度低" not in lines[0] and "003226443/2023-00007" in lines[0]
