"""Domain rules: 文号 normal form, 索引号 generation and validation, dates, vocabularies."""

from __future__ import annotations

import datetime as dt

import pytest

from archive_tui.domain import dates, docno, indexno, vocab
from archive_tui.errors import InvalidInput


@pytest.mark.parametrize(
    "typed",
    ["临政办〔2021〕13号", "临政办[2021]13号", "临政办（2021）13号", "临政办(2021)13号", "临政办［2021］13号",
     "临政办【2021】13号", "临政办〔2021〕13 号", " 临政办 〔2021〕 013号", "临政办〔２０２１〕１３号", "临政办〔2021〕第13号"],
)
def test_doc_no_bracket_styles_share_one_normal_form(typed: str) -> None:
    assert docno.normalize(typed) == "临政办〔2021〕13号"


def test_traditional_doc_no_shares_the_normal_form() -> None:
    assert docno.normalize("臨僑函〔2020〕6號") == docno.normalize("临侨函（2020）6号") == "临侨函〔2020〕6号"
    assert [d.normal for d in docno.find_all("依據臨政辦[2021]13號文件")] == ["临政办〔2021〕13号"]


def test_doc_no_parts_and_orders_without_year() -> None:
    parsed = docno.parse("国发〔2018〕43号")
    assert (parsed.agency, parsed.year, parsed.serial) == ("国发", 2018, 43)
    assert docno.normalize("国务院令 第711号") == "国务院令第711号"


@pytest.mark.parametrize("text", ["", "   ", "关于做好政务公开工作的通知", "2021年13号", "临政办〔21〕13号"])
def test_not_a_doc_no(text: str) -> None:
    assert docno.normalize(text) is None


def test_find_doc_nos_in_ocr_text() -> None:
    text = "根据《江政办发[2020]21号》和临政〔2019〕5 号文件精神，现将……（江政办发〔2020〕21号）"
    assert [d.normal for d in docno.find_all(text)] == ["江政办发〔2020〕21号", "临政〔2019〕5号"]


@pytest.mark.parametrize("good", ["000014349/2018-00222", "003226443/201401-00001", "11341702486344515H/202110-00013",
                                  "００００１４３４９／２０１８－００２２２"])
def test_index_no_valid(good: str) -> None:
    assert indexno.is_valid(good)
    assert indexno.validate(good) == indexno.normalize(good)


@pytest.mark.parametrize("bad", ["000014349-2018-00222", "000014349/201813-00001", "000014349/2018-1", "abc", ""])
def test_index_no_invalid(bad: str) -> None:
    assert not indexno.is_valid(bad)
    with pytest.raises(InvalidInput, match="索引号"):
        indexno.validate(bad)


def test_index_no_style_formats() -> None:
    style = indexno.IndexNoStyle(org_code="003226443", period="month")
    prefix = style.prefix(None, dt.date(2014, 1, 9))
    assert style.format(prefix, 1) == "003226443/201401-00001"
    year = indexno.IndexNoStyle(org_code="000014349")
    assert year.format(year.prefix("11341702486344515H", dt.date(2021, 10, 1)), 13) == "11341702486344515H/2021-00013"


@pytest.mark.parametrize(
    "text,iso",
    [("2021-03-05", "2021-03-05"), ("2021/3/5", "2021-03-05"), ("2021.3.5", "2021-03-05"),
     ("2021年3月5日", "2021-03-05"), ("二〇二一年三月五日", "2021-03-05"), ("二〇一九年十二月二十一日", "2019-12-21"),
     ("二〇二〇年十月十日", "2020-10-10")],
)
def test_dates(text: str, iso: str) -> None:
    assert dates.parse(text) == iso


@pytest.mark.parametrize("bad", ["2021-02-30", "明天", "2021-13-01"])
def test_bad_dates(bad: str) -> None:
    with pytest.raises(InvalidInput, match="日期"):
        dates.parse(bad)


def test_vocabularies() -> None:
    subjects = vocab.values("subject")
    assert len(subjects) == 22 and subjects[0] == "国务院组织机构" and subjects[-1] == "其他"
    assert vocab.allows("subject", "综合政务/政务公开")
    assert not vocab.allows("subject", "政务公开")
    assert {"通知", "公告", "意见", "批复", "函", "纪要"} <= set(vocab.values("genre"))
    assert vocab.values("disclosure") == ["主动公开", "依申请公开", "不予公开"]
    assert vocab.values("validity") == ["现行有效", "已修改", "已废止"]
    assert "政策解读" in vocab.values("category")
