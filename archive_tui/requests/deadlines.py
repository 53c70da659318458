"""Where a request stands and when its next time limit falls, worked out from its steps (条例 Arts. 30–33).

- Answer: 20 working days after receipt (Art. 33), plus one extension of at most 20 working days.
- Correction (Art. 30): the notice is due within 7 working days of receipt; once sent, the answer clock stops and
  restarts from the day the corrected request arrives (that day not counted).
- Third-party consultation (Art. 32): the third party has 15 working days; the working days from the day the
  letter went out (not counted) to the day the reply came (counted as paused) do not count toward the answer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from .workdays import Pause, WorkCalendar

ANSWER_DAYS = 20
EXTENSION_MAX = 20
CORRECTION_NOTICE_DAYS = 7
THIRD_PARTY_DAYS = 15
NEAR_DAYS = 3

STATE_LABELS = {"open": "办理中", "correcting": "待补正", "consulting": "征求第三方意见", "closed": "已办结"}


@dataclass
class RequestStatus:
    state: str
    answer_due: dt.date | None  # None while waiting for the applicant's correction
    correction_notice_due: dt.date
    next_label: str | None = None  # what falls due next, e.g. 答复期限
    next_due: dt.date | None = None
    days_left: int | None = None  # working days from today to next_due; negative when past
    flag: str | None = None  # "overdue" / "near"
    extended_days: int = 0
    paused_days: int = 0  # working days not counted (consultation)
    answered_in_time: bool | None = None  # for closed requests
    provisional_years: list[int] = field(default_factory=list)

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def flag_label(self) -> str:
        if self.flag == "overdue":
            return f"已超期 {-self.days_left} 个工作日" if self.days_left else "已过期限"
        if self.flag == "near":
            return "今日到期" if self.days_left == 0 else f"剩 {self.days_left} 个工作日"
        return ""


def status(request: dict[str, Any], steps: list[dict[str, Any]], calendar: WorkCalendar, today: dt.date) -> RequestStatus:
    received = dt.date.fromisoformat(request["received_date"])
    clock_start = received
    pauses: list[Pause] = []
    extended = 0
    correction: dict | None = None
    consult: dict | None = None
    closed: dt.date | None = None
    for step in steps:
        day = dt.date.fromisoformat(step["date"])
        kind = step["kind"]
        if kind == "correction":
            correction = step
        elif kind == "corrected":
            clock_start, correction, pauses = day, None, []
        elif kind == "extension":
            extended += int(step["days"] or 0)
        elif kind == "consult":
            consult = step
        elif kind == "consult_reply" and consult is not None:
            pauses.append(Pause(dt.date.fromisoformat(consult["date"]), day))
            consult = None
        elif kind == "close":
            closed = day
    limit = ANSWER_DAYS + extended
    running = list(pauses)
    if consult is not None:
        # Still waiting for the third party: the clock is stopped until today.
        running.append(Pause(dt.date.fromisoformat(consult["date"]), max(today, dt.date.fromisoformat(consult["date"]))))
    answer_due = None if correction is not None else calendar.add_workdays(clock_start, limit, skip=running)
    result = RequestStatus(
        state="closed" if closed else "correcting" if correction else "consulting" if consult else "open",
        answer_due=answer_due,
        correction_notice_due=calendar.add_workdays(received, CORRECTION_NOTICE_DAYS),
        extended_days=extended,
        paused_days=sum(calendar.workdays_between(p.start, p.end) for p in running if p.end),
    )
    if closed:
        result.answered_in_time = answer_due is None or closed <= answer_due
    elif correction is not None:
        if correction["days"]:
            result.next_label = "申请人补正期限"
            result.next_due = calendar.add_workdays(dt.date.fromisoformat(correction["date"]), int(correction["days"]))
    elif consult is not None:
        result.next_label = "第三方意见期限"
        result.next_due = calendar.add_workdays(
            dt.date.fromisoformat(consult["date"]), int(consult["days"] or THIRD_PARTY_DAYS)
        )
    else:
        result.next_label, result.next_due = "答复期限", answer_due
    if result.next_due is not None:
        result.days_left = calendar.workdays_between(today, result.next_due)
        if today > result.next_due:
            result.flag = "overdue"
        elif result.days_left <= NEAR_DAYS:
            result.flag = "near"
    last = max(d for d in (received, answer_due, result.next_due, result.correction_notice_due, today) if d)
    result.provisional_years = calendar.provisional(range(received.year, last.year + 1))
    return result
