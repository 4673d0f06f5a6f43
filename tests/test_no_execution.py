"""The analysed code is never imported or run, and C extensions are never loaded.

The linted module, its sibling modules and its package ``__init__`` each
create a marker file when executed; a C extension sits in the package too.
Linting follows constants into the siblings (astroid reads their source), so
the test also proves the siblings were analysed, not merely skipped.
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import pytest

from tests.helpers import ALL_CODES, run_checker

SIDE_EFFECT = "import pathlib\npathlib.Path({marker!r}).write_text('executed')\n"

APP = '''
import sqlite3
from pkg.settings import TABLE
from pkg import _testcapi
from pkg._testcapi import INT_MAX
from . import helpers
from .helpers import COLUMN
{effect}
def report(cur, name):
    cur.execute("SELECT * FROM " + TABLE)
    cur.execute("SELECT " + COLUMN + " FROM t")
    cur.execute("SELECT * FROM t WHERE n = " + str(INT_MAX) + name)
    cur.execute("SELECT %s FROM t" % helpers.COLUMN)
    return _testcapi
'''


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    for name, body in {
        "__init__": "",
        "settings": "TABLE = 'users'\n",
        "helpers": "COLUMN = 'name'\nimport os\nos.system('touch hacked')\n",
    }.items():
        marker = tmp_path / f"EXECUTED-{name}"
        (pkg / f"{name}.py").write_text(SIDE_EFFECT.format(marker=str(marker)) + body)
    (pkg / "app.py").write_text(APP.format(effect=SIDE_EFFECT.format(marker=str(tmp_path / "EXECUTED-app"))))
    spec = importlib.util.find_spec("_testcapi")
    if spec is not None and spec.origin and spec.origin.endswith(tuple(importlib.machinery.EXTENSION_SUFFIXES)):
        shutil.copy(spec.origin, pkg / Path(spec.origin).name)
    return tmp_path


def test_linting_never_imports_or_runs_the_project(project: Path) -> None:
    before = set(sys.modules)
    app = project / "pkg" / "app.py"
    found = run_checker(app.read_text(), select=",".join(sorted(ALL_CODES)), filename=str(app))
    assert sorted(p.name for p in project.iterdir()) == ["pkg"], "a module of the project was executed"
    assert not (Path.cwd() / "hacked").exists()
    assert not {m for m in set(sys.modules) - before if m == "pkg" or m.startswith(("pkg.", "_testcapi"))}
    # The constants came from the siblings' source: only the query with `name` is reported
    # (other rule families may report the marker writes themselves).
    assert [line for line, _, text in found if text.startswith("SEC001")] == [14]


def test_astroid_cache_is_bounded(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Sibling and stdlib modules astroid built do not pile up for the whole run."""
    from astroid.manager import AstroidManager

    from flake8_secure.analysis import inference

    monkeypatch.setattr(inference, "MAX_CACHED_MODULES", 0)
    app = project / "pkg" / "app.py"
    clears = inference.STATS["cache_clears"]
    found = run_checker(app.read_text(), select="SEC001", filename=str(app))
    assert [line for line, _, _ in found] == [14]  # the siblings were still followed
    assert inference.STATS["cache_clears"] == clears + 1
    assert not [name for name in AstroidManager().astroid_cache if name.startswith("pkg")]
    again = run_checker(app.read_text(), select="SEC001", filename=str(app))
    assert again == found  # astroid works as before after its cache was cleared
