"""``demo-setup`` through the real pipeline (idempotent, review applied by a second person), and the whole
``sample_archive/`` ingested and compared with its ground truth."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive_tui.access import counter_actor, system_actor
from archive_tui.archive import Archive

from ingest_fixtures import cer
from sample_fixtures import SAMPLE_GROUP, SampleBuild, demo, sample_truths

STAFF = system_actor("测试")


def test_demo_setup_is_idempotent_and_reviews_as_a_second_person(tmp_path):
    sample = tmp_path / "sample"
    (sample / "docs").mkdir(parents=True)
    (sample / "docs" / "a.txt").write_text("关于开放查阅时间的公告\n每周一至周五开放。", encoding="utf-8")
    (sample / "docs" / "b.txt").write_text("关于内部人事调整的通知\n内部事务。", encoding="utf-8")
    (sample / "docs" / "c.txt").write_text("关于征收范围的通告\n待审核。", encoding="utf-8")
    (sample / "manifest.csv").write_text(
        "文件,信息名称,发布机构\ndocs/a.txt,关于开放查阅时间的公告,临川县档案馆\ndocs/b.txt,,\ndocs/c.txt,,\n",
        encoding="utf-8")
    (sample / "review.csv").write_text(
        "file,decision,reason\ndocs/a.txt,released,\ndocs/b.txt,withheld,属于内部事务信息（第十六条）\n"
        "docs/c.txt,pending,待审\n", encoding="utf-8")
    first = demo(tmp_path / "archive", sample)
    assert first.returncode == 0, first.stderr
    assert "新增 3 件" in first.stdout and "发布 1 件，不予发布 1 件" in first.stdout
    second = demo(tmp_path / "archive", sample)
    assert second.returncode == 0, second.stderr
    assert "新增 0 件" in second.stdout and "重复跳过 3 件" in second.stdout
    assert "发布 0 件，不予发布 0 件" in second.stdout
    with Archive.open(tmp_path / "archive") as archive:
        rows = {r["title"]: r for r in archive.list_records(STAFF)}
        released = rows["关于开放查阅时间的公告"]
        assert released["status"] == "released" and released["issuer"] == "临川县档案馆"
        assert released["created_by"] != released["reviewed_by"]
        withheld = rows["关于内部人事调整的通知"]
        assert withheld["status"] == "withheld" and withheld["status_reason"] == "内部事务信息"
        assert rows["关于征收范围的通告"]["status"] == "pending"
        assert [r["title"] for r in archive.list_records(counter_actor())] == ["关于开放查阅时间的公告"]


@pytest.mark.slow
@SAMPLE_GROUP
def test_the_whole_sample_archive_ingests_and_matches_its_truth(sample_build: SampleBuild):
    truths = sample_truths()
    assert f"新增 {len(truths)} 件" in sample_build.run.stdout and "拒收 0 件" in sample_build.run.stdout
    with Archive.open(sample_build.folder) as archive:
        rows = {r["name"]: r["record_id"] for r in archive.db.query("SELECT name, record_id FROM files")}
        errors = []
        for truth in truths:
            record_id = rows[Path(truth["files"][0]).name]
            assert all(rows[Path(f).name] == record_id for f in truth["files"]), truth["id"]
            pages = archive.pages(record_id, STAFF)
            assert len(pages) == truth["page_count"], truth["id"]
            for page, text, kind in zip(pages, truth["pages"], truth["page_kinds"]):
                if kind == "image":
                    errors.append(cer(text, page["text"]))
                    assert page["ocr_lang"] == ("chi_tra" if truth["script"] == "tra" else "chi_sim"), truth["id"]
                else:
                    assert cer(text, page["text"]) < 0.01, (truth["id"], page["page_no"])
        assert len(set(rows.values())) == len(truths)
        assert sum(errors) / len(errors) < 0.05
