"""The ingest report: what was added, skipped as a duplicate, rejected (with reason), flagged for checking."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class Outcome:
    label: str  # file path or manifest row
    status: str  # added | duplicate | rejected
    record_id: int | None = None
    index_no: str | None = None
    pages: int = 0
    ocr_pages: int = 0
    flagged_pages: list[int] = field(default_factory=list)
    message: str = ""  # Chinese reason (rejected / duplicate)
    detail: str = ""  # English detail
    seconds: float = 0.0
    notes: dict[int, str] = field(default_factory=dict)  # page → why it is flagged, beyond a low OCR confidence


def page_notes(notes: dict[int, str]) -> list[str]:
    """「第 N 页：reason」 for each page with a problem, in page order."""
    return [f"第 {page} 页：{note}" for page, note in sorted(notes.items())]


def flag_reasons(pages: list[int], notes: dict[int, str]) -> list[str]:
    """Why pages are flagged: a low OCR confidence unless the page has its own note."""
    low = [str(p) for p in pages if p not in notes]
    return ([f"第 {'、'.join(low)} 页识别置信度低"] if low else []) + page_notes(notes)


@dataclass
class IngestReport:
    outcomes: list[Outcome] = field(default_factory=list)
    total: int = 0  # documents planned
    cancelled: bool = False
    elapsed: float = 0.0

    def _with(self, status: str) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == status]

    @property
    def added(self) -> list[Outcome]:
        return self._with("added")

    @property
    def duplicates(self) -> list[Outcome]:
        return self._with("duplicate")

    @property
    def rejected(self) -> list[Outcome]:
        return self._with("rejected")

    @property
    def flagged(self) -> list[Outcome]:
        return [o for o in self.added if o.flagged_pages]

    @property
    def pages(self) -> int:
        return sum(o.pages for o in self.added)

    @property
    def ocr_pages(self) -> int:
        return sum(o.ocr_pages for o in self.added)

    @property
    def not_started(self) -> int:
        """Documents left untouched by a cancelled batch."""
        return max(0, self.total - len(self.outcomes))

    def counts(self) -> dict[str, int]:
        return {
            "added": len(self.added), "duplicate": len(self.duplicates), "rejected": len(self.rejected),
            "flagged": len(self.flagged), "pages": self.pages, "ocr_pages": self.ocr_pages,
        }

    def to_dict(self) -> dict:
        return {
            **self.counts(), "total": self.total, "not_started": self.not_started, "cancelled": self.cancelled, "elapsed_s": round(self.elapsed, 2),
            "pages_per_s": round(self.pages / self.elapsed, 2) if self.elapsed else None,
            "outcomes": [asdict(o) for o in self.outcomes],
        }

    def summary_lines(self) -> list[str]:
        """The Chinese summary printed at the end of a batch."""
        c = self.counts()
        lines = [
            f"入库完成：新增 {c['added']} 件（{c['pages']} 页，其中识别 {c['ocr_pages']} 页），"
            f"重复跳过 {c['duplicate']} 件，拒收 {c['rejected']} 件，待核对 {c['flagged']} 件；用时 {self.elapsed:.1f} 秒。"
        ]
        if self.cancelled:
            lines.append(f"已按要求中止，{self.not_started} 件未处理：重新运行同一命令即可继续（已入库的文件会自动跳过）。")
        for o in self.rejected:
            lines.append(f"  拒收 {o.label}：{o.message}" + (f"（{o.detail}）" if o.detail else ""))
        for o in self.flagged:
            lines.extend(f"  待核对 {o.index_no} {o.label}：{reason}" for reason in flag_reasons(o.flagged_pages, o.notes))
        return lines
