"""Printing a record: check the scope and the request, compose the marked PDF, send it, then log it.

Order matters: nothing is logged until CUPS has accepted the job or the output file is completely written and
renamed into place; a failure at any step leaves neither a log entry nor a partial file behind.
"""

from __future__ import annotations

import datetime as dt
import errno
import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pypdf import PdfReader, PdfWriter

from ..access import Actor
from ..errors import ArchiveError, InvalidInput
from ..fields import location_text
from . import compose, cups, fees, fonts, log, marks, ranges

if TYPE_CHECKING:
    from ..archive import Archive

MAX_COPIES = 99
_FULL = {errno.ENOSPC, errno.EFBIG, errno.EDQUOT}
_DENIED = {errno.EACCES, errno.EPERM, errno.EROFS}


@dataclass(frozen=True)
class PrintResult:
    record_id: int
    pages: str  # the selection, e.g. "1-3,5"
    page_count: int  # pages per copy, without the cover sheet
    copies: int
    fee_cents: int
    log_id: int
    printer: str | None = None
    job_id: str | None = None
    pdf_path: Path | None = None  # the written file (None when sent to a printer)

    @property
    def summary(self) -> str:
        where = f"打印机 {self.printer}（作业 {self.job_id}）" if self.printer else f"文件 {self.pdf_path}"
        return (f"已输出到{where}：第 {self.pages} 页，共 {self.page_count} 页 × {self.copies} 份，"
                f"费用 {fees.yuan(self.fee_cents)}")


@dataclass(frozen=True)
class PrintJob:
    """A checked request: what will be printed and what it costs (shown before the clerk confirms)."""

    record: dict[str, Any]
    selected: list[int]
    total_pages: int
    copies: int
    fee_cents: int

    @property
    def pages_text(self) -> str:
        return ranges.describe(self.selected)


def quote_fee(archive: "Archive", page_count: int, copies: int) -> int:
    return fees.price_list(archive.setting).fee(page_count, copies)


def prepare(archive: "Archive", record_id: int | str, actor: Actor, *, pages: str | None = None,
            copies: int = 1) -> PrintJob:
    """Validate a request against the record the actor may see (the counter sees released records only)."""
    record = archive.get_record(record_id, actor)
    if not isinstance(copies, int) or not 1 <= copies <= MAX_COPIES:
        raise InvalidInput(f"份数应在 1 到 {MAX_COPIES} 之间", f"bad copies {copies!r}")
    total = len(archive.pages(record["id"], actor))
    selected = ranges.parse(pages, total)
    return PrintJob(record, selected, total, copies, quote_fee(archive, len(selected), copies))


def render(archive: "Archive", job: PrintJob, actor: Actor, *, cover: bool = False,
           visit_id: int | None = None, destination: str = "") -> bytes:
    """The print-ready PDF for a prepared job."""
    record = job.record
    visit = archive.visit(visit_id, actor) if visit_id is not None else None
    stamp = marks.Stamp(
        header=archive.setting(marks.HEADER_KEY) or marks.DEFAULT_HEADER,
        footer=archive.setting(marks.FOOTER_KEY) or marks.DEFAULT_FOOTER,
        reading_point=archive.setting("reading_point") or "",
        index_no=record["index_no"],
        doc_no=record.get("doc_no"),
        title=record["title"],
        total_pages=job.total_pages,
        printed_at=dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        repealed=record.get("validity") == marks.REPEALED,
        repeal_date=record.get("repeal_date"),
    )
    rows = archive.pages(record["id"], actor)
    sources = compose.page_sources(rows, archive.files(record["id"], actor), archive.file_path)
    wanted = set(job.selected)
    chosen = [s for s in sources if s.page_no in wanted]
    sheet = _cover_sheet(archive, job, actor, visit, destination) if cover else None
    return compose.compose(chosen, stamp, sheet, archive.setting(fonts.SETTING_KEY))


def print_record(archive: "Archive", record_id: int | str, actor: Actor, *, pages: str | None = None,
                 copies: int = 1, cover: bool = False, printer: str | None = None, output: Path | None = None,
                 visit_id: int | None = None, duplex: bool = False) -> PrintResult:
    if (printer is None) == (output is None):
        raise InvalidInput("请选择打印机或输出文件（二者选一）", "exactly one of printer/output is required")
    job = prepare(archive, record_id, actor, pages=pages, copies=copies)
    destination = f"打印机 {printer}" if printer else f"文件 {Path(output).name}"
    data = render(archive, job, actor, cover=cover, visit_id=visit_id, destination=destination)
    entry = {
        "visit_id": visit_id, "record_id": job.record["id"], "pages": job.pages_text,
        "page_count": len(job.selected), "copies": copies, "cover": int(cover), "fee_cents": job.fee_cents,
    }
    if output is not None:
        target = _write_file(Path(output), data, copies)
        try:
            log_id = log.record_print(archive.db, actor, {**entry, "output_file": str(target)})
        except Exception:
            target.unlink(missing_ok=True)
            raise
        return PrintResult(job.record["id"], job.pages_text, len(job.selected), copies, job.fee_cents, log_id,
                           pdf_path=target)
    assert printer is not None
    job_id = _send(data, printer, copies=copies, duplex=duplex, title=job.record["index_no"])
    try:
        log_id = log.record_print(archive.db, actor, {**entry, "printer": printer, "cups_job_id": job_id})
    except Exception:
        cups.cancel(job_id)
        raise
    return PrintResult(job.record["id"], job.pages_text, len(job.selected), copies, job.fee_cents, log_id,
                       printer=printer, job_id=job_id)


def _send(data: bytes, printer: str, *, copies: int, duplex: bool, title: str) -> str:
    spool = Path(tempfile.gettempdir())
    path: Path | None = None
    try:
        fd, name = tempfile.mkstemp(prefix="archive-tui-print-", suffix=".pdf", dir=spool)
        path = Path(name)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        return cups.submit(path, printer, copies=copies, duplex=duplex, title=title)
    except OSError as exc:
        raise _os_error(exc, spool) from exc
    finally:
        if path is not None:
            path.unlink(missing_ok=True)


def _write_file(target: Path, data: bytes, copies: int) -> Path:
    """Write the PDF (all copies in one file) under a temporary name, fsync, then rename into place."""
    if target.suffix.lower() != ".pdf":
        raise InvalidInput(f"输出文件「{target.name}」应以 .pdf 结尾", "output must be a .pdf file")
    if copies > 1:
        data = _repeat(data, copies)
    target = target.resolve()
    tmp: Path | None = None
    try:
        if not target.parent.is_dir():
            raise InvalidInput(f"文件夹「{target.parent}」不存在", f"no directory {target.parent}")
        fd, name = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=".part", dir=target.parent)
        tmp = Path(name)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
        tmp = None
    except OSError as exc:
        raise _os_error(exc, target.parent) from exc
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
    return target


def _repeat(data: bytes, copies: int) -> bytes:
    """``copies`` collated sets of the document in one PDF (a file has no printer to make the copies)."""
    reader = PdfReader(io.BytesIO(data))
    writer = PdfWriter(clone_from=reader)
    for _ in range(copies - 1):
        writer.append(reader)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _os_error(exc: OSError, where: Path) -> ArchiveError:
    if exc.errno in _FULL:
        return ArchiveError(f"磁盘空间不足，无法写入「{where}」，没有生成文件也没有记入打印登记", repr(exc))
    if exc.errno in _DENIED:
        return ArchiveError(f"没有权限写入「{where}」（只读或受保护），没有记入打印登记", repr(exc))
    return ArchiveError(f"写入「{where}」失败：{exc.strerror or exc}，没有记入打印登记", repr(exc))


def _cover_sheet(archive: "Archive", job: PrintJob, actor: Actor, visit: dict | None,
                 destination: str) -> marks.CoverSheet:
    r = job.record
    validity = r.get("validity") or ""
    if r.get("repeal_date"):
        validity += f"（废止日期 {r['repeal_date']}）"
    rows = [
        ("信息名称", r["title"]), ("索引号", r["index_no"]), ("文号", r.get("doc_no") or ""),
        ("发布机构", r.get("issuer") or ""), ("成文日期", r.get("created_date") or ""),
        ("发布日期", r.get("published_date") or ""), ("主题分类", r.get("subject") or ""),
        ("体裁分类", r.get("genre") or ""), ("时效性", validity), ("馆藏位置", location_text(r) or ""),
        ("打印页码", f"第 {job.pages_text} 页（共 {job.total_pages} 页，本次 {len(job.selected)} 页 × {job.copies} 份）"),
        ("复制费用", f"{fees.yuan(job.fee_cents)}（{fees.price_list(archive.setting).describe()}）"),
    ]
    if visit is not None:
        ident = " ".join(x for x in (visit.get("id_type"), visit.get("id_masked")) if x)
        rows += [
            ("查阅人", visit["visitor_name"] + (f"（{ident}）" if ident else "")),
            ("查阅目的", visit.get("purpose") or ""),
            ("登记时间", (visit.get("started_at") or "")[:16].replace("T", " ")),
        ]
    rows += [("经办人", actor.name), ("输出", destination)]
    return marks.CoverSheet(rows)
