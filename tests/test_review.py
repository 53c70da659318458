"""The release gate in the core: queue order, separation of duties, withholding reasons, personal data."""

from __future__ import annotations

import pytest

from archive_tui import Archive
from archive_tui.access import Actor, Role
from archive_tui.errors import InvalidInput, NotFound, PermissionDenied

ARCHIVIST = Actor("李档案", frozenset({Role.ARCHIVIST}))
REVIEWER = Actor("王审核", frozenset({Role.REVIEWER}))
BOTH = Actor("赵兼任", frozenset({Role.ARCHIVIST, Role.REVIEWER}))
CLERK = Actor("陈窗口", frozenset({Role.CLERK}))
ID_NUMBER = "11010519491231002X"  # valid GB 11643 check digit


def _record(archive: Archive, title: str, actor: Actor = ARCHIVIST, text: str = "") -> int:
    rid = archive.add_record({"title": title}, actor)
    if text:
        archive.db["pages"].insert({"record_id": rid, "page_no": 1, "text": text, "flagged": 0})
    return rid


def test_queue_puts_handed_over_records_first_with_flagged_pages(archive: Archive) -> None:
    first = _record(archive, "先入库未提交")
    second = _record(archive, "后入库已提交")
    archive.db["pages"].insert({"record_id": second, "page_no": 1, "text": "模糊", "ocr_confidence": 41.0,
                                "flagged": 1})
    archive.mark_ready(second, ARCHIVIST)
    items = archive.review_queue(REVIEWER)
    assert [i.id for i in items] == [second, first]
    assert items[0].ready and not items[1].ready
    assert items[0].flagged_pages == [1]
    archive.release(first, REVIEWER)
    assert [i.id for i in archive.review_queue(REVIEWER)] == [second]
    with pytest.raises(PermissionDenied):
        archive.review_queue(CLERK)


def test_ingester_cannot_release_own_record_even_as_reviewer(archive: Archive) -> None:
    rid = _record(archive, "自己入库的文件", actor=BOTH)
    with pytest.raises(PermissionDenied) as err:
        archive.release(rid, BOTH)
    assert "发布人、审核人分离" in err.value.message
    assert archive.get_record(rid, BOTH)["status"] == "pending"
    archive.release(rid, REVIEWER, "核对无误")
    row = archive.get_record(rid, CLERK)
    assert (row["status"], row["reviewed_by"], row["status_note"]) == ("released", "王审核", "核对无误")


def test_last_editor_cannot_release_and_edit_returns_record_to_pending(archive: Archive) -> None:
    rid = _record(archive, "需要修改的文件")
    archive.release(rid, REVIEWER)
    archive.update_record(rid, {"title": "修改后的文件"}, REVIEWER)
    assert archive.get_record(rid, REVIEWER)["status"] == "pending"
    with pytest.raises(NotFound):
        archive.get_record(rid, CLERK)
    with pytest.raises(PermissionDenied, match="最后由您本人修改"):
        archive.release(rid, REVIEWER)
    other = Actor("孙审核", frozenset({Role.REVIEWER}))
    archive.release(rid, other)
    assert archive.get_record(rid, CLERK)["title"] == "修改后的文件"


def test_only_reviewers_release_or_withhold(archive: Archive) -> None:
    rid = _record(archive, "普通文件")
    for actor in (ARCHIVIST, CLERK):
        with pytest.raises((PermissionDenied, NotFound)):
            archive.release(rid, actor)
        with pytest.raises((PermissionDenied, NotFound)):
            archive.withhold(rid, actor, "个人隐私", "含有个人信息")


def test_withhold_needs_listed_reason_and_note(archive: Archive) -> None:
    rid = _record(archive, "含有隐私的文件")
    with pytest.raises(InvalidInput) as err:
        archive.withhold(rid, REVIEWER, "领导不同意", "")
    assert "第十四至十六条" in err.value.message and "具体说明" in err.value.message
    archive.withhold(rid, REVIEWER, "个人隐私", "第3页有申请人身份证号")
    row = archive.get_record(rid, REVIEWER)
    assert (row["status"], row["status_reason"]) == ("withheld", "个人隐私")
    with pytest.raises(NotFound):
        archive.get_record(rid, CLERK)
    actions = [e["action"] for e in archive.history(rid, REVIEWER)]
    assert actions == ["create", "withhold"]


def test_return_for_changes_clears_hand_over(archive: Archive) -> None:
    rid = _record(archive, "待补充的文件")
    archive.mark_ready(rid, ARCHIVIST)
    with pytest.raises(InvalidInput):
        archive.return_for_changes(rid, REVIEWER, " ")
    archive.return_for_changes(rid, REVIEWER, "成文日期缺失")
    row = archive.get_record(rid, REVIEWER)
    assert row["ready_at"] is None and row["status"] == "pending" and row["status_note"] == "成文日期缺失"


def test_personal_data_blocks_release_until_acknowledged(archive: Archive) -> None:
    rid = _record(archive, "低保对象公示", text=f"申请人张三，身份证号{ID_NUMBER}，联系电话13800138000。")
    detail = archive.review_detail(rid, REVIEWER)
    assert {f.kind for f in detail.findings} == {"id_card", "mobile"}
    assert detail.findings[0].page_no == 1 and ID_NUMBER in detail.findings[0].context
    with pytest.raises(InvalidInput, match="个人信息"):
        archive.release(rid, REVIEWER)
    with pytest.raises(InvalidInput):
        archive.release(rid, REVIEWER, "", acknowledge_pii=True)
    archive.release(rid, REVIEWER, "本人书面同意公开", acknowledge_pii=True)
    assert archive.get_record(rid, CLERK)["status"] == "released"


def test_release_and_withhold_bump_revision_for_the_index(archive: Archive) -> None:
    rid = _record(archive, "索引要更新的文件")
    archive.db.execute("DELETE FROM index_queue")
    archive.release(rid, REVIEWER)
    assert archive.get_record(rid, REVIEWER)["rev"] == 2
    assert archive.db.execute("SELECT record_id FROM index_queue").fetchall() == [(rid,)]
