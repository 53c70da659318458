"""Ingest benchmark: OCR accuracy (CER) per page type, clean and degraded; OCR throughput with all cores versus
one process; electronic-document throughput end to end (search index included); peak memory on a large batch.

    .venv/bin/python -m bench ingest [--cer-pages=N] [--ocr-pages=N] [--docs=N] [--rss-docs=N] [--sample=DIR]
                                     [--skip=cer,ocr,electronic,rss]

(Options take the `=` form: the bench dispatcher reads bare words as benchmark names.)
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from PIL import Image

from archive_tui.access import system_actor
from archive_tui.archive import Archive
from archive_tui.ingest import default_jobs, formats, ocr
from tests.ingest_fixtures import SIMPLIFIED, TRADITIONAL, cer, degrade, render_lines, save, text_pdf

DEGRADATIONS = ("rotated", "speckled", "low-contrast", "150dpi")
ACTOR = system_actor("bench")


def _options(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench ingest")
    parser.add_argument("--cer-pages", type=int, default=6, help="scanned pages whose CER is measured")
    parser.add_argument("--ocr-pages", type=int, default=6, help="pages for the cores-vs-one throughput run")
    parser.add_argument("--docs", type=int, default=600, help="electronic documents for the throughput run")
    parser.add_argument("--rss-docs", type=int, default=10_000, help="documents for the peak-memory run")
    parser.add_argument("--sample", type=Path, default=Path("sample_archive"))
    parser.add_argument("--skip", default="", help="comma-separated parts to skip: cer,ocr,electronic,rss")
    return parser.parse_args(argv)


# -- page sources ------------------------------------------------------------------------------------------------

def sample_pages(sample: Path) -> list[tuple[str, Image.Image, str]]:
    """(page type, image, true text) for every scanned page of the sample archive."""
    out = []
    for truth_file in sorted((sample / "truth").glob("*.json")):
        truth = json.loads(truth_file.read_text(encoding="utf-8"))
        kinds = truth.get("page_kinds") or []
        if "image" not in kinds:
            continue
        images = []
        for name in truth["files"]:
            path = sample / name
            reader = formats.FORMATS[formats.sniff(path)][0]
            images.extend(p.image for p in reader(path) if p.image is not None)
        texts = [text for text, kind in zip(truth["pages"], kinds) if kind == "image"]
        label = f"{truth['format']}/{truth['script']}" + ("/degraded" if truth.get("degraded") else "")
        out.extend((label, image, text) for image, text in zip(images, texts))
    return out


def synthetic_pages() -> list[tuple[str, Image.Image, str]]:
    return [("synthetic/sim", render_lines(SIMPLIFIED), "\n".join(SIMPLIFIED)),
            ("synthetic/tra", render_lines(TRADITIONAL), "\n".join(TRADITIONAL))]


def _spread(pages: list, count: int) -> list:
    """``count`` pages spread over the page types (round-robin), so that every type is measured."""
    by_type: dict[str, list] = defaultdict(list)
    for page in pages:
        by_type[page[0]].append(page)
    chosen: list = []
    while len(chosen) < count and any(by_type.values()):
        for label in list(by_type):
            if by_type[label] and len(chosen) < count:
                chosen.append(by_type[label].pop(0))
    return chosen


# -- CER -----------------------------------------------------------------------------------------------------------

def _read(task: tuple[str, str, Image.Image, str]) -> tuple[str, str, float, float, str]:
    label, variant, image, truth = task
    started = time.monotonic()
    page = ocr.read_page(image)
    return label, variant, cer(truth, page.text), time.monotonic() - started, page.lang


def bench_cer(pages: list[tuple[str, Image.Image, str]], jobs: int) -> None:
    tasks = []
    for label, image, truth in pages:
        tasks.append((label, "clean", image, truth))
        if "/degraded" not in label:
            tasks.extend((label, kind, degrade(image, kind), truth) for kind in DEGRADATIONS)
    print(f"CER: {len(pages)} scanned pages × clean + {len(DEGRADATIONS)} degraded variants, {jobs} processes")
    results: dict[tuple[str, str], list[float]] = defaultdict(list)
    with ProcessPoolExecutor(jobs, initializer=os.environ.__setitem__, initargs=("OMP_THREAD_LIMIT", "1")) as pool:
        for label, variant, error, seconds, lang in pool.map(_read, tasks):
            results[(label, variant)].append(error)
    clean, degraded = [], []
    for (label, variant), errors in sorted(results.items()):
        mean = statistics.mean(errors)
        (clean if variant == "clean" and "/degraded" not in label else degraded).extend(errors)
        print(f"  {label:28s} {variant:13s} pages {len(errors):2d}  CER {mean * 100:5.2f}%")
    if clean:
        print(f"  clean pages:    CER {statistics.mean(clean) * 100:.2f}%  (target ≤ 2%)")
    if degraded:
        print(f"  degraded pages: CER {statistics.mean(degraded) * 100:.2f}%  (target ≤ 5%)")


# -- OCR throughput ------------------------------------------------------------------------------------------------

def _ingest_rate(folder: Path, jobs: int) -> tuple[float, int]:
    with tempfile.TemporaryDirectory() as tmp:
        archive = Archive.create(Path(tmp) / "a")
        started = time.monotonic()
        report = archive.ingest([folder], ACTOR, jobs=jobs)
        elapsed = time.monotonic() - started
        archive.close()
    return report.ocr_pages / elapsed * 60, report.ocr_pages


def warm_up() -> None:
    """Start the forkserver (it imports the worker code once per process) so that no timed run pays for it."""
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "w.txt").write_text("预热", encoding="utf-8")
        archive = Archive.create(Path(tmp) / "a")
        archive.ingest([Path(tmp) / "w.txt"], ACTOR, jobs=1)
        archive.close()


def bench_ocr(pages: list[tuple[str, Image.Image, str]], count: int, cores: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for i in range(count):
            image = pages[i % len(pages)][1].convert("L")
            image.putpixel((i % image.width, 0), 254)  # distinct content, so that no copy is a duplicate
            save(image, folder / f"p{i:03d}.png")
        single, n = _ingest_rate(folder, 1)
        parallel, _ = _ingest_rate(folder, cores)
    ratio = parallel / (cores * single)
    print(f"OCR throughput on {n} pages: 1 process {single:.1f} pages/min; {cores} processes {parallel:.1f} "
          f"pages/min = {ratio * 100:.0f}% of {cores} × single (target ≥ 90%)")


# -- electronic documents ------------------------------------------------------------------------------------------

def make_electronic(folder: Path, count: int, pdf_every: int = 10) -> int:
    """Small official-looking documents: TXT, and every ``pdf_every``-th a two-page text PDF. Returns pages."""
    folder.mkdir(parents=True, exist_ok=True)
    pages = 0
    for i in range(count):
        body = (f"临川县人民政府办公室\n关于第{i}批政府信息公开事项的通知\n临政办〔2021〕{i % 900 + 1}号\n"
                f"各乡镇人民政府，县直各单位：\n现将第{i}批事项通知如下，请认真贯彻执行。\n临川县人民政府办公室\n"
                "二〇二一年三月五日")
        if pdf_every and i % pdf_every == 0:
            text_pdf(folder / f"d{i:05d}.pdf", [body, f"附件 {i}：事项清单"])
            pages += 2
        else:
            (folder / f"d{i:05d}.txt").write_text(body, encoding="utf-8")
            pages += 1
    return pages


class _NoIndex(Archive):
    def sync_index(self) -> int:
        return 0


def bench_electronic(count: int, cores: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        pages = make_electronic(folder, count)
        rates = {}
        for label, cls in (("with index", Archive), ("catalogue only", _NoIndex)):
            Archive.create(Path(tmp) / label).close()
            archive = cls(Path(tmp) / label)
            started = time.monotonic()
            report = archive.ingest([folder], ACTOR, jobs=cores)
            rates[label] = report.pages / (time.monotonic() - started)
            archive.close()
    print(f"Electronic documents ({count} docs, {pages} pages, text PDFs and TXT): "
          f"{rates['with index']:.0f} pages/s end to end with the search index, "
          f"{rates['catalogue only']:.0f} pages/s catalogue only (target ≥ 100 pages/s)")


# -- memory --------------------------------------------------------------------------------------------------------

_RSS_CHILD = """
import json, os, resource, sys, threading, time
from archive_tui.access import system_actor
from archive_tui.archive import Archive


def tree_rss_kb(root):
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    parents[int(entry)] = int(fh.read().rsplit(")", 1)[1].split()[1])
            except OSError:
                pass
    tree, grew = {root}, True
    while grew:
        more = {pid for pid, ppid in parents.items() if ppid in tree} - tree
        tree |= more
        grew = bool(more)
    total = 0
    for pid in tree:  # PSS: pages shared by the forked workers are counted once, not once per process
        try:
            with open(f"/proc/{pid}/smaps_rollup") as fh:
                total += next(int(line.split()[1]) for line in fh if line.startswith("Pss:"))
        except (OSError, StopIteration):
            pass
    return total


if __name__ == "__main__":
    peak = [0]
    done = threading.Event()

    def watch():
        while not done.wait(0.25):
            peak[0] = max(peak[0], tree_rss_kb(os.getpid()))

    threading.Thread(target=watch, daemon=True).start()
    archive = Archive.create(sys.argv[1])
    report = archive.ingest([sys.argv[2]], system_actor("bench"))
    done.set()
    print(json.dumps({"added": len(report.added), "elapsed": report.elapsed, "tree_kb": peak[0],
                      "self_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


def bench_rss(count: int, cores: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        make_electronic(folder, count, pdf_every=0)
        script = Path(tmp) / "rss_child.py"
        script.write_text(_RSS_CHILD, encoding="utf-8")
        done = subprocess.run([sys.executable, str(script), str(Path(tmp) / "a"), str(folder)],
                              capture_output=True, text=True, check=True)
    figures = json.loads(done.stdout.splitlines()[-1])
    print(f"Peak memory ingesting {figures['added']} documents in {figures['elapsed']:.0f} s with {cores} workers: "
          f"main process {figures['self_kb'] / 1024:.0f} MB, all processes together (PSS, sampled every 0.25 s) "
          f"{figures['tree_kb'] / 1024:.0f} MB (target < 1024 MB)")


def main(argv: list[str]) -> None:
    opts = _options(argv)
    skip = set(filter(None, opts.skip.split(",")))
    cores = default_jobs()
    load = os.getloadavg()[0]
    print(f"{cores} cores; load average {load:.1f} at start" + (" — the machine is busy, throughput figures are "
                                                                 "depressed" if load > cores * 0.75 else ""))
    pages = sample_pages(opts.sample) if (opts.sample / "truth").is_dir() else []
    source = f"sample archive {opts.sample}" if pages else "synthetic pages (sample archive not found)"
    pages = pages or synthetic_pages()
    print(f"Scanned pages from {source}: {len(pages)}")
    warm_up()
    if "cer" not in skip:
        bench_cer(_spread(pages, opts.cer_pages), cores)
    if "ocr" not in skip:
        bench_ocr(_spread([p for p in pages if "/degraded" not in p[0]] or pages, opts.ocr_pages), opts.ocr_pages,
                  cores)
    if "electronic" not in skip:
        bench_electronic(opts.docs, cores)
    if "rss" not in skip:
        bench_rss(opts.rss_docs, cores)
