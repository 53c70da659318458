"""The content-addressed store of original files: ``store/ab/abcdef….ext``, read-only once written.

Files are copied to a temporary name in the same folder and renamed into place, so a crash never leaves a
half-written file under its final name; storing the same content twice is a no-op.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

CHUNK = 1 << 20


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def relative_path(sha256: str, suffix: str) -> str:
    return f"{sha256[:2]}/{sha256}{suffix.lower()}"


def put_file(store: Path, source: Path, sha256: str | None = None) -> tuple[str, str, int]:
    """Copy ``source`` into the store; return (sha256, path relative to the store, size)."""
    sha256 = sha256 or sha256_of(source)
    rel = relative_path(sha256, source.suffix)
    return sha256, rel, _place(store / rel, lambda tmp: shutil.copyfile(source, tmp))


def put_bytes(store: Path, data: bytes, suffix: str) -> tuple[str, str, int]:
    """Store derived bytes (e.g. a rendered page image) by their own hash."""
    sha256 = hashlib.sha256(data).hexdigest()
    rel = relative_path(sha256, suffix)
    return sha256, rel, _place(store / rel, lambda tmp: Path(tmp).write_bytes(data))


def _place(target: Path, write) -> int:
    if target.exists():
        return target.stat().st_size
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
    os.close(fd)
    try:
        write(tmp)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o444)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target.stat().st_size
