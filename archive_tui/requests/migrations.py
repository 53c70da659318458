"""Tables of the request register (依申请公开登记): requests and the steps taken on each."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

MIGRATIONS = Migrations("archive_tui.requests")


@MIGRATIONS()
def m001_request_tables(db: Database) -> None:
    db["requests"].create(
        {
            "id": int,
            "ref": str,  # register number, e.g. 2026-0007 (year received + serial)
            "received_date": str,  # 收到申请之日 (Art. 31), YYYY-MM-DD
            "applicant_type": str,  # a column of table 3: 自然人 / 商业企业 / 科研机构 / 社会公益组织 / 法律服务机构 / 其他
            "applicant_name": str,
            "contact": str,
            "content": str,  # what is asked for: name, 文号 or description of the information (Art. 29)
            "channel": str,  # 当面 / 信函 / 网络 / 传真 / 其他
            "state": str,  # open / correcting / consulting / closed
            "outcome": str,  # outcome code (see requests.outcomes), set when closed
            "outcome_note": str,
            "closed_date": str,
            "created_by": str,
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        not_null={"ref", "received_date", "applicant_type", "applicant_name", "content", "channel", "state"},
        defaults={"state": "open"},
    )
    db["requests"].create_index(["ref"], unique=True)
    db["requests"].create_index(["received_date"])
    db["requests"].create_index(["closed_date"])
    db["request_steps"].create(
        {
            "id": int,
            "request_id": int,
            "kind": str,  # correction / corrected / extension / consult / consult_reply / close
            "date": str,  # the day it happened, YYYY-MM-DD
            "days": int,  # working days granted (extension, correction period, third party's period)
            "approver": str,  # extension: who approved it
            "note": str,
            "actor": str,
            "ts": str,
        },
        pk="id",
        foreign_keys=[("request_id", "requests", "id")],
        not_null={"request_id", "kind", "date", "actor", "ts"},
    )
    db["request_steps"].create_index(["request_id"])


@MIGRATIONS()
def m002_appeal_cases(db: Database) -> None:
    """行政复议、行政诉讼 about 政府信息公开: the register behind table 4 of the annual report."""
    db["appeal_cases"].create(
        {
            "id": int,
            "ref": str,  # case number in this register, e.g. A2025-003 (year filed + serial)
            "kind": str,  # review (行政复议) / direct (行政诉讼，未经复议直接起诉) / after_review (复议后起诉)
            "request_id": int,  # the 依申请公开 request it is about, if any
            "filed_date": str,  # 收到复议申请或起诉的日期, YYYY-MM-DD
            "result": str,  # upheld (维持) / corrected (纠正) / other (其他结果); NULL while 尚未审结
            "decided_date": str,
            "note": str,
            "created_by": str,
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        foreign_keys=[("request_id", "requests", "id")],
        not_null={"ref", "kind", "filed_date"},
    )
    db["appeal_cases"].create_index(["ref"], unique=True)
    db["appeal_cases"].create_index(["filed_date"])
