"""Print-ready PDF composition: a 50-page scanned record (< 3 s) and a 10-page PDF original (< 1 s).

Records are built in a temporary archive: 150 dpi A4 page images (PNG, Pillow-rendered CJK text) and an
fpdf2-made PDF original. Timed: ``printing.render`` (compose with all marks, no CUPS). The one-off cost of
building the cached font subset and the cost with the full font (no cache) are reported separately.
Options: ``--scan-pages N`` (50), ``--pdf-pages N`` (10), ``--repeat N`` (3).
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from pypdf import PdfReader

from archive_tui import Archive, counter_actor
from archive_tui.printing import fonts, prepare, render

TARGETS = {"scan": 3.0, "pdf": 1.0}


def _fixtures():
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    import cups_fixtures  # the printing tests' record builders

    return cups_fixtures


def _time(archive: Archive, record_id: int, repeat: int) -> tuple[list[float], list[float], int]:
    """Wall-clock and CPU seconds of each run (CPU time shows the cost when other work shares the cores)."""
    clerk = counter_actor("基准")
    times, cpu, pages = [], [], 0
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        job = prepare(archive, record_id, clerk)
        data = render(archive, job, clerk)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        pages = len(PdfReader(io.BytesIO(data)).pages)
    return times, cpu, pages


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench print")
    parser.add_argument("--scan-pages", type=int, default=50)
    parser.add_argument("--pdf-pages", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    fx = _fixtures()
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory(prefix="bench-print-") as tmp:
        os.environ[fonts.CACHE_ENV] = str(Path(tmp) / "font-cache")
        start = time.perf_counter()
        fonts.warm_cache()
        print(f"font subset cache, built once per machine: {time.perf_counter() - start:.2f} s")
        archive = Archive.create(Path(tmp) / "archive", org_code="003226443")
        start = time.perf_counter()
        scan_id = fx.add_printable(archive, "scan", args.scan_pages)
        pdf_id = fx.add_printable(archive, "pdf", args.pdf_pages)
        print(f"fixture records built in {time.perf_counter() - start:.1f} s")
        for kind, record_id, count in (("scan", scan_id, args.scan_pages), ("pdf", pdf_id, args.pdf_pages)):
            times, cpu, pages = _time(archive, record_id, args.repeat)
            best, median = min(times), statistics.median(times)
            target = TARGETS[kind] if count == {"scan": 50, "pdf": 10}[kind] else TARGETS[kind] * count / \
                {"scan": 50, "pdf": 10}[kind]
            print(f"{kind:4} {count:3d} pages → {pages} A4 pages: best {best:.2f} s, median {median:.2f} s "
                  f"({count / median:.0f} pages/s), CPU {statistics.median(cpu):.2f} s; target < {target:.1f} s, "
                  f"ratio {median / target:.2f}")
        os.environ[fonts.CACHE_ENV] = str(Path(tmp) / "no-cache")
        times, _, _ = _time(archive, pdf_id, 1)
        print(f"pdf  {args.pdf_pages:3d} pages with the full font (no subset cache): {times[0]:.2f} s")
        archive.close()
