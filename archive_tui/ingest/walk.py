"""From the command line's paths and an optional manifest to a list of documents to ingest.

Folders are walked recursively (hidden entries skipped, symlinks followed with loop detection). A manifest
row names the files of one document (several files = one record, in the given order); files it names are not
ingested again as documents of their own.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import manifest as manifest_mod
from ..errors import InvalidInput


@dataclass
class Candidate:
    label: str
    paths: list[Path]
    fields: dict[str, Any] = field(default_factory=dict)


@dataclass
class Problem:
    label: str
    message: str
    detail: str


@dataclass
class Plan:
    candidates: list[Candidate] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _walk(folder: Path, ancestors: frozenset, seen: set, files: list[Path], plan: Plan) -> None:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        plan.problems.append(Problem(str(folder), f"文件夹「{folder}」无法读取：{exc.strerror}", repr(exc)))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        _visit(Path(entry.path), ancestors, seen, files, plan)


def _visit(path: Path, ancestors: frozenset, seen: set, files: list[Path], plan: Plan) -> None:
    try:
        info = os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            plan.problems.append(Problem(str(path), f"「{path}」是循环的符号链接，已跳过", repr(exc)))
        elif path.is_symlink():
            plan.problems.append(Problem(str(path), f"「{path}」是指向不存在文件的符号链接", repr(exc)))
        elif exc.errno == errno.ENOENT:
            plan.problems.append(Problem(str(path), f"路径「{path}」不存在", repr(exc)))
        else:
            plan.problems.append(Problem(str(path), f"「{path}」无法读取：{exc.strerror}", repr(exc)))
        return
    key = (info.st_dev, info.st_ino)
    if stat.S_ISDIR(info.st_mode):
        if key in ancestors:
            plan.problems.append(Problem(str(path), f"「{path}」是指回上级文件夹的符号链接（循环），已跳过",
                                         "symlink loop"))
        elif key not in seen:
            seen.add(key)
            _walk(path, ancestors | {key}, seen, files, plan)
    elif stat.S_ISREG(info.st_mode):
        if key not in seen:
            seen.add(key)
            files.append(path)
    else:
        plan.problems.append(Problem(str(path), f"「{path}」不是普通文件（设备、管道或套接字），已跳过",
                                     f"mode {oct(info.st_mode)}"))


def plan(paths: list[Path | str], manifest: Path | str | None = None) -> Plan:
    """Every document to ingest and every path that cannot be, in a stable order."""
    result = Plan()
    claimed: set[Path] = set()
    if manifest is not None:
        manifest = Path(manifest)
        try:
            rows = manifest_mod.read(manifest)
        except InvalidInput as exc:
            result.problems.append(Problem(str(manifest), exc.message, exc.detail))
            rows = []
        for row in rows:
            label = f"{manifest.name} 第{row.line}行"
            claimed.update(p.resolve() for p in row.files)
            if row.problems:
                result.problems.append(Problem(label, "；".join(row.problems), "invalid manifest row"))
            elif not row.files:
                result.problems.append(Problem(label, "「文件」栏为空", "no files in row"))
            else:
                result.candidates.append(Candidate(label, list(row.files), dict(row.fields)))
        claimed.add(manifest.resolve())
    files: list[Path] = []
    seen: set = set()
    for path in paths:
        _visit(Path(path), frozenset(), seen, files, result)
    for path in files:
        if path.resolve() not in claimed:
            result.candidates.append(Candidate(str(path), [path]))
    return result
