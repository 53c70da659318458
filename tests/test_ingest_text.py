"""Ingest without OCR: text cleaning, script of a text, suggestions, every electronic format, sniffing."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from PIL import Image

from archive_tui.ingest import script, suggest, walk
from archive_tui.ingest.formats import docx as docx_format
from archive_tui.ingest.formats import html, image, ofd, pdf, sniff, txt
from archive_tui.ingest.model import Rejected
from archive_tui.ingest.text import fix_ocr_punctuation, join_cjk

from ingest_fixtures import docx, encrypted_pdf, ofd as make_ofd, text_pdf

OFFICIAL = """临川县人民政府办公室文件
临政办[2021]13号
关于做好二〇二一年春季农业生产工作
的通知
各乡镇人民政府，县直各单位：
为切实做好今年春季农业生产工作，根据国发〔2018〕43号文件精神，现将有关事项通知如下。
临川县人民政府办公室
二〇二一年三月五日
"""


def pages(reader, path: Path) -> list[str]:
    return [p.text for p in reader(path)]


# -- text cleaning ---------------------------------------------------------------------------------------------

def test_spaces_between_chinese_characters_are_removed_but_latin_words_keep_theirs():
    assert join_cjk("临 川 县 人 民 政 府 ， 关 于 《 通 知 》") == "临川县人民政府，关于《通知》"
    assert join_cjk("临政办 〔 2021 〕 13 号 and the OCR engine") == "临政办〔2021〕13号and the OCR engine"


def test_ocr_punctuation_becomes_full_width_and_doc_number_brackets_canonical():
    assert fix_ocr_punctuation("各单位 : 现将 , 通知") == "各单位：现将，通知"
    assert fix_ocr_punctuation("临政办【2021]13号") == "临政办〔2021〕13号"
    assert fix_ocr_punctuation("version 2.1, final: yes") == "version 2.1, final: yes"


def test_script_of_text():
    assert script.of_text("臨川縣人民政府關於加強檔案管理的通知") == "chi_tra"
    assert script.of_text("临川县人民政府关于加强档案管理的通知") == "chi_sim"


# -- suggestions -----------------------------------------------------------------------------------------------

def test_suggestions_from_an_official_document():
    got = suggest.suggest(OFFICIAL)
    assert got == {
        "title": "关于做好二〇二一年春季农业生产工作的通知",
        "genre": "通知",
        "doc_no": "临政办〔2021〕13号",
        "issuer": "临川县人民政府办公室",
        "created_date": "2021-03-05",
    }


def test_suggestions_repealed_and_header_issuer():
    text = "临川县财政局文件\n关于印发临川县专项资金管理办法的通知\n正文。\n（本文件已于2023年6月1日废止）"
    got = suggest.suggest(text)
    assert got["issuer"] == "临川县财政局"
    assert got["validity"] == "已废止" and got["repeal_date"] == "2023-06-01"
    assert got["genre"] == "通知"


def test_suggestions_of_empty_text():
    assert suggest.suggest("  \n ") == {}


# -- electronic formats ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "gb18030"])
def test_txt_encodings(tmp_path, encoding):
    path = tmp_path / "a.txt"
    path.write_bytes(OFFICIAL.encode(encoding))
    assert sniff(path) == "txt"
    assert pages(txt.read, path) == [OFFICIAL.strip()]


def test_txt_form_feed_splits_pages_and_binary_is_rejected(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("第一页\f第二页", encoding="utf-8")
    assert pages(txt.read, path) == ["第一页", "第二页"]
    junk = tmp_path / "junk.txt"
    junk.write_bytes(bytes(range(256)) * 20)
    with pytest.raises(Rejected):
        list(txt.read(junk))


def test_docx_paragraphs_tables_and_page_breaks(tmp_path):
    path = docx(tmp_path / "a.docx", ["关于开展档案检查的通知", "第一页正文", "第二页正文"], page_break_after=1)
    assert sniff(path) == "docx"
    assert pages(docx_format.read, path) == ["关于开展档案检查的通知\n第一页正文", "第二页正文"]


def test_html_with_declared_gbk_and_invisible_parts(tmp_path):
    path = tmp_path / "a.html"
    path.write_bytes(
        "<html><head><meta charset='gbk'><title>临川县政府网</title><script>var x='不要';</script></head>"
        "<body><p>关于公布的公告</p><div>正文第一行<br>第二行</div><style>p{}</style></body></html>".encode("gbk")
    )
    (text,) = pages(html.read, path)
    assert "临川县政府网" not in text
    assert "关于公布的公告" in text and "正文第一行\n第二行" in text
    assert "不要" not in text and "p{}" not in text


def test_ofd_pages_in_order_with_lines_by_position(tmp_path):
    path = make_ofd(tmp_path / "a.ofd", [["临川县财政局", "关于下达资金的通知"], ["第二页文字"]])
    assert sniff(path) == "ofd"
    assert pages(ofd.read, path) == ["临川县财政局\n关于下达资金的通知", "第二页文字"]


def test_ofd_without_document_is_rejected(tmp_path):
    path = tmp_path / "bad.ofd"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("OFD.xml", "<ofd:OFD xmlns:ofd='http://www.ofdspec.org/2016'><ofd:DocBody><ofd:DocRoot>"
                              "Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>")
    with pytest.raises(Rejected, match="缺少"):
        list(ofd.read(path))


def test_text_pdf_uses_the_text_layer_even_for_a_short_page(tmp_path):
    path = text_pdf(tmp_path / "a.pdf", [OFFICIAL, "第二页"])
    got = list(pdf.read(path))
    assert [p.image for p in got] == [None, None]
    assert "关于做好二〇二一年春季农业生产工作" in got[0].text and got[1].text == "第二页"


def test_encrypted_pdf_is_rejected(tmp_path):
    source = text_pdf(tmp_path / "a.pdf", [OFFICIAL])
    path = encrypted_pdf(tmp_path / "locked.pdf", source)
    with pytest.raises(Rejected, match="加密"):
        list(pdf.read(path))


def test_decompression_bomb_is_rejected(tmp_path):
    path = tmp_path / "bomb.png"
    Image.new("1", (12_000, 12_000)).save(path)
    with pytest.raises(Rejected, match="压缩炸弹"):
        list(image.read(path))


@pytest.mark.parametrize("name,content,message", [
    ("empty.pdf", b"", "空文件"),
    ("x.xyz", b"hello", "不支持"),
    ("fake.png", b"this is not a png at all", "不符"),
    ("broken.docx", b"PK\x03\x04garbage", "损坏"),
])
def test_sniff_rejects(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(Rejected, match=message):
        sniff(path)


# -- walking ---------------------------------------------------------------------------------------------------

def test_walk_reports_symlink_loops_dangling_links_and_missing_paths(tmp_path):
    root = tmp_path / "in"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "a.txt").write_text("甲", encoding="utf-8")
    (root / "sub" / "loop").symlink_to(root)
    (root / "self").symlink_to(root / "self")
    (root / "dangling.txt").symlink_to(root / "nowhere.txt")
    (root / ".hidden.txt").write_text("乙", encoding="utf-8")
    got = walk.plan([root, tmp_path / "missing"])
    assert [c.label for c in got.candidates] == [str(root / "sub" / "a.txt")]
    messages = " ".join(p.message for p in got.problems)
    assert "循环" in messages and "不存在文件的符号链接" in messages and "不存在" in messages
    assert len(got.problems) == 4


def test_suggestions_wrapped_title_joint_issuers_and_quoted_doc_numbers():
    text = ("臨川縣2023年城鎮老舊小區改造計劃項目公\n示\n根据临财〔2019〕36号文件精神，现予公示。\n"
            "临川县民政局\n临川县财政局\n2023年5月10日")
    got = suggest.suggest(text)
    assert got["title"] == "臨川縣2023年城鎮老舊小區改造計劃項目公示"
    assert got["issuer"] == "临川县民政局"
    assert "doc_no" not in got
    assert suggest.suggest("2023年临川县统计公报\n临川县统计局　2024年3月20日\n正文")["issuer"] == "临川县统计局"
    assert suggest.suggest("臨川縣人民政府關於加強管理的通知\n正文\n臨川縣人民政府\n2020年1月2日")["issuer"] == "临川县人民政府"
