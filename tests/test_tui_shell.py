"""The app starts on an archive, shows the released catalogue at the counter, switches modes and quits."""

from __future__ import annotations


from archive_tui import Archive
from archive_tui.tui.app import make_app
from archive_tui.tui.widgets.results_table import ResultsTable


async def test_shell_shows_released_records_and_quits(archive: Archive, staff) -> None:
    shown = archive.add_record({"title": "关于做好政策解读工作的通知", "validity": "已废止"}, staff)
    archive.add_record({"title": "尚未审核的文件"}, staff)
    archive.db["records"].update(shown, {"status": "released"})
    app = make_app(archive, staff)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.screen.query_one(ResultsTable)
        assert table.row_count == 1
        assert "政策解读" in str(table.get_row_at(0)[0])
        await pilot.press("f4")
        assert app.current_mode == "review"
        await pilot.press("f2")
        assert app.current_mode == "counter"
        await pilot.press("ctrl+q")
    assert app.return_code == 0


def test_every_counter_binding_has_id_chinese_description_and_tooltip() -> None:
    import importlib
    import re

    from textual.binding import Binding

    modules = ["app", "screens.counter", "screens.record", "screens.help", "dialogs.visit_dialog",
               "widgets.facet_panel", "widgets.results_table", "widgets.search_box", "screens.operators",
               "dialogs.operator_form", "screens.stats", "dialogs.request_form", "widgets.appeal_cases"]
    seen = 0
    for name in modules:
        module = importlib.import_module(f"archive_tui.tui.{name}")
        for cls in [v for v in vars(module).values() if isinstance(v, type) and v.__module__ == module.__name__]:
            for binding in cls.__dict__.get("BINDINGS", []):
                assert isinstance(binding, Binding), (cls, binding)
                assert binding.id and binding.tooltip, (cls, binding)
                assert re.search(r"[\u4e00-\u9fff]", binding.description), (cls, binding)
                seen += 1
    assert seen > 30
