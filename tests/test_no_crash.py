"""The plugin raises nothing on real code: every .py file of installed packages."""

from __future__ import annotations

import ast
import importlib.util
import time
import warnings
from pathlib import Path

import pytest

from tests.helpers import run_checker

CORPUS_PACKAGES = ("flake8", "astroid", "_pytest", "pyflakes", "hypothesis")


def package_files(name: str) -> list[Path]:
    spec = importlib.util.find_spec(name)
    assert spec is not None and spec.submodule_search_locations, name
    root = Path(next(iter(spec.submodule_search_locations)))
    return sorted(root.rglob("*.py"))


@pytest.mark.corpus
@pytest.mark.parametrize("package", CORPUS_PACKAGES)
def test_no_exception_on_installed_package(package: str) -> None:
    files = package_files(package)
    assert len(files) > 5
    start = time.perf_counter()
    linted = 0
    for path in files:
        source = path.read_text(encoding="utf-8", errors="replace")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                ast.parse(source)
            except SyntaxError:
                continue  # flake8 reports E999 for these; the plugin never sees them
        run_checker(source, filename=str(path))  # strict: any internal error raises
        linted += 1
    print(f"{package}: {linted} files in {time.perf_counter() - start:.1f}s")
    assert linted > 5
