"""The counter's speed, headless through Pilot, on a synthetic archive (``bench/synth.py``).

1. Last keystroke → updated results: queries typed character by character at a typist's pace into the real
   counter screen; the time from the last key press to the moment the results table shows that query's results
   (coalescing of keys typed during a search, worker thread, search and table refresh included). Target 150 ms at 50,000 documents.
2. Start → interactive search box: a fresh Python process per run, from launch to the query box having focus
   (and, second figure, to the first listing on screen). Target 1.5 s.

    .venv/bin/python -m bench counter --docs=50000        # builds bench/results/counter-50000 once, then reuses it
    .venv/bin/python -m bench counter --docs=50000 --dir=bench/results/synth-50000   # or any synth archive
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from archive_tui import Archive, system_actor
from archive_tui.search.indexer import index_ready
from archive_tui.tui.app import make_app
from archive_tui.tui.screens.counter import CounterScreen

from .synth import build_archive

ROOT = Path(__file__).resolve().parents[1]
TYPING_TARGET_MS = 150.0
START_TARGET_S = 1.5
QUERIES = ["防汛抗旱", "高标准农田", "医疗保险", "营商环境", "临财发", "乡村振兴 资金", "垃圾 污水", "残疾人补贴",
           "工作", "湿地保护区", "宅基地确权", "青石镇 道路"]

CHILD = """
import asyncio, sys, time
launched = float(sys.argv[2])
from archive_tui import Archive, system_actor
from archive_tui.search.indexer import index_ready
from archive_tui.tui.app import make_app
from archive_tui.tui.screens.counter import CounterScreen

async def main():
    app = make_app(Archive.open(sys.argv[1]), system_actor("bench"))
    async with app.run_test(size=(100, 30)):
        while not (isinstance(app.screen, CounterScreen) and app.focused is not None and app.focused.id == "query"):
            await asyncio.sleep(0.002)
        ready, cpu = time.time(), time.process_time()
        while app.screen.shown_generation == 0:
            await asyncio.sleep(0.002)
        shown = time.time()
    print(ready - launched, shown - launched, cpu)

asyncio.run(main())
"""


def ensure_archive(path: Path, docs: int) -> dict:
    """Build (once) a synthetic archive of ``docs`` records with its search index."""
    info_file = path / "synth.json"
    if info_file.is_file() and json.loads(info_file.read_text()).get("records") == docs and index_ready(path / "index"):
        return json.loads(info_file.read_text())
    if path.exists():
        import shutil

        shutil.rmtree(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    print(f"building a synthetic archive of {docs} documents at {path} …", flush=True)
    info = build_archive(path, docs)
    started = time.perf_counter()
    with Archive.open(path) as archive:
        archive.reindex(lambda done, total: print(f"  indexed {done}/{total}", end="\r", flush=True))
    info["index_seconds"] = round(time.perf_counter() - started, 1)
    info_file.write_text(json.dumps(info))
    print(f"\nbuilt: {info}", flush=True)
    return info


def startup_times(path: Path, runs: int) -> list[tuple[float, float, float]]:
    """(wall seconds to an interactive box, to the first listing, CPU seconds of the process at the first)."""
    times = []
    for _ in range(runs):
        launched = time.time()
        out = subprocess.run([sys.executable, "-c", CHILD, str(path), repr(launched)], capture_output=True, text=True,
                             cwd=ROOT, check=True)
        ready, shown, cpu = map(float, out.stdout.split()[-3:])
        times.append((ready, shown, cpu))
    return times


async def typing_latencies(path: Path, queries: list[str], pace: float) -> tuple[list[float], list[float]]:
    """(ms from last keystroke to results on screen, ms the search itself took) per query."""
    latencies, engine = [], []
    with Archive.open(path) as archive:
        app = make_app(archive, system_actor("bench"))
        async with app.run_test(size=(100, 30)) as pilot:
            screen = app.screen
            assert isinstance(screen, CounterScreen)
            shown_at: dict[int, tuple[float, float]] = {}
            show = screen._show_result

            def recording_show(generation, result):  # what the worker calls back with on the UI thread
                show(generation, result)
                if generation == screen.generation:
                    shown_at[generation] = (time.perf_counter(), result.elapsed_ms)

            screen._show_result = recording_show
            box = screen.query_one("#query")
            for run, query in enumerate([queries[0], *queries]):  # run 0 warms the searcher and caches
                box.value = ""
                await _wait_shown(pilot, screen)
                for ch in query[:-1]:
                    await pilot.press(ch)
                    await asyncio.sleep(pace)
                pressed = time.perf_counter()
                await pilot.press(query[-1])
                at, elapsed = shown_at[await _wait_shown(pilot, screen)]
                if run:
                    latencies.append((at - pressed) * 1000)
                    engine.append(elapsed)
    return latencies, engine


async def _wait_shown(pilot, screen: CounterScreen, timeout: float = 30.0) -> int:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        await asyncio.sleep(0.001)
        if 0 < screen.shown_generation == screen.generation:
            return screen.generation
    problems = [n.message for n in screen.app._notifications]
    raise RuntimeError(f"results for 「{screen.query_text}」 never appeared: {problems}")


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench counter")
    parser.add_argument("--docs", type=int, default=50_000)
    parser.add_argument("--dir", type=Path, default=None, help="where the synthetic archive is built and kept")
    parser.add_argument("--runs", type=int, default=5, help="process starts to time")
    parser.add_argument("--pace", type=float, default=0.12, help="seconds between keystrokes")
    args = parser.parse_args(argv)
    path = args.dir or ROOT / "bench" / "results" / f"counter-{args.docs}"
    info = ensure_archive(path, args.docs)
    print(f"archive: {info['records']} documents, {info['pages']} pages, {info['chars'] / 1e6:.1f}M characters")

    latencies, engine = asyncio.run(typing_latencies(path, QUERIES, args.pace))
    p50, p90, worst = statistics.median(latencies), _pct(latencies, 0.9), max(latencies)
    print(f"last keystroke → results ({len(latencies)} queries, {args.pace * 1000:.0f} ms between keys):")
    print(f"  p50 {p50:.0f} ms · p90 {p90:.0f} ms · max {worst:.0f} ms · target {TYPING_TARGET_MS:.0f} ms "
          f"· p90/target {p90 / TYPING_TARGET_MS:.2f}")
    print(f"  of which search engine: p50 {statistics.median(engine):.0f} ms · p90 {_pct(engine, 0.9):.0f} ms")

    starts = startup_times(path, args.runs)
    ready = [r for r, _, _ in starts]
    shown = [s for _, s, _ in starts]
    cpu = [c for _, _, c in starts]
    print(f"start → interactive search box ({args.runs} process starts):")
    print(f"  median {statistics.median(ready):.2f} s · max {max(ready):.2f} s · target {START_TARGET_S:.1f} s "
          f"· median/target {statistics.median(ready) / START_TARGET_S:.2f}")
    print(f"  CPU time of the process until then: median {statistics.median(cpu):.2f} s (what an idle core needs)")
    print(f"  first listing on screen: median {statistics.median(shown):.2f} s · max {max(shown):.2f} s")
