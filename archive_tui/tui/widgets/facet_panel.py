"""The facet side panel: 发布机构, 年份, 主题分类, 体裁, 时效性 with counts; space ticks a value to filter on it."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.widgets import SelectionList
from textual.widgets.selection_list import Selection

FACET_LABELS = {"issuer": "发布机构", "year": "年份", "subject": "主题分类", "genre": "体裁", "validity": "时效性"}
SHORT_LABELS = {"issuer": "机构", "year": "年份", "subject": "主题", "genre": "体裁", "validity": "时效"}


class FacetPanel(SelectionList[tuple[str, str]]):
    """Values are ``(facet key, value)``. ``filters`` gives the contract's ``dict[str, list[str]]``."""

    help_scope = "筛选面板"

    BINDINGS = [
        Binding("j", "cursor_down", "下一项", id="facets.down", tooltip="下移一项", show=False),
        Binding("k", "cursor_up", "上一项", id="facets.up", tooltip="上移一项", show=False),
        Binding("delete,x", "clear", "清除筛选", id="facets.clear", tooltip="取消所有筛选条件"),
    ]

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.border_title = "筛选 · 空格勾选 · x 清除"

    @property
    def filters(self) -> dict[str, list[str]]:
        chosen: dict[str, list[str]] = {}
        for key, value in self.selected:
            chosen.setdefault(key, []).append(value)
        return chosen

    def show(self, facets: dict[str, list[tuple[str, int]]], chosen: dict[str, list[str]]) -> None:
        """Refill with the current facet counts, keeping what is ticked (even values the query no longer has)."""
        highlighted = self.highlighted
        options: list[Selection] = []
        for key in FACET_LABELS:
            values = [(v, n) for v, n in facets.get(key, []) if v]
            seen = {v for v, _ in values}
            values += [(v, 0) for v in chosen.get(key, []) if v not in seen]
            for value, count in values:
                ticked = value in chosen.get(key, [])
                prompt = Text.assemble((SHORT_LABELS[key], "bold"), " ", str(value), (f" {count}", "dim"))
                options.append(Selection(prompt, (key, str(value)), ticked))
        with self.prevent(SelectionList.SelectedChanged):
            self.clear_options()
            self.add_options(options)
        if options:
            self.highlighted = min(highlighted or 0, len(options) - 1)

    def action_clear(self) -> None:
        self.deselect_all()
