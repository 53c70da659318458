"""The preview pane: the selected hit's snippet with every match marked, and the metadata read to a visitor."""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.text import Text
from textual.widgets import Static

from .highlight import highlighted
from .results_table import validity_text


class Preview(Static):
    def show(self, hit: Any | None, *, empty_text: str = "") -> None:
        if hit is None:
            self.update(Text(empty_text, style="dim"))
            return
        line = Text(" · ").join(Text(v) if isinstance(v, str) else v for v in (
            hit.doc_no or "无文号", hit.issuer or "发布机构不详", hit.date or "日期不详",
            validity_text(hit.validity) if hit.validity else Text("时效性不详"),
        ))
        where = f"第 {hit.best_page} 页" if hit.best_page else ""
        files = f"{len(hit.files)} 个文件" if hit.files else "无电子文件"
        extra = Text(" · ".join(x for x in (f"索引号 {hit.index_no or '—'}", files, where) if x), style="dim")
        snippet = highlighted(hit.snippet or "", hit.highlights or [])
        self.update(Group(Text(hit.title or "（无名称）", style="bold"), line, extra, snippet,
                          Text("回车打开全文、图像和原件位置", style="dim")))
