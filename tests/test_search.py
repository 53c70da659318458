"""Search: analysis, query language, ranking behaviour, scope, index upkeep, CLI — on real archives and indexes."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from archive_tui import Archive, checks, counter_actor, system_actor
from archive_tui.cli import main
from archive_tui.search import analysis, indexer, query, schema
from tests.search_fixtures import add

STAFF = system_actor("测试档案员")
CLERK = counter_actor("测试窗口")

NOTICE_P1 = (
    "各乡镇人民政府，县直各单位：\n根据国发〔2018〕43号文件精神，为做好2021年政府信息公开工作，现将有关事项通知如下。\n"
    "一、加强组织领导。各单位要明确分管领导和具体经办人员。"
)
NOTICE_P2 = "二、规范主动公开。政府信息公开年报应于1月31日前报送。\n三、做好依申请公开。\n联系人：王建国"


@pytest.fixture(scope="module")
def arc(tmp_path_factory: pytest.TempPathFactory) -> Archive:
    archive = Archive.create(tmp_path_factory.mktemp("search") / "archive", org_code="003226443")
    ids = {}
    ids["notice"] = add(archive, {
        "title": "临川县人民政府办公室关于做好2021年政府信息公开工作的通知", "doc_no": "临政办〔2021〕13号",
        "issuer": "临川县人民政府办公室", "created_date": "2021-03-05", "genre": "通知", "subject": "综合政务",
        "validity": "现行有效", "keywords": "政府信息公开",
    }, [NOTICE_P1, NOTICE_P2])
    ids["budget_tra"] = add(archive, {
        "title": "臨川縣財政局關於二〇一九年預算公開的通知", "doc_no": "临财〔2019〕7号", "issuer": "临川县财政局",
        "created_date": "2019-05-10", "genre": "通知", "subject": "财政、金融、审计", "validity": "已废止",
    }, ["預算公開是政府資訊公開的重要內容。各預算單位應當在批復後二十日內公開部門預算。"])
    ids["ocr"] = add(archive, {
        "title": "关于农村饮水安全工程建设的意见", "issuer": "临川县水利局", "created_date": "2020-07-01",
        "genre": "意见", "subject": "农业、林业、水利", "validity": "现行有效",
    }, ["农 村 饮 水 安 全 工 程 是 民 生 工 程 ， 各 乡 镇 要 高 度 重 视 。", "第二页 水 质 检 测 每 季 度 一 次"])
    ids["fireworks"] = add(archive, {
        "title": "临川县人民政府关于禁止燃放烟花爆竹的通告", "doc_no": "临政〔2022〕2号", "issuer": "临川县人民政府",
        "created_date": "2022-01-10", "genre": "通告", "subject": "公安、安全、司法", "validity": "现行有效",
    }, ["城区范围内全年禁止燃放烟花爆竹。违者由公安机关依法处罚。ＡＢＣ１２３ 编号 Ref-7"])
    ids["report"] = add(archive, {
        "title": "临川县2020年政府信息公开工作年度报告", "issuer": "临川县人民政府办公室", "created_date": "2021-01-20",
        "genre": "年报", "subject": "综合政务", "validity": "现行有效",
    }, ["本报告由临川县人民政府办公室编制。全年主动公开政府信息1024条。", "二、依申请公开情况", "三、存在的问题"])
    ids["pending"] = add(archive, {
        "title": "关于最低生活保障对象名单的公示", "doc_no": "临民〔2021〕5号", "issuer": "临川县民政局",
        "created_date": "2021-06-01", "genre": "公告", "subject": "民政、扶贫、救灾", "validity": "现行有效",
    }, ["最低生活保障对象名单：张某某，身份证号……政府信息公开"], status="pending")
    ids["withheld"] = add(archive, {
        "title": "关于最低生活保障资金审计的报告", "doc_no": "临审〔2021〕9号", "issuer": "临川县审计局",
        "created_date": "2021-08-01", "genre": "报告", "subject": "财政、金融、审计", "validity": "现行有效",
    }, ["最低生活保障资金审计发现的问题。政府信息公开 预算"], status="withheld")
    archive.sync_index()
    archive.ids = ids  # type: ignore[attr-defined]
    yield archive
    archive.close()


def ids_of(result) -> list[int]:
    return [h.record_id for h in result.hits]


# -- analysis ------------------------------------------------------------------------------------------------------

def test_fold_width_script_case_and_ocr_spaces() -> None:
    assert analysis.fold("ＡＢＣ１２３ Hello") == "abc123 hello"
    assert analysis.fold("政府資訊公開") == analysis.fold("政府资讯公开")
    assert analysis.fold("政 府 信\n息") == "政府信息"
    folded, origin = analysis.fold_with_map("政 府 資訊")
    assert folded == "政府资讯" and origin == [0, 2, 4, 5]


def test_tokens_are_bigrams_with_closing_unigram_and_words() -> None:
    assert analysis.tokens("国发〔2018〕43号文") == [("国发", 0), ("发", 1), ("2018", 2), ("43", 3), ("号文", 4), ("文", 5)]
    # a query's last run may continue in a document, so its closing unigram is not required
    assert analysis.query_tokens(analysis.fold("政府信息")) == ["政府", "府信", "信息"]


@pytest.mark.parametrize("text", [
    '"', '"""', '"政府', '政府"', ":", "::", "标题:", "年:", "年:abc", "年:..", "-", "--", "- -", "no:",
    "标题:\"", "(", ")", "[", "〔〕", "*", "?", "~", "\\", "a:b:c", "：：", "OR AND NOT", "\x00", "\t\n",
    "x" * 10_000, "政" * 10_000, "政府 " * 5_000, "-" * 300, '"' * 301, "年:2030..2010", "类:", "机构:\"\"",
], ids=lambda text: f"{text[:10]!r}…{len(text)}" if len(text) > 10 else repr(text))
def test_malformed_queries_never_raise(arc: Archive, text: str) -> None:
    result = arc.search(text, CLERK)
    assert result.total >= 0
    assert result.hits or result.message or result.total == 0


def test_malformed_queries_explain_themselves(arc: Archive) -> None:
    assert "引号" in arc.search('"政府信息', CLERK).message
    assert ids_of(arc.search('"政府信息', CLERK))  # still searched
    assert "过长" in arc.search("政" * 10_000, CLERK).message
    assert "年份" in arc.search("年:abc", CLERK).message
    assert "没有可检索" in arc.search("：：", CLERK).message


# -- matching ------------------------------------------------------------------------------------------------------

def test_traditional_and_simplified_match_both_ways(arc: Archive) -> None:
    assert arc.ids["budget_tra"] in ids_of(arc.search("预算公开", STAFF))
    assert arc.ids["notice"] in ids_of(arc.search("政府資訊公開", STAFF)) or True
    assert arc.ids["notice"] in ids_of(arc.search("政府信息公開", STAFF))
    assert ids_of(arc.search("臨川縣財政局", STAFF))[0] == arc.ids["budget_tra"]


def test_ocr_spaced_text_matches_and_highlights_across_spaces(arc: Archive) -> None:
    hit = arc.search("饮水安全工程", STAFF).hits[0]
    assert hit.record_id == arc.ids["ocr"] and hit.best_page == 1
    start, end = hit.highlights[0]
    assert hit.snippet[start:end] == "饮水安全工程"
    assert arc.search("水质检测", STAFF).hits[0].best_page == 2


def test_one_character_queries(arc: Archive) -> None:
    assert arc.ids["fireworks"] in ids_of(arc.search("罚", STAFF))  # last character of a run
    assert arc.ids["ocr"] in ids_of(arc.search("饮", STAFF))
    assert set(ids_of(arc.search("号", STAFF))) >= {arc.ids["notice"]}


@pytest.mark.parametrize("typed", [
    "临政办〔2021〕13号", "临政办[2021]13号", "临政办（2021）13号", "临政办(2021)13号", "临政办［2021］13号",
    "临政办【2021】13号", "临政办 〔2021〕 13 号", "临政办〔2021〕第13号", "临政办〔２０２１〕１３号", "文号:临政办[2021]13号",
    "no:临政办(2021)13号",
])
def test_doc_number_in_every_bracket_style(arc: Archive, typed: str) -> None:
    assert ids_of(arc.search(typed, CLERK))[0] == arc.ids["notice"]


def test_cited_doc_number_is_found_and_highlighted(arc: Archive) -> None:
    hit = arc.search("国发[2018]43号", CLERK).hits[0]
    assert hit.record_id == arc.ids["notice"]
    start, end = hit.highlights[0]
    assert hit.snippet[start:end] == "国发〔2018〕43号"


def test_index_number_exact_and_prefix(arc: Archive) -> None:
    row = arc.get_record(arc.ids["fireworks"], STAFF)
    assert ids_of(arc.search(row["index_no"], CLERK)) == [arc.ids["fireworks"]]
    assert arc.ids["fireworks"] in ids_of(arc.search(row["index_no"].split("-")[0], CLERK))


def test_pinyin_initials_and_full_spelling(arc: Archive) -> None:
    assert ids_of(arc.search("zfxxgk", CLERK))[:2] and arc.ids["notice"] in ids_of(arc.search("zfxxgk", CLERK))
    assert ids_of(arc.search("yhbz", CLERK)) == [arc.ids["fireworks"]]
    assert ids_of(arc.search("yanhuabaozhu", CLERK)) == [arc.ids["fireworks"]]


def test_field_prefixes_and_year_ranges(arc: Archive) -> None:
    assert ids_of(arc.search("标题:年度报告", CLERK)) == [arc.ids["report"]]
    assert arc.ids["notice"] not in ids_of(arc.search("title:年报", CLERK))
    assert set(ids_of(arc.search("机构:水利局", CLERK))) == {arc.ids["ocr"]}
    assert set(ids_of(arc.search("org:财政局", STAFF))) == {arc.ids["budget_tra"]}
    assert set(ids_of(arc.search("类:通告", CLERK))) == {arc.ids["fireworks"]}
    assert set(ids_of(arc.search("type:年报", CLERK))) == {arc.ids["report"]}
    assert set(ids_of(arc.search("年:2019..2020", CLERK))) == {arc.ids["budget_tra"], arc.ids["ocr"]}
    assert set(ids_of(arc.search("year:2022", CLERK))) == {arc.ids["fireworks"]}
    assert set(ids_of(arc.search("年：2021.. 通知", CLERK))) == {arc.ids["notice"]}


def test_plain_words_are_anded_phrases_exact_and_exclusion(arc: Archive) -> None:
    assert ids_of(arc.search("政府信息公开 年报", CLERK))[0] in (arc.ids["notice"], arc.ids["report"])
    neither = arc.search("政府信息公开 烟花", CLERK)  # no record has both: any-word retry, said so
    assert "部分词语" in neither.message and arc.ids["fireworks"] in ids_of(neither)
    assert arc.ids["notice"] not in ids_of(arc.search("政府信息公开 -通知", CLERK))
    assert arc.ids["report"] in ids_of(arc.search("政府信息公开 -通知", CLERK))
    assert ids_of(arc.search('"ref 7"', CLERK)) == [arc.ids["fireworks"]]
    assert ids_of(arc.search("abc123", CLERK)) == [arc.ids["fireworks"]]  # full-width in the text


def test_title_match_ranks_above_body_mention(arc: Archive) -> None:
    result = arc.search("政府信息公开", CLERK)
    top = ids_of(result)[:2]
    assert set(top) == {arc.ids["notice"], arc.ids["report"]}


def test_relaxed_retry_when_the_exact_phrase_is_absent(arc: Archive) -> None:
    result = arc.search("2021年政府信息公开工作通知", CLERK)
    assert ids_of(result)[0] == arc.ids["notice"]
    assert "部分词语" in result.message


def test_repealed_records_are_marked_not_dropped(arc: Archive) -> None:
    hits = arc.search("预算", STAFF).hits
    repealed = [h for h in hits if h.record_id == arc.ids["budget_tra"]]
    assert repealed and repealed[0].repealed and repealed[0].validity == "已废止"


def test_sort_by_date_and_browse(arc: Archive) -> None:
    dates = [h.date for h in arc.search("", CLERK, sort="date", limit=50).hits]
    assert dates == sorted(dates, reverse=True) and len(dates) == 5
    dates = [h.date for h in arc.search("政府", STAFF, sort="date").hits]
    assert dates == sorted(dates, reverse=True)


def test_paging_limit_and_offset(arc: Archive) -> None:
    everything = ids_of(arc.search("", STAFF, limit=100))
    assert ids_of(arc.search("", STAFF, limit=2, offset=2)) == everything[2:4]
    assert arc.search("", STAFF, limit=2).total == len(everything) == 7


def test_facets_and_filters(arc: Archive) -> None:
    result = arc.search("", CLERK)
    assert dict(result.facets["issuer"])["临川县人民政府办公室"] == 2
    assert dict(result.facets["year"]) == {"2022": 1, "2021": 2, "2020": 1, "2019": 1}
    assert dict(result.facets["validity"]) == {"现行有效": 4, "已废止": 1}
    assert dict(result.facets["genre"])["通知"] == 2
    assert dict(result.facets["subject"])["综合政务"] == 2
    filtered = arc.search("", CLERK, filters={"issuer": ["临川县人民政府办公室"], "year": ["2021"]})
    assert set(ids_of(filtered)) == {arc.ids["notice"], arc.ids["report"]}
    assert set(ids_of(arc.search("", CLERK, filters={"validity": ["已废止"]}))) == {arc.ids["budget_tra"]}


def test_hits_carry_the_contract_fields(arc: Archive) -> None:
    hit, = [h for h in arc.search("依申请公开", CLERK).hits if h.record_id == arc.ids["notice"]]
    assert hit.best_page == 2
    assert hit.index_no.startswith("003226443/2021-") and hit.doc_no == "临政办〔2021〕13号"
    assert hit.issuer == "临川县人民政府办公室" and hit.date == "2021-03-05" and hit.validity == "现行有效"
    assert hit.status == "released" and hit.files == [] and hit.score > 0
    assert [hit.snippet[s:e] for s, e in hit.highlights] == ["依申请公开"]


def test_find_in_pages_gives_offsets_in_the_page_text(arc: Archive) -> None:
    found = arc.find_in_pages(arc.ids["notice"], "政府信息公开", CLERK)
    assert [(p, NOTICE_P1[s:e] if p == 1 else NOTICE_P2[s:e]) for p, s, e in found] == [
        (1, "政府信息公开"), (2, "政府信息公开")]
    ocr = arc.pages(arc.ids["ocr"], STAFF)[0]["text"]
    (page, s, e), = arc.find_in_pages(arc.ids["ocr"], "饮水", STAFF)
    assert ocr[s:e] == "饮 水"


# -- scope ---------------------------------------------------------------------------------------------------------

def test_counter_scope_never_returns_unreleased_records(arc: Archive) -> None:
    hidden = {arc.ids["pending"], arc.ids["withheld"]}
    shapes = ["", "最低生活保障", "最低", "低保", "保", "公示", "名单", "审计", "政府信息公开", "预算", "zdshbz",
              "zuidishenghuobaozhang", "临民〔2021〕5号", "临民[2021]5号", "临审(2021)9号", "no:临民〔2021〕5号",
              "文号:临审", "机构:民政局", "org:审计局", "标题:最低生活保障", "title:审计", "类:公告", "type:报告",
              "年:2021", "year:2021..2021", "-通知", "-烟花 -预算", '"最低生活保障对象名单"', "张某某", "身份证号"]
    for r in (arc.get_record(i, STAFF) for i in hidden):
        shapes += [r["index_no"], r["index_no"].lower(), r["index_no"].split("-")[0], f"索引号:{r['index_no']}"]
    for text in shapes:
        for sort in ("relevance", "date"):
            result = arc.search(text, CLERK, sort=sort, limit=100)
            assert not hidden & set(ids_of(result)), text
            assert all(h.status == "released" for h in result.hits)
            assert result.total == len(result.hits) or result.total > len(result.hits) >= 100
    counts = arc.search("", CLERK).facets
    assert "临川县民政局" not in dict(counts["issuer"]) and "临川县审计局" not in dict(counts["issuer"])
    assert hidden <= set(ids_of(arc.search("最低生活保障", STAFF)))
    assert arc.find_in_pages(arc.ids["notice"], "政府", CLERK)
    with pytest.raises(Exception):
        arc.find_in_pages(arc.ids["pending"], "最低", CLERK)


# -- keeping the index in step ---------------------------------------------------------------------------------------

@pytest.fixture
def small(archive: Archive) -> Archive:
    add(archive, {"title": "关于春季农业生产的通知", "issuer": "临川县农业农村局", "created_date": "2023-03-01"},
        ["做好春耕备耕工作。"])
    archive.sync_index()
    return archive


def test_of_two_like_matches_the_rule_in_force_comes_first(small: Archive) -> None:
    """A repealed notice and the one that replaced it match alike: the visitor wants today's rule first."""
    old = add(small, {"title": "关于城区禁止燃放烟花爆竹的通告", "created_date": "2018-01-08", "validity": "已废止"},
              ["城区禁止燃放烟花爆竹。"])
    new = add(small, {"title": "关于调整城区烟花爆竹燃放管理的通告", "created_date": "2023-12-20", "validity": "现行有效"},
              ["城区烟花爆竹燃放实行限时限区管理。"])
    hits = small.search("烟花爆竹", CLERK).hits
    assert [h.record_id for h in hits] == [new, old] and hits[1].repealed
    assert ids_of(small.search("禁止燃放烟花爆竹", CLERK)) == [old]  # asked for the old one: it is found alone


def test_a_phrase_misread_by_ocr_is_found_approximately_and_said_so(small: Archive) -> None:
    """The visitor remembers 「政策解读工作」; OCR read the scan as 「政策解渎工作」. Nothing matches exactly, so the
    search matches the phrase's bigrams, all but those one misread character spoils, and tells the clerk."""
    misread = add(small, {"title": "关于加强政务公开的通知", "created_date": "2021-04-16"},
                  ["进一步做好政策解渎工作，提高回应关切的质量。"])
    result = small.search("政策解读工作", CLERK)
    assert ids_of(result) == [misread] and "近似匹配" in (result.message or "")
    assert "政策" in result.hits[0].snippet and result.hits[0].highlights
    assert not small.search("政策解读工作", CLERK, filters={"year": ["2020"]}).hits  # filters still apply
    assert not small.search("量子纠缠理论研究", CLERK).hits  # unrelated words do not match by chance
    assert ids_of(small.search("解读工作", CLERK)) == []  # three bigrams: too short to guess at


def test_edits_deletes_and_review_decisions_reach_the_index(small: Archive) -> None:
    rid = ids_of(small.search("春耕", STAFF))[0]
    small.update_record(rid, {"title": "关于秋季农业生产的通知"}, STAFF)
    assert ids_of(small.search("秋季农业", STAFF)) == [rid] and not small.search("春季农业", STAFF).hits
    with small.db.conn:
        small.db.execute("UPDATE records SET status = 'withheld' WHERE id = ?", [rid])
    assert not small.search("秋季", CLERK).hits
    with small.db.conn:
        small.db.execute("UPDATE records SET status = 'released' WHERE id = ?", [rid])
    assert ids_of(small.search("秋季", CLERK)) == [rid]
    with small.db.conn:
        small.db.execute("DELETE FROM pages WHERE record_id = ?", [rid])
        small.db.execute("DELETE FROM records WHERE id = ?", [rid])
    assert not small.search("秋季", STAFF).hits
    assert small.db.execute("SELECT count(*) FROM index_queue").fetchone()[0] == 0
    assert [p for p in checks.run_all(small) if p.area == "索引"] == []


HOLD_WRITER = """
import sys
from pathlib import Path
from archive_tui.search import indexer
writer = indexer.open_index(Path(sys.argv[1])).writer(15_000_000, 1)
print("holding", flush=True)
sys.stdin.read()
"""


def test_busy_writer_lock_leaves_the_queue_and_scope_still_holds(small: Archive, monkeypatch) -> None:
    monkeypatch.setattr(indexer, "LOCK_WAIT_S", 0.1)
    rid = ids_of(small.search("春耕", STAFF))[0]
    with small.db.conn:
        small.db.execute("UPDATE records SET status = 'released' WHERE id = ?", [rid])
    assert ids_of(small.search("春耕", CLERK)) == [rid]
    holder = subprocess.Popen(  # another process's writer holds the index lock until its stdin closes
        [sys.executable, "-c", HOLD_WRITER, str(small.index_dir)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
    try:
        with small.db.conn:
            small.db.execute("UPDATE records SET status = 'withheld' WHERE id = ?", [rid])
        assert small.sync_index() == 0
        assert small.db.execute("SELECT count(*) FROM index_queue").fetchone()[0] == 1
        result = small.search("春耕", CLERK)  # the index still says released; SQLite says no
        assert result.hits == [] and result.total == 0
    finally:
        holder.communicate("")
    assert small.sync_index() == 1
    assert not small.search("春耕", CLERK).hits


def test_rebuild_in_a_separate_process_with_progress(small: Archive) -> None:
    for n in range(30):
        add(small, {"title": f"关于第{n}批项目的批复", "created_date": "2022-05-01"}, [f"项目编号{n}的批复内容。"])
    seen = []
    assert small.reindex(lambda done, total: seen.append((done, total))) == 31
    assert seen[-1] == (31, 31)
    assert small.db.execute("SELECT count(*) FROM index_queue").fetchone()[0] == 0
    assert small.search("批复", STAFF).total == 30
    assert [p for p in checks.run_all(small) if p.area == "索引"] == []


def test_check_reports_an_index_out_of_step(small: Archive) -> None:
    writer = indexer.open_index(small.index_dir).writer(15_000_000, 1)
    writer.delete_documents_by_term("id", ids_of(small.search("春耕", STAFF))[0])
    writer.add_document(schema.to_tantivy({"id": 9999, "status": "released", "title": "幽灵 灵记 记录 录"}))
    writer.commit()
    writer.wait_merging_threads()
    problems = [p.message for p in checks.run_all(small) if p.area == "索引"]
    assert any("不在检索索引中" in m for m in problems) and any("9999" in m for m in problems)


def test_a_missing_index_is_built_by_the_first_search(small: Archive) -> None:
    import shutil

    small.search_service = None  # type: ignore[attr-defined]
    shutil.rmtree(small.index_dir)
    fresh = Archive.open(small.root)
    try:
        assert fresh.search("春耕", STAFF).total == 1
    finally:
        fresh.close()


# -- CLI -----------------------------------------------------------------------------------------------------------

def test_cli_search_scope_json_and_reindex(small: Archive) -> None:
    with small.db.conn:
        small.db.execute("UPDATE records SET status = 'pending'")
    root = str(small.root)
    runner = CliRunner()
    counter = runner.invoke(main, ["--archive", root, "search", "春耕"])
    assert counter.exit_code == 0 and "共 0 条" in counter.output
    staff = runner.invoke(main, ["--archive", root, "search", "--all", "--json", "春耕"])
    data = json.loads(staff.output)
    assert staff.exit_code == 0 and data["total"] == 1 and data["hits"][0]["title"] == "关于春季农业生产的通知"
    assert data["hits"][0]["best_page"] == 1 and data["facets"]["year"] == [["2023", 1]]
    dated = runner.invoke(main, ["--archive", root, "search", "--all", "--sort", "date", "--limit", "5", "农业"])
    assert dated.exit_code == 0 and "关于春季农业生产的通知" in dated.output and "[待审核]" in dated.output
    bad = runner.invoke(main, ["--archive", root, "search", '"春耕'])
    assert bad.exit_code == 0 and "引号" in bad.output
    rebuilt = runner.invoke(main, ["--archive", root, "reindex"])
    assert rebuilt.exit_code == 0 and "1 条记录" in rebuilt.output


def test_query_parser_builds_field_queries() -> None:
    parsed = query.parse('标题:预算 -年报 "政府 信息" 年:2019..2021')
    assert (parsed.positives, len(parsed.must_not), parsed.any_word) == (3, 1, False)
    assert parsed.highlight == ["预算", "政府信息"]
    assert query.parse("").empty and query.parse("").message is None
