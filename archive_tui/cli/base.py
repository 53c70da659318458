"""The command group, its options, and the one place where errors become a clear Chinese line."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from ..access import Actor, Role, counter_actor, system_actor
from ..archive import Archive, default_dir
from ..errors import ArchiveError, PermissionDenied

PASSWORD_ENV = "ARCHIVE_TUI_PASSWORD"


class ArchiveGroup(click.Group):
    """Turns core errors into one Chinese line plus the English detail, and a non-zero exit code."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ArchiveError as exc:
            _fail(f"错误：{exc.message}", exc.detail, 1)
        except (click.exceptions.Exit, click.ClickException, click.Abort, KeyboardInterrupt):
            raise
        except OSError as exc:
            _fail(f"错误：文件读写失败：{exc.strerror or exc}", repr(exc), 1)
        except Exception as exc:  # last resort: never show a traceback to the user
            if os.environ.get("ARCHIVE_TUI_DEBUG"):
                raise
            _fail("内部错误，请联系维护人员（设置 ARCHIVE_TUI_DEBUG=1 可看到详细信息）", repr(exc), 2)


def _fail(message: str, detail: str, code: int) -> None:
    click.echo(message, err=True)
    if detail:
        click.echo(f"  detail: {detail}", err=True)
    sys.exit(code)


class State:
    """What the group's options resolved to; commands get it through ``@pass_state``."""

    def __init__(self, archive_dir: Path, user: str | None) -> None:
        self.archive_dir = archive_dir
        self.user = user
        self._archive: Archive | None = None
        self._actor: Actor | None = None

    @property
    def archive(self) -> Archive:
        if self._archive is None:
            self._archive = Archive.open(self.archive_dir)
        return self._archive

    def staff_actor(self) -> Actor:
        """The operator for commands that work behind the counter: the system actor until the archive has
        operators, then the operator named by ``--user`` after a password check (see :meth:`logged_in`)."""
        return self.logged_in() or system_actor(self.user or "system")

    def counter_actor(self) -> Actor:
        """Counter scope (released records only), for the logged-in operator once operators exist."""
        actor = self.logged_in()
        if actor is None:
            return counter_actor(self.user or "窗口")
        actor.require(Role.CLERK)
        return Actor(actor.name, frozenset({Role.CLERK}), actor.operator_id)

    def logged_in(self) -> Actor | None:
        """The operator after login (password from ``$ARCHIVE_TUI_PASSWORD`` or a hidden prompt); None while the
        archive has no operators yet."""
        if self._actor is None and self.archive.has_operators():
            if not self.user:
                raise PermissionDenied(
                    "本档案库已设置操作员，请用 --user 用户名 登录（密码从提示输入或 $ARCHIVE_TUI_PASSWORD）",
                    "login required: pass --user",
                )
            password = os.environ.get(PASSWORD_ENV)
            if password is None:
                password = click.prompt(f"操作员「{self.user}」的密码", hide_input=True, err=True)
            self._actor = self.archive.login(self.user, password)
        return self._actor

    def app_actor(self) -> Actor:
        """Who the terminal app starts as: with operators, nobody until its login screen succeeds."""
        return Actor("未登录") if self.archive.has_operators() else system_actor(self.user or "system")


pass_state = click.make_pass_decorator(State)


@click.group(cls=ArchiveGroup, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--archive", "archive_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="档案库文件夹（默认：$ARCHIVE_TUI_ARCHIVE，或本机数据目录）",
)
@click.option("--user", default=None, help="操作员用户名")
@click.version_option(package_name="archive-tui")
@click.pass_context
def main(ctx: click.Context, archive_dir: Path | None, user: str | None) -> None:
    """政府信息查阅点档案库。不带子命令时打开终端界面。"""
    state = State(archive_dir or default_dir(), user)
    ctx.obj = state
    ctx.call_on_close(lambda: state._archive and state._archive.close())
    if ctx.invoked_subcommand is None:
        from ..tui.app import run

        run(state.archive, state.app_actor())
