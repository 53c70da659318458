"""The vocabularies of the request register: applicant types, channels and the outcomes of table 3.

Outcome codes are stable keys: ``1`` 予以公开, ``2`` 部分公开, ``3.1``…``3.8`` the reasons for 不予公开,
``4.1``…``4.3`` 无法提供, ``5.1``…``5.5`` 不予处理, ``6.1``…``6.3`` 其他处理 (as in the 2021 report template).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from ..domain import vocab
from ..errors import InvalidInput

NATURAL_PERSON = "自然人"
LEGAL_GROUP = "法人或其他组织"


@dataclass(frozen=True)
class Outcome:
    code: str
    group_code: str
    group_label: str  # e.g. "（三）不予公开"
    reason: str | None  # e.g. "属于国家秘密"; None for 予以公开 / 部分公开
    row_label: str  # label of the row in table 3, e.g. "1.属于国家秘密"

    @property
    def short(self) -> str:
        """A one-line Chinese name, e.g. "不予公开：属于国家秘密"."""
        group = self.group_label.split("）", 1)[1].split("（", 1)[0]
        return f"{group}：{self.reason}" if self.reason else group


def applicant_types() -> list[str]:
    return vocab.values("request_applicant_type")


def legal_types() -> list[str]:
    return list(vocab.load("request_applicant_type")["groups"][LEGAL_GROUP])


def channels() -> list[str]:
    return vocab.values("request_channel")


@cache
def groups() -> list[dict]:
    return list(vocab.load("request_outcome")["groups"])


@cache
def outcomes() -> dict[str, Outcome]:
    """Every outcome a request can be closed with, by code, in the order of table 3."""
    found: dict[str, Outcome] = {}
    for group in groups():
        if not group["reasons"]:
            found[group["code"]] = Outcome(group["code"], group["code"], group["label"], None, group["label"])
        for n, reason in enumerate(group["reasons"], 1):
            code = f"{group['code']}.{n}"
            found[code] = Outcome(code, group["code"], group["label"], reason, f"{n}.{reason}")
    return found


def outcome(code: str) -> Outcome:
    try:
        return outcomes()[code]
    except KeyError:
        listed = "，".join(f"{o.code} {o.short}" for o in outcomes().values())
        raise InvalidInput(f"办理结果代码「{code}」不存在；可选：{listed}", f"unknown outcome code {code!r}") from None


def check_applicant_type(value: str) -> str:
    value = (value or "").strip()
    if value not in applicant_types():
        raise InvalidInput(
            f"申请人类型「{value}」不对；应为：{'、'.join(applicant_types())}", f"bad applicant type {value!r}"
        )
    return value


def check_channel(value: str) -> str:
    value = (value or "").strip()
    if value not in channels():
        raise InvalidInput(f"申请方式「{value}」不对；应为：{'、'.join(channels())}", f"bad channel {value!r}")
    return value
