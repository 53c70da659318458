"""``archive-tui print``, ``printers`` and ``print-log`` through click's runner, against the private CUPS."""

from __future__ import annotations

import io

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from archive_tui.cli import main

from cups_fixtures import add_printable, cups, cups_server, font_cache  # noqa: F401  (fixtures)

#: Tests on the shared private scheduler run in one xdist worker, one after another.
CUPS = pytest.mark.xdist_group("cups")


def run(archive, *args: str, input: str | None = None):
    return CliRunner().invoke(main, ["--archive", str(archive.root), *args], input=input)


def test_print_to_file_shows_the_fee_first(archive, tmp_path):
    record_id = add_printable(archive, "text", 8)
    target = tmp_path / "cli.pdf"
    result = run(archive, "print", str(record_id), "--pages", "1-3,5", "--copies", "3", "--output", str(target),
                 input="y\n")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "第 1-3,5 页，共 4 页 × 3 份；费用 0.40 元（每页 0.20 元，每次前 10 页免费）" in lines[1]
    assert "确认打印并收费？" in result.output and "已输出到文件" in lines[-1]
    assert len(PdfReader(io.BytesIO(target.read_bytes())).pages) == 12
    log = run(archive, "print-log")
    assert "第1-3,5页×3份" in log.output and str(target) in log.output and "0.40 元" in log.output


def test_declining_the_fee_prints_nothing(archive, tmp_path):
    record_id = add_printable(archive, "text", 12)
    result = run(archive, "print", str(record_id), "--output", str(tmp_path / "no.pdf"), input="n\n")
    assert result.exit_code == 1 and "费用 0.40 元" in result.output
    assert not (tmp_path / "no.pdf").exists()
    assert archive.db.execute("SELECT count(*) FROM print_log").fetchone()[0] == 0


def test_free_print_by_index_number_needs_no_question(archive, staff, tmp_path):
    record_id = add_printable(archive, "scan", 2)
    index_no = archive.get_record(record_id, staff)["index_no"]
    result = run(archive, "print", index_no, "--output", str(tmp_path / "free.pdf"), "--cover")
    assert result.exit_code == 0, result.output
    assert "确认" not in result.output and "费用 0.00 元" in result.output


def test_errors_are_one_chinese_line(archive, tmp_path):
    record_id = add_printable(archive, "text", 3)
    pending = add_printable(archive, "text", 1, release=False)
    cases = [
        (["print", str(record_id), "--pages", "2-9", "--output", str(tmp_path / "a.pdf")], "该记录共 3 页"),
        (["print", str(pending), "--output", str(tmp_path / "a.pdf")], "找不到记录"),
        (["print", str(record_id)], "二者选一"),
    ]
    for args, message in cases:
        result = run(archive, *args)
        assert result.exit_code != 0 and message in result.output, result.output
    assert "Traceback" not in result.output


@CUPS
def test_printers_and_printing_through_cups(archive, cups):
    listing = run(archive, "printers")
    assert listing.exit_code == 0
    assert "archive_pdf\t就绪" in listing.output and "archive_paused\t已暂停" in listing.output
    assert "archive_rejecting\t拒绝新作业" in listing.output
    record_id = add_printable(archive, "pdf", 2)
    result = run(archive, "print", str(record_id), "--printer", "archive_pdf", "--copies", "2", "--duplex")
    assert result.exit_code == 0, result.output
    job_id = result.output.split("作业 ")[1].split("）")[0]
    pages = PdfReader(io.BytesIO(cups.wait_output("archive_pdf", job_id))).pages
    assert len(pages) == 4
    bad = run(archive, "print", str(record_id), "--printer", "archive_rejecting")
    assert bad.exit_code == 1 and "拒绝接收新作业" in bad.output


def test_printers_when_cups_is_down(archive, monkeypatch, tmp_path):
    monkeypatch.setenv("CUPS_SERVER", str(tmp_path / "none.sock"))
    result = run(archive, "printers")
    assert result.exit_code == 1 and "打印服务（CUPS）没有运行" in result.output
