"""Backup and restore of a whole archive as one tar file, safe while the app or an ingest is writing.

A backup holds a consistent snapshot of ``catalogue.db`` taken with SQLite's online backup API, every file of
``store/`` (originals and page images) and the archive's other files, plus ``manifest.json`` (last member)
listing every member's sha256 and size and the settings. The search index is not included: restore rebuilds it.

The catalogue is snapshotted *before* the store is walked: the store is content-addressed and write-once and
ingest places a file before it commits the row that refers to it, so every file the snapshot refers to is in
the backup (files added later are harmless extras).
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import io
import json
import os
import shutil
import sqlite3
import tarfile
import tempfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import events, settings
from .access import Actor, Role
from .errors import InvalidInput
from .timeutil import now_iso

if TYPE_CHECKING:
    from .archive import Archive

FORMAT = "archive-tui-backup"
VERSION = 1
MANIFEST = "manifest.json"
CATALOGUE = "catalogue.db"
#: Not copied: the live database files (the snapshot replaces them) and the search index (rebuilt on restore).
SKIPPED = {CATALOGUE, f"{CATALOGUE}-wal", f"{CATALOGUE}-shm", f"{CATALOGUE}-journal"}
SKIPPED_DIRS = {"index"}
CHUNK = 1 << 20

Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass(frozen=True)
class BackupReport:
    path: Path
    files: int
    bytes: int
    records: int


@dataclass(frozen=True)
class RestoreReport:
    root: Path
    files: int
    records: int


def snapshot_catalogue(source: Path, target: Path) -> None:
    """Copy the live catalogue with ``sqlite3.Connection.backup`` into a single self-contained file."""
    src = sqlite3.connect(str(source), timeout=30)
    dst = sqlite3.connect(str(target))
    try:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode = DELETE")
        dst.commit()
    finally:
        dst.close()
        src.close()


def _archive_files(root: Path) -> Iterator[tuple[Path, str]]:
    """Every file to back up as (absolute path, name inside the backup), sorted for a stable order."""
    for dirpath, dirnames, filenames in os.walk(root):
        rel_dir = Path(dirpath).relative_to(root)
        if rel_dir == Path("."):
            dirnames[:] = [d for d in dirnames if d not in SKIPPED_DIRS]
        dirnames.sort()
        for name in sorted(filenames):
            if name.startswith(".incoming-") or (rel_dir == Path(".") and name in SKIPPED):
                continue
            yield Path(dirpath) / name, (rel_dir / name).as_posix()


class _HashingReader(io.RawIOBase):
    """Reads a file for ``tarfile.addfile`` while hashing exactly the bytes that go into the backup."""

    def __init__(self, fh: io.BufferedReader) -> None:
        self._fh = fh
        self.digest = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._fh.read(len(buffer))
        self.digest.update(data)
        buffer[: len(data)] = data
        return len(data)


def _add_file(tar: tarfile.TarFile, path: Path, name: str) -> tuple[str, int]:
    with open(path, "rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        info = tarfile.TarInfo(name)
        info.size = size
        info.mtime = int(os.stat(path).st_mtime)
        info.mode = 0o644
        reader = _HashingReader(fh)
        tar.addfile(info, io.BufferedReader(reader, CHUNK))
    return reader.digest.hexdigest(), size


def backup(archive: "Archive", target: Path, actor: Actor, *, progress: Progress | None = None) -> BackupReport:
    """Write the whole archive to ``target`` (``.tar``, or gzip-compressed when it ends in ``.gz``/``.tgz``)."""
    actor.require(Role.ARCHIVIST)
    target = Path(target)
    if target.resolve().is_relative_to(archive.root):
        raise InvalidInput("备份文件不能放在档案库文件夹里面", f"{target} is inside {archive.root}")
    with archive.db.conn:
        events.log(archive.db, actor.name, "backup", None, file=str(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    mode = "w:gz" if target.name.endswith((".gz", ".tgz")) else "w"
    fd, partial = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".partial")
    os.close(fd)
    entries: dict[str, dict[str, Any]] = {}
    try:
        with tempfile.TemporaryDirectory(prefix="archive-backup-") as tmp:
            snapshot = Path(tmp) / CATALOGUE
            snapshot_catalogue(archive.db_path, snapshot)
            with contextlib.closing(sqlite3.connect(snapshot)) as conn:
                records = conn.execute("SELECT count(*) FROM records").fetchone()[0]
                stored = {k: json.loads(v) for k, v in conn.execute("SELECT key, value FROM settings")}
            files = [(snapshot, CATALOGUE), *_archive_files(archive.root)]
            with tarfile.open(partial, mode) as tar:
                for done, (path, name) in enumerate(files, 1):
                    digest, size = _add_file(tar, path, name)
                    entries[name] = {"sha256": digest, "size": size}
                    if progress:
                        progress("备份", done, len(files))
                manifest = {
                    "format": FORMAT, "version": VERSION, "created_at": now_iso(), "created_by": actor.name,
                    "source": str(archive.root), "records": records,
                    "settings": {**settings.DEFAULTS, **stored}, "files": entries,
                }
                data = json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8")
                info = tarfile.TarInfo(MANIFEST)
                info.size = len(data)
                info.mtime = int(os.path.getmtime(snapshot))
                tar.addfile(info, io.BytesIO(data))
        with open(partial, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(partial, target)
    finally:
        if os.path.exists(partial):
            os.unlink(partial)
    total = sum(e["size"] for e in entries.values())
    return BackupReport(target, len(entries), total, records)


def _damaged(reason: str, detail: str) -> InvalidInput:
    return InvalidInput(f"备份文件已损坏，未恢复：{reason}", detail)


def _extract_verified(source: Path, into: Path, progress: Progress | None) -> dict[str, Any]:
    """Extract every member into ``into`` hashing as it goes; return the manifest once every hash agrees."""
    seen: dict[str, tuple[str, int]] = {}
    manifest: dict[str, Any] | None = None
    try:
        with tarfile.open(source, "r:*") as tar:
            for member in tar:
                if not member.isfile():
                    continue
                name = member.name
                target = (into / name).resolve()
                if not target.is_relative_to(into.resolve()) or name.startswith("/"):
                    raise _damaged(f"包含不安全的路径「{name}」", f"unsafe member path {name!r}")
                fh = tar.extractfile(member)
                assert fh is not None
                if name == MANIFEST:
                    manifest = json.loads(fh.read().decode("utf-8"))
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha256()
                with open(target, "wb") as out:
                    while chunk := fh.read(CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
                if name.startswith("store/"):
                    os.chmod(target, 0o444)  # the store is write-once, as storage.put_file leaves it
                seen[name] = (digest.hexdigest(), member.size)
                if progress:
                    progress("校验", len(seen), 0)
    except (tarfile.TarError, EOFError, gzip.BadGzipFile, zlib.error) as exc:
        raise _damaged("文件不完整或不是本程序的备份", repr(exc)) from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _damaged("清单无法读取", repr(exc)) from exc
    if manifest is None or manifest.get("format") != FORMAT:
        raise _damaged("缺少备份清单（文件不完整或不是本程序的备份）", "no manifest.json member")
    expected: dict[str, dict[str, Any]] = manifest.get("files") or {}
    missing = sorted(set(expected) - set(seen))
    extra = sorted(set(seen) - set(expected))
    bad = sorted(n for n in set(expected) & set(seen) if seen[n] != (expected[n]["sha256"], expected[n]["size"]))
    if missing or extra or bad:
        parts = []
        if bad:
            parts.append(f"{len(bad)} 个文件内容与清单不符（如「{bad[0]}」）")
        if missing:
            parts.append(f"缺少 {len(missing)} 个文件（如「{missing[0]}」）")
        if extra:
            parts.append(f"多出 {len(extra)} 个清单外的文件（如「{extra[0]}」）")
        raise _damaged("；".join(parts), f"hash mismatch={bad[:5]} missing={missing[:5]} extra={extra[:5]}")
    if CATALOGUE not in seen:
        raise _damaged("备份中没有目录数据库", "no catalogue.db member")
    return manifest


def restore(source: Path, root: Path, *, progress: Progress | None = None) -> RestoreReport:
    """Verify every file of the backup ``source`` and write the archive to ``root`` (new or empty folder).

    Nothing is written to ``root`` unless every hash agrees. The search index is rebuilt afterwards.
    """
    from .archive import Archive

    source, root = Path(source), Path(root)
    if not source.is_file():
        raise InvalidInput(f"找不到备份文件「{source}」", f"no such file {source}")
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise InvalidInput(f"目标文件夹「{root}」不是空的，请换一个新文件夹", f"{root} exists and is not empty")
    root.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=root.parent, prefix=f".{root.name}.restoring-"))
    try:
        manifest = _extract_verified(source, staging, progress)
        for sub in ("store", "index"):
            (staging / sub).mkdir(exist_ok=True)
        if root.exists():
            root.rmdir()
        os.replace(staging, root)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    archive = Archive.open(root)
    try:
        archive.reindex(progress and (lambda done, total: progress("索引", done, total)))
        return RestoreReport(root, len(manifest["files"]), int(manifest.get("records") or 0))
    finally:
        archive.close()


def table_contents(db_path: Path, *, skip: frozenset[str] = frozenset({"index_queue"})) -> dict[str, list[tuple]]:
    """Every row of every table (sorted), for comparing two catalogues."""
    conn = sqlite3.connect(str(db_path))
    try:
        names = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )]
        return {
            name: sorted(conn.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr)
            for name in names if name not in skip
        }
    finally:
        conn.close()
