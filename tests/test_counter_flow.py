"""The counter walked through with Pilot: register a visit, search, filter, open, next hit, page image, print
dialog, end visit — checking what is on screen and what the catalogue recorded."""

from __future__ import annotations

import datetime as dt
import shutil
import threading
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.geometry import Region
from textual_image.widget import Image

from archive_tui import Archive, system_actor
from archive_tui.tui.app import ArchiveApp, make_app
from archive_tui.tui.dialogs.visit_dialog import VisitDialog
from archive_tui.tui.screens.counter import CounterScreen
from archive_tui.tui.screens.help import HelpScreen
from archive_tui.tui.screens.record import RecordScreen
from archive_tui.tui.widgets.facet_panel import FacetPanel
from archive_tui.tui.widgets.page_image import PageImage
from archive_tui.tui.widgets.results_table import ResultsTable

from counter_fixtures import build

RESIDENT_ID = "11010519491231002X"


@pytest.fixture
def reading_room(tmp_path: Path) -> Archive:
    archive = build(tmp_path / "archive")
    yield archive
    archive.close()


async def settle(pilot: Pilot, app: ArchiveApp) -> None:
    """Wait until the counter shows the newest search and no worker is running."""
    for _ in range(200):
        await pilot.pause(0.02)
        await app.workers.wait_for_complete()
        screen = app.screen
        if not isinstance(screen, CounterScreen) or 0 < screen.shown_generation == screen.generation:
            await pilot.pause()
            return
    raise AssertionError("the counter never showed the newest results")


def text_of(app: ArchiveApp, selector: str) -> str:
    """What the widget shows on screen now, line by line."""
    widget = app.screen.query_one(selector)
    lines = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
    return "\n".join(line.text.rstrip() for line in lines)


def hold_search(archive: Archive, held: str) -> tuple[threading.Event, list[str]]:
    """Make ``archive.search`` record every text it is asked for and block on ``held`` until the event is set."""
    real_search = archive.search
    gate = threading.Event()
    asked: list[str] = []

    def search(text: str, *args, **kwargs):
        asked.append(text)
        if text == held:
            gate.wait(10)
        return real_search(text, *args, **kwargs)

    archive.search = search  # type: ignore[method-assign]
    return gate, asked


def table_titles(app: ArchiveApp) -> list[str]:
    return [hit.title for hit in app.screen.query_one(ResultsTable).hits]


async def test_whole_counter_flow(reading_room: Archive) -> None:
    app = make_app(reading_room, system_actor("小王"))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        assert app.current_mode == "counter"
        assert app.focused is app.screen.query_one("#query")
        assert len(table_titles(app)) == 3 and "审计底稿" not in " ".join(table_titles(app))
        assert "未登记来访者" in text_of(app, "#visit-bar")

        # register a visit, the ID number typed in full, masked everywhere after
        await pilot.press("f8")
        assert isinstance(app.screen, VisitDialog)
        await pilot.press(*"张三", "enter", "tab")
        assert app.focused.id == "id_number"
        await pilot.press(*RESIDENT_ID)
        assert RESIDENT_ID not in str(app.screen.query_one("#id_number").render_line(0).text)
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert isinstance(app.screen, CounterScreen)
        bar = text_of(app, "#visit-bar")
        assert "张三" in bar and "1101**********002X" in bar and RESIDENT_ID not in bar
        visit_id = app.visit["id"]

        # search as you type: the withheld record matches the words but never shows
        await pilot.press(*"医疗保险")
        await settle(pilot, app)
        assert table_titles(app) == ["临川县人民政府关于印发城乡居民医疗保险实施办法的通知", "关于公布临川县政务服务事项清单的通知"]
        assert "共 2 条" in text_of(app, "#search-status")
        assert "医疗保险" in text_of(app, "#preview")

        # filter on the issuer from the facet panel
        await pilot.press("f6")
        await settle(pilot, app)
        panel = app.screen.query_one(FacetPanel)
        assert app.focused is panel
        values = [panel.get_option_at_index(i).value for i in range(panel.option_count)]
        for _ in range(values.index(("issuer", "临川县人民政府办公室"))):
            await pilot.press("down")
        await pilot.press("space")
        await settle(pilot, app)
        assert table_titles(app) == ["关于公布临川县政务服务事项清单的通知"]
        assert "筛选 1 项" in text_of(app, "#search-status")
        await pilot.press("x")  # clear the filter again
        await settle(pilot, app)
        assert len(table_titles(app)) == 2
        await pilot.press("escape")  # back to the query box, the query kept
        assert app.focused is app.screen.query_one("#query") and app.screen.query_text == "医疗保险"
        await pilot.press("f6")
        assert not panel.display and app.focused is app.screen.query_one("#query")

        # sort by date, newest first, and back to relevance
        await pilot.press("f7")
        await settle(pilot, app)
        assert "按日期排序" in text_of(app, "#search-status")
        assert [hit.date for hit in app.screen.query_one(ResultsTable).hits] == ["2021-03-05", "2020-07-01"]
        await pilot.press("f7")
        await settle(pilot, app)
        assert "按相关度排序" in text_of(app, "#search-status")

        # the repealed record is marked in its row
        table = app.screen.query_one(ResultsTable)
        assert "已废止" in str(table.get_row_at(1)[-1])

        # open the first hit: location, hits across pages, page image, zoom
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, RecordScreen)
        assert "原件位置：一号库房 3架 2层 12盒 5件" in text_of(app, "#record-title")
        assert "第 1 / 3 处" in text_of(app, "#record-status")
        await pilot.press("n")
        assert "第 2 / 3 处" in text_of(app, "#record-status")
        assert "第 1 / 2 页" in text_of(app, "#record-status")
        await pilot.press("n")
        await settle(pilot, app)
        assert "第 3 / 3 处" in text_of(app, "#record-status") and "第 2 / 2 页" in text_of(app, "#record-status")
        assert "第十条 医疗保险费" in " ".join(str(s.render()) for s in app.screen.query(".page-line"))
        picture = app.screen.query_one("#page-picture", Image)
        assert picture.image is not None and picture.display
        before = picture.size.width
        await pilot.press("plus")
        await pilot.pause()
        assert app.screen.query_one(PageImage).zoom == 1.5 and picture.size.width > before
        await pilot.press("N")
        assert "第 2 / 3 处" in text_of(app, "#record-status") and "第 1 / 2 页" in text_of(app, "#record-status")

        # help lists this screen's keys
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        assert ("本页", "p", "打印") in {row[:3] for row in app.screen.rows}
        await pilot.press("escape")

        # the print dialog of the printing module opens for this record and this visit
        await pilot.press("p")
        await pilot.pause()
        assert type(app.screen).__name__ == "PrintDialog"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, RecordScreen)

        # back to the results, end the visit
        await pilot.press("escape")
        assert isinstance(app.screen, CounterScreen)
        assert "已查阅 1 件" in text_of(app, "#visit-bar")
        await pilot.press("f9")
        await settle(pilot, app)
        assert app.visit is None and "未登记来访者" in text_of(app, "#visit-bar")

    visit = reading_room.db["visits"].get(visit_id)
    assert visit["visitor_name"] == "张三" and visit["ended_at"] and visit["id_masked"] == "1101**********002X"
    opened = [r["record_id"] for r in reading_room.db.query("SELECT record_id FROM visit_records WHERE visit_id = ?",
                                                               [visit_id])]
    first = reading_room.find_by_doc_no("临府发〔2021〕3号", system_actor())[0]["id"]
    assert opened == [first]


async def test_visit_form_reports_bad_id_and_finds_returning_visitor(reading_room: Archive) -> None:
    clerk = system_actor("小王")
    earlier = reading_room.start_visit({"visitor_name": "李四", "id_type": "居民身份证", "id_number": RESIDENT_ID,
                                        "contact": "13900000000"}, clerk)
    reading_room.end_visit(earlier, clerk)
    app = make_app(reading_room, clerk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("f8", *"王五", "enter", "tab", *"123", "ctrl+s")
        await settle(pilot, app)
        assert isinstance(app.screen, VisitDialog) and app.visit is None
        assert any("18 位" in n.message for n in app._notifications)
        for _ in range(3):
            await pilot.press("backspace")
        await pilot.press(*RESIDENT_ID)  # a returning visitor, found by the number
        await pilot.pause(0.3)
        await settle(pilot, app)
        found = app.screen.query_one("#returning")
        assert found.display and "李四" in str(found.get_option_at_index(0).prompt)
        await pilot.press("down", "enter")
        assert app.screen.query_one("#visitor_name").value == "李四"
        assert app.screen.query_one("#contact").value == "13900000000"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
    rows = list(reading_room.db.query("SELECT visitor_name, id_hash FROM visits ORDER BY id"))
    assert len(rows) == 2 and rows[1]["visitor_name"] == "李四" and rows[1]["id_hash"] == rows[0]["id_hash"]


async def test_stale_results_never_overwrite_newer(reading_room: Archive) -> None:
    """A slow search that finishes after a newer one must not replace the newer results."""
    app = make_app(reading_room, system_actor("小王"))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        screen = app.screen
        slow = reading_room.search("危房", app.counter_actor)
        await pilot.press(*"政务服务")
        await settle(pilot, app)
        screen._show_result(screen.generation - 1, slow)  # an older generation arriving late
        assert table_titles(app) == ["关于公布临川县政务服务事项清单的通知"]


async def test_open_by_doc_no_from_command_palette(reading_room: Archive) -> None:
    app = make_app(reading_room, system_actor("小王"))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        await pilot.press("ctrl+p")
        await pilot.press(*"临财发[2019]8号")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, RecordScreen)
        assert "农村危房改造" in text_of(app, "#record-title")
        await pilot.press("escape", "ctrl+p", *"003226443/2021-00001")  # by 索引号
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, RecordScreen) and "医疗保险实施办法" in text_of(app, "#record-title")
        await pilot.press("escape", "ctrl+p", *"临审〔2021〕1号")  # withheld: not offered
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot, app)
        assert not isinstance(app.screen, RecordScreen)


async def test_more_results_load_as_the_cursor_nears_the_end(tmp_path: Path) -> None:
    archive = Archive.create(tmp_path / "many", org_code="003226443")
    staff = system_actor()
    for n in range(75):
        record_id = archive.add_record({"title": f"关于第{n}批农村公路养护项目的通知", "created_date": f"2020-01-{n % 28 + 1:02d}"},
                                       staff)
        archive.db["records"].update(record_id, {"status": "released"})
    app = make_app(archive, staff)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press(*"公路养护")
        await settle(pilot, app)
        table = app.screen.query_one(ResultsTable)
        assert len(table.hits) == 30 and "共 75 条" in text_of(app, "#search-status")
        sizes = []
        for _ in range(8):
            await pilot.press("pagedown")
            await settle(pilot, app)
            sizes.append(len(table.hits))
        assert sizes[0] == 30 and sizes[2] == 60 and sizes[-1] == 75
        assert len(table.hits) == 75 and len({h.record_id for h in table.hits}) == 75
    archive.close()


async def test_requests_due_show_on_the_start_screen(reading_room: Archive) -> None:
    staff = system_actor("小王")
    received = (dt.date.today() - dt.timedelta(days=60)).isoformat()
    ref = reading_room.request_register().add(
        {"applicant_type": "自然人", "applicant_name": "赵六", "contact": "13800000000", "content": "县财政预算执行情况",
         "channel": "当面", "received_date": received}, staff,
    ).ref
    app = make_app(reading_room, staff)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        notice = text_of(app, "#due-requests")
        assert f"依申请公开 {ref} 赵六" in notice and "已超期" in notice
        await pilot.press(*"危房")
        await settle(pilot, app)
        assert not app.screen.query_one("#due-requests").display


async def test_open_visit_of_this_operator_is_resumed(reading_room: Archive) -> None:
    other = reading_room.start_visit({"visitor_name": "钱七"}, system_actor("小李"))
    mine = reading_room.start_visit({"visitor_name": "孙八", "purpose": "咨询"}, system_actor("小王"))
    app = make_app(reading_room, system_actor("小王"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        assert app.visit is not None and app.visit["id"] == mine
        assert "孙八" in text_of(app, "#visit-bar") and "咨询" in text_of(app, "#visit-bar")
        await pilot.press("f9")
        await settle(pilot, app)
        assert app.visit is None
        assert any("孙八" in n.message and "查阅 0 件" in n.message for n in app._notifications)
    assert reading_room.db["visits"].get(mine)["ended_at"] and reading_room.db["visits"].get(other)["ended_at"] is None


async def test_copies_printed_from_the_record_screen_attach_to_the_visit(reading_room: Archive, tmp_path: Path) -> None:
    app = make_app(reading_room, system_actor("小王"))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        await pilot.press("f8", *"周九", "ctrl+s")
        await settle(pilot, app)
        visit_id = app.visit["id"]
        await pilot.press(*"危房", "enter")
        await settle(pilot, app)
        await pilot.press("p")
        await settle(pilot, app)
        dialog = app.screen
        assert type(dialog).__name__ == "PrintDialog" and dialog.visit_id == visit_id
        dialog.query_one("#print-output").value = str(tmp_path / "copy.pdf")
        await pilot.press("f8")
        for _ in range(600):
            await settle(pilot, app)
            if isinstance(app.screen, RecordScreen) and "已打印 1 份" in text_of(app, "#visit-bar"):
                break
        assert "已打印 1 份" in text_of(app, "#visit-bar")
    row = reading_room.db.execute("SELECT visit_id, copies FROM print_log").fetchone()
    assert row == (visit_id, 1) and (tmp_path / "copy.pdf").is_file()


async def test_record_withdrawn_meanwhile_closes_with_a_notice(reading_room: Archive) -> None:
    app = make_app(reading_room, system_actor("小王"))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press(*"危房")
        await settle(pilot, app)
        record_id = app.screen.query_one(ResultsTable).hit_at_cursor.record_id
        reading_room.db["records"].update(record_id, {"status": "withheld"})
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, CounterScreen)
        assert any("找不到记录" in n.message for n in app._notifications)


async def test_keystrokes_during_a_search_are_coalesced(reading_room: Archive) -> None:
    """While one search runs, further typing starts no new search; the newest text is searched right after."""
    gate, asked = hold_search(reading_room, "政")
    app = make_app(reading_room, system_actor("小王"))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        await pilot.press("政")
        await pilot.pause(0.5)
        await pilot.press(*"务服务")
        await pilot.pause(0.5)
        assert asked == ["", "政"]
        gate.set()
        await settle(pilot, app)
        assert asked == ["", "政", "政务服务"]
        assert table_titles(app) == ["关于公布临川县政务服务事项清单的通知"]


async def test_a_missing_index_is_built_at_start_with_progress_and_typing_waits_for_it(
    reading_room: Archive, monkeypatch
) -> None:
    """After an upgrade the index must be rebuilt: the counter shows the progress, and what the clerk typed
    meanwhile is searched once the index is there."""
    shutil.rmtree(reading_room.index_dir)
    statuses: list[str] = []
    real_status = CounterScreen._status
    monkeypatch.setattr(CounterScreen, "_status", lambda self, counts, note: statuses.append(counts) or real_status(self, counts, note))
    app = make_app(reading_room, system_actor("小王"))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press(*"政务服务")
        await settle(pilot, app)
        assert reading_room.search_index_ready()
        assert table_titles(app) == ["关于公布临川县政务服务事项清单的通知"]
    assert any(s.startswith("正在建立检索索引") for s in statuses)


async def test_enter_before_the_newest_results_opens_their_top_hit(reading_room: Archive) -> None:
    """The clerk types and presses Enter at once: what opens is the top hit for what was typed, never a row of the
    listing that was on screen a moment earlier."""
    gate, _ = hold_search(reading_room, "政务服务")
    app = make_app(reading_room, system_actor("小王"))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        listing_top = table_titles(app)[0]
        await pilot.press(*"政务服务", "enter")
        await pilot.pause(0.3)
        assert isinstance(app.screen, CounterScreen)  # nothing opened from the stale listing
        gate.set()
        await settle(pilot, app)
        assert isinstance(app.screen, RecordScreen)
        opened = reading_room.get_record(app.screen.record_id, system_actor("小王"))["title"]
        assert opened == "关于公布临川县政务服务事项清单的通知" != listing_top
