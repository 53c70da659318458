"""The personal-data scan: checksums, dates, Luhn, addresses, and what it must ignore."""

from __future__ import annotations

import pytest

from archive_tui.pii import id_number_valid, luhn_valid, mask, scan

VALID_IDS = ["11010519491231002X", "361002198506151239", "350102199003077513"]


@pytest.mark.parametrize("number", VALID_IDS)
def test_valid_id_numbers_are_found_in_context(number: str) -> None:
    text = f"经审查，申请人李四（身份证号：{number}）符合条件。"
    found = scan(text, page_no=3)
    assert [(f.kind, f.value, f.page_no) for f in found] == [("id_card", number, 3)]
    f = found[0]
    assert text[f.start:f.end] == number
    assert f.context[f.context_start:f.context_start + len(number)] == number
    assert "身份证号" in f.context


def test_wrong_checksum_date_or_region_is_ignored() -> None:
    good = "11010519491231002X"
    wrong_check = good[:-1] + "3"
    bad_date = "110105194913310029"  # month 13
    bad_region = "99" + good[2:]
    born_1880 = "440524188001010014"  # the standard's own example: a check digit that fits, an impossible age
    assert id_number_valid(good) and not id_number_valid(born_1880)
    assert not any(map(id_number_valid, (wrong_check, bad_date, bad_region)))
    assert scan(f"编号{wrong_check}、{bad_date}、{bad_region}、临政办〔2021〕13号、文件编号202103050001000123") == []


def test_lowercase_x_and_embedded_numbers() -> None:
    assert [f.value for f in scan("身份证11010519491231002x。")] == ["11010519491231002X"]
    assert scan("流水号A11010519491231002X9") == []  # part of a longer code


def test_mobile_numbers_with_separators_but_not_landlines() -> None:
    found = scan("联系人手机 138-0013-8000，或 +86 139 1234 5678；办公电话 0794-8221234，邮编 344000。")
    assert [(f.kind, f.value) for f in found] == [("mobile", "13800138000"), ("mobile", "13912345678")]
    assert scan("批准文号 12345678901 的文件") == []  # 11 digits but not a mobile prefix


def test_bank_cards_need_luhn() -> None:
    card = "6212262201023557228"
    assert luhn_valid(card)
    wrong = card[:-1] + str((int(card[-1]) + 1) % 10)
    found = scan(f"补助资金打入其银行卡 {card[:4]} {card[4:8]} {card[8:12]} {card[12:16]} {card[16:]}，另一卡号{wrong}。")
    assert [(f.kind, f.value) for f in found] == [("bank_card", card)]


def test_addresses_of_individuals() -> None:
    found = scan("申请人王五，家住临川县城关镇解放路12号3栋。住所地不详。")
    assert [(f.kind, f.value) for f in found] == [("address", "临川县城关镇解放路12号3栋")]
    assert scan("会议地址：县政府三楼会议室") == []
    assert scan("住址：不详") == []


def test_mask() -> None:
    assert mask("11010519491231002X") == "1101**********002X"
    assert mask("13800138000") == "138*****000"
