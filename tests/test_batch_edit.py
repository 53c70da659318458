"""Batch edit: preview, apply through records.update (history, validation, released → pending), one undo."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive_tui import Archive, InvalidInput, batch_edit

from tests.desk_fixtures import populate


def test_preview_apply_and_undo_box_number(archive: Archive, staff, tmp_path: Path) -> None:
    ids = populate(archive, staff, tmp_path)
    archive.db["records"].update(ids[0], {"status": "released"})
    chosen = batch_edit.select(archive, staff, where={"loc_box": "12"})
    assert [r["id"] for r in chosen] == ids[:3]
    plan = batch_edit.preview(archive, staff, [r["id"] for r in chosen] + [ids[3]], "loc_box", " 13 ")
    assert plan.value == "13" and plan.unchanged == 1
    assert [(c.record_id, c.before, c.after) for c in plan.changes] == [(i, "12", "13") for i in ids[:3]]
    assert archive.get_record(ids[1], staff)["loc_box"] == "12"  # preview writes nothing
    batch_id = batch_edit.apply(archive, staff, plan)
    assert {archive.get_record(i, staff)["loc_box"] for i in ids} == {"13"}
    assert archive.get_record(ids[0], staff)["status"] == "released"  # a new box alone keeps it released
    history = archive.history(ids[1], staff)
    assert history[-1]["action"] == "batch_edit" and history[-1]["detail"]["before"] == {"loc_box": "12"}
    assert batch_edit.last_batch(archive)["id"] == batch_id
    archive.update_record(ids[2], {"loc_box": "14"}, staff)  # edited again after the batch: undo leaves it
    report = batch_edit.undo(archive, staff)
    assert report.restored == 2 and report.skipped == [archive.get_record(ids[2], staff)["index_no"]]
    assert [archive.get_record(i, staff)["loc_box"] for i in ids] == ["12", "12", "14", "13"]
    assert batch_edit.last_batch(archive) is None
    with pytest.raises(InvalidInput, match="没有可以撤销"):
        batch_edit.undo(archive, staff)


def test_invalid_value_is_refused_with_the_field_rules(archive: Archive, staff, tmp_path: Path) -> None:
    ids = populate(archive, staff, tmp_path)
    with pytest.raises(InvalidInput, match="时效性「永久有效」不在规定的取值中"):
        batch_edit.preview(archive, staff, ids, "validity", "永久有效")
    with pytest.raises(InvalidInput, match="不能批量修改"):
        batch_edit.preview(archive, staff, ids, "doc_no", "临政发〔2021〕3号")
    with pytest.raises(InvalidInput, match="未知栏目"):
        batch_edit.select(archive, staff, where={"nonsense": "1"})


def test_select_by_issuer_and_set_validity_is_one_transaction(archive: Archive, staff, tmp_path: Path) -> None:
    ids = populate(archive, staff, tmp_path)
    chosen = batch_edit.select(archive, staff, where={"issuer": "临川县人民政府"})
    assert [r["id"] for r in chosen] == [ids[0]]
    plan = batch_edit.preview(archive, staff, ids, "validity", "已修改")
    events_before = archive.db["events"].count
    batch_edit.apply(archive, staff, plan)
    assert archive.db["events"].count == events_before + len(plan.changes) + 1
    assert {archive.get_record(i, staff)["validity"] for i in ids} == {"已修改"}


def test_parse_selection_maps_chinese_labels() -> None:
    assert batch_edit.parse_selection("盒号：12 发布机构:临川县财政局 春季 农业") == (
        "春季 农业", {"loc_box": "12", "issuer": "临川县财政局"})
    assert batch_edit.parse_selection("审核状态:待审核 件号:") == ("", {"status": "pending", "loc_item": ""})
    assert batch_edit.parse_selection("http://x 国发〔2018〕43号") == ("http://x 国发〔2018〕43号", {})
