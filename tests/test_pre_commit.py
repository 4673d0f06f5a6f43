"""``.pre-commit-hooks.yaml`` names a hook that pre-commit can run."""

from __future__ import annotations

import shlex
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
BAD = (
    "import sqlite3\n"
    "def find(name):\n"
    "    sqlite3.connect('a.db').execute(f\"SELECT * FROM t WHERE n = '{name}'\")\n"
)


def hook() -> dict[str, Any]:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (only,) = hooks
    assert isinstance(only, dict)
    return only


def test_hook_declares_what_pre_commit_requires() -> None:
    h = hook()
    assert {"id", "name", "entry", "language"} <= set(h)
    assert h["id"] == "flake8-secure" and h["language"] == "python" and h["types"] == ["python"]
    assert shlex.split(h["entry"])[1:] == ["--select", "SEC"]


def test_hook_entry_is_an_installed_console_script() -> None:
    program = shlex.split(hook()["entry"])[0]
    assert entry_points(group="console_scripts", name=program)


def test_hook_entry_runs_on_the_files_pre_commit_passes(tmp_path: Path) -> None:
    """pre-commit runs ``entry`` with the staged file names appended."""
    (tmp_path / "bad.py").write_text(BAD)
    (tmp_path / "good.py").write_text("x = 1\n")
    program, *args = shlex.split(hook()["entry"])
    script = Path(sys.executable).parent / program
    assert script.exists(), f"{program} is not installed next to {sys.executable}"
    # --isolated: the temporary directory must not pick up a user's flake8 configuration.
    cmd = [str(script), "--isolated", *args]
    bad = subprocess.run([*cmd, "bad.py", "good.py"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert bad.returncode == 1 and bad.stdout.startswith("bad.py:3:5: SEC001 "), bad.stderr
    good = subprocess.run([*cmd, "good.py"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert good.returncode == 0 and good.stdout == ""
