"""``archive-tui review``: queue, findings in context, separation of duties, reasons, through real logins."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from archive_tui import Archive, operators
from archive_tui.access import Role
from archive_tui.cli import main

ID_NUMBER = "11010519491231002X"


def _setup(tmp_path: Path) -> tuple[str, dict[str, int]]:
    path = tmp_path / "a"
    archive = Archive.create(path, org_code="003226443")
    admin = archive.init_admin("admin", "admin-pass-1")
    with archive.db.conn:
        operators.add(archive.db, "li", "li-pass-123", frozenset({Role.ARCHIVIST}), admin)
        operators.add(archive.db, "wang", "wang-pass-1", frozenset({Role.ARCHIVIST, Role.REVIEWER}), admin)
    li, wang = archive.login("li", "li-pass-123"), archive.login("wang", "wang-pass-1")
    ids = {"pii": archive.add_record({"title": "低保对象审批表"}, li),
           "own": archive.add_record({"title": "自己录入的文件"}, wang)}
    archive.db["pages"].insert({"record_id": ids["pii"], "page_no": 2, "flagged": 0,
                                "text": f"申请人张三，身份证号{ID_NUMBER}，联系电话13800138000。"})
    archive.db.conn.commit()
    archive.close()
    return str(path), ids


def run(path: str, user: str, password: str, *args: str):
    return CliRunner().invoke(main, ["--archive", path, "--user", user, *args],
                              env={"ARCHIVE_TUI_PASSWORD": password})


def test_review_commands(tmp_path: Path) -> None:
    path, ids = _setup(tmp_path)
    wang = ("wang", "wang-pass-1")
    li = ("li", "li-pass-123")
    assert run(path, *li, "review", "ready", str(ids["pii"])).exit_code == 0
    r = run(path, *wang, "review", "list", "--json")
    queue = json.loads(r.output)
    assert [q["id"] for q in queue] == [ids["pii"], ids["own"]] and queue[0]["ready_at"]
    r = run(path, *wang, "review", "show", str(ids["pii"]))
    assert f"居民身份证号（第 2 页）：…申请人张三，身份证号【{ID_NUMBER}】" in r.output
    assert "手机号码（第 2 页）" in r.output
    r = run(path, *wang, "review", "release", str(ids["pii"]))
    assert r.exit_code == 1 and "个人信息" in r.output
    r = run(path, *wang, "review", "withhold", str(ids["pii"]), "--reason", "领导不同意", "--note", "x")
    assert r.exit_code == 2 and "个人隐私" in r.output  # click lists the allowed reasons
    r = run(path, *wang, "review", "withhold", str(ids["pii"]), "--reason", "个人隐私", "--note", "第2页身份证号")
    assert r.exit_code == 0 and "不予发布" in r.output
    r = run(path, *wang, "review", "release", str(ids["own"]))
    assert r.exit_code == 1 and "发布人、审核人分离" in r.output
    r = run(path, *li, "review", "release", str(ids["own"]))
    assert r.exit_code == 1 and "审核员权限" in r.output
    r = run(path, *wang, "review", "return", str(ids["own"]), "--note", "请补成文日期")
    assert r.exit_code == 0
    r = run(path, "admin", "admin-pass-1", "review", "release", str(ids["own"]), "--note", "核对无误")
    assert r.exit_code == 0 and "已发布" in r.output
    r = run(path, *wang, "audit", "verify")
    assert r.exit_code == 0 and "操作日志完整" in r.output
