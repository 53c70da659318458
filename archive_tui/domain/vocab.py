"""Controlled vocabularies, kept as data files in ``schemas/vocab/``."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path


def schemas_dir() -> Path:
    """``schemas/`` of the source tree, or its copy packed into an installed wheel."""
    packed = resources.files("archive_tui") / "_schemas"
    if packed.is_dir():
        return Path(str(packed))
    return Path(__file__).resolve().parents[2] / "schemas"


@cache
def load(name: str) -> dict:
    return json.loads((schemas_dir() / "vocab" / f"{name}.json").read_text(encoding="utf-8"))


def values(name: str) -> list[str]:
    return list(load(name)["values"])


def allows(name: str, value: str) -> bool:
    """A value is allowed when it is in the list; 主题分类 may add ``/second-level``."""
    if name == "subject":
        value = value.split("/", 1)[0]
    return value in load(name)["values"]
