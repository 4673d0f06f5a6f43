"""End to end through the real ``flake8`` command and its entry point."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BAD = "cur.execute(f\"SELECT * FROM users WHERE name = '{name}'\")"
APP = (
    "import sqlite3\n"
    "def find(name):\n"
    "    cur = sqlite3.connect('app.db').cursor()\n"
    f"    {BAD}\n"
    f"    {BAD}  # noqa: SEC001\n"
    "    cur.execute('SELECT * FROM users WHERE name = ?', (name,))\n"
)


def flake8(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "flake8", "--isolated", *args]
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=300)


def test_cli_reports_and_honours_noqa(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(APP)
    proc = flake8(tmp_path, "--select", "SEC", "app.py")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert [ln.split(" ", 2)[:2] for ln in proc.stdout.splitlines()] == [["app.py:4:5:", "SEC001"]]


def test_cli_is_quiet_when_not_selected(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(APP)
    proc = flake8(tmp_path, "--select", "E9", "app.py")
    assert proc.returncode == 0 and proc.stdout == ""


def test_cli_default_selection_includes_sec(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(APP)
    proc = flake8(tmp_path, "app.py")
    assert "SEC001" in proc.stdout


def test_plugin_is_registered() -> None:
    proc = subprocess.run([sys.executable, "-m", "flake8", "--version"], capture_output=True, text=True)
    assert "flake8-secure" in proc.stdout


@pytest.fixture()
def many_files(tmp_path: Path) -> Path:
    for i in range(12):
        (tmp_path / f"mod{i:02d}.py").write_text(APP.replace("users", f"users{i}"))
    (tmp_path / "clean.py").write_text("x = 1\n")
    return tmp_path


def test_parallel_output_equals_serial(many_files: Path) -> None:
    serial = flake8(many_files, "--select", "SEC", "-j", "1", ".")
    parallel = flake8(many_files, "--select", "SEC", "-j", "2", ".")
    assert serial.stdout.count("SEC001") == 12
    assert serial.stdout == parallel.stdout
    assert "Traceback" not in serial.stderr + parallel.stderr


def test_syntax_errors_stay_flake8s(tmp_path: Path) -> None:
    (tmp_path / "broken.py").write_text("def f(:\n    pass\n")
    proc = flake8(tmp_path, "--select", "SEC,E999", "broken.py")
    assert "E999" in proc.stdout and "SEC" not in proc.stdout and "Traceback" not in proc.stderr


def test_bundled_example_reports_findings() -> None:
    root = Path(__file__).resolve().parent.parent
    proc = flake8(root, "--select", "SEC", "examples")
    assert proc.returncode == 1, proc.stderr
    found = {ln.split()[1] for ln in proc.stdout.splitlines()}
    assert found == {"SEC001", "SEC002"}


def test_two_runs_and_file_order_give_the_same_findings(many_files: Path) -> None:
    names = sorted(p.name for p in many_files.iterdir())
    first = flake8(many_files, "--select", "SEC", "-j", "1", *names)
    again = flake8(many_files, "--select", "SEC", "-j", "1", *names)
    reverse = flake8(many_files, "--select", "SEC", "-j", "2", *reversed(names))
    assert first.stdout and first.stdout == again.stdout

    def by_file(out: str) -> dict[str, list[str]]:
        grouped: dict[str, list[str]] = {}
        for line in out.splitlines():
            grouped.setdefault(line.split(":", 1)[0], []).append(line)
        return grouped

    assert by_file(reverse.stdout) == by_file(first.stdout)
