"""The 入库 mode with Textual's Pilot: fix a suggested 文号 in the editor, batch-edit a box number and undo it,
hand a record to review, number a box and make its labels."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Static

from archive_tui import Archive, batch_edit
from archive_tui.tui.app import make_app
from archive_tui.tui.screens.desk_batch_edit import BatchEditScreen
from archive_tui.tui.screens.desk_editor import EditorScreen
from tests.desk_fixtures import add_document, populate


async def settle(app, pilot) -> None:
    for _ in range(3):
        await pilot.pause()
        await app.workers.wait_for_complete()
    await pilot.pause()


async def open_desk(app, pilot, pane: str) -> None:
    await settle(app, pilot)
    await pilot.press("f3")
    await settle(app, pilot)
    await pilot.press(pane)
    await settle(app, pilot)


def hint(app, name: str) -> str:
    return str(app.screen.query_one(f"#hint-{name}", Static).render())


async def test_fix_a_suggested_doc_no_and_confirm_the_rest(archive: Archive, staff, tmp_path: Path) -> None:
    suggested = {"doc_no": "临政办〔2021〕18号", "issuer": "临川县人民政府办公室", "genre": "通知"}
    record_id = add_document(archive, staff, {"title": "关于做好春季农业生产工作的通知", **suggested}, tmp_path,
                             suggested=suggested)
    app = make_app(archive, staff)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_desk(app, pilot, "2")
        table = app.screen.query_one("#desk-records", DataTable)
        assert table.row_count == 1 and "建议3" in str(table.get_row_at(0)[-1])
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, EditorScreen)
        assert "建议值（未确认）" in hint(app, "doc_no")
        doc_no = app.screen.query_one("#field-doc_no", Input)
        doc_no.focus()
        doc_no.value = ""
        await pilot.press(*"临政办2021")
        await pilot.pause()
        assert "格式不正确" in hint(app, "doc_no")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert archive.get_record(record_id, staff)["doc_no"] == "临政办〔2021〕18号"  # refused: nothing saved
        doc_no.value = ""
        await pilot.press(*"临政办[2021]13号")
        await pilot.pause()
        assert "将保存为：临政办〔2021〕13号" in hint(app, "doc_no")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        row = archive.get_record(record_id, staff)
        assert row["doc_no"] == "临政办〔2021〕13号"
        assert "doc_no" not in row["suggested"] and "issuer" in row["suggested"]
        await pilot.press("ctrl+g", "ctrl+s")
        await settle(app, pilot)
        row = archive.get_record(record_id, staff)
        assert row["suggested"] == "{}" and row["issuer"] == "临川县人民政府办公室"
        history = archive.history(record_id, staff)
        assert history[-2]["detail"]["after"] == {"doc_no": "临政办〔2021〕13号", "doc_no_norm": "临政办〔2021〕13号"}
        assert set(history[-1]["detail"]["confirmed"]) == {"issuer", "genre"}
        await pilot.press("f6", "f6")
        await settle(app, pilot)
        assert app.screen.history_lines == len(history)
        shown = str(app.screen.query_one("#editor-history-text", Static).render())
        assert "文号：临政办〔2021〕18号 → 临政办〔2021〕13号" in shown and "确认建议：" in shown
        await pilot.press("escape")
        await settle(app, pilot)
        assert not isinstance(app.screen, EditorScreen)


async def test_title_is_required_and_dates_normalised(archive: Archive, staff, tmp_path: Path) -> None:
    record_id = add_document(archive, staff, {"title": "关于防汛工作的通知"}, tmp_path)
    app = make_app(archive, staff)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        app.push_screen(EditorScreen(record_id))
        await settle(app, pilot)
        app.screen.query_one("#field-title", Input).value = ""
        await pilot.pause()
        assert hint(app, "title") == "信息名称不能为空"
        app.screen.query_one("#field-title", Input).value = "关于防汛工作的紧急通知"
        date = app.screen.query_one("#field-created_date", Input)
        date.focus()
        await pilot.press(*"二〇二一年三月五日")
        await pilot.pause()
        assert "2021-03-05" in hint(app, "created_date")
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        row = archive.get_record(record_id, staff)
        assert (row["title"], row["created_date"]) == ("关于防汛工作的紧急通知", "2021-03-05")
        assert row["ready_at"]
        assert record_id in [item.id for item in archive.review_queue(staff) if item.ready]


async def test_batch_edit_box_number_with_preview_and_undo(archive: Archive, staff, tmp_path: Path) -> None:
    ids = populate(archive, staff, tmp_path)
    app = make_app(archive, staff)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_desk(app, pilot, "2")
        await pilot.press("slash", *"盒号:12", "enter")
        await settle(app, pilot)
        assert app.screen.query_one("#desk-records", DataTable).row_count == 3
        await pilot.press("b")
        await settle(app, pilot)
        assert isinstance(app.screen, BatchEditScreen)
        await pilot.press(*"20", "enter")
        await settle(app, pilot)
        preview = app.screen.query_one("#batch-preview", DataTable)
        assert preview.row_count == 3 and [str(c) for c in preview.get_row_at(0)[2:]] == ["12", "20"]
        assert "盒号 设为「20」，3 条将改变" in str(app.screen.query_one("#batch-summary", Static).render())
        assert {archive.get_record(i, staff)["loc_box"] for i in ids[:3]} == {"12"}
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, BatchEditScreen)
        assert {archive.get_record(i, staff)["loc_box"] for i in ids[:3]} == {"20"}
        assert archive.get_record(ids[3], staff)["loc_box"] == "13"
        await pilot.press("u")
        await settle(app, pilot)
        assert {archive.get_record(i, staff)["loc_box"] for i in ids[:3]} == {"12"}
        assert batch_edit.last_batch(archive) is None


async def test_mark_ready_from_the_list(archive: Archive, staff, tmp_path: Path) -> None:
    ids = populate(archive, staff, tmp_path)
    app = make_app(archive, staff)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_desk(app, pilot, "2")
        await pilot.press("space", "space", "y")
        await settle(app, pilot)
        ready = [i for i in ids if archive.get_record(i, staff)["ready_at"]]
        assert ready == ids[2:]  # newest first in the list: the first two rows were marked
        assert "已送审" in str(app.screen.query_one("#desk-records", DataTable).get_row_at(0)[7])


async def test_box_view_numbers_items_and_writes_labels(archive: Archive, staff, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    ids = populate(archive, staff, tmp_path)
    app = make_app(archive, staff)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_desk(app, pilot, "3")
        boxes = app.screen.query_one("#boxes-list", DataTable)
        assert boxes.row_count == 2
        contents = app.screen.query_one("#boxes-contents", DataTable)
        assert contents.row_count == 3
        await pilot.press("n")
        await settle(app, pilot)
        assert [archive.get_record(i, staff)["loc_item"] for i in ids[:3]] == ["3", "2", "1"]
        await pilot.press("l")
        await settle(app, pilot)
        labels = list((tmp_path / "home").rglob("盒签-12盒-*.pdf"))
        assert len(labels) == 1 and labels[0].stat().st_size > 1000


async def test_place_marked_records_in_a_box(archive: Archive, staff, tmp_path: Path) -> None:
    ids = populate(archive, staff, tmp_path)
    app = make_app(archive, staff)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_desk(app, pilot, "2")
        await pilot.press("space", "space", "l")
        await settle(app, pilot)
        await pilot.press(*"二号库房", "tab", "1", "tab", "2", "tab", "7", "enter")
        await settle(app, pilot)
        placed = [archive.get_record(i, staff) for i in ids[2:]]  # newest first: the first two rows
        assert [(r["loc_room"], r["loc_shelf"], r["loc_layer"], r["loc_box"]) for r in placed] == [
            ("二号库房", "1", "2", "7")] * 2
        assert archive.get_record(ids[0], staff)["loc_box"] == "12"
        assert archive.history(ids[2], staff)[-1]["action"] == "shelve"
