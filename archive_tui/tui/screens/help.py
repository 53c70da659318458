"""The help screen (``?`` or F1): every key of the screen it was opened from, with what it does and its id.

Keys are listed as configured (the ids are what ``[keymap]`` in the config file refers to).
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from ..keymap import config_path

SCOPE_LABELS = {"app": "全局", "screen": "本页"}


def binding_rows(app, screen: Screen) -> list[tuple[str, str, str, str, str]]:
    """(scope, keys, description, tooltip, id) for every binding with an id on ``screen``, its widgets and the
    app, keys as remapped by the keymap; each id once."""
    nodes: list[tuple[str, DOMNode]] = [("screen", screen)]
    nodes += [(type(w).__name__, w) for w in screen.walk_children() if w._bindings.key_to_bindings]
    nodes.append(("app", app))
    rows: list[tuple[str, str, str, str, str]] = []
    seen: set[str] = set()
    for scope, node in nodes:
        bindings = node._bindings.copy()
        if app._keymap:
            bindings.apply_keymap(app._keymap)
        by_id: dict[str, list[Binding]] = {}
        for _, binding in bindings:
            if binding.id and binding.id not in seen:
                by_id.setdefault(binding.id, []).append(binding)
        for binding_id, group in by_id.items():
            seen.add(binding_id)
            keys = " / ".join(dict.fromkeys(app.get_key_display(b) for b in group))
            first = group[0]
            label = SCOPE_LABELS.get(scope, getattr(node, "help_scope", "") or scope)
            rows.append((label, keys, first.description, first.tooltip, binding_id))
    return rows


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,q,question_mark,f1", "dismiss", "关闭", id="help.close", tooltip="关闭按键说明"),
    ]

    def __init__(self, rows: list[tuple[str, str, str, str, str]], title: str) -> None:
        super().__init__()
        self.rows = rows
        self.title_text = title

    def compose(self) -> ComposeResult:
        table = Table(expand=True, box=None, header_style="bold", pad_edge=False)
        table.add_column("按键", no_wrap=True, style="bold cyan")
        table.add_column("作用", no_wrap=True)
        table.add_column("说明", ratio=1)
        table.add_column("设置名", style="dim", no_wrap=True)
        scope = None
        for row_scope, keys, description, tooltip, binding_id in self.rows:
            if row_scope != scope:
                scope = row_scope
                table.add_row(Text(f"— {scope} —", style="bold magenta"), "", "", "")
            table.add_row(keys, description, tooltip, binding_id)
        footer = Text(
            f"\n改按键：在 {config_path()} 的 [keymap] 里写 \"设置名\" = \"按键\"，重启后生效。"
            "\nCtrl+P 打开命令面板（按索引号或文号打开、打印、登记、切换模式）。按 Esc 关闭本页。",
            style="dim",
        )
        with VerticalScroll(id="help-body") as body:
            body.border_title = f"按键说明 · {self.title_text}"
            yield Static(table)
            yield Static(footer)
