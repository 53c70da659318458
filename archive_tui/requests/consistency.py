"""``archive-tui check`` for the request register: every closed request has a table-3 outcome and sane dates."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import outcomes

if TYPE_CHECKING:
    from ..archive import Archive


def request_problems(archive: "Archive") -> list[str]:
    """Chinese descriptions of what is wrong in the register; empty when it is consistent."""
    found = []
    codes = set(outcomes.outcomes())
    for row in archive.db.query("SELECT * FROM requests ORDER BY id"):
        ref = row["ref"]
        if row["state"] == "closed":
            if row["outcome"] not in codes:
                found.append(f"申请 {ref} 已办结但办理结果「{row['outcome']}」不是表三中的项目")
            if not row["closed_date"] or row["closed_date"] < row["received_date"]:
                found.append(f"申请 {ref} 的办结日期缺失或早于收到日期")
        elif row["outcome"] or row["closed_date"]:
            found.append(f"申请 {ref} 未办结却有办理结果")
        if row["applicant_type"] not in outcomes.applicant_types():
            found.append(f"申请 {ref} 的申请人类型「{row['applicant_type']}」不是表三的列")
        early = archive.db.execute(
            "SELECT count(*) FROM request_steps WHERE request_id = ? AND date < ?", [row["id"], row["received_date"]]
        ).fetchone()[0]
        if early:
            found.append(f"申请 {ref} 有 {early} 个办理步骤早于收到日期")
    return found
