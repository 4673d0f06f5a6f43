"""Every ``--secure-*`` option is read from flake8's configuration files and
documented, with its default, in the README's Configuration table."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from flake8_secure.plugin import Checker

ROOT = Path(__file__).resolve().parent.parent
APP = (
    "import sqlite3\n"
    "def find(name):\n"
    "    sqlite3.connect('a.db').execute(f\"SELECT * FROM t WHERE n = '{name}'\")\n"
)


class RecordingManager:
    """Stands in for flake8's option manager: records what the plugin registers."""

    def __init__(self) -> None:
        self.options: dict[str, dict[str, Any]] = {}

    def add_option(self, *names: str, **kwargs: Any) -> None:
        self.options[names[0]] = kwargs

    def extend_default_ignore(self, codes: list[str]) -> None:
        pass


def registered_options() -> dict[str, dict[str, Any]]:
    manager = RecordingManager()
    Checker.add_options(manager)
    return manager.options


def readme_options_table() -> dict[str, str]:
    """option -> documented default, from the table after the options-table marker."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("<!-- options-table", 1)[1].split("\n\n", 1)[0]
    return dict(re.findall(r"^\| `(--secure-[a-z-]+)` \| ([^|]+?) \|", table, re.MULTILINE))


def test_plugin_registers_options() -> None:
    assert registered_options()


@pytest.mark.parametrize("option", sorted(registered_options()))
def test_option_is_configurable_and_documented(option: str) -> None:
    spec = registered_options()[option]
    assert option.startswith("--secure-")
    assert spec.get("parse_from_config") is True
    documented = readme_options_table()
    assert option in documented, "add the option to the README's Configuration table"
    assert documented[option] == documented_default(spec.get("default"))


def documented_default(default: object) -> str:
    """How the table spells a default: off, none, or the value in backticks."""
    if default is False:
        return "off"
    if default is None or default in ("", [], ()):
        return "none"
    if isinstance(default, float):
        return f"`{default:g}`"
    if isinstance(default, (list, tuple)):
        return f"`{','.join(map(str, default))}`"
    return f"`{default}`"


def test_readme_documents_no_unknown_option() -> None:
    assert set(readme_options_table()) == set(registered_options())


def flake8(cwd: Path) -> subprocess.CompletedProcess[str]:
    # Not --isolated: the point is that flake8 reads the configuration file.
    cmd = [sys.executable, "-m", "flake8", "--select", "SEC", "app.py"]
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("config_file", ["setup.cfg", "tox.ini", ".flake8"])
def test_options_are_read_from_config_files(config_file: str, tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(APP)
    assert "SEC001" in flake8(tmp_path).stdout
    # A zero time budget makes the plugin give up on every file: nothing is reported.
    (tmp_path / config_file).write_text("[flake8]\nsecure-file-time-limit = 0\n")
    proc = flake8(tmp_path)
    assert proc.returncode == 0 and proc.stdout == "", proc.stderr
