"""The plugin raises nothing on real code: every .py file of the test
environment's site-packages (flake8, astroid, pytest, hypothesis, libcst,
mypy, pip and friends: thousands of files), every rule on, strict."""

from __future__ import annotations

import ast
import sys
import time
import warnings
from pathlib import Path

import flake8
import pytest

from tests.helpers import ALL_CODES, run_checker

SITE_PACKAGES = Path(flake8.__file__).resolve().parent.parent
SELECT = ",".join(sorted(ALL_CODES))  # the default-off rules too


def groups() -> dict[str, list[Path]]:
    """Top-level packages of site-packages (single modules together)."""
    found: dict[str, list[Path]] = {}
    for entry in sorted(SITE_PACKAGES.iterdir()):
        if entry.is_dir() and not entry.name.endswith((".dist-info", ".egg-info", "__pycache__")):
            files = sorted(p for p in entry.rglob("*.py") if p.is_file())
            if files:
                found[entry.name] = files
        elif entry.suffix == ".py":
            found.setdefault("(modules)", []).append(entry)
    return found


GROUPS = groups()


@pytest.mark.corpus
@pytest.mark.parametrize("group", sorted(GROUPS))
def test_no_exception_on_installed_packages(group: str, capsys: pytest.CaptureFixture[str]) -> None:
    start = time.perf_counter()
    linted = 0
    for path in GROUPS[group]:
        try:
            source = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue  # flake8 reports E902 for these
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                ast.parse(source)
            except (SyntaxError, ValueError, RecursionError):
                continue  # flake8 reports E999 for these; the plugin never sees them
        run_checker(source, select=SELECT, filename=str(path))  # strict: any internal error raises
        linted += 1
    with capsys.disabled():
        sys.stdout.write(f"\n[corpus] {group}: {linted} files in {time.perf_counter() - start:.1f} s ")


@pytest.mark.corpus
def test_corpus_is_large() -> None:
    assert len(GROUPS) >= 10
    assert sum(len(files) for files in GROUPS.values()) >= 1000
    assert {"flake8", "astroid", "_pytest", "hypothesis", "libcst"} <= set(GROUPS)
