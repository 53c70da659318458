"""The generated ``sample_archive/``: manifest, review decisions and ground truth agree with the files on disk.

These tests read the shipped folder only (no ingest); the slow one regenerates it and compares bytes.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from archive_tui.fields import HEADER_TO_FIELD

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_archive"
TRUTH = SAMPLE / "truth"

pytestmark = pytest.mark.skipif(not (TRUTH / "index.json").is_file(), reason="sample_archive/ not generated")

def _manifest_columns() -> list[tuple[str, str]]:
    """(label, field) of the manifest's header, as the generator records them in truth/index.json."""
    if not (TRUTH / "index.json").is_file():
        return []
    index = json.loads((TRUTH / "index.json").read_text(encoding="utf-8"))
    return [(c["label"], c["field"]) for c in index["manifest_columns"]]


COLUMNS = _manifest_columns()
SUBJECTS = {
    "国务院组织机构", "综合政务", "国民经济管理、国有资产监管", "财政、金融、审计", "国土资源、能源",
    "农业、林业、水利", "工业、交通", "商贸、海关、旅游", "市场监管、安全生产监管", "城乡建设、环境保护",
    "科技、教育", "文化、广电、新闻出版", "卫生、体育", "人口与计划生育、妇女儿童工作", "劳动、人事、监察",
    "公安、安全、司法", "民政、扶贫、救灾", "民族、宗教", "对外事务", "港澳台侨工作", "国防", "其他",
}


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def id_number_ok(number: str) -> bool:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    if not re.fullmatch(r"\d{17}[\dX]", number):
        return False
    return "10X98765432"[sum(int(c) * w for c, w in zip(number, weights)) % 11] == number[-1]


def luhn_ok(number: str) -> bool:
    total = 0
    for i, c in enumerate(reversed(number)):
        d = int(c) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


@pytest.fixture(scope="module")
def truths() -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(TRUTH.glob("*.json")) if p.name != "index.json"]


@pytest.fixture(scope="module")
def manifest() -> list[dict[str, str]]:
    raw = (SAMPLE / "manifest.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "manifest.csv must carry a UTF-8 BOM for Excel"
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0] == [label for label, _ in COLUMNS]
    assert all(HEADER_TO_FIELD[label] == name for label, name in COLUMNS)  # ingest reads them as meant
    return [dict(zip([name for _, name in COLUMNS], row)) for row in rows[1:]]


def test_manifest_rows_point_at_existing_files_and_xlsx_matches(manifest: list[dict[str, str]]) -> None:
    from openpyxl import load_workbook

    for row in manifest:
        for rel in row["files"].split(";"):
            assert (SAMPLE / rel).is_file(), rel
        for name in ("created_date", "published_date", "effective_date", "repeal_date"):
            assert row[name] == "" or re.fullmatch(r"\d{4}-\d{2}-\d{2}", row[name]), (row["files"], name)
        assert row["subject"] == "" or row["subject"] in SUBJECTS
    sheet = load_workbook(SAMPLE / "manifest.xlsx", read_only=True).worksheets[0]
    cells = [["" if v is None else str(v) for v in r] for r in sheet.iter_rows(values_only=True)]
    assert cells[0] == [label for label, _ in COLUMNS]
    assert cells[1:] == [[row[name] for _, name in COLUMNS] for row in manifest]
    files_only = [r for r in manifest if not any(v for k, v in r.items() if k != "files")]
    assert 4 <= len(files_only) <= 6
    assert {"〔", "[", "（"} <= {c for r in manifest for c in r["doc_no"]}  # mixed bracket styles


def test_every_file_belongs_to_exactly_one_truth_record(truths: list[dict], manifest: list[dict]) -> None:
    on_disk = {p.relative_to(SAMPLE).as_posix() for p in (SAMPLE / "docs").rglob("*") if p.is_file()}
    in_truth = [f for t in truths for f in t["files"]]
    assert sorted(in_truth) == sorted(on_disk)
    assert len({Path(f).name for f in in_truth}) == len(in_truth)  # names are unique, not just paths
    listed = {f for r in manifest for f in r["files"].split(";")}
    unlisted = [t for t in truths if t["manifest"] == "absent"]
    assert 1 <= len(unlisted) <= 2 and not listed & {f for t in unlisted for f in t["files"]}
    index = json.loads((TRUTH / "index.json").read_text(encoding="utf-8"))
    assert sorted(d["id"] for d in index["documents"]) == sorted(t["id"] for t in truths)
    assert all((SAMPLE / d["truth"]).is_file() for d in index["documents"])


def test_truth_records_are_complete_and_agree_with_the_manifest(truths: list[dict], manifest: list[dict]) -> None:
    by_files = {r["files"]: r for r in manifest}
    for t in truths:
        assert t["id"] == Path(t["files"][0]).stem
        assert len(t["pages"]) == t["page_count"] == len(t["page_kinds"]) >= 1
        assert all(squash(p) for p in t["pages"]), t["id"]
        assert {name for _, name in COLUMNS if name != "files"} <= set(t["fields"])
        assert t["fields"]["title"] and t["fields"]["issuer"] and t["fields"]["index_no"]
        assert t["fields"]["subject"] in SUBJECTS
        assert t["script"] in ("sim", "tra")
        if t["manifest"] == "absent":
            assert t["manifest_row"] is None
        else:
            assert by_files[";".join(t["files"])] == t["manifest_row"]
        if t["scanned"]:
            assert t["dpi"] in (150, 300) and all(abs(a) <= 4 for a in t["rotation_deg"])
            assert t["fields"]["carrier"] == "纸质"


def test_review_decisions_and_personal_data(truths: list[dict]) -> None:
    with (SAMPLE / "review.csv").open(encoding="utf-8") as fh:
        review = {r["file"]: r for r in csv.DictReader(fh)}
    assert set(review) == {t["files"][0] for t in truths}
    decisions = [r["decision"] for r in review.values()]
    assert set(decisions) == {"released", "withheld", "pending"}
    assert decisions.count("withheld") == 1 and 1 <= decisions.count("pending") <= 2
    withheld = next(t for t in truths if t["review"]["decision"] == "withheld")
    assert "个人隐私" in review[withheld["files"][0]]["reason"]
    text = "".join(withheld["pages"])
    kinds = {p["kind"] for p in withheld["pii"]}
    assert kinds == {"id_card", "mobile", "bank_card"}
    for item in withheld["pii"]:
        assert item["value"] in text
        if item["kind"] == "id_card":
            assert id_number_ok(item["value"])
        elif item["kind"] == "bank_card":
            assert luhn_ok(item["value"])
        else:
            assert re.fullmatch(r"1[3-9]\d{9}", item["value"])
    decoys = [(t, d) for t in truths for d in t["pii_decoys"]]
    assert decoys
    for t, d in decoys:
        assert t["review"]["decision"] == "released" and d["value"] in "".join(t["pages"])
        assert re.fullmatch(r"\d{17}[\dX]", d["value"]) and not id_number_ok(d["value"])
    released_text = "".join(p for t in truths if t["review"]["decision"] == "released" for p in t["pages"])
    assert not re.search(r"(?<!\d)1[3-9]\d{9}(?!\d)", released_text)


def test_formats_scripts_and_lifecycle_are_all_covered(truths: list[dict]) -> None:
    formats = {t["format"] for t in truths}
    assert {"png", "jpeg", "tiff", "bmp", "pdf-text", "pdf-image", "pdf-mixed", "docx", "txt", "html",
            "ofd"} <= formats
    assert any(t["format"] == "png" and len(t["files"]) >= 4 for t in truths)
    assert any(t["format"] == "tiff" and t["page_count"] > 1 for t in truths)
    assert any(t["script"] == "tra" and t["scanned"] for t in truths)
    assert sum(t["degraded"] for t in truths) >= 2
    assert {t.get("encoding") for t in truths} >= {"utf-8", "gb18030", "utf-16 (BOM, little-endian)"}
    validity = {t["fields"]["validity"] for t in truths}
    assert {"现行有效", "已修改", "已废止"} <= validity
    repealed = next(t for t in truths if t["fields"]["validity"] == "已废止")
    assert repealed["fields"]["repeal_date"]


def test_text_layers_match_the_truth(truths: list[dict]) -> None:
    from pypdf import PdfReader

    for t in truths:
        path = SAMPLE / t["files"][0]
        if t["format"].startswith("pdf"):
            pages = PdfReader(path).pages
            assert len(pages) == t["page_count"]
            for page, text, kind in zip(pages, t["pages"], t["page_kinds"]):
                got = squash(page.extract_text() or "")
                assert got == (squash(text) if kind == "text" else ""), (t["id"], kind)
        elif t["format"] == "txt":
            raw = path.read_bytes()
            encoding = {"utf-16 (BOM, little-endian)": "utf-16"}.get(t["encoding"], t["encoding"])
            assert raw.startswith(b"\xff\xfe") == (encoding == "utf-16")
            assert raw.decode(encoding).replace("\r\n", "\n") == t["pages"][0]


def test_known_answer_queries_name_real_records(truths: list[dict]) -> None:
    index = json.loads((TRUTH / "index.json").read_text(encoding="utf-8"))
    status = {t["id"]: t["review"]["decision"] for t in truths}
    assert index["queries"]
    for q in index["queries"]:
        assert q["relevant"] and all(status[r] == "released" for r in q["relevant"])
        assert q["best"] in q["relevant"]
        assert all(status[r] != "released" for r in q["unreleased_matches"])


def test_sample_archive_is_small() -> None:
    total = sum(p.stat().st_size for p in SAMPLE.rglob("*") if p.is_file())
    assert total < 15 * 1024 * 1024


@pytest.mark.slow
@pytest.mark.xdist_group("sample-archive")
def test_regenerating_gives_the_same_bytes(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "make_sample_archive.py"), str(tmp_path)],
                          capture_output=True, text=True, timeout=1800)
    assert done.returncode == 0, done.stderr

    def digests(root: Path) -> dict[str, str]:
        return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in root.rglob("*") if p.is_file()}

    assert digests(tmp_path) == digests(SAMPLE)
