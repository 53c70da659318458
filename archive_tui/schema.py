"""Validation against the JSON Schemas in ``schemas/`` (vocabularies are filled in from ``schemas/vocab``)."""

from __future__ import annotations

import copy
import json
from functools import cache

from jsonschema import Draft202012Validator

from .domain import vocab
from .errors import InvalidInput
from .fields import LABELS


@cache
def validator(name: str) -> Draft202012Validator:
    schema = json.loads((vocab.schemas_dir() / f"{name}.schema.json").read_text(encoding="utf-8"))
    schema = copy.deepcopy(schema)
    for prop in schema["properties"].values():
        if "x-vocab" in prop and prop["x-vocab"] != "subject":
            prop["enum"] = vocab.values(prop["x-vocab"]) + ([None] if "null" in prop.get("type", []) else [])
    return Draft202012Validator(schema)


def problems(name: str, document: dict) -> list[str]:
    """Chinese descriptions of everything wrong with ``document``; empty when it is valid."""
    messages = []
    for error in sorted(validator(name).iter_errors(document), key=lambda e: list(e.path)):
        field = error.path[0] if error.path else None
        label = LABELS.get(str(field), str(field)) if field is not None else "记录"
        value = error.instance
        if error.validator == "enum":
            messages.append(f"{label}「{value}」不在规定的取值中")
        elif error.validator == "pattern":
            messages.append(f"{label}「{value}」格式不正确")
        elif error.validator == "required":
            missing = error.message.split("'")[1] if "'" in error.message else error.message
            messages.append(f"缺少必填项「{LABELS.get(missing, missing)}」")
        elif error.validator == "additionalProperties":
            messages.append(f"有无法识别的栏目：{error.message}")
        else:
            messages.append(f"{label}：{error.message}")
    subject = document.get("subject")
    if subject and not vocab.allows("subject", subject):
        messages.append(f"主题分类「{subject}」不在国务院主题分类中")
    return messages


def check(name: str, document: dict) -> None:
    found = problems(name, document)
    if found:
        raise InvalidInput("；".join(found), f"{name} does not validate against schemas/{name}.schema.json")
