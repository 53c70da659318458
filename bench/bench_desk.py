"""The archivist's desk: backup and restore throughput, batch edit and undo, 件号 assignment at scale.

``python -m bench desk [--records=N] [--store-mb=M]`` (defaults 2000 records, 200 MB of stored originals).
Backup/restore figures include hashing every file; restore includes rebuilding the search index.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from archive_tui import Archive, backup, batch_edit, shelving, storage, system_actor

from .synth import build_archive

ACTOR = system_actor("档案员")


def _option(argv: list[str], name: str, default: int) -> int:
    for arg in argv:
        if arg.startswith(f"--{name}="):
            return int(arg.split("=", 1)[1])
    return default


def _attach_files(archive: Archive, records: int, store_mb: int) -> int:
    """One stored original per record (random bytes, like compressed scans), ``store_mb`` in all."""
    size = max(store_mb * (1 << 20) // records, 1024)
    rows = []
    for record_id in range(1, records + 1):
        sha, rel, n = storage.put_bytes(archive.store_dir, os.urandom(size), ".pdf")
        rows.append({"record_id": record_id, "seq": 1, "name": f"{record_id}.pdf", "sha256": sha, "size": n,
                     "mime": "application/pdf", "stored_path": rel})
    with archive.db.conn:
        archive.db["files"].insert_all(rows)
    return size * records


def _timed(label: str, fn):
    started = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - started
    print(f"{label}: {seconds:.2f} s", flush=True)
    return result, seconds


def main(argv: list[str]) -> None:
    n, store_mb = _option(argv, "records", 2000), _option(argv, "store-mb", 200)
    with tempfile.TemporaryDirectory(prefix="bench-desk-") as tmp:
        root = Path(tmp)
        build_archive(root / "src", n)
        archive = Archive.open(root / "src")
        total = _attach_files(archive, n, store_mb)
        print(f"archive: {n} records, {total / 1e6:.0f} MB of stored files")
        report, seconds = _timed("backup", lambda: backup.backup(archive, root / "b.tar", ACTOR))
        print(f"  {report.bytes / 1e6 / seconds:.0f} MB/s, {report.files} files")
        stages: dict[str, float] = {}
        started = time.perf_counter()
        _, seconds = _timed("restore (verify every hash, write, rebuild index)", lambda: backup.restore(
            root / "b.tar", root / "restored",
            progress=lambda stage, done, todo: stages.setdefault(stage, time.perf_counter() - started)))
        verified = stages.get("索引", seconds)
        print(f"  verify + write {verified:.2f} s ({total / 1e6 / verified:.0f} MB/s), "
              f"index rebuild {seconds - verified:.2f} s")
        same = backup.table_contents(archive.db_path) == backup.table_contents(root / "restored" / "catalogue.db")
        print(f"  round trip identical: {same}")
        ids = [r["id"] for r in batch_edit.select(archive, ACTOR)]
        plan, seconds = _timed(f"batch edit preview ({len(ids)} records)",
                               lambda: batch_edit.preview(archive, ACTOR, ids, "loc_box", "900"))
        _, seconds = _timed("batch edit apply (one transaction)", lambda: batch_edit.apply(archive, ACTOR, plan))
        print(f"  {len(plan.changes) / seconds:.0f} records/s")
        _, seconds = _timed("undo", lambda: batch_edit.undo(archive, ACTOR))
        print(f"  {len(plan.changes) / seconds:.0f} records/s")
        box = ids[:500]
        batch_edit.apply(archive, ACTOR, batch_edit.preview(archive, ACTOR, box, "loc_box", "1"))
        _, seconds = _timed("assign 件号 in a box of 500", lambda: shelving.assign_items(archive, ACTOR, "1"))
        _, seconds = _timed("box label PDF (all boxes)",
                            lambda: shelving.labels_pdf(archive, ACTOR, root / "labels.pdf"))
        archive.close()
