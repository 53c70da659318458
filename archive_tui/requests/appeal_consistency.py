"""``archive-tui check`` for the 行政复议、行政诉讼 case register.

The register refuses these states itself; they can still arise by editing the database directly, by a restore of
an older file or by a request deleted with foreign keys off, and table 4 would then count them wrongly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .appeals import KINDS, RESULTS

if TYPE_CHECKING:
    from ..archive import Archive

_CASES = ("SELECT a.*, r.id AS found_request, r.received_date AS request_received FROM appeal_cases a"
          " LEFT JOIN requests r ON r.id = a.request_id ORDER BY a.id")


def appeal_problems(archive: "Archive") -> list[str]:
    """Chinese descriptions of what is wrong in the case register; empty when it is consistent."""
    found = []
    for row in archive.db.query(_CASES):
        found += [f"案件 {row['ref']} {message}" for message in _case_problems(row)]
    return found


def _case_problems(row: dict) -> list[str]:
    problems = []
    if row["kind"] not in KINDS:
        problems.append(f"的案件类型「{row['kind']}」不是表四的项目")
    result, decided = row["result"], row["decided_date"]
    if result is not None and result not in RESULTS:
        problems.append(f"的审结结果「{result}」不是表四的项目（维持、纠正、其他结果）")
    if result and not decided:
        problems.append("有审结结果却没有审结日期")
    if decided and not result:
        problems.append(f"有审结日期 {decided} 却没有审结结果")
    if decided and decided < row["filed_date"]:
        problems.append(f"的审结日期 {decided} 早于收到日期 {row['filed_date']}")
    if row["request_id"] is not None and row["found_request"] is None:
        problems.append(f"所涉申请（内部编号 {row['request_id']}）不存在")
    elif row["request_received"] and row["filed_date"] < row["request_received"]:
        problems.append(f"的收到日期 {row['filed_date']} 早于所涉申请的收到日期 {row['request_received']}")
    return problems
