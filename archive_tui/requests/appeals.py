"""行政复议、行政诉讼 about 政府信息公开: the case register behind table 4 of the annual report.

A case is logged when the agency receives the application for reconsideration or the court's papers, and gets its
result (维持 / 纠正 / 其他结果) when decided; until then it is 尚未审结. It may name the 依申请公开 request it is
about. Every change is one transaction that also appends to the audit log.

Only staff (管理员、档案员、审核员) may read or change the cases: unlike a request, which the counter takes in, a case
is handled behind the counter with the agency's legal staff, so a clerk's scope does not include it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .. import events
from ..access import Actor
from ..errors import InvalidInput, NotFound, PermissionDenied
from ..timeutil import now_iso, today
from .register import _date, narrowed, next_serial

if TYPE_CHECKING:
    from ..archive import Archive

REVIEW, DIRECT, AFTER_REVIEW = "review", "direct", "after_review"
#: Kind code → (label of table 4, short form accepted on the command line).
KINDS = {
    REVIEW: ("行政复议", "复议"),
    DIRECT: ("行政诉讼（未经复议直接起诉）", "直接起诉"),
    AFTER_REVIEW: ("行政诉讼（复议后起诉）", "复议后起诉"),
}
UPHELD, CORRECTED, OTHER = "upheld", "corrected", "other"
#: Result code → (label of table 4, short form). An undecided case has no result: 尚未审结.
RESULTS = {UPHELD: ("结果维持", "维持"), CORRECTED: ("结果纠正", "纠正"), OTHER: ("其他结果", "其他")}
PENDING_LABEL = "尚未审结"


def _pick(vocab: dict[str, tuple[str, str]], value: Any, what: str) -> str:
    """The code for ``value``, given as code, label or short form."""
    text = str(value or "").strip().replace("(", "（").replace(")", "）")
    for code, names in vocab.items():
        if text == code or text in names:
            return code
    choices = "、".join(short for _, short in vocab.values())
    if not text:
        raise InvalidInput(f"请选择{what}：{choices}", f"missing {what}")
    raise InvalidInput(f"{what}「{text}」不对，应为：{choices}", f"unknown {what} {text!r}")


def kind_code(value: Any) -> str:
    return _pick(KINDS, value, "案件类型")


def result_code(value: Any) -> str:
    return _pick(RESULTS, value, "审结结果")


def kind_label(code: str) -> str:
    return KINDS[code][0]


def result_label(code: str | None) -> str:
    return RESULTS[code][1] if code in RESULTS else PENDING_LABEL


def require_case_access(actor: Actor) -> None:
    if not actor.sees_unreleased:
        raise PermissionDenied(
            f"「{actor.name}」无权查看或登记行政复议、行政诉讼案件（限管理员、档案员、审核员）",
            "appeal cases need a staff role",
        )


@dataclass
class AppealCase:
    """One case as stored, with the register number of the request it is about."""

    row: dict[str, Any]
    request_ref: str | None

    @property
    def ref(self) -> str:
        return self.row["ref"]

    @property
    def kind_label(self) -> str:
        return kind_label(self.row["kind"])

    @property
    def result_label(self) -> str:
        return result_label(self.row["result"])

    def as_dict(self) -> dict[str, Any]:
        return {**self.row, "request_ref": self.request_ref, "kind_label": self.kind_label,
                "result_label": self.result_label}


_SELECT = "SELECT a.*, r.ref AS request_ref FROM appeal_cases a LEFT JOIN requests r ON r.id = a.request_id"


def _case(row: dict[str, Any]) -> AppealCase:
    request_ref = row.pop("request_ref")
    return AppealCase(row, request_ref)


class AppealRegister:
    def __init__(self, archive: "Archive") -> None:
        self.archive = archive

    @property
    def db(self):
        return self.archive.db

    def get(self, ref: int | str, actor: Actor) -> AppealCase:
        require_case_access(actor)
        text = str(ref).strip()
        rows = list(self.db.query(f"{_SELECT} WHERE a.ref = ? OR CAST(a.id AS TEXT) = ?", [text, text]))
        if not rows:
            raise NotFound(f"没有编号为「{text}」的复议或诉讼案件", f"no appeal case {text!r}")
        return _case(rows[0])

    def list(self, actor: Actor, *, year: int | None = None, open_only: bool = False) -> list[AppealCase]:
        """Cases filed in ``year`` (all years when None), oldest first; ``open_only``: still 尚未审结."""
        require_case_access(actor)
        sql, params = narrowed(_SELECT, "a.filed_date", year, "a.result IS NULL" if open_only else None,
                               "a.filed_date, a.id")
        return [_case(row) for row in self.db.query(sql, params)]

    def add(self, actor: Actor, *, kind: Any, filed: Any, request: str | None = None, note: str = "") -> AppealCase:
        """Log a case on the day the application or the suit was received; ``request`` is a register number."""
        require_case_access(actor)
        code = kind_code(kind)
        filed_day = _date(filed, "收到复议申请或起诉的日期")
        if filed_day > today():
            raise InvalidInput(f"收到日期 {filed_day} 晚于今天", "filed_date in the future")
        request_id = None
        if (request or "").strip():
            found = list(self.db.query("SELECT id, ref, received_date FROM requests WHERE ref = ?", [request.strip()]))
            if not found:
                raise InvalidInput(f"没有编号为「{request.strip()}」的依申请公开申请", f"no request {request!r}")
            if filed_day.isoformat() < found[0]["received_date"]:
                raise InvalidInput(
                    f"收到日期 {filed_day} 早于所涉申请 {found[0]['ref']} 的收到日期 {found[0]['received_date']}",
                    "case filed before its request was received",
                )
            request_id = found[0]["id"]
        stamp = now_iso()
        with self.db.conn:
            ref = f"A{filed_day.year}-{next_serial(self.db, f'appeal:{filed_day.year}'):03d}"
            cur = self.db.execute(
                "INSERT INTO appeal_cases (ref, kind, request_id, filed_date, note, created_by, created_at, updated_at)"
                " VALUES (?,?,?,?,?,?,?,?)",
                [ref, code, request_id, filed_day.isoformat(), note.strip(), actor.name, stamp, stamp],
            )
            events.log(self.db, actor.name, "appeal.add", None, case=ref, kind=code, request=request or None,
                       filed=filed_day.isoformat(), note=note.strip())
        return self.get(int(cur.lastrowid), actor)

    def decide(self, ref: int | str, actor: Actor, *, result: Any, date: Any, note: str = "") -> AppealCase:
        """Record the decision (复议决定 or 判决、裁定). A case is decided once; a mistake is put right with
        :meth:`correct`, which asks for a reason."""
        case = self.get(ref, actor)
        if case.row["result"]:
            raise InvalidInput(
                f"案件 {case.ref} 已于 {case.row['decided_date']} 审结（{case.result_label}），不能再登记结果"
                "（登记有误请更正，并写明理由）",
                "case already decided",
            )
        code, day = _decision(case, result, date)
        with self.db.conn:
            self._store(case, code, day, note)
            events.log(self.db, actor.name, "appeal.decide", None, case=case.ref, result=code,
                       decided=day.isoformat(), note=note.strip())
        return self.get(case.row["id"], actor)

    def correct(self, ref: int | str, actor: Actor, *, result: Any, date: Any, reason: str,
                note: str = "") -> AppealCase:
        """Put right a decision entered wrongly: another result or date, or back to 尚未审结 (``result`` given as
        尚未审结) when it was entered for a case not yet decided. The log keeps the entry before and after and
        the reason, so table 4 as published can be explained."""
        case = self.get(ref, actor)
        if not case.row["result"]:
            raise InvalidInput(f"案件 {case.ref} 尚未审结，没有可更正的结果，请直接登记审结结果", "case not decided")
        if not (reason or "").strip():
            raise InvalidInput("更正审结结果须写明理由", "missing correction reason")
        reopen = str(result or "").strip() in (PENDING_LABEL, "pending")
        code, day = (None, None) if reopen else _decision(case, result, date)
        before = {"result": case.row["result"], "decided": case.row["decided_date"]}
        after = {"result": code, "decided": day.isoformat() if day else None}
        if before == after:
            raise InvalidInput(f"案件 {case.ref} 的审结结果和日期与原登记相同，无需更正", "correction changes nothing")
        with self.db.conn:
            self._store(case, code, day, note)
            events.log(self.db, actor.name, "appeal.correct", None, case=case.ref, before=before, after=after,
                       reason=reason.strip(), note=note.strip())
        return self.get(case.row["id"], actor)

    def _store(self, case: AppealCase, code: str | None, day: dt.date | None, note: str) -> None:
        """Write the result and its date; a note is appended to the case's own (inside the caller's transaction)."""
        text = "；".join(t for t in (case.row["note"] or "", note.strip()) if t)
        self.db.execute(
            "UPDATE appeal_cases SET result = ?, decided_date = ?, note = ?, updated_at = ? WHERE id = ?",
            [code, day.isoformat() if day else None, text, now_iso(), case.row["id"]],
        )


def _decision(case: AppealCase, result: Any, date: Any) -> tuple[str, dt.date]:
    """The result code and date of a decision on ``case``, refused when the date is before receipt or ahead."""
    code = result_code(result)
    day = _date(date, "审结日期")
    if day.isoformat() < case.row["filed_date"]:
        raise InvalidInput(f"审结日期 {day} 早于收到日期 {case.row['filed_date']}", "decided before filed")
    if day > today():
        raise InvalidInput(f"审结日期 {day} 晚于今天", "decided_date in the future")
    return code, day
