"""A small, deterministic reading-room archive for the counter's tests: released records with page texts and a
drawn page image, one withheld record that must never show, one repealed (已废止) record."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw

from archive_tui import Archive, system_actor
from archive_tui.storage import put_bytes

RECORDS = [
    {
        "fields": {"title": "临川县人民政府关于印发城乡居民医疗保险实施办法的通知", "doc_no": "临府发〔2021〕3号",
                   "issuer": "临川县人民政府", "created_date": "2021-03-05", "subject": "卫生、体育",
                   "genre": "通知", "validity": "现行有效", "page_count": 2, "loc_room": "一号库房",
                   "loc_shelf": "3", "loc_layer": "2", "loc_box": "12", "loc_item": "5",
                   "summary": "城乡居民医疗保险的参保、缴费和待遇。"},
        "pages": ["第一条 为了规范城乡居民医疗保险工作，制定本办法。\n第二条 本县户籍居民均可参加医疗保险。",
                  "第十条 医疗保险费按年度缴纳。\n第十一条 本办法自发布之日起施行，由县医疗保障局负责解释。"],
        "image": True,
    },
    {
        "fields": {"title": "关于公布临川县政务服务事项清单的通知", "doc_no": "临政办〔2020〕15号",
                   "issuer": "临川县人民政府办公室", "created_date": "2020-07-01", "subject": "综合政务",
                   "genre": "通知", "validity": "已废止", "repeal_date": "2022-01-01", "page_count": 1,
                   "loc_room": "一号库房", "loc_shelf": "1", "loc_layer": "1", "loc_box": "3", "loc_item": "1"},
        "pages": ["政务服务事项清单共计四百二十项，其中医疗保险经办事项十二项。"],
    },
    {
        "fields": {"title": "临川县农村危房改造补助资金管理办法", "doc_no": "临财发〔2019〕8号",
                   "issuer": "临川县财政局", "created_date": "2019-11-20", "subject": "城乡建设、环境保护",
                   "genre": "办法", "validity": "已修改", "page_count": 1},
        "pages": ["农村危房改造补助资金实行专账管理，专款专用。"],
    },
]
WITHHELD = {"title": "临川县医疗保险基金内部审计底稿", "doc_no": "临审〔2021〕1号", "issuer": "临川县审计局",
            "created_date": "2021-06-01"}


def page_png(lines: list[str]) -> bytes:
    """A drawn A4-proportioned page: dark text bars on white, deterministic."""
    picture = Image.new("RGB", (210, 297), "white")
    draw = ImageDraw.Draw(picture)
    draw.rectangle((20, 20, 190, 34), fill=(200, 30, 30))
    for row, line in enumerate(lines):
        draw.rectangle((20, 50 + 14 * row, 20 + min(170, 6 * len(line)), 58 + 14 * row), fill="black")
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return buffer.getvalue()


def build(root: Path) -> Archive:
    """Create the archive at ``root`` (released records get index numbers in a fixed order)."""
    archive = Archive.create(root, org_code="003226443")
    staff = system_actor("测试档案员")
    for spec in RECORDS:
        record_id = archive.add_record(spec["fields"], staff)
        for number, text in enumerate(spec["pages"], 1):
            image_path = None
            if spec.get("image"):
                _, image_path, _ = put_bytes(archive.store_dir, page_png(text.split("\n")), ".png")
            archive.db["pages"].insert({"record_id": record_id, "page_no": number, "text": text,
                                        "image_path": image_path})
        archive.db["records"].update(record_id, {"status": "released"})
    hidden = archive.add_record(WITHHELD, staff)
    archive.db["pages"].insert({"record_id": hidden, "page_no": 1, "text": "医疗保险基金审计的内部意见"})
    archive.db["records"].update(hidden, {"status": "withheld"})
    if hasattr(archive, "sync_index"):
        archive.sync_index()
    return archive
