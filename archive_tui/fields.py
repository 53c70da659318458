"""The catalogue fields users edit, with their Chinese labels and controlled vocabularies.

One list serves the manifest header mapping, the editor form, exports and the record screen.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: str = "text"  # text | date | int | docno | indexno | longtext
    vocab: str | None = None  # name of a file in schemas/vocab/
    suggestable: bool = False  # may be suggested from the document text by ingest


CATALOGUE_FIELDS: tuple[Field, ...] = (
    Field("index_no", "索引号", "indexno"),
    Field("title", "信息名称", suggestable=True),
    Field("doc_no", "文号", "docno", suggestable=True),
    Field("issuer", "发布机构", suggestable=True),
    Field("created_date", "成文日期", "date", suggestable=True),
    Field("published_date", "发布日期", "date"),
    Field("subject", "主题分类", vocab="subject"),
    Field("genre", "体裁分类", vocab="genre", suggestable=True),
    Field("category", "信息分类", vocab="category"),
    Field("keywords", "主题词"),
    Field("summary", "内容概述", "longtext"),
    Field("disclosure", "公开属性", vocab="disclosure"),
    Field("disclosure_reason", "不予公开理由"),
    Field("disclosure_channel", "公开方式", vocab="disclosure_channel"),
    Field("disclosure_term", "公开时限", vocab="disclosure_term"),
    Field("validity", "时效性", vocab="validity", suggestable=True),
    Field("effective_date", "生效日期", "date"),
    Field("repeal_date", "废止日期", "date", suggestable=True),
    Field("department", "责任部门"),
    Field("carrier", "载体", vocab="carrier"),
    Field("page_count", "页数", "int"),
    Field("loc_room", "库房"),
    Field("loc_shelf", "架"),
    Field("loc_layer", "层"),
    Field("loc_box", "盒号"),
    Field("loc_item", "件号"),
)

BY_NAME = {f.name: f for f in CATALOGUE_FIELDS}
LABELS = {f.name: f.label for f in CATALOGUE_FIELDS} | {
    "id": "编号",
    "status": "审核状态",
    "status_reason": "审核理由",
    "status_note": "审核备注",
    "created_at": "入库时间",
    "updated_at": "修改时间",
    "created_by": "入库人",
    "updated_by": "修改人",
    "reviewed_by": "审核人",
    "files": "文件",
}
#: Header cell (Chinese label or English field name) → field name, for manifests and imports.
HEADER_TO_FIELD = {label: name for name, label in LABELS.items()} | {name: name for name in LABELS} | {
    "成文日期": "created_date",
    "生成日期": "created_date",
    "名称": "title",
    "发文字号": "doc_no",
    "发文机关": "issuer",
    "公开形式": "disclosure",
    "有效性": "validity",
}
LOCATION_FIELDS = ("loc_room", "loc_shelf", "loc_layer", "loc_box", "loc_item")


def location_text(record: dict) -> str:
    """``一号库房 3架 2层 12盒 5件`` — the paper original's place, as the clerk reads it aloud."""
    parts = [
        (record.get("loc_room") or "", ""),
        (record.get("loc_shelf") or "", "架"),
        (record.get("loc_layer") or "", "层"),
        (record.get("loc_box") or "", "盒"),
        (record.get("loc_item") or "", "件"),
    ]
    return " ".join(f"{v}{unit}" if not str(v).endswith(unit) else str(v) for v, unit in parts if v) or "未登记"
