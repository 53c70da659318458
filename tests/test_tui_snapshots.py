"""SVG snapshots of the counter's main screens at 80×24 and 120×40 on a fixed archive.

Update after an intended change with ``pytest tests/test_tui_snapshots.py --snapshot-update`` and look at the
report. The query time is the one value that varies between runs: it is pinned to 1 ms on the returned result.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from archive_tui import Archive, system_actor
from archive_tui.tui.app import ArchiveApp, make_app
from archive_tui.tui.screens.counter import CounterScreen

from counter_fixtures import build

pytestmark = pytest.mark.xdist_group("tui-snapshots")


@pytest.fixture
def snapshot_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ArchiveApp:
    monkeypatch.setenv("ARCHIVE_TUI_CONFIG", "/nonexistent/archive-tui/config.toml")
    archive: Archive = build(tmp_path / "archive")
    search = archive.search
    archive.search = lambda *args, **kw: dataclasses.replace(search(*args, **kw), elapsed_ms=1.0)
    yield make_app(archive, system_actor("小王"))
    archive.close()


async def _settle(pilot: Pilot) -> None:
    app = pilot.app
    for _ in range(200):
        await pilot.pause(0.02)
        await app.workers.wait_for_complete()
        screen = app.screen
        if not isinstance(screen, CounterScreen) or 0 < screen.shown_generation == screen.generation:
            break
    await pilot.pause(0.1)
    await app.workers.wait_for_complete()
    await pilot.pause()


def _typing(*keys: str):
    async def run(pilot: Pilot) -> None:
        await _settle(pilot)
        for key in keys:
            await pilot.press(key)
            await _settle(pilot)
        for box in pilot.app.screen.query(Input):  # a blinking cursor would make the picture depend on timing
            box.cursor_blink = False
        await pilot.pause()
    return run


def test_counter_start_80x24(snap_compare, snapshot_app) -> None:
    assert snap_compare(snapshot_app, terminal_size=(80, 24), run_before=_typing())


def test_counter_results_with_facets_120x40(snap_compare, snapshot_app) -> None:
    assert snap_compare(snapshot_app, terminal_size=(120, 40), run_before=_typing(*"医疗保险", "f6"))


def test_record_80x24(snap_compare, snapshot_app) -> None:
    assert snap_compare(snapshot_app, terminal_size=(80, 24), run_before=_typing(*"医疗保险", "enter"))


def test_record_120x40(snap_compare, snapshot_app) -> None:
    assert snap_compare(snapshot_app, terminal_size=(120, 40), run_before=_typing(*"医疗保险", "enter", "n", "n"))


def test_visit_form_80x24(snap_compare, snapshot_app) -> None:
    assert snap_compare(snapshot_app, terminal_size=(80, 24), run_before=_typing("f8", *"张三"))


def test_help_80x24(snap_compare, snapshot_app) -> None:
    assert snap_compare(snapshot_app, terminal_size=(80, 24), run_before=_typing("f1"))
