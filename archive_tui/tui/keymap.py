"""Configurable keys: ``[keymap]`` in ``config.toml`` under the user config folder maps binding ids to keys.

Example (``~/.config/archive-tui/config.toml``)::

    [keymap]
    "counter.search" = "/,ctrl+s"
    "record.print" = "p,f10"

The file is read once at start; the ids are those shown on the help screen (``?`` or F1).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

CONFIG_ENV = "ARCHIVE_TUI_CONFIG"


def config_path() -> Path:
    """``$ARCHIVE_TUI_CONFIG`` if set, else ``config.toml`` in the platform's user config folder."""
    env = os.environ.get(CONFIG_ENV)
    return Path(env) if env else Path(platformdirs.user_config_dir("archive-tui")) / "config.toml"


@dataclass
class KeymapConfig:
    keymap: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def load(path: Path | None = None) -> KeymapConfig:
    """The keymap of the config file; a missing file is an empty keymap, a broken one is reported, not fatal."""
    path = path or config_path()
    if not path.is_file():
        return KeymapConfig()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        return KeymapConfig(problems=[f"配置文件「{path}」无法读取，已使用默认按键（{exc}）"])
    table = data.get("keymap", {})
    if not isinstance(table, dict):
        return KeymapConfig(problems=[f"配置文件「{path}」中的 [keymap] 应是一个表，已忽略"])
    config = KeymapConfig()
    for binding_id, keys in table.items():
        if isinstance(keys, str) and keys.strip():
            config.keymap[binding_id] = keys.replace(" ", "")
        else:
            config.problems.append(f"按键设置「{binding_id}」应是非空字符串，如 \"ctrl+s\"，已忽略")
    return config
