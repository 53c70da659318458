"""The whole ``sample_archive/`` built once per test session with the real ``archive-tui demo-setup`` (ingest with
OCR, then the demo review: 29 released, 1 withheld, 2 pending) — it takes minutes, so every test that needs it
shares one build. A session fixture lives once per xdist worker: mark those tests with :data:`SAMPLE_GROUP` so
``--dist loadgroup`` sends them all to the same worker and the build happens once."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_archive"
#: The ``archive-tui`` console script installed next to the Python running the tests (the venv's).
CLI = Path(sys.executable).with_name("archive-tui")
SAMPLE_GROUP = pytest.mark.xdist_group("sample-build")


def demo(archive: Path, sample: Path) -> subprocess.CompletedProcess:
    """``archive-tui --archive ARCHIVE demo-setup SAMPLE`` on two workers."""
    return subprocess.run([str(CLI), "--archive", str(archive), "demo-setup", str(sample), "--jobs", "2"],
                          capture_output=True, text=True, timeout=1800)


def sample_truths() -> list[dict[str, Any]]:
    """Ground truth of every sample document (``truth/index.json`` is the index, not a document)."""
    truths = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((SAMPLE / "truth").glob("*.json"))]
    return [t for t in truths if "files" in t]


@dataclass(frozen=True)
class SampleBuild:
    folder: Path
    run: subprocess.CompletedProcess


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> SampleBuild:
    """The sample archive, built once. Tests must not change it; copy the folder to write to it."""
    if not (SAMPLE / "truth").is_dir():
        pytest.skip("sample_archive/ has not been generated yet")
    folder = tmp_path_factory.mktemp("sample-build") / "archive"
    run = demo(folder, SAMPLE)
    assert run.returncode == 0, run.stderr
    return SampleBuild(folder, run)
