"""Operator commands: ``archive-tui user init-admin|add|list|passwd|roles|lock|unlock``."""

from __future__ import annotations

import os

import click

from .. import operators
from .base import State, main, pass_state

NEW_PASSWORD_ENV = "ARCHIVE_TUI_NEW_PASSWORD"


def _new_password(prompt: str) -> str:
    """The new password from ``$ARCHIVE_TUI_NEW_PASSWORD`` (scripts) or a hidden prompt asked twice."""
    password = os.environ.get(NEW_PASSWORD_ENV)
    if password is None:
        password = click.prompt(prompt, hide_input=True, confirmation_prompt="再输入一次", err=True)
    return password


@main.group()
def user() -> None:
    """操作员与角色（管理员、档案员、审核员、窗口）。"""


@user.command("init-admin")
@click.argument("username", default="admin")
@click.option("--name", "display_name", help="显示的姓名")
@pass_state
def init_admin(state: State, username: str, display_name: str | None) -> None:
    """首次运行：创建第一个管理员（已有操作员时拒绝）。"""
    archive = state.archive
    archive.init_admin(username, _new_password(f"管理员「{username}」的新密码"), display_name)
    click.echo(f"已创建管理员「{username}」。此后修改数据的命令需加 --user {username} 登录。")


@user.command()
@click.argument("username")
@click.option("--roles", "roles", required=True, help="角色，逗号分隔：管理员,档案员,审核员,窗口（或 admin,archivist,reviewer,clerk）")
@click.option("--name", "display_name", help="显示的姓名")
@pass_state
def add(state: State, username: str, roles: str, display_name: str | None) -> None:
    """添加操作员（管理员权限）。"""
    actor = state.staff_actor()
    parsed = operators.parse_roles([roles])
    password = _new_password(f"操作员「{username}」的初始密码")
    with state.archive.db.conn:
        operators.add(state.archive.db, username, password, parsed, actor, display_name)
    click.echo(f"已添加操作员「{username}」（{operators.roles_label(parsed)}）")


@user.command("list")
@pass_state
def list_(state: State) -> None:
    """列出操作员（管理员权限）。"""
    for row in operators.listing(state.archive.db, state.staff_actor()):
        click.echo(f"{row['username']}  {row['display_name']}  {operators.roles_label(operators.roles_of(row))}"
                   f"  最近登录 {row['last_login'] or '—'}  {operators.state_label(row)}")


@user.command()
@click.argument("username", required=False)
@pass_state
def passwd(state: State, username: str | None) -> None:
    """修改密码（本人，或管理员为他人重设）。"""
    actor = state.staff_actor()
    username = username or actor.name
    password = _new_password(f"操作员「{username}」的新密码")
    with state.archive.db.conn:
        operators.set_password(state.archive.db, username, password, actor)
    click.echo(f"已修改操作员「{username}」的密码")


@user.command()
@click.argument("username")
@click.argument("roles")
@pass_state
def roles(state: State, username: str, roles: str) -> None:
    """设定操作员的角色，如：archive-tui user roles 王芳 档案员,审核员（管理员权限）。"""
    parsed = operators.parse_roles([roles])
    with state.archive.db.conn:
        operators.set_roles(state.archive.db, username, parsed, state.staff_actor())
    click.echo(f"操作员「{username}」的角色：{operators.roles_label(parsed)}")


@user.command()
@click.argument("username")
@pass_state
def lock(state: State, username: str) -> None:
    """锁定操作员，直到管理员解锁。"""
    with state.archive.db.conn:
        operators.lock(state.archive.db, username, state.staff_actor())
    click.echo(f"已锁定操作员「{username}」")


@user.command()
@click.argument("username")
@pass_state
def unlock(state: State, username: str) -> None:
    """解锁操作员（含密码错误次数过多导致的锁定）。"""
    with state.archive.db.conn:
        operators.unlock(state.archive.db, username, state.staff_actor())
    click.echo(f"已解锁操作员「{username}」")
