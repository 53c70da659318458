"""The CUPS command-line clients (``lpstat``, ``lp``, ``cancel``) through subprocess.

The clients talk to whatever scheduler ``CUPS_SERVER`` (or the client configuration) names. They run with
``LC_ALL=C`` so that their replies can be parsed; every failure becomes a :class:`PrintError` with a Chinese
message and the client's own words as the detail.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ..errors import ArchiveError

TIMEOUT = 30
_JOB_ID = re.compile(r"request id is (\S+)")
_PRINTER_LINE = re.compile(r"^printer (\S+) (?:is |now )?(idle|printing|disabled)")
_ACCEPT_LINE = re.compile(r"^(\S+) (accepting|not accepting) requests")


class PrintError(ArchiveError):
    """The job could not be handed to the printer (CUPS down, unknown or stopped printer, job refused…)."""


@dataclass(frozen=True)
class Printer:
    name: str
    enabled: bool
    accepting: bool

    @property
    def status_text(self) -> str:
        if not self.accepting:
            return "拒绝新作业"
        return "就绪" if self.enabled else "已暂停"


def _run(args: list[str]) -> subprocess.CompletedProcess[str]:
    if shutil.which(args[0]) is None:
        raise PrintError(f"没有找到 CUPS 客户端程序 {args[0]}，请安装 cups-client", f"{args[0]} not on PATH")
    env = {**os.environ, "LC_ALL": "C", "LANG": "C"}
    try:
        return subprocess.run(args, capture_output=True, text=True, env=env, timeout=TIMEOUT, check=False)
    except subprocess.TimeoutExpired as exc:
        raise PrintError("打印服务（CUPS）没有响应", f"{' '.join(args)} timed out after {TIMEOUT}s") from exc


def scheduler_running() -> bool:
    result = _run(["lpstat", "-r"])
    return result.returncode == 0 and "scheduler is running" in result.stdout


def _require_scheduler() -> None:
    if not scheduler_running():
        raise PrintError("打印服务（CUPS）没有运行，请检查打印服务器后重试", "lpstat -r: scheduler is not running")


def list_printers() -> list[Printer]:
    """Every queue of the scheduler with its state. Raises PrintError when CUPS is not running."""
    _require_scheduler()
    states = _run(["lpstat", "-p"])
    accepts = _run(["lpstat", "-a"])
    enabled: dict[str, bool] = {}
    for line in states.stdout.splitlines():
        match = _PRINTER_LINE.match(line)
        if match:
            enabled[match.group(1)] = match.group(2) != "disabled"
    accepting = {m.group(1): m.group(2) == "accepting"
                 for m in map(_ACCEPT_LINE.match, accepts.stdout.splitlines()) if m}
    return [Printer(name, enabled[name], accepting.get(name, False)) for name in sorted(enabled)]


def printer_names() -> list[str]:
    return [p.name for p in list_printers()]


def submit(pdf: Path, printer: str, *, copies: int = 1, duplex: bool = False, title: str = "") -> str:
    """Hand ``pdf`` to the queue ``printer``; returns the CUPS job id (``queue-123``) once CUPS accepted it.

    A stopped (paused) queue is refused here, before submitting: CUPS would accept the job and hold it.
    """
    known = {p.name: p for p in list_printers()}
    queue = known.get(printer)
    if queue is None:
        names = "、".join(known) or "（没有）"
        raise PrintError(f"没有名为「{printer}」的打印机。可用的打印机：{names}", f"unknown CUPS queue {printer!r}")
    if not queue.accepting:
        raise PrintError(f"打印机「{printer}」拒绝接收新作业，请联系管理员", f"queue {printer} is not accepting jobs")
    if not queue.enabled:
        raise PrintError(f"打印机「{printer}」已暂停，请先恢复打印机", f"queue {printer} is disabled")
    args = ["lp", "-d", printer, "-n", str(copies), "-o", "collate=true", "-o", "media=A4",
            "-o", "sides=" + ("two-sided-long-edge" if duplex else "one-sided")]
    if title:
        args += ["-t", title]
    result = _run([*args, "--", str(pdf)])
    match = _JOB_ID.search(result.stdout)
    if result.returncode != 0 or not match:
        raise PrintError(_refusal_message(printer, result.stderr), (result.stderr or result.stdout).strip())
    return match.group(1)


def cancel(job_id: str) -> None:
    """Withdraw a job (used when the print could not be logged after CUPS accepted it)."""
    _run(["cancel", job_id])


def _refusal_message(printer: str, stderr: str) -> str:
    text = stderr.lower()
    if "not accepting" in text:
        return f"打印机「{printer}」拒绝接收新作业，请联系管理员"
    if "does not exist" in text or "not found" in text:
        return f"没有名为「{printer}」的打印机"
    if "quota" in text:
        return f"打印机「{printer}」的打印配额已用完，作业被拒绝"
    if "space" in text or "too large" in text:
        return "打印服务器磁盘空间不足，作业被拒绝"
    if "unable to connect" in text or "connection refused" in text:
        return "无法连接打印服务（CUPS）"
    return f"打印机「{printer}」拒绝了这个作业"
