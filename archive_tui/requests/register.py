"""The request register (依申请公开登记): log a request, record each step, close it with a table-3 outcome.

Every change is one transaction that also appends to the audit log. Requests are found by id or register number
(``2026-0007``). Deadlines are never stored: :mod:`.deadlines` works them out from the steps each time, so a
corrected holiday file corrects every open request at once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .. import events
from ..access import Actor
from ..domain import dates
from ..errors import InvalidInput, NotFound, PermissionDenied
from ..timeutil import now_iso, today
from . import outcomes
from .deadlines import EXTENSION_MAX, THIRD_PARTY_DAYS, RequestStatus, status
from .workdays import WorkCalendar, provisional_warning

if TYPE_CHECKING:
    from ..archive import Archive

REQUIRED = {"applicant_type": "申请人类型", "applicant_name": "申请人姓名或名称", "content": "申请内容",
            "channel": "申请方式", "received_date": "收到日期"}


@dataclass
class RequestView:
    """A request with its steps and where it stands today."""

    request: dict[str, Any]
    steps: list[dict[str, Any]]
    status: RequestStatus

    @property
    def ref(self) -> str:
        return self.request["ref"]

    @property
    def warning(self) -> str | None:
        return provisional_warning(self.status.provisional_years)


def require_operator(actor: Actor) -> None:
    if not actor.roles:
        raise PermissionDenied(f"「{actor.name}」不是登记的操作员，不能办理依申请公开", "actor has no role")


def _date(value: Any, label: str) -> dt.date:
    text = dates.parse(value)
    if text is None:
        raise InvalidInput(f"请填写{label}", f"missing {label}")
    return dt.date.fromisoformat(text)


def next_serial(db, prefix: str) -> int:
    """The next number of the series ``prefix``, counted in the ``serials`` table (inside the caller's transaction)."""
    row = db.execute("SELECT last FROM serials WHERE prefix = ?", [prefix]).fetchone()
    serial = (row[0] if row else 0) + 1
    db.execute("INSERT OR REPLACE INTO serials (prefix, last) VALUES (?, ?)", [prefix, serial])
    return serial


def narrowed(select: str, date_column: str, year: int | None, condition: str | None,
             order: str) -> tuple[str, list[str]]:
    """``select`` limited to the rows whose ``date_column`` falls in ``year`` (when given) and that meet
    ``condition`` (when given), ordered by ``order``; returns the SQL and its parameters."""
    where, params = [], []
    if year is not None:
        where.append(f"substr({date_column}, 1, 4) = ?")
        params.append(str(year))
    if condition:
        where.append(condition)
    return select + (f" WHERE {' AND '.join(where)}" if where else "") + f" ORDER BY {order}", params


def most_urgent(views: list[RequestView]) -> list[RequestView]:
    """The open requests among ``views`` that are flagged near or past a time limit, most urgent first."""
    flagged = [v for v in views if v.status.state != "closed" and v.status.flag]
    return sorted(flagged, key=lambda v: (v.status.days_left, v.status.next_due))


class RequestRegister:
    def __init__(self, archive: "Archive") -> None:
        self.archive = archive
        self.calendar = WorkCalendar([archive.root / "holidays"])

    @property
    def db(self):
        return self.archive.db

    # -- reading ---------------------------------------------------------------------------------------------

    def _row(self, ref: int | str) -> dict[str, Any]:
        text = str(ref).strip()
        rows = list(self.db.query("SELECT * FROM requests WHERE ref = ? OR CAST(id AS TEXT) = ?", [text, text]))
        if not rows:
            raise NotFound(f"没有编号为「{text}」的申请", f"no request {text!r}")
        return rows[0]

    def _steps(self, request_id: int) -> list[dict[str, Any]]:
        return list(self.db.query("SELECT * FROM request_steps WHERE request_id = ? ORDER BY date, id", [request_id]))

    def view(self, ref: int | str, actor: Actor, *, on: dt.date | None = None) -> RequestView:
        require_operator(actor)
        row = self._row(ref)
        steps = self._steps(row["id"])
        return RequestView(row, steps, status(row, steps, self.calendar, on or today()))

    def list(self, actor: Actor, *, year: int | None = None, open_only: bool = False,
             on: dt.date | None = None) -> list[RequestView]:
        require_operator(actor)
        sql, params = narrowed("SELECT * FROM requests", "received_date", year, "state != 'closed'" if open_only else None,
                               "received_date, id")
        day = on or today()
        rows = list(self.db.query(sql, params))
        steps: dict[int, list[dict[str, Any]]] = {row["id"]: [] for row in rows}
        for step in self.db.query("SELECT * FROM request_steps ORDER BY date, id"):
            if step["request_id"] in steps:
                steps[step["request_id"]].append(step)
        return [RequestView(row, steps[row["id"]], status(row, steps[row["id"]], self.calendar, day)) for row in rows]

    def due(self, actor: Actor, *, on: dt.date | None = None) -> list[RequestView]:
        """Open requests whose next time limit is at most 3 working days away or already past, most urgent first."""
        return most_urgent(self.list(actor, open_only=True, on=on))

    # -- writing ---------------------------------------------------------------------------------------------

    def add(self, fields: dict[str, Any], actor: Actor) -> RequestView:
        require_operator(actor)
        missing = [label for key, label in REQUIRED.items() if not str(fields.get(key) or "").strip()]
        if missing:
            raise InvalidInput(f"缺少：{'、'.join(missing)}", f"missing fields: {missing}")
        received = _date(fields["received_date"], "收到日期")
        if received > today():
            raise InvalidInput(f"收到日期 {received} 晚于今天", "received_date in the future")
        clean = {
            "received_date": received.isoformat(),
            "applicant_type": outcomes.check_applicant_type(fields["applicant_type"]),
            "applicant_name": str(fields["applicant_name"]).strip(),
            "contact": str(fields.get("contact") or "").strip(),
            "content": str(fields["content"]).strip(),
            "channel": outcomes.check_channel(fields["channel"]),
        }
        self.calendar.add_workdays(received, 1)  # refuse early a year without holiday data
        stamp = now_iso()
        with self.db.conn:
            ref = self._next_ref(received.year)
            cur = self.db.execute(
                "INSERT INTO requests (ref, received_date, applicant_type, applicant_name, contact, content, channel,"
                " state, created_by, created_at, updated_at) VALUES (?,?,?,?,?,?,?,'open',?,?,?)",
                [ref, clean["received_date"], clean["applicant_type"], clean["applicant_name"], clean["contact"],
                 clean["content"], clean["channel"], actor.name, stamp, stamp],
            )
            events.log(self.db, actor.name, "request.add", None, request=ref, received=clean["received_date"])
        return self.view(int(cur.lastrowid), actor)

    def _next_ref(self, year: int) -> str:
        return f"{year}-{next_serial(self.db, f'request:{year}'):04d}"

    def _step(self, view: RequestView, kind: str, day: dt.date, actor: Actor, *, days: int | None = None,
              approver: str | None = None, note: str = "", state: str | None = None, **extra: Any) -> RequestView:
        received = dt.date.fromisoformat(view.request["received_date"])
        if day < received:
            raise InvalidInput(f"日期 {day} 早于收到申请的日期 {received}", f"{kind} date before received_date")
        last = view.steps[-1]["date"] if view.steps else None
        if last and day.isoformat() < last:
            raise InvalidInput(f"日期 {day} 早于上一步骤的日期 {last}", f"{kind} date before previous step")
        if day > today():
            raise InvalidInput(f"日期 {day} 晚于今天", f"{kind} date in the future")
        with self.db.conn:
            self.db.execute(
                "INSERT INTO request_steps (request_id, kind, date, days, approver, note, actor, ts) VALUES (?,?,?,?,?,?,?,?)",
                [view.request["id"], kind, day.isoformat(), days, approver, note, actor.name, now_iso()],
            )
            changes = {"updated_at": now_iso(), **extra}
            if state:
                changes["state"] = state
            sets = ", ".join(f"{k} = ?" for k in changes)
            self.db.execute(f"UPDATE requests SET {sets} WHERE id = ?", [*changes.values(), view.request["id"]])
            events.log(self.db, actor.name, f"request.{kind}", None, request=view.ref, date=day.isoformat(),
                       days=days, approver=approver, note=note, **extra)
        return self.view(view.request["id"], actor)

    def _open(self, ref: int | str, actor: Actor, *, allowed: tuple[str, ...]) -> RequestView:
        view = self.view(ref, actor)
        state = view.status.state
        if state == "closed":
            raise InvalidInput(f"申请 {view.ref} 已办结，不能再变更", "request is closed")
        if state not in allowed:
            raise InvalidInput(
                f"申请 {view.ref} 目前处于「{view.status.state_label}」状态，不能进行此操作", f"state is {state}"
            )
        return view

    def correct(self, ref: int | str, actor: Actor, *, date: Any, days: int | None = None, note: str = "") -> RequestView:
        """Send the correction notice (补正告知); ``days`` is the period given to the applicant, if any."""
        view = self._open(ref, actor, allowed=("open",))
        if any(s["kind"] == "correction" for s in view.steps):
            raise InvalidInput("补正告知只能发一次（条例第三十条：一次性告知需要补正的事项）", "second correction notice")
        if days is not None and days <= 0:
            raise InvalidInput("补正期限应为正的工作日数", f"days={days}")
        return self._step(view, "correction", _date(date, "补正告知日期"), actor, days=days, note=note,
                          state="correcting")

    def corrected(self, ref: int | str, actor: Actor, *, date: Any, note: str = "") -> RequestView:
        """The corrected request arrived: the 20 working days start again from this day."""
        view = self._open(ref, actor, allowed=("correcting",))
        return self._step(view, "corrected", _date(date, "收到补正的日期"), actor, note=note, state="open")

    def extend(self, ref: int | str, actor: Actor, *, date: Any, approver: str, days: int = EXTENSION_MAX,
               note: str = "") -> RequestView:
        view = self._open(ref, actor, allowed=("open", "consulting"))
        if any(s["kind"] == "extension" for s in view.steps):
            raise InvalidInput("答复期限只能延长一次（条例第三十三条）", "second extension")
        if not 0 < days <= EXTENSION_MAX:
            raise InvalidInput(f"延长期限最长 {EXTENSION_MAX} 个工作日", f"days={days}")
        if not (approver or "").strip():
            raise InvalidInput("延长答复期限须经政府信息公开工作机构负责人同意，请填写批准人", "approver missing")
        day = _date(date, "延期日期")
        if view.status.answer_due and day > view.status.answer_due:
            raise InvalidInput(
                f"答复期限 {view.status.answer_due} 已过，不能再延长", "extension after the answer deadline"
            )
        return self._step(view, "extension", day, actor, days=days, approver=approver.strip(), note=note)

    def consult(self, ref: int | str, actor: Actor, *, date: Any, third_party: str,
                days: int = THIRD_PARTY_DAYS, note: str = "") -> RequestView:
        view = self._open(ref, actor, allowed=("open",))
        if not (third_party or "").strip():
            raise InvalidInput("请填写被征求意见的第三方", "third party missing")
        return self._step(view, "consult", _date(date, "征求意见日期"), actor, days=days,
                          note=f"{third_party.strip()}{'；' + note if note else ''}", state="consulting")

    def consult_reply(self, ref: int | str, actor: Actor, *, date: Any, note: str = "") -> RequestView:
        """The third party answered (or its 15 working days ran out): the answer clock runs again."""
        view = self._open(ref, actor, allowed=("consulting",))
        return self._step(view, "consult_reply", _date(date, "收到第三方意见的日期"), actor, note=note, state="open")

    def close(self, ref: int | str, actor: Actor, *, date: Any, outcome: str, note: str = "") -> RequestView:
        view = self._open(ref, actor, allowed=("open", "correcting", "consulting"))
        chosen = outcomes.outcome(outcome)
        day = _date(date, "办结日期")
        return self._step(view, "close", day, actor, note=note, state="closed", outcome=chosen.code,
                          outcome_note=note, closed_date=day.isoformat())
