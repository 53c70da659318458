"""Run the benchmarks: every module ``bench/bench_*.py`` defines ``main(argv) -> None`` that prints its figures."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def available() -> list[str]:
    here = Path(__file__).parent
    return sorted(m.name[len("bench_"):] for m in pkgutil.iter_modules([str(here)]) if m.name.startswith("bench_"))


def run(argv: list[str]) -> None:
    names = available()
    if argv[:1] == ["--list"]:
        print("\n".join(names))
        return
    # Benchmark names come first; everything from the first option on is passed to each benchmark.
    first_option = next((i for i, a in enumerate(argv) if a.startswith("-")), len(argv))
    chosen, rest = argv[:first_option] or names, argv[first_option:]
    for name in chosen:
        if name not in names:
            sys.exit(f"没有名为 {name} 的基准测试（可选：{', '.join(names)}）")
        print(f"== {name} ==", flush=True)
        importlib.import_module(f"bench.bench_{name}").main(rest)


if __name__ == "__main__":
    run(sys.argv[1:])
