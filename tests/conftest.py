"""Shared fixtures: real archives in temporary folders."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive_tui import Archive, counter_actor, system_actor
from sample_fixtures import sample_build  # noqa: F401  (registered here once: one build per session and worker)

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_archive"


@pytest.fixture
def archive(tmp_path: Path) -> Archive:
    arc = Archive.create(tmp_path / "archive", org_code="003226443")
    yield arc
    arc.close()


@pytest.fixture
def staff():
    return system_actor("测试档案员")


@pytest.fixture
def clerk():
    return counter_actor("测试窗口")
