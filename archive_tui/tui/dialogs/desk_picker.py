"""A keyboard file picker: walk folders (Chinese names as they are), mark folders or files, or pick one file."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DirectoryTree, Footer, Input, Static

MANIFEST_SUFFIXES = (".csv", ".xlsx")


class ManifestTree(DirectoryTree):
    """Folders and manifest files only."""

    def filter_paths(self, paths):
        return [p for p in paths if p.is_dir() or p.suffix.lower() in MANIFEST_SUFFIXES]


class PickerDialog(ModalScreen[list[Path] | None]):
    """``multiple=True``: mark any number of folders/files with space-free keys and finish with ctrl+s.
    ``multiple=False`` (manifest): enter on a CSV/XLSX file picks it."""

    DEFAULT_CSS = """
    PickerDialog { align: center middle; }
    #picker-box { width: 90%; height: 90%; border: thick $accent; background: $surface; padding: 0 1; }
    #picker-tree { height: 1fr; }
    #picker-chosen { height: auto; max-height: 6; color: $success; }
    #picker-help { color: $text-muted; }
    """
    BINDINGS = [
        Binding("a", "mark", "选中/取消", id="desk.picker.mark", tooltip="把光标所在的文件夹或文件加入（或移出）本批"),
        Binding("backspace", "parent", "上级文件夹", id="desk.picker.parent", tooltip="显示上一级文件夹"),
        Binding("g", "goto", "转到路径", id="desk.picker.goto", tooltip="输入一个文件夹路径并转到那里"),
        Binding("ctrl+s", "done", "完成", id="desk.picker.done", tooltip="用选中的文件夹和文件开始这一批"),
        Binding("escape", "cancel", "取消", id="desk.picker.cancel", tooltip="关闭，不做选择"),
    ]

    def __init__(self, start: Path, *, multiple: bool = True, title: str = "选择要入库的文件夹或文件") -> None:
        super().__init__()
        self.start = start
        self.multiple = multiple
        self.title_text = title
        self.chosen: list[Path] = []

    def compose(self) -> ComposeResult:
        tree_cls = DirectoryTree if self.multiple else ManifestTree
        help_text = (
            "↑↓ 移动，空格 展开/收起，a 选中文件夹或文件，Backspace 上级，g 输入路径，Ctrl+S 完成，Esc 取消"
            if self.multiple else "↑↓ 移动，空格 展开/收起，回车 选定清单文件（CSV/XLSX），Backspace 上级，Esc 取消"
        )
        with Vertical(id="picker-box") as box:
            box.border_title = self.title_text
            yield Static(help_text, id="picker-help")
            yield Input(placeholder="文件夹路径，回车转到", id="picker-path")
            yield tree_cls(self.start, id="picker-tree")
            yield Static("", id="picker-chosen")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#picker-path", Input).display = False
        self.query_one("#picker-tree").focus()
        if self.multiple:
            self._show_chosen()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("mark", "done") and not self.multiple:
            return False
        return True

    @property
    def tree(self) -> DirectoryTree:
        return self.query_one("#picker-tree", DirectoryTree)

    def _cursor_path(self) -> Path | None:
        node = self.tree.cursor_node
        return Path(node.data.path) if node is not None and node.data is not None else None

    def action_mark(self) -> None:
        path = self._cursor_path()
        if path is None:
            return
        if path in self.chosen:
            self.chosen.remove(path)
        else:
            self.chosen.append(path)
        self._show_chosen()

    def _show_chosen(self) -> None:
        lines = [f"✓ {p}" for p in self.chosen]
        self.query_one("#picker-chosen", Static).update(
            "\n".join(lines) if lines else "（还没有选中，按 a 选中光标处的文件夹或文件）"
        )

    def action_parent(self) -> None:
        current = Path(self.tree.path)
        if current.parent != current:
            self.tree.path = current.parent

    def action_goto(self) -> None:
        box = self.query_one("#picker-path", Input)
        box.display = True
        box.value = str(self.tree.path)
        box.focus()

    @on(Input.Submitted, "#picker-path")
    def _go(self, event: Input.Submitted) -> None:
        target = Path(event.value).expanduser()
        if not target.is_dir():
            self.notify(f"「{target}」不是文件夹", severity="error")
            return
        self.tree.path = target
        event.input.display = False
        self.tree.focus()

    @on(DirectoryTree.FileSelected)
    def _file_selected(self, event: DirectoryTree.FileSelected) -> None:
        event.stop()
        if not self.multiple:
            self.dismiss([Path(event.path)])
            return
        if Path(event.path) not in self.chosen:
            self.chosen.append(Path(event.path))
            self._show_chosen()

    def action_done(self) -> None:
        if not self.chosen:
            path = self._cursor_path()
            if path is None:
                self.notify("请先用 a 选中文件夹或文件", severity="warning")
                return
            self.chosen.append(path)
        self.dismiss(list(self.chosen))

    def action_cancel(self) -> None:
        self.dismiss(None)
