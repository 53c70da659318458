"""The print dialog under Textual's Pilot: live fee, focus order, Enter prints, Esc cancels, CUPS or file."""

from __future__ import annotations

import asyncio
import io

import pytest
from pypdf import PdfReader
from textual.app import App
from textual.widgets import Button, Checkbox, Input, Select, Static

from archive_tui.printing import PrintResult
from archive_tui.tui.dialogs.print_dialog import TO_FILE, PrintDialog

from cups_fixtures import add_printable, cups, cups_server, font_cache  # noqa: F401  (fixtures)

#: Tests on the shared private scheduler run in one xdist worker, one after another.
CUPS = pytest.mark.xdist_group("cups")

UNSET = object()


class DialogApp(App[None]):
    """Just enough app for the dialog: ``archive`` and ``counter_actor`` as on the real ArchiveApp."""

    def __init__(self, archive, actor, record_id: int, page_count: int, visit_id: int | None = None) -> None:
        super().__init__()
        self.archive, self.counter_actor = archive, actor
        self.args = (record_id, page_count, visit_id)
        self.result = UNSET

    def on_mount(self) -> None:
        self.push_screen(PrintDialog(*self.args), self._dialog_closed)

    def _dialog_closed(self, result) -> None:
        self.result = result


@pytest.fixture
def no_cups(monkeypatch, tmp_path):
    monkeypatch.setenv("CUPS_SERVER", str(tmp_path / "no-scheduler.sock"))


async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def until_closed_or_idle(pilot, timeout: float = 60) -> None:
    """Printing runs in a thread worker: wait until the dialog dismissed itself or shows why it did not."""
    deadline = asyncio.get_running_loop().time() + timeout
    while pilot.app.result is UNSET and asyncio.get_running_loop().time() < deadline:
        if not getattr(pilot.app.screen, "busy", False):
            break
        await pilot.pause(0.1)
    await settle(pilot)


def text_of(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def test_fee_is_shown_live_and_bad_input_explained(archive, clerk, no_cups):
    record_id = add_printable(archive, "text", 12)
    app = DialogApp(archive, clerk, record_id, 12)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert "共 12 页 × 1 份，费用 0.40 元" in text_of(app, "#print-fee")
        assert "没有运行" in text_of(app, "#print-error")  # no scheduler: file output only
        await pilot.press(*"1-3")
        await pilot.press("tab", "5")  # focusing selects the old value: typing replaces it
        await pilot.pause()
        assert "共 3 页 × 5 份，费用 1.00 元" in text_of(app, "#print-fee")
        app.screen.query_one("#print-pages", Input).value = "13"
        await pilot.pause()
        assert "该记录共 12 页" in text_of(app, "#print-fee")
        await pilot.press("enter")
        await pilot.pause()
        assert app.result is UNSET and "该记录共 12 页" in text_of(app, "#print-error")


async def test_focus_order(archive, clerk, no_cups):
    record_id = add_printable(archive, "text", 1)
    app = DialogApp(archive, clerk, record_id, 1)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        order = [app.screen.focused.id]
        for _ in range(6):
            await pilot.press("tab")
            order.append(app.screen.focused.id)
        # 双面 is off while the output is a file
        assert order == ["print-pages", "print-copies", "print-target", "print-output", "print-cover", "print-ok",
                         "print-cancel"]


async def test_enter_prints_to_a_file_and_dismisses_with_the_result(archive, clerk, no_cups, tmp_path):
    record_id = add_printable(archive, "scan", 3)
    visit_id = archive.start_visit({"visitor_name": "李四"}, clerk)
    app = DialogApp(archive, clerk, record_id, 3, visit_id)
    target = tmp_path / "dialog.pdf"
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.screen.query_one("#print-target", Select).value == TO_FILE
        app.screen.query_one("#print-output", Input).value = str(target)
        await pilot.press(*"2-3")
        await pilot.press("tab", "tab", "tab", "tab", "space")  # 封面 on
        assert app.screen.query_one("#print-cover", Checkbox).value is True
        await pilot.press("shift+tab", "enter")  # Enter in the file path box prints
        await until_closed_or_idle(pilot)
    assert isinstance(app.result, PrintResult)
    assert (app.result.pages, app.result.page_count, app.result.pdf_path) == ("2-3", 2, target)
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(target.read_bytes())).pages]
    assert len(pages) == 3 and "李四" in pages[0] and "第 3 / 3 页" in pages[2]
    (row,) = archive.db.query("SELECT * FROM print_log")
    assert (row["visit_id"], row["cover"], row["operator"]) == (visit_id, 1, clerk.name)


async def test_escape_cancels_without_printing(archive, clerk, no_cups):
    record_id = add_printable(archive, "text", 2)
    app = DialogApp(archive, clerk, record_id, 2)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("escape")
        await pilot.pause()
    assert app.result is None
    assert archive.db.execute("SELECT count(*) FROM print_log").fetchone()[0] == 0


@CUPS
async def test_prints_to_a_cups_printer_and_shows_failures(archive, clerk, cups):
    record_id = add_printable(archive, "pdf", 2, validity="已废止")
    app = DialogApp(archive, clerk, record_id, 2)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert "〔已废止〕" in text_of(app, "#print-record")
        target = app.screen.query_one("#print-target", Select)
        names = [value for _, value in target._options]
        assert "archive_raw" in names and "archive_paused" not in names and names[-1] == TO_FILE
        target.value = "archive_raw"
        await pilot.pause()
        assert app.screen.query_one("#print-duplex", Checkbox).disabled is False
        cups.lp_admin("cupsreject", "archive_raw")  # the queue stops accepting after the dialog listed it
        try:
            app.screen.query_one("#print-ok", Button).press()
            await pilot.pause()
            await until_closed_or_idle(pilot)
            assert app.result is UNSET and "拒绝接收新作业" in text_of(app, "#print-error")
        finally:
            cups.lp_admin("cupsaccept", "archive_raw")
        app.screen.query_one("#print-ok", Button).press()
        await pilot.pause()
        await until_closed_or_idle(pilot)
    assert isinstance(app.result, PrintResult) and app.result.printer == "archive_raw"
    data = cups.wait_output("archive_raw", app.result.job_id)
    assert all("已废止" in p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
