"""A clerk cannot reach a pending or withheld record by any path: show, id guessing, 索引号, 文号, list, count,
pages, files, page image, history, search (hits, facets, in-page find), export, print, visits, review, CLI, TUI.

Each check is paired with the released record reaching the clerk the same way, so that no check passes
vacuously.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from archive_tui import Archive, export, operators, storage
from archive_tui.access import Actor, Role, counter_actor
from archive_tui.cli import main
from archive_tui.errors import NotFound, PermissionDenied

from review_fixtures import settle

ARCHIVIST = Actor("李档案", frozenset({Role.ARCHIVIST}))
REVIEWER = Actor("王审核", frozenset({Role.REVIEWER}))
CLERK = counter_actor("陈窗口")
WORD = "植树绿化"


def _page_image(archive: Archive, shade: int) -> tuple[str, str, int]:
    buffer = io.BytesIO()
    Image.new("L", (40, 56), shade).save(buffer, format="PNG")
    return storage.put_bytes(archive.store_dir, buffer.getvalue(), ".png")


def _record(archive: Archive, key: str, issuer: str) -> int:
    rid = archive.add_record({
        "title": f"关于{WORD}工作的通知（{key}）", "doc_no": f"临政办〔2021〕{len(key)}号", "issuer": issuer,
        "created_date": "2021-03-05",
    }, ARCHIVIST)
    sha256, image, size = _page_image(archive, 100 + len(key))
    file_id = archive.db["files"].insert({
        "record_id": rid, "seq": 1, "name": f"{key}.png", "sha256": sha256, "size": size, "mime": "image/png",
        "stored_path": image,
    }).last_pk
    archive.db["pages"].insert({"record_id": rid, "page_no": 1, "file_id": file_id, "file_page": 1,
                                "text": f"各乡镇：现将{WORD}工作安排如下（{key}）。", "image_path": image})
    archive.db["records"].update(rid, {"page_count": 1})
    archive.db.conn.commit()
    return rid


@pytest.fixture
def scoped(archive: Archive) -> dict[str, int]:
    ids = {
        "released": _record(archive, "released", "临川县林业局"),
        "pending": _record(archive, "pending!", "临川县待审局"),
        "withheld": _record(archive, "withheld!!", "临川县保密局"),
    }
    archive.release(ids["released"], REVIEWER)
    archive.withhold(ids["withheld"], REVIEWER, "过程性信息", "征求意见稿")
    return ids


def _hidden(scoped: dict[str, int]) -> list[int]:
    return [scoped["pending"], scoped["withheld"]]


def test_show_by_id_index_no_and_doc_no(archive: Archive, scoped: dict[str, int]) -> None:
    assert archive.get_record(scoped["released"], CLERK)["status"] == "released"
    for rid in _hidden(scoped):
        index_no = archive.get_record(rid, REVIEWER)["index_no"]
        for ref in (rid, str(rid), index_no):
            with pytest.raises(NotFound) as err:
                archive.get_record(ref, CLERK)
            assert "找不到" in err.value.message  # the same answer as for a record that does not exist
        for call in (archive.pages, archive.files, archive.history):
            with pytest.raises(NotFound):
                call(rid, CLERK)
    max_id = max(scoped.values())
    guessed = []
    for rid in range(1, max_id + 5):  # walking the id space finds the released record only
        try:
            guessed.append(archive.get_record(rid, CLERK)["id"])
        except NotFound:
            pass
    assert guessed == [scoped["released"]]
    assert [r["id"] for r in archive.find_by_doc_no("临政办[2021]8号", CLERK)] == [scoped["released"]]
    assert archive.find_by_doc_no("临政办(2021)8号", CLERK)[0]["id"] == scoped["released"]
    assert archive.find_by_doc_no("临政办〔2021〕10号", CLERK) == []  # the withheld record's 文号
    assert [r["id"] for r in archive.list_records(CLERK)] == [scoped["released"]]
    assert archive.count(CLERK) == 1 and archive.count(REVIEWER) == 3


def test_page_images_only_through_visible_pages(archive: Archive, scoped: dict[str, int]) -> None:
    pages = archive.pages(scoped["released"], CLERK)
    assert archive.file_path(pages[0]["image_path"]).is_file()
    for rid in _hidden(scoped):
        with pytest.raises(NotFound):
            archive.pages(rid, CLERK)
        with pytest.raises(NotFound):
            archive.files(rid, CLERK)


def test_search_hits_facets_and_find_in_pages(archive: Archive, scoped: dict[str, int]) -> None:
    result = archive.search(WORD, CLERK)
    assert [h.record_id for h in result.hits] == [scoped["released"]] and result.total == 1
    issuers = [name for name, _n in result.facets.get("issuer", [])]
    assert issuers == ["临川县林业局"]
    assert archive.search(WORD, REVIEWER).total == 3
    for query in ("待审局", "保密局", "pending", "withheld", "临政办〔2021〕10号"):
        assert archive.search(query, CLERK).total == 0, query
    assert archive.find_in_pages(scoped["released"], WORD, CLERK)
    for rid in _hidden(scoped):
        with pytest.raises(NotFound):
            archive.find_in_pages(rid, WORD, CLERK)


def test_edited_or_withdrawn_release_leaves_the_counter_at_once(archive: Archive, scoped: dict[str, int]) -> None:
    rid = scoped["released"]
    assert archive.search(WORD, CLERK).total == 1
    archive.update_record(rid, {"title": f"关于{WORD}工作的通知（修订）"}, ARCHIVIST)
    assert archive.search(WORD, CLERK).total == 0
    assert archive.search("林业局", CLERK).facets.get("issuer", []) == []
    with pytest.raises(NotFound):
        archive.get_record(rid, CLERK)
    archive.release(rid, REVIEWER)
    assert [h.record_id for h in archive.search(WORD, CLERK).hits] == [rid]  # once, not once per version
    assert archive.search(WORD, CLERK).total == 1
    archive.withhold(rid, REVIEWER, "个人隐私", "发现附件含个人信息")
    result = archive.search(WORD, CLERK)
    assert result.total == 0 and result.hits == []
    assert result.facets.get("issuer", []) == []  # no count of the withheld record leaks through a facet


def test_export_print_visits_and_review_refuse(archive: Archive, scoped: dict[str, int], tmp_path: Path) -> None:
    csv_text = export.to_string(archive, CLERK, "csv")
    assert "released" in csv_text and "pending" not in csv_text and "withheld" not in csv_text
    assert len(export.rows(archive, REVIEWER)) == 3
    visit = archive.start_visit({"visitor_name": "张三"}, CLERK)
    archive.note_opened(visit, scoped["released"], CLERK)
    for rid in _hidden(scoped):
        with pytest.raises(NotFound):
            archive.print_record(rid, CLERK, output=tmp_path / f"{rid}.pdf")
        assert not (tmp_path / f"{rid}.pdf").exists()
        with pytest.raises(NotFound):
            archive.note_opened(visit, rid, CLERK)
    assert archive.db.execute("SELECT count(*) FROM print_log").fetchone()[0] == 0
    printed = archive.print_record(scoped["released"], CLERK, output=tmp_path / "ok.pdf")
    assert printed.page_count == 1 and (tmp_path / "ok.pdf").is_file()
    with pytest.raises(PermissionDenied):
        archive.review_queue(CLERK)
    with pytest.raises(PermissionDenied):
        archive.review_detail(scoped["pending"], CLERK)


def test_cli_clerk_login_sees_released_only(archive: Archive, scoped: dict[str, int], tmp_path: Path) -> None:
    admin = archive.init_admin("admin", "admin-pass-1")
    with archive.db.conn:
        operators.add(archive.db, "chen", "chen-pass-1", frozenset({Role.CLERK}), admin)
    archive.close()
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(main, ["--archive", str(archive.root), "--user", "chen", *args],
                             env={"ARCHIVE_TUI_PASSWORD": "chen-pass-1"})

    assert run("show", str(scoped["released"])).exit_code == 0
    for rid in _hidden(scoped):
        r = run("show", str(rid))
        assert r.exit_code == 1 and "找不到记录" in r.output
        r = run("print", str(rid), "--output", str(tmp_path / "x.pdf"))
        assert r.exit_code == 1 and not (tmp_path / "x.pdf").exists()
    r = run("list")
    assert "released" in r.output and "pending" not in r.output and "withheld" not in r.output
    r = run("search", "--all", WORD)
    assert "共 1 条" in r.output
    r = run("export", "--format", "json")
    assert "released" in r.output and "pending" not in r.output
    assert run("review", "list").exit_code == 1


async def test_tui_counter_and_record_screen(archive: Archive, scoped: dict[str, int]) -> None:
    from textual.widgets import DataTable

    from archive_tui.tui.app import make_app

    app = make_app(archive, REVIEWER)  # even a reviewer's counter mode shows the public's view
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 1
        for rid in _hidden(scoped):  # a guessed id typed into the record screen
            app.open_record(rid)
            await settle(pilot)
            shown = " ".join(str(w.render()) for w in app.screen.query("Static"))
            assert "pending!" not in shown and "withheld!!" not in shown and WORD not in shown
            assert any("找不到" in n.message for n in app._notifications)
            await pilot.press("escape")
            await pilot.pause()


def test_demo_setup_cannot_bypass_review_once_operators_exist(archive: Archive, tmp_path: Path) -> None:
    archive.init_admin("admin", "admin-pass-1")
    archive.close()
    sample = tmp_path / "sample"
    sample.mkdir()
    (sample / "通知.txt").write_text("关于植树绿化工作的通知", encoding="utf-8")
    (sample / "review.csv").write_text("file,decision,reason\n通知.txt,release,\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["--archive", str(archive.root), "demo-setup", str(sample)])
    assert r.exit_code == 1 and "不能装入演示数据" in r.output
    with Archive.open(archive.root) as reopened:
        assert reopened.count(REVIEWER) == 0


async def test_tui_views_without_a_visit_are_logged(archive: Archive, scoped: dict[str, int]) -> None:
    from archive_tui.tui.app import make_app

    app = make_app(archive, REVIEWER)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        app.open_record(scoped["released"])
        await settle(pilot)
    views = archive.db.execute("SELECT actor, record_id FROM events WHERE action = 'view'").fetchall()
    assert views == [("王审核", scoped["released"])]
    with pytest.raises(NotFound):
        archive.log_view(scoped["pending"], CLERK)
