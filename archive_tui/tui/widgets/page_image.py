"""The scan of one page beside its text: terminal graphics where the terminal has them, else Unicode blocks.

``textual_image`` picks Kitty graphics, Sixel or half-cells when it is imported (the app imports it before it
starts) and falls back to Unicode blocks in headless runs. Zooming widens the image inside a scroll container.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

from PIL import Image as PILImage
from textual.containers import ScrollableContainer
from textual.widgets import Static

try:
    import termios
except ImportError:  # Windows: no type-ahead to drop
    termios = None

from ...access import Actor
from ...archive import Archive

ZOOM_LEVELS = (1.0, 1.5, 2.0, 3.0, 4.0)


def _import_image_widget() -> type:
    """Import ``textual_image`` (it asks the terminal what it can draw). Keys typed before the app is up would be
    read as the terminal's answer and break the probe, so pending input is dropped first and a probe that still
    trips over a keystroke is repeated."""
    if sys.stdin is not None and sys.stdin.isatty() and termios is not None:
        termios.tcflush(sys.stdin.fileno(), termios.TCIFLUSH)
    for _ in range(32):
        try:
            from textual_image.widget import Image as widget
        except UnicodeDecodeError:
            continue
        return widget
    from textual_image.widget import Image as widget
    return widget


Image = _import_image_widget()


class PageImage(ScrollableContainer, can_focus=True):
    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._zoom_index = 0
        self.border_title = "页面图像"

    def compose(self):
        yield Static("（无页面图像）", id="no-image")
        yield Image(None, id="page-picture")

    @property
    def zoom(self) -> float:
        return ZOOM_LEVELS[self._zoom_index]

    def show_image(self, picture: PILImage.Image | None, note: str = "") -> None:
        image = self.query_one("#page-picture", Image)
        placeholder = self.query_one("#no-image", Static)
        image.image = picture
        image.display = picture is not None
        placeholder.display = picture is None
        placeholder.update(note or "（本页没有图像）")
        self._apply_zoom()

    def on_resize(self) -> None:
        """The picture follows the pane's final width (an image can arrive before the layout has settled)."""
        self._apply_zoom()

    def change_zoom(self, step: int) -> None:
        self._zoom_index = max(0, min(len(ZOOM_LEVELS) - 1, self._zoom_index + step))
        self._apply_zoom()

    def _apply_zoom(self) -> None:
        image = self.query_one("#page-picture", Image)
        width = max(self.scrollable_content_region.width, 10)
        image.styles.width = int(width * self.zoom)
        image.styles.height = "auto"
        self.border_subtitle = f"缩放 {int(self.zoom * 100)}% · +/- 调整"


_PDFIUM = threading.Lock()  # PDFium is not thread-safe; the app renders one page at a time


def load_page_image(archive: Archive, page: dict, actor: Actor) -> PILImage.Image | None:
    """The picture of ``page`` (a row of ``archive.pages``): its stored page image, else the page of its file
    (an image file, or a PDF rendered at 100 dpi). None when the page has no picture. Runs in a worker thread."""
    if page.get("image_path"):
        path = Path(page["image_path"])
        path = path if path.is_absolute() else archive.file_path(page["image_path"])
        if path.is_file():
            with PILImage.open(path) as picture:
                return picture.convert("RGB")
    files = {f["id"]: f for f in archive.files(page["record_id"], actor)}
    stored = files.get(page.get("file_id"))
    if not stored:
        return None
    path = archive.file_path(stored["stored_path"])
    index = max(int(page.get("file_page") or 1) - 1, 0)
    if (stored.get("mime") or "").startswith("image/"):
        with PILImage.open(path) as picture:
            picture.seek(min(index, getattr(picture, "n_frames", 1) - 1))
            return picture.convert("RGB")
    if stored.get("mime") == "application/pdf" or path.suffix.lower() == ".pdf":
        import pypdfium2  # only PDFs need it; not imported at the app's start

        with _PDFIUM:
            document = pypdfium2.PdfDocument(str(path))
            try:
                return document[index].render(scale=100 / 72, grayscale=True).to_pil().convert("RGB")
            finally:
                document.close()
    return None
