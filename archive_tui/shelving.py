"""Shelving: where each paper original sits (库房/架/层/盒号/件号), what is in a box, 件号 in order, and labels.

Locations are ordinary catalogue fields, so every change goes through :func:`records.update` (validation,
history, review status). A box is named by its 库房 and 盒号 (box numbers restart in each store room).
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fpdf import FPDF

from . import records
from .printing import cups, fonts
from .access import Actor, Role
from .domain import docno
from .errors import InvalidInput
from .fields import location_text

if TYPE_CHECKING:
    from .archive import Archive

LOCATION = {"room": "loc_room", "shelf": "loc_shelf", "layer": "loc_layer", "box": "loc_box", "item": "loc_item"}


@dataclass(frozen=True)
class Box:
    room: str | None
    box: str
    shelf: str | None
    layer: str | None
    count: int
    first_date: str | None
    last_date: str | None

    @property
    def name(self) -> str:
        return location_text({"loc_room": self.room, "loc_shelf": self.shelf, "loc_layer": self.layer,
                              "loc_box": self.box})


def _natural(value: Any) -> tuple:
    """Sort key that puts 件号/盒号 ``2`` before ``10``."""
    text = "" if value is None else str(value)
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", text) if part)


def _box_where(room: str | None, box: str) -> tuple[str, list[Any]]:
    if room:
        return "loc_box = ? AND loc_room = ?", [box, room]
    return "loc_box = ?", [box]


def boxes(archive: "Archive", actor: Actor) -> list[Box]:
    """Every box that holds at least one record visible to ``actor``, in shelf order."""
    statuses = actor.visible_statuses()
    rows = archive.db.execute(
        "SELECT loc_room, loc_box, max(loc_shelf), max(loc_layer), count(*), min(created_date), max(created_date) "
        f"FROM records WHERE loc_box IS NOT NULL AND loc_box != '' AND status IN ({','.join('?' * len(statuses))}) "
        "GROUP BY loc_room, loc_box",
        list(statuses),
    ).fetchall()
    found = [Box(r[0], r[1], r[2], r[3], r[4], r[5], r[6]) for r in rows]
    return sorted(found, key=lambda b: (_natural(b.room), _natural(b.shelf), _natural(b.layer), _natural(b.box)))


def box_contents(archive: "Archive", actor: Actor, box: str, room: str | None = None) -> list[dict[str, Any]]:
    """Every record in a box, by 件号 (records without one last, by date)."""
    where, params = _box_where(room, box)
    rows = records.list_visible(archive.db, actor, where=where, params=params)
    return sorted(rows, key=lambda r: (not r.get("loc_item"), _natural(r.get("loc_item")), _date_order(r)))


def _date_order(row: dict[str, Any]) -> tuple:
    parsed = docno.parse(row.get("doc_no") or "")
    number = (parsed.agency, parsed.year or 0, parsed.serial) if parsed else ("", 0, 0)
    return (row.get("created_date") or "9999", number, row["id"])


def place(archive: "Archive", actor: Actor, record_ids: list[int], **where: str | None) -> int:
    """Set 库房/架/层/盒号 (keyword names room/shelf/layer/box) on records; returns how many changed."""
    actor.require(Role.ARCHIVIST)
    unknown = set(where) - {"room", "shelf", "layer", "box"}
    if unknown:
        raise InvalidInput(f"未知的位置项：{'、'.join(sorted(unknown))}", f"unknown location keys {unknown}")
    changes = {LOCATION[k]: v for k, v in where.items()}
    changed = 0
    with archive.db.conn:
        for record_id in record_ids:
            before = records.get(archive.db, record_id, actor)["rev"]
            after = records.update(archive.db, record_id, changes, actor, action="shelve")["rev"]
            changed += after != before
    return changed


def assign_items(
    archive: "Archive", actor: Actor, box: str, room: str | None = None, *, order: list[int] | None = None,
    start: int = 1,
) -> list[tuple[dict[str, Any], str | None, str]]:
    """Number the records of a box ``start``, ``start+1``, … by 成文日期 then 文号, or in the given id ``order``.

    Returns (record, old 件号, new 件号) for every record of the box; all changes in one transaction.
    """
    actor.require(Role.ARCHIVIST)
    rows = box_contents(archive, actor, box, room)
    if not rows:
        raise InvalidInput(f"盒号「{box}」里没有记录", f"box {box!r} in room {room!r} is empty")
    if order is not None:
        by_id = {r["id"]: r for r in rows}
        strangers = [i for i in order if i not in by_id]
        if strangers:
            raise InvalidInput(f"记录 {strangers[0]} 不在这个盒子里", f"ids {strangers} not in box {box!r}")
        rest = [r for r in rows if r["id"] not in set(order)]
        rows = [by_id[i] for i in order] + sorted(rest, key=_date_order)
    else:
        rows = sorted(rows, key=_date_order)
    result = []
    with archive.db.conn:
        for number, row in enumerate(rows, start):
            new = str(number)
            if row.get("loc_item") != new:
                records.update(archive.db, row["id"], {"loc_item": new}, actor, action="shelve")
            result.append((row, row.get("loc_item"), new))
    return result


def labels_pdf(
    archive: "Archive", actor: Actor, target: Path, *, kind: str = "box", selection: list[tuple[str | None, str]]
    | None = None,
) -> int:
    """Write a PDF of box labels (one per box, six to an A4 page) or shelf labels (one per 架/层).

    ``selection`` limits box labels to (库房, 盒号) pairs. Returns the number of labels.
    """
    all_boxes = boxes(archive, actor)
    if selection is not None:
        wanted = {(room or None, str(box)) for room, box in selection}
        all_boxes = [b for b in all_boxes if (b.room or None, b.box) in wanted]
        missing = wanted - {(b.room or None, b.box) for b in all_boxes}
        if missing:
            room, box = sorted(missing, key=str)[0]
            raise InvalidInput(f"找不到{room or ''}盒号「{box}」", f"no box {box!r} in room {room!r}")
    if not all_boxes:
        raise InvalidInput("没有已登记盒号的记录，无法打印标签", "no boxes")
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(False)
    pdf.add_font("cjk", "", str(fonts.cjk_font(archive.setting(fonts.SETTING_KEY))))
    pdf.set_title("档案盒标签" if kind == "box" else "档案架标签")
    if kind == "box":
        cards = [_box_card(archive, actor, b) for b in all_boxes]
    elif kind == "shelf":
        cards = _shelf_cards(all_boxes)
    else:
        raise InvalidInput("标签种类只能是 box（盒）或 shelf（架）", f"bad label kind {kind!r}")
    width, height, margin = 95.0, 90.0, 10.0
    for n, (heading, lines) in enumerate(cards):
        if n % 6 == 0:
            pdf.add_page()
        x = margin + (n % 2) * width
        y = margin + ((n % 6) // 2) * height
        pdf.rect(x, y, width - 5, height - 5)
        pdf.set_font("cjk", size=20)
        pdf.set_xy(x + 4, y + 4)
        pdf.cell(width - 13, 12, heading)
        pdf.set_font("cjk", size=10)
        for i, line in enumerate(lines[:12]):
            pdf.set_xy(x + 4, y + 20 + i * 5.2)
            pdf.cell(width - 13, 5, _fit(pdf, line, width - 13))
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(target))
    return len(cards)


def print_labels(
    archive: "Archive", actor: Actor, printer: str, *, kind: str = "box",
    selection: list[tuple[str | None, str]] | None = None,
) -> tuple[str, int]:
    """Lay the labels out and hand them to the CUPS queue ``printer``; returns (job id, number of labels)."""
    with tempfile.TemporaryDirectory(prefix="archive-labels-") as tmp:
        pdf = Path(tmp) / f"{kind}-labels.pdf"
        count = labels_pdf(archive, actor, pdf, kind=kind, selection=selection)
        job = cups.submit(pdf, printer, title="盒签" if kind == "box" else "架签")
    return job, count


def _fit(pdf: FPDF, text: str, width: float) -> str:
    while text and pdf.get_string_width(text) > width:
        text = text[:-2] + "…"
    return text


def _box_card(archive: "Archive", actor: Actor, box: Box) -> tuple[str, list[str]]:
    rows = box_contents(archive, actor, box.box, box.room)
    items = [r.get("loc_item") for r in rows if r.get("loc_item")]
    span = f"{box.first_date or '—'} 至 {box.last_date or '—'}"
    lines = [
        f"{box.room or ''} {box.shelf or '—'}架 {box.layer or '—'}层".strip(),
        f"共 {box.count} 件  件号 {items[0]}–{items[-1]}" if items else f"共 {box.count} 件（未编件号）",
        f"成文日期 {span}",
        "",
        *(f"{r.get('loc_item') or '·'}  {r.get('doc_no') or ''} {r['title']}" for r in rows),
    ]
    return f"盒号 {box.box}", lines


def _shelf_cards(all_boxes: list[Box]) -> list[tuple[str, list[str]]]:
    shelves: dict[tuple[str | None, str | None, str | None], list[Box]] = {}
    for box in all_boxes:
        shelves.setdefault((box.room, box.shelf, box.layer), []).append(box)
    cards = []
    for (room, shelf, layer), held in shelves.items():
        lines = [room or "", f"共 {len(held)} 盒 {sum(b.count for b in held)} 件", ""]
        lines += [f"盒号 {b.box}：{b.count} 件  {b.first_date or ''}–{b.last_date or ''}" for b in held]
        cards.append((f"{shelf or '—'}架 {layer or '—'}层", lines))
    return cards
