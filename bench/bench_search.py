"""Search benchmark: index build rate and size, and in-process query latency for a mixed query set.

``python -m bench search [--sizes=50000] [--queries=400] [--procs=2] [--rebuild] [--regen]``

Synthetic archives (``bench/synth.py``) and their indexes are cached under ``bench/results/synth-<n>/``, so a
re-run only measures queries; ``--rebuild`` measures the index build again, ``--regen`` regenerates the texts.
Latency is wall time of ``Archive.search(query, counter_actor(), limit=20)`` — the first page of results with
facets, as the counter shows it — after one warm-up pass over the same queries.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import time
from pathlib import Path

import opencc

from archive_tui import Archive, counter_actor
from archive_tui.search import indexer, pinyin
from bench.synth import build_archive

RESULTS = Path(__file__).parent / "results"
TARGET_P95_MS = 50.0
TARGET_BUILD = 150.0
BRACKETS = [("〔", "〕"), ("[", "]"), ("（", "）"), ("(", ")"), ("［", "］"), ("【", "】")]


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} / {five:.1f} (1/5 min) on {os.cpu_count()} cores"


def _dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def ensure_archive(size: int, regen: bool) -> Path:
    path = RESULTS / f"synth-{size}"
    if regen or not (path / "synth.json").is_file():
        if path.exists():
            import shutil

            shutil.rmtree(path)
        print(f"generating {size} synthetic records …", flush=True)
        info = build_archive(path, size)
        print(f"  {info['records']} records, {info['pages']} pages, {info['chars'] / 1e6:.1f}M chars "
              f"in {info['seconds']} s", flush=True)
    return path


def ensure_index(path: Path, procs: int, rebuild: bool) -> dict:
    figures = path / "index-build.json"
    if rebuild or not figures.is_file() or not indexer.index_ready(path / "index"):
        load_before = _load()
        print(f"building the index with {procs} analysis process(es) — {load_before}", flush=True)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        done = indexer.rebuild_in_subprocess(path, procs=procs)
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        info = {
            "records": done, "seconds": round(wall, 1), "docs_per_s": round(done / wall, 1),
            "cpu_seconds": round(cpu, 1), "docs_per_cpu_s": round(done / cpu, 1) if cpu else None,
            "procs": procs, "load": f"before: {load_before}; after: {_load()}",
            "index_bytes": _dir_size(path / "index"),
        }
        figures.write_text(json.dumps(info, indent=2))
    return json.loads(figures.read_text())


def _fragment(rng: random.Random, text: str, lo: int, hi: int) -> str:
    runs = [r for r in "".join(c if "\u4e00" <= c <= "\u9fff" else " " for c in text).split() if len(r) >= lo]
    run = rng.choice(runs) if runs else text[:hi]
    n = min(len(run), rng.randint(lo, hi))
    start = rng.randint(0, len(run) - n)
    return run[start:start + n]


def mixed_queries(archive: Archive, count: int, seed: int = 11) -> list[tuple[str, str]]:
    """(kind, query) pairs drawn from the archive's own records, in a fixed mix."""
    rng = random.Random(seed)
    db = archive.db
    top = db.execute("SELECT max(id) FROM records").fetchone()[0]
    s2t = opencc.OpenCC("s2t")

    def record() -> dict:
        return next(db.query("SELECT * FROM records WHERE id = ?", [rng.randint(1, top)]))

    def page() -> str:
        row = db.execute("SELECT text FROM pages WHERE record_id = ? ORDER BY page_no LIMIT 1",
                         [rng.randint(1, top)]).fetchone()
        return row[0] if row else "工作"

    makers = {
        "title fragment": (18, lambda: _fragment(rng, record()["title"], 2, 6)),
        "body phrase": (14, lambda: _fragment(rng, page(), 4, 8)),
        "two words": (10, lambda: f"{_fragment(rng, page(), 2, 4)} {_fragment(rng, page(), 2, 4)}"),
        "one character": (5, lambda: _fragment(rng, page(), 1, 1)),
        "traditional": (8, lambda: s2t.convert(_fragment(rng, record()["title"], 3, 6))),
        "文号": (10, lambda: _docno(rng, record())),
        "索引号": (4, lambda: record()["index_no"]),
        "pinyin initials": (8, lambda: _initials(rng, record()["title"])),
        "field": (10, lambda: rng.choice([
            f"标题:{_fragment(rng, record()['title'], 2, 4)}", f"机构:{record()['issuer'][3:7]}",
            f"年:{rng.randint(2008, 2020)}..{rng.randint(2021, 2025)} {_fragment(rng, page(), 2, 3)}",
            f"类:{rng.choice(['通知', '公告', '批复', '意见'])} {_fragment(rng, record()['title'], 2, 4)}",
        ])),
        "exclusion": (5, lambda: f"{_fragment(rng, page(), 2, 3)} -{_fragment(rng, page(), 2, 3)}"),
        "common word": (4, lambda: rng.choice(["工作", "管理", "通知", "临川县", "安全", "建设"])),
        "browse": (2, lambda: ""),
        "no match": (2, lambda: rng.choice(["量子纠缠", "火星基地", "zzqqxx", "区块链钱包"])),
    }
    kinds = list(makers)
    weights = [makers[k][0] for k in kinds]
    return [(kind, makers[kind][1]()) for kind in rng.choices(kinds, weights=weights, k=count)]


def _docno(rng: random.Random, row: dict) -> str:
    doc_no = row.get("doc_no") or "临政办〔2021〕13号"
    left, right = rng.choice(BRACKETS)
    return doc_no.replace("〔", left).replace("〕", right)


def _initials(rng: random.Random, title: str) -> str:
    fragment = _fragment(rng, title, 4, 6)
    return "".join(s[0] for s in pinyin.syllable_tokens_of(fragment))


def measure_queries(path: Path, count: int) -> dict:
    archive = Archive.open(path)
    actor = counter_actor()
    try:
        queries = mixed_queries(archive, count)
        archive.search("预热", actor)
        for _, q in queries:  # warm-up: page cache, columns, lazily built tables
            archive.search(q, actor)
        timings: dict[str, list[float]] = {}
        bare: list[float] = []
        hits = 0
        for kind, q in queries:
            started = time.perf_counter()
            result = archive.search(q, actor, limit=20)
            timings.setdefault(kind, []).append((time.perf_counter() - started) * 1000)
            hits += bool(result.hits)
            started = time.perf_counter()
            archive.search(q, actor, limit=20, facets=False)
            bare.append((time.perf_counter() - started) * 1000)
    finally:
        archive.close()
    every = sorted(t for ts in timings.values() for t in ts)
    return {"all": every, "kinds": timings, "bare": sorted(bare), "answered": hits / len(queries)}


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench search")
    parser.add_argument("--sizes", default="50000", help="comma-separated archive sizes, e.g. 10000,50000,100000")
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--procs", type=int, default=2)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--regen", action="store_true")
    args = parser.parse_args(argv)
    print(f"machine: {_load()}")
    for size in (int(s) for s in args.sizes.split(",")):
        path = ensure_archive(size, args.regen)
        build = ensure_index(path, args.procs, args.rebuild)
        print(f"\n[{size} records] index build: {build['docs_per_s']} docs/s wall "
              f"({build['seconds']} s, {build['procs']} procs; {build['docs_per_cpu_s']} docs per CPU-second; "
              f"during build: {build['load']}) — target {TARGET_BUILD:.0f} docs/s, "
              f"ratio {build['docs_per_s'] / TARGET_BUILD:.2f}")
        print(f"[{size} records] index size: {build['index_bytes'] / 2**20:.0f} MiB "
              f"({build['index_bytes'] / build['records'] / 1024:.1f} KiB per record)")
        figures = measure_queries(path, args.queries)
        every = figures["all"]
        p50, p95 = _pct(every, 50), _pct(every, 95)
        print(f"[{size} records] query latency, first page + facets, counter scope, {len(every)} queries: "
              f"p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {every[-1]:.1f} ms — target p95 {TARGET_P95_MS:.0f} ms, "
              f"ratio {p95 / TARGET_P95_MS:.2f}; {figures['answered']:.0%} of queries had hits")
        bare = figures["bare"]
        print(f"[{size} records] without facet counts: p50 {_pct(bare, 50):.1f} ms, p95 {_pct(bare, 95):.1f} ms")
        for kind, values in sorted(figures["kinds"].items(), key=lambda kv: -_pct(kv[1], 95)):
            print(f"    {kind:<16} n={len(values):<4} p50 {statistics.median(values):6.1f} ms  "
                  f"p95 {_pct(values, 95):6.1f} ms")
        print(f"machine after: {_load()}")
