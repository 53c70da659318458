"""The marks on every printed page, drawn with fpdf2 as real text in an embedded CJK font.

Header: the configured notice (「政府信息公开查阅件 仅供查阅参考」) and the reading point; below it 索引号 and 文号.
Footer: print date and time, page x/y of the record, the configured footer notice. A repealed record gets a
boxed 「已废止」 in the header and a large diagonal 「已废止」 across the page, drawn over the content.
The optional cover sheet lists the catalogue metadata, the selection, the visit and the fee.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

PAGE_W, PAGE_H = 210.0, 297.0
MARGIN_X = 12.0
#: Where page content goes (mm from the top-left corner): between the header band and the footer band.
CONTENT_BOX = (MARGIN_X, 22.0, PAGE_W - 2 * MARGIN_X, 254.0)
FONT = "cjk"
REPEALED = "已废止"
DEFAULT_HEADER = "政府信息公开查阅件 仅供查阅参考"
DEFAULT_FOOTER = "本件为查阅复制件，不作为正式文件使用"
HEADER_KEY = "print.header"
FOOTER_KEY = "print.footer"
#: Every fixed string the marks draw, so that the font chosen for a job is known to cover them.
MARK_TEXT = ("索引号：　文号：打印时间：第 / 页（续）封面政府信息公开查阅件 · 打印封面本文件已于废止，仅供查阅参考"
             "（本页没有文字内容）…—0123456789")
INK = (0, 0, 0)
GREY = (90, 90, 90)
RED = (200, 0, 0)


@dataclass(frozen=True)
class Stamp:
    """What the marks say for one print job."""

    header: str
    footer: str
    reading_point: str
    index_no: str
    doc_no: str | None
    title: str
    total_pages: int
    printed_at: str  # "2026-11-22 09:41"
    repealed: bool = False
    repeal_date: str | None = None


@dataclass(frozen=True)
class CoverSheet:
    """Rows of the cover sheet: (label, value) pairs in display order."""

    rows: list[tuple[str, str]] = field(default_factory=list)


class MarkedPdf(FPDF):
    """An A4 document whose every page carries the header, footer and (for repealed records) the 已废止 mark.

    ``label`` is the page's position in the record (「第 3 / 12 页」); pages that a long text spills onto are
    marked 「（续）」.
    """

    def __init__(self, stamp: Stamp, font_path: Path) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.stamp = stamp
        self.label = ""
        self._continued = False  # this page continues the previous one (a long text spilled over)
        self._breaking = False
        self.add_font(FONT, "", str(font_path))
        self.set_font(FONT, size=10)
        self.set_margins(CONTENT_BOX[0] + 6, CONTENT_BOX[1] + 4, CONTENT_BOX[0] + 6)
        self.set_auto_page_break(True, margin=PAGE_H - (CONTENT_BOX[1] + CONTENT_BOX[3]) + 2)
        self.set_creator("archive_tui")
        self.set_title(stamp.title)
        self.set_compression(True)

    def start_page(self, label: str) -> None:
        self._breaking = False
        self.add_page()  # closes the previous page: its footer still shows the previous label
        self.label = label

    @property
    def accept_page_break(self) -> bool:  # fpdf2 asks this (a property) just before an automatic page break
        accepted = bool(super().accept_page_break)
        self._breaking = self._breaking or accepted
        return accepted

    # fpdf2 calls header() after opening a page and footer() before closing it.
    def header(self) -> None:
        s = self.stamp
        self._continued, self._breaking = self._breaking, False
        top = 7.0
        self.set_text_color(*INK)
        self.set_font(FONT, size=10.5)
        self.set_xy(MARGIN_X, top)
        self.cell(0, 5, s.header, align="L")
        self.set_xy(MARGIN_X, top)
        self.cell(PAGE_W - 2 * MARGIN_X, 5, s.reading_point, align="R")
        self.set_font(FONT, size=8)
        self.set_text_color(*GREY)
        self.set_xy(MARGIN_X, top + 6)
        ident = f"索引号：{s.index_no}" + (f"　　文号：{s.doc_no}" if s.doc_no else "")
        width = PAGE_W - 2 * MARGIN_X - (30 if s.repealed else 0)
        self.cell(width, 4.5, _fit(self, ident, width), align="L")
        if s.repealed:
            self._repealed_box(PAGE_W - MARGIN_X - 26, top + 5.5)
        self.set_draw_color(*GREY)
        self.set_line_width(0.2)
        self.line(MARGIN_X, 19.5, PAGE_W - MARGIN_X, 19.5)
        self.set_text_color(*INK)
        self.set_font(FONT, size=11)
        self.set_xy(self.l_margin, self.t_margin)

    def footer(self) -> None:
        s = self.stamp
        if s.repealed:
            self._repealed_watermark()
        y = CONTENT_BOX[1] + CONTENT_BOX[3] + 3
        self.set_draw_color(*GREY)
        self.set_line_width(0.2)
        self.line(MARGIN_X, y, PAGE_W - MARGIN_X, y)
        self.set_font(FONT, size=8)
        self.set_text_color(*GREY)
        width = PAGE_W - 2 * MARGIN_X
        self.set_xy(MARGIN_X, y + 1.5)
        self.cell(width / 3, 4.5, f"打印时间：{s.printed_at}", align="L")
        self.set_xy(MARGIN_X, y + 1.5)
        self.set_font(FONT, size=9)
        self.set_text_color(*INK)
        label = self.label + ("（续）" if self._continued else "")
        self.cell(width, 4.5, label, align="C")
        self.set_font(FONT, size=8)
        self.set_text_color(*GREY)
        self.set_xy(MARGIN_X + width / 3 * 2, y + 1.5)
        self.cell(width / 3, 4.5, _fit(self, s.footer, width / 3), align="R")
        self.set_text_color(*INK)

    def _repealed_box(self, x: float, y: float) -> None:
        self.set_draw_color(*RED)
        self.set_text_color(*RED)
        self.set_line_width(0.5)
        self.set_font(FONT, size=10)
        self.set_xy(x, y)
        self.cell(26, 6, REPEALED, border=1, align="C")

    def _repealed_watermark(self) -> None:
        cx, cy = PAGE_W / 2, PAGE_H / 2
        with self.local_context(fill_opacity=0.3, text_color=RED):
            self.set_font(FONT, size=120)
            width = self.get_string_width(REPEALED)
            with self.rotation(35, cx, cy):
                self.text(cx - width / 2, cy + 15, REPEALED)
            if self.stamp.repeal_date:
                self.set_font(FONT, size=16)
                note = f"本文件已于 {self.stamp.repeal_date} 废止"
                with self.rotation(35, cx, cy):
                    self.text(cx - self.get_string_width(note) / 2, cy + 32, note)

    def cover(self, sheet: CoverSheet) -> None:
        """The cover sheet: a heading, then the rows as a two-column table."""
        self.start_page("封面")
        self.set_font(FONT, size=18)
        self.set_y(CONTENT_BOX[1] + 10)
        self.cell(0, 10, "政府信息公开查阅件 · 打印封面", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(4)
        if self.stamp.repealed:
            self.set_text_color(*RED)
            self.set_font(FONT, size=13)
            note = "本文件" + (f"已于 {self.stamp.repeal_date} 废止" if self.stamp.repeal_date else REPEALED)
            self.cell(0, 8, note + "，仅供查阅参考", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.set_text_color(*INK)
            self.ln(2)
        self.set_font(FONT, size=10.5)
        self.set_draw_color(*GREY)
        self.set_line_width(0.2)
        with self.table(col_widths=(32, 130), text_align=("LEFT", "LEFT"), first_row_as_headings=False,
                        line_height=6.5, padding=1.5) as table:
            for label, value in sheet.rows:
                row = table.row()
                row.cell(label)
                row.cell(value or "—")


def _fit(pdf: FPDF, text: str, width: float) -> str:
    """Shorten ``text`` with an ellipsis so that it fits ``width`` mm at the current font size."""
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text + "…"
