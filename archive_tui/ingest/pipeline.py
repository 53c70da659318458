"""The bulk ingest loop: plan → hash and skip known content → workers (processes) → one transaction per document.

Workers read, OCR and store files; only this process writes to the catalogue, in completion order. At most
``WINDOW_PER_WORKER × jobs`` documents are in flight, so memory stays flat however large the batch. After each
chunk of commits the search index is brought up to date. A ``cancel`` event stops the batch after the
documents already being worked on.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import storage
from ..access import Actor
from ..errors import ArchiveError
from . import walk, worker
from .commit import commit, find_existing
from .model import Extracted, InputFile, Job
from .report import IngestReport, Outcome

if TYPE_CHECKING:
    from ..archive import Archive

Progress = Callable[[dict[str, Any]], None]
WINDOW_PER_WORKER = 4
MAX_ATTEMPTS = 2  # a document in flight when a worker process died is retried once
#: The index is brought up to date after this many committed documents or seconds (fewer, larger index
#: commits are much cheaper; search drains the queue before each query anyway).
SYNC_EVERY_DOCS = 250
SYNC_EVERY_SECONDS = 5.0
PROGRESS_EVERY_SECONDS = 0.5


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


class _Batch:
    def __init__(self, archive: "Archive", actor: Actor, jobs: int, progress: Progress | None,
                 cancel: threading.Event | None) -> None:
        self.archive, self.actor, self.jobs = archive, actor, jobs
        self.emit = progress or (lambda event: None)
        self.cancel = cancel or threading.Event()
        self.report = IngestReport()
        self.started = time.monotonic()
        self.batch_shas: dict[tuple[str, ...], str] = {}
        self.since_sync, self.last_sync, self.last_progress = 0, time.monotonic(), 0.0
        self.store = str(archive.store_dir)

    # -- outcomes --------------------------------------------------------------------------------------------

    def _record(self, outcome: Outcome) -> None:
        self.report.outcomes.append(outcome)
        if outcome.status == "rejected":
            self.emit({"event": "rejected", "file": outcome.label, "message": outcome.message,
                       "detail": outcome.detail})
        else:
            self.emit({"event": "file_done", "file": outcome.label, "status": outcome.status,
                       "record_id": outcome.record_id, "index_no": outcome.index_no, "pages": outcome.pages,
                       "ocr_pages": outcome.ocr_pages, "seconds": round(outcome.seconds, 2)})
        if outcome.flagged_pages:
            self.emit({"event": "flagged", "file": outcome.label, "record_id": outcome.record_id,
                       "index_no": outcome.index_no, "pages": outcome.flagged_pages, "notes": outcome.notes})
        self._progress()

    def _progress(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.last_progress < PROGRESS_EVERY_SECONDS:
            return
        self.last_progress = now
        elapsed = max(now - self.started, 1e-6)
        done = len(self.report.outcomes)
        eta = elapsed / done * (self.report.total - done) if done else None
        self.emit({"event": "progress", "done": done, "total": self.report.total, "pages": self.report.pages,
                   "pages_per_s": round(self.report.pages / elapsed, 2),
                   "eta_s": round(eta, 1) if eta is not None else None})

    def _sync_index(self, force: bool = False) -> None:
        if not self.since_sync:
            return
        if force or self.since_sync >= SYNC_EVERY_DOCS or time.monotonic() - self.last_sync >= SYNC_EVERY_SECONDS:
            self.archive.sync_index()
            self.since_sync, self.last_sync = 0, time.monotonic()

    # -- preparing and finishing one document ------------------------------------------------------------------

    def prepare(self, seq: int, candidate: walk.Candidate) -> Job | None:
        """Hash the files; known content becomes a duplicate outcome right away (no OCR spent on it)."""
        files = []
        for path in candidate.paths:
            try:
                files.append(InputFile(path, storage.sha256_of(path), path.stat().st_size))
            except OSError as exc:
                self._record(Outcome(candidate.label, "rejected", message=f"「{path.name}」无法读取："
                                     f"{exc.strerror or '文件不存在'}", detail=repr(exc)))
                return None
        shas = tuple(f.sha256 for f in files)
        existing = find_existing(self.archive.db, list(shas))
        if existing:
            self._record(Outcome(candidate.label, "duplicate", existing[0], existing[1],
                                 message=f"内容与已入库的 {existing[1]} 相同"))
            return None
        if shas in self.batch_shas:
            self._record(Outcome(candidate.label, "duplicate",
                                 message=f"内容与本批的「{self.batch_shas[shas]}」相同"))
            return None
        self.batch_shas[shas] = candidate.label
        return Job(seq, candidate.label, files, candidate.fields)

    def finish(self, job: Job, extracted: Extracted) -> None:
        if extracted.rejection:
            message, detail = extracted.rejection
            self._record(Outcome(job.label, "rejected", message=message, detail=detail, seconds=extracted.seconds))
            return
        try:
            done = commit(self.archive, job, extracted, self.actor)
        except ArchiveError as exc:
            self._record(Outcome(job.label, "rejected", message=exc.message, detail=exc.detail))
            return
        if done.duplicate:
            self._record(Outcome(job.label, "duplicate", done.record_id, done.index_no,
                                 message=f"内容与已入库的 {done.index_no} 相同"))
            return
        self.since_sync += 1
        flagged = [n for n, p in enumerate(extracted.pages, start=1) if p.flagged]
        notes = {n: p.note for n, p in enumerate(extracted.pages, start=1) if p.note}
        self._record(Outcome(job.label, "added", done.record_id, done.index_no, len(extracted.pages),
                             extracted.ocr_pages, flagged, seconds=extracted.seconds, notes=notes))
        self._sync_index()

    # -- the loop ----------------------------------------------------------------------------------------------

    def _pool(self) -> ProcessPoolExecutor:
        # forkserver: safe from a threaded parent (the TUI); the server imports the worker code once and
        # every worker process forks from it ready to go.
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["archive_tui.ingest.worker"])
        return ProcessPoolExecutor(self.jobs, mp_context=context, initializer=worker.init)

    def run(self, plan: walk.Plan) -> IngestReport:
        self.report.total = len(plan.candidates) + len(plan.problems)
        self.emit({"event": "start", "documents": self.report.total, "jobs": self.jobs})
        for problem in plan.problems:
            self._record(Outcome(problem.label, "rejected", message=problem.message, detail=problem.detail))
        todo: Iterator[tuple[int, walk.Candidate]] = iter(enumerate(plan.candidates))
        retry: list[Job] = []
        pool = self._pool()
        pending: dict[Future, Job] = {}
        try:
            while True:
                while not self.cancel.is_set() and len(pending) < self.jobs * WINDOW_PER_WORKER:
                    job = retry.pop() if retry else self._next(todo)
                    if job is None:
                        break
                    pending[pool.submit(worker.process, job, self.store)] = job
                if not pending:
                    break
                done, _ = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
                if self.cancel.is_set():
                    for future in [f for f in pending if f.cancel()]:
                        pending.pop(future)
                broken = False
                for future in done:
                    job = pending.pop(future)
                    try:
                        self.finish(job, future.result())
                    except BrokenProcessPool:
                        broken = True
                        self._retry(job, retry)
                if broken:
                    for job in pending.values():
                        self._retry(job, retry)
                    pending.clear()
                    pool.shutdown(wait=False, cancel_futures=True)
                    pool = self._pool()
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
            self._sync_index(force=True)
        self.report.cancelled = self.cancel.is_set() and self.report.not_started > 0
        self.report.elapsed = time.monotonic() - self.started
        self._progress(force=True)
        self.emit({"event": "summary", **{k: v for k, v in self.report.to_dict().items() if k != "outcomes"}})
        return self.report

    def _next(self, todo: Iterator[tuple[int, walk.Candidate]]) -> Job | None:
        for seq, candidate in todo:
            if self.cancel.is_set():
                return None
            job = self.prepare(seq, candidate)
            if job is not None:
                return job
        return None

    def _retry(self, job: Job, retry: list[Job]) -> None:
        job.attempts += 1
        if job.attempts >= MAX_ATTEMPTS:
            self._record(Outcome(job.label, "rejected", message="处理该文件时工作进程异常退出（可能是文件损坏）",
                                 detail="worker process died twice on this document"))
        else:
            retry.append(job)


def ingest(
    archive: "Archive",
    paths: list[Path | str],
    actor: Actor,
    *,
    manifest: Path | str | None = None,
    jobs: int | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> IngestReport:
    """Ingest files and folders (and/or the documents of a manifest) into ``archive`` as pending records."""
    batch = _Batch(archive, actor, max(1, jobs or default_jobs()), progress, cancel)
    return batch.run(walk.plan(list(paths), manifest))
