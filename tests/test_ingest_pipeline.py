"""The whole pipeline on a folder of every format plus a manifest, with real tesseract: every good document lands
once as a pending record with its pages, files and suggestions; every bad one is reported; re-running adds
nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from archive_tui import checks
from archive_tui.access import counter_actor, system_actor
from archive_tui.archive import Archive

from ingest_fixtures import (
    SIMPLIFIED, TRADITIONAL, docx, encrypted_pdf, image_pdf, mixed_pdf, ofd, render_lines, save, text_pdf,
)

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("ingest-ocr")]
STAFF = system_actor("测试档案员")
LETTER = "临川县财政局文件\n临财〔2022〕7号\n关于下达二〇二二年专项资金的通知\n各乡镇：\n现将资金下达。\n临川县财政局\n二〇二二年四月八日"

GOOD = ["scan_sim.png", "scan_tra.jpg", "pages.tif", "scan.bmp", "scan_only.pdf", "mixed.pdf", "text.pdf",
        "note.docx", "notice.ofd", "page.html", "utf8.txt", "utf16.txt", "gbk.txt"]
BAD = {
    "empty.txt": "空文件", "truncated.png": "损坏", "corrupt.pdf": "损坏", "locked.pdf": "加密", "bomb.png": "压缩炸弹",
    "data.xyz": "不支持", "loop": "循环", "dangling.txt": "符号链接",
}


def build_folder(root: Path) -> Path:
    root.mkdir()
    small = (1000, 330)
    save(render_lines(SIMPLIFIED), root / "scan_sim.png")
    save(render_lines(TRADITIONAL), root / "scan_tra.jpg")
    frames = [render_lines(SIMPLIFIED[:3], size=small), render_lines(SIMPLIFIED[3:], size=small)]
    frames[0].save(root / "pages.tif", save_all=True, append_images=frames[1:], dpi=(300, 300))
    save(render_lines(SIMPLIFIED[3:], size=small), root / "scan.bmp")
    image_pdf(root / "scan_only.pdf", [render_lines(SIMPLIFIED[:3], size=small)])
    mixed_pdf(root / "mixed.pdf", "第一页是电子文字：关于报送材料的通知", render_lines(SIMPLIFIED[3:], size=small))
    text_pdf(root / "text.pdf", [LETTER, "附件：资金分配表"])
    docx(root / "note.docx", ["关于开展档案安全检查的通知", "各单位：", "请于月底前完成自查。"])
    ofd(root / "notice.ofd", [["临川县人民政府办公室", "关于调整办公时间的通告"], ["自五月一日起执行。"]])
    (root / "page.html").write_text("<html><body><h1>关于公布政府信息公开目录的公告</h1><p>正文</p></body></html>",
                                    encoding="utf-8")
    (root / "utf8.txt").write_text("关于召开防汛工作会议的通知\n各单位：请准时参加。", encoding="utf-8")
    (root / "utf16.txt").write_text("關於加強檔案管理的通知\n各單位：請遵照執行。", encoding="utf-16")
    (root / "gbk.txt").write_bytes("临川县教育局关于做好秋季开学工作的通知\n各学校：做好准备。".encode("gb18030"))
    group = [render_lines(SIMPLIFIED[:3], size=small), render_lines(SIMPLIFIED[3:], size=small)]
    save(group[0], root / "doc12_p1.png")
    save(group[1], root / "doc12_p2.png")
    (root / "bad_row.txt").write_text("这一行的清单日期是错的", encoding="utf-8")
    # bad input
    (root / "empty.txt").write_bytes(b"")
    (root / "truncated.png").write_bytes((root / "scan_sim.png").read_bytes()[:300])
    (root / "corrupt.pdf").write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage")
    encrypted_pdf(root / "locked.pdf", root / "text.pdf")
    from PIL import Image

    Image.new("1", (15_000, 15_000)).save(root / "bomb.png")
    (root / "data.xyz").write_bytes(b"\x00\x01 not a document")
    (root / "loop").symlink_to(root)
    (root / "dangling.txt").symlink_to(root / "gone.txt")
    (root / "manifest.csv").write_text(
        "文件,信息名称,成文日期,库房,盒号\n"
        "doc12_p1.png;doc12_p2.png,关于做好春季农业生产工作的通知（清单）,2021-03-05,一号库房,12\n"
        "missing.png,不存在的文件,2021-01-01,,\n"
        "bad_row.txt,日期错误,2021-13-45,,\n",
        encoding="utf-8-sig",
    )
    return root


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    base = tmp_path_factory.mktemp("ingest")
    folder = build_folder(base / "in")
    archive = Archive.create(base / "archive")
    before_id = archive.add_record({"title": "入库前已有的记录", "doc_no": "临政〔2020〕1号"}, STAFF)
    events: list[dict] = []
    report = archive.ingest([folder], STAFF, manifest=folder / "manifest.csv", jobs=2, progress=events.append)
    yield archive, folder, report, events, before_id
    archive.close()


def by_file(archive: Archive) -> dict[str, dict]:
    rows = archive.db.query("SELECT f.name, r.* FROM files f JOIN records r ON r.id = f.record_id")
    return {row["name"]: row for row in rows}


def test_every_good_file_lands_once_and_every_bad_one_is_reported(batch):
    archive, folder, report, _, _ = batch
    records = by_file(archive)
    for name in GOOD + ["doc12_p1.png", "doc12_p2.png"]:
        assert name in records, name
    assert len(report.added) == len(GOOD) + 1
    rejected = {Path(o.label).name: o for o in report.rejected}
    for name, word in BAD.items():
        assert name in rejected, name
        assert word in rejected[name].message, (name, rejected[name].message)
        assert rejected[name].detail
    manifest_rows = [o for o in report.rejected if "manifest.csv" in o.label]
    assert len(manifest_rows) == 2
    assert any("missing.png" in o.message for o in manifest_rows)
    assert any("成文日期" in o.message for o in manifest_rows)
    assert len(report.rejected) == len(BAD) + 2
    assert archive.db.execute("SELECT count(*) FROM files WHERE name IN ('bad_row.txt', 'empty.txt')").fetchone()[0] == 0


def test_existing_records_are_untouched_and_new_ones_are_pending(batch):
    archive, _, _, _, before_id = batch
    before = archive.get_record(before_id, STAFF)
    assert before["title"] == "入库前已有的记录" and before["rev"] == 1
    statuses = {r[0] for r in archive.db.execute("SELECT status FROM records")}
    assert statuses == {"pending"}
    assert archive.count(counter_actor()) == 0


def test_scans_have_ocr_text_script_confidence_and_page_images(batch):
    archive, _, _, _, _ = batch
    records = by_file(archive)
    sim = archive.pages(records["scan_sim.png"]["id"], STAFF)[0]
    assert sim["ocr_lang"] == "chi_sim" and sim["ocr_confidence"] > 70
    assert "春季农业生产工作" in sim["text"] and "临政办〔2021〕13号" in sim["text"]
    assert " " not in sim["text"]
    tra = archive.pages(records["scan_tra.jpg"]["id"], STAFF)[0]
    assert tra["ocr_lang"] == "chi_tra" and "檔案資料" in tra["text"]
    for name in ("scan_sim.png", "scan_tra.jpg", "pages.tif", "scan.bmp", "scan_only.pdf"):
        for page in archive.pages(records[name]["id"], STAFF):
            assert page["image_path"] and archive.file_path(page["image_path"]).is_file()
            assert page["ocr_confidence"] is not None
    assert records["scan_sim.png"]["carrier"] == "纸质"


def test_multi_page_tiff_mixed_pdf_and_grouped_scan(batch):
    archive, _, _, _, _ = batch
    records = by_file(archive)
    tiff = archive.pages(records["pages.tif"]["id"], STAFF)
    assert [p["file_page"] for p in tiff] == [1, 2] and "各乡镇" in tiff[1]["text"]
    mixed = archive.pages(records["mixed.pdf"]["id"], STAFF)
    assert mixed[0]["ocr_confidence"] is None and "报送材料" in mixed[0]["text"]
    assert mixed[1]["ocr_confidence"] is not None and "各乡镇" in mixed[1]["text"]
    group = records["doc12_p1.png"]
    assert records["doc12_p2.png"]["id"] == group["id"]
    assert group["title"] == "关于做好春季农业生产工作的通知（清单）"
    assert group["loc_room"] == "一号库房" and group["loc_box"] == "12" and group["page_count"] == 2
    files = archive.files(group["id"], STAFF)
    assert [f["name"] for f in files] == ["doc12_p1.png", "doc12_p2.png"]


def test_electronic_documents_text_and_suggestions(batch):
    archive, _, _, _, _ = batch
    records = by_file(archive)
    letter = records["text.pdf"]
    assert letter["doc_no"] == "临财〔2022〕7号" and letter["issuer"] == "临川县财政局"
    assert letter["created_date"] == "2022-04-08" and letter["genre"] == "通知" and letter["carrier"] == "电子"
    suggested = json.loads(letter["suggested"])
    assert suggested["doc_no"] == "临财〔2022〕7号" and "title" in suggested
    assert "loc_room" not in json.loads(records["doc12_p1.png"]["suggested"])
    assert "title" not in json.loads(records["doc12_p1.png"]["suggested"])
    assert records["gbk.txt"]["title"] == "临川县教育局关于做好秋季开学工作的通知"
    assert "關於加強檔案管理" in archive.pages(records["utf16.txt"]["id"], STAFF)[0]["text"]
    assert records["notice.ofd"]["genre"] == "通告"
    assert archive.pages(records["notice.ofd"]["id"], STAFF)[1]["text"] == "自五月一日起执行。"


def test_progress_events_and_catalogue_check(batch):
    archive, _, report, events, _ = batch
    kinds = [e["event"] for e in events]
    assert kinds[0] == "start" and kinds[-1] == "summary"
    assert {"file_done", "rejected", "progress"} <= set(kinds)
    assert events[-1]["added"] == len(report.added)
    assert checks.run_all(archive) == []


def test_rerun_adds_nothing_and_a_renamed_copy_is_a_duplicate(batch, tmp_path):
    archive, folder, report, _, _ = batch
    count = archive.db.execute("SELECT count(*) FROM records").fetchone()[0]
    copy = tmp_path / "renamed.txt"
    copy.write_bytes((folder / "utf8.txt").read_bytes())
    again = archive.ingest([folder, copy], STAFF, manifest=folder / "manifest.csv", jobs=2)
    assert again.added == []
    assert len(again.duplicates) == len(report.added) + 1
    assert archive.db.execute("SELECT count(*) FROM records").fetchone()[0] == count


def test_cli_progress_json_and_summary(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(3):
        (folder / f"n{i}.txt").write_text(f"关于第{i}号事项的通知\n内容{i}", encoding="utf-8")
    exe = [sys.executable, "-m", "archive_tui", "--archive", str(tmp_path / "a")]
    subprocess.run([*exe, "init"], check=True, capture_output=True)
    done = subprocess.run([*exe, "ingest", str(folder), "--progress-json", "--jobs", "1"],
                          capture_output=True, text=True, env={**os.environ, "PYTHONUTF8": "1"})
    assert done.returncode == 0, done.stderr
    events = [json.loads(line) for line in done.stdout.splitlines()]
    assert [e["event"] for e in events][0] == "start"
    assert sum(1 for e in events if e["event"] == "file_done") == 3
    assert events[-1]["event"] == "summary" and events[-1]["added"] == 3
    assert "入库完成：新增 3 件" in done.stderr
    again = subprocess.run([*exe, "ingest", str(folder), "--json"], capture_output=True, text=True)
    assert json.loads(again.stdout)["duplicate"] == 3


def test_a_signature_with_ocr_debris_is_snapped_to_a_known_issuer(tmp_path):
    """A seal read as 「有」 before the agency's name: the catalogue already knows the agency, so that is suggested."""
    archive = Archive.create(tmp_path / "archive")
    archive.add_record({"title": "已有记录", "issuer": "临川县住房和城乡建设局"}, STAFF)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "公示.txt").write_text(
        "临川县2023年城镇老旧小区改造计划项目公示\n拟将以下小区列入改造计划，现予公示。\n"
        "有临川县住房和城乡建设局\n2023年5月10日\n", encoding="utf-8",
    )
    (folder / "通知.txt").write_text(
        "关于做好防汛工作的通知\n各乡镇：请做好防汛准备。\n临川县应急管理局\n2023年6月1日\n", encoding="utf-8",
    )
    archive.ingest([folder], STAFF, jobs=1)
    try:
        got = by_file(archive)
        assert got["公示.txt"]["issuer"] == "临川县住房和城乡建设局"
        assert "issuer" in json.loads(got["公示.txt"]["suggested"])  # still a suggestion to confirm
        assert got["通知.txt"]["issuer"] == "临川县应急管理局"  # an agency not yet known is kept as read
    finally:
        archive.close()
