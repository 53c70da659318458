"""The command palette (Ctrl+P) of the counter: commands that fit the current screen, and opening a record by
its 索引号 or 文号 typed into the palette (looked up in the counter's scope: released records only)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from ..access import Role
from ..domain import docno
from ..errors import ArchiveError


class CounterCommands(Provider):
    def _commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        app = self.app
        from .screens.record import RecordScreen  # the record screen imports the app's widgets

        commands: list[tuple[str, str, Callable[[], object]]] = []
        if isinstance(self.screen, RecordScreen):
            commands.append(("打印当前记录", "打开打印对话框：整件或指定页码", self.screen.action_print))
        if app.visit is None:
            commands.append(("新建查阅登记", "登记来访者：姓名、证件、目的、联系方式 (F8)", app.action_new_visit))
        else:
            commands.append(("结束查阅登记", f"结束「{app.visit['visitor_name']}」的这次查阅 (F9)", app.action_end_visit))
        for mode, label in app.MODE_LABELS.items():
            if mode != app.current_mode:
                commands.append((f"切换到{label}模式", f"进入{label}（F{list(app.MODE_LABELS).index(mode) + 2}）",
                                 partial(app.switch_mode, mode)))
        if app.actor.has(Role.ADMIN):
            commands.append(("操作员管理", "添加操作员、重设密码、修改角色、停用与解锁 (F12)", app.action_operators))
        commands.append(("按键说明", "列出本页所有按键 (F1)", app.action_help))
        return commands

    async def discover(self) -> Hits:
        for title, help_text, callback in self._commands():
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text)
        for record in await asyncio.to_thread(self._lookup, query.strip()):
            label = f"打开 {record['index_no'] or ''} {record['doc_no'] or ''}《{record['title'] or ''}》"
            yield Hit(1.0, label, partial(self.app.open_record, record["id"], ""), help="按索引号或文号直接打开")

    def _lookup(self, text: str) -> list[dict]:
        """Records whose 索引号 is ``text`` or whose 文号 normalises to the same as ``text``."""
        if len(text) < 4:
            return []
        archive, actor = self.app.archive, self.app.counter_actor
        found: dict[int, dict] = {}
        try:
            record = archive.get_record(text, actor) if not text.isdigit() else None
        except ArchiveError:  # not the 索引号 of a visible record
            record = None
        if record:
            found[record["id"]] = record
        if docno.normalize(text):
            found.update({r["id"]: r for r in archive.find_by_doc_no(text, actor)})
        return list(found.values())[:10]
