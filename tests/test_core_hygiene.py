"""The headless core never imports Textual."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import archive_tui


def test_core_imports_without_textual() -> None:
    modules = [m.name for m in pkgutil.walk_packages(archive_tui.__path__, "archive_tui.")
               if ".tui" not in m.name and not m.name.endswith("__main__")]
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "leaked = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(len(leaked)); sys.exit(1 if leaked else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert len(modules) > 10
