"""The results table: 索引号, 名称, 文号, 发布机构, 日期, 时效性 — 已废止 in red, widths fitted to the terminal."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.events import Resize
from textual.widgets import DataTable

#: (key, header, minimum width, share of the spare width, table width from which the column is shown)
COLUMNS = (("index_no", "索引号", 20, 0, 118), ("title", "名称", 14, 6, 0), ("doc_no", "文号", 18, 1, 0),
           ("issuer", "发布机构", 12, 2, 96), ("date", "日期", 10, 0, 0), ("validity", "时效性", 8, 0, 0))


def validity_text(validity: str | None) -> Text:
    if validity == "已废止":
        return Text("✕已废止", style="bold red")
    if validity == "已修改":
        return Text("已修改", style="yellow")
    return Text(validity or "")


class ResultsTable(DataTable):
    """Rows are search hits (objects with the contract's ``Hit`` attributes); ``hit_at_cursor`` is the selection."""

    help_scope = "结果列表"

    BINDINGS = [
        Binding("j", "cursor_down", "下一条", id="results.down", tooltip="下移一条结果"),
        Binding("k", "cursor_up", "上一条", id="results.up", tooltip="上移一条结果"),
        Binding("g", "scroll_top", "第一条", id="results.first", tooltip="跳到第一条结果", show=False),
        Binding("G", "scroll_bottom", "最后一条", id="results.last", tooltip="跳到最后一条结果", show=False),
    ]

    def __init__(self, **kwargs) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.hits: list[Any] = []
        self._widths: tuple[tuple[str, int], ...] = ()

    def on_mount(self) -> None:
        self._build_columns()

    def on_resize(self, event: Resize) -> None:
        if self._column_widths() != self._widths:
            self._build_columns()
            self.show(self.hits, keep_cursor=True)

    def _columns(self) -> list[tuple[str, str, int, int]]:
        """The columns that fit: 索引号 and 发布机构 are dropped first on a narrow terminal (the preview has them)."""
        return [(key, label, minimum, share) for key, label, minimum, share, shown_from in COLUMNS
                if self.size.width >= shown_from]

    def _column_widths(self) -> tuple[tuple[str, int], ...]:
        columns = self._columns()
        spare = max(self.size.width - 2 * len(columns) - 2 - sum(c[2] for c in columns), 0)
        shares = sum(c[3] for c in columns) or 1
        return tuple((key, minimum + spare * share // shares) for key, _, minimum, share in columns)

    def _build_columns(self) -> None:
        self._widths = self._column_widths()
        self.clear(columns=True)
        labels = {key: label for key, label, *_ in COLUMNS}
        for key, width in self._widths:
            self.add_column(labels[key], width=width, key=key)

    def show(self, hits: list[Any], *, keep_cursor: bool = False) -> None:
        row = self.cursor_row if keep_cursor else 0
        self.hits = []
        self.clear()
        self.extend(hits)
        if self.hits:
            self.move_cursor(row=min(row, len(self.hits) - 1))

    def extend(self, hits: list[Any]) -> None:
        """Append hits (the next page of the same search)."""
        shown = {h.record_id for h in self.hits}
        for hit in hits:
            if hit.record_id in shown:  # the index changed between pages
                continue
            shown.add(hit.record_id)
            self.hits.append(hit)
            cells = []
            for key, width in self._widths:
                cell = validity_text(hit.validity) if key == "validity" else Text(getattr(hit, key) or "", no_wrap=True)
                cell.truncate(width, overflow="ellipsis")
                cells.append(cell)
            self.add_row(*cells, key=str(hit.record_id))

    @property
    def hit_at_cursor(self) -> Any | None:
        if not self.hits or self.cursor_row < 0 or self.cursor_row >= len(self.hits):
            return None
        return self.hits[self.cursor_row]
