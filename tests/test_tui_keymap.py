"""Keys come from ``[keymap]`` in the config file: a remapped key works and the help screen shows it; a broken
config file is reported and the default keys stay."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive_tui import system_actor
from archive_tui.tui import keymap
from archive_tui.tui.app import make_app
from archive_tui.tui.screens.help import HelpScreen
from archive_tui.tui.widgets.facet_panel import FacetPanel

from counter_fixtures import build


def test_config_file_parsing(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    assert keymap.load(config).keymap == {}
    config.write_text('[keymap]\n"counter.facets" = "f10, ctrl+t"\n"record.print" = ""\n', encoding="utf-8")
    loaded = keymap.load(config)
    assert loaded.keymap == {"counter.facets": "f10,ctrl+t"}
    assert len(loaded.problems) == 1 and "record.print" in loaded.problems[0]
    config.write_text("[keymap\n", encoding="utf-8")
    assert "无法读取" in keymap.load(config).problems[0]


async def test_remapped_key_works_and_is_listed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[keymap]\n"counter.facets" = "f10"\n', encoding="utf-8")
    monkeypatch.setenv("ARCHIVE_TUI_CONFIG", str(config))
    archive = build(tmp_path / "archive")
    app = make_app(archive, system_actor("小王"))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        panel = app.screen.query_one(FacetPanel)
        await pilot.press("f6")
        assert not panel.display
        await pilot.press("f10")
        assert panel.display and app.focused is panel
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        assert ("本页", "f10", "筛选") in {row[:3] for row in app.screen.rows}
    archive.close()


async def test_broken_config_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config.toml"
    config.write_text("keymap = 3\n", encoding="utf-8")
    monkeypatch.setenv("ARCHIVE_TUI_CONFIG", str(config))
    archive = build(tmp_path / "archive")
    app = make_app(archive, system_actor("小王"))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert any("[keymap]" in n.message for n in app._notifications)
        await pilot.press("f6")
        assert app.screen.query_one(FacetPanel).display
    archive.close()
