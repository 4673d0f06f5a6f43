"""Hostile inputs: every rule on (default-off ones too), no exception, bounded time.

Each input is linted strictly (an internal error raises) under the per-file
time guard; when the guard trips the file gets no findings and a debug log
line, never a partial result or a crash.
"""

from __future__ import annotations

import ast
import logging
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from flake8_secure.plugin import Checker
from flake8_secure.settings import Settings
from tests.helpers import ALL_CODES

# Generous on a loaded CI machine; the inputs take well under a second each.
LIMIT = 20.0

FLASK = "import os, sqlite3\nfrom flask import Flask, request\napp = Flask(__name__)\n"
SQL_SINK = "sqlite3.connect('a.db').execute('SELECT * FROM t WHERE n = ' + {arg})\n"


def guarded(source: str, limit: float = LIMIT, filename: str = "hostile.py") -> tuple[list[tuple[int, int, str]], float]:
    """Findings (every registered rule on, strict) and the seconds it took."""
    settings = Settings(enabled_codes=ALL_CODES, strict=True, file_time_limit=limit)
    original = Checker.settings
    Checker.settings = settings
    start = time.perf_counter()
    try:
        tree = ast.parse(source)
        found = [(line, col, text) for line, col, text, _ in
                 Checker(tree, source.splitlines(keepends=True), filename).run()]
    finally:
        Checker.settings = original
    return found, time.perf_counter() - start


def nested_expression() -> str:
    return "x = " + "(" * 100 + "1" + " + 1)" * 100 + "\n"


def nested_brackets() -> str:
    return "x = " + "[" * 100 + "]" * 100 + "\n" + "y = " + "{'a': " * 90 + "1" + "}" * 90 + "\n"


def nested_calls() -> str:
    return FLASK + "def view():\n    q = " + "str(" * 90 + "request.args['q']" + ")" * 90 + "\n" + \
        "    " + SQL_SINK.format(arg="q")


def long_module() -> str:
    body = "".join(f"v{i} = {i} + len('{i}')\n" for i in range(50_000))
    return "import os\n" + body + "os.system('ls ' + str(v49999))\n"


def long_concatenation() -> str:
    """5,000 terms, in parenthesised groups of 1,000: CPython's own parser (and
    so flake8, before any plugin runs) fails on one flat chain of ~3,000."""
    groups = ("(" + " + ".join(f"'part{i} '" for i in range(g, g + 1_000)) + ")" for g in range(0, 5_000, 1_000))
    return "import sqlite3\nQ = " + " + ".join(groups) + "\n" + SQL_SINK.format(arg="Q")


def many_branches() -> str:
    lines = [FLASK, "@app.route('/x')\ndef view():\n    q = request.args['q']\n    s = ''\n"]
    for i in range(2_000):
        lines.append(f"    {'if' if i == 0 else 'elif'} q.startswith('{i}'):\n        s = s + q + '{i}'\n")
    lines.append("    " + SQL_SINK.format(arg="s"))
    return "".join(lines)


def recursive_helpers() -> str:
    helpers = "".join(
        f"def h{i}(v):\n    return h{i + 1}(v) + 'x'\n" for i in range(200)
    )
    return FLASK + helpers + "def h200(v):\n    return h0(v)\n" + \
        "def run(cmd):\n    return run(cmd) or os.system(cmd)\n" + \
        "@app.route('/x')\ndef view():\n    run(h0(request.args['q']))\n"


def mutual_recursion() -> str:
    return FLASK + (
        "def even(s, n):\n    return s if n == 0 else odd(s + 'a', n - 1)\n"
        "def odd(s, n):\n    return even(s + 'b', n - 1)\n"
        "def sink(s):\n    if s:\n        os.system(s)\n    return deeper(s)\n"
        "def deeper(s):\n    return sink(s[1:])\n"
        "@app.route('/x')\ndef view():\n    sink(even(request.args['q'], 3))\n"
    )


def self_referential() -> str:
    return FLASK + (
        "X = 'a'\nX = X + X\nY = Y if False else 'b'\n"
        "def f():\n    x = 'a'\n    for _ in range(10):\n        x = x + x\n        x += x\n"
        "    while True:\n        x = [x, x]\n    os.system(x)\n"
        "@app.route('/x')\ndef view():\n    q = request.args['q']\n    for _ in range(5):\n"
        "        q = q + q\n    " + SQL_SINK.format(arg="q")
    )


def huge_literals() -> str:
    return (
        "import sqlite3\nS = '" + "a" * 2_000_000 + "'\nN = 10 ** 10000\nB = 1 << 10000000\n"
        "L = [" + ", ".join(str(i) for i in range(100_000)) + "]\nT = S * 1000000\n"
        "D = {" + ", ".join(f"'{i}': {i}" for i in range(20_000)) + "}\n"
        + SQL_SINK.format(arg="S + str(N) + T")
    )


def star_imports() -> str:
    return "from os import *\nfrom subprocess import *\nfrom flask import *\n" \
        "system('ls')\nrun(request.args['q'], shell=True)\n"


def exec_built_names() -> str:
    return (
        "import os\nfor n in ('a', 'b'):\n    exec(f'{n} = 1')\n    globals()[n] = os.getcwd()\n"
        "vars()['system'] = print\nsetattr(os, 'system', print)\nos.system(a + b)\n"
    )


def side_effect_decorators() -> str:
    return FLASK + (
        "def run_shell(f):\n    os.system('rm -rf /')\n    return f\n"
        "@run_shell\n@exec\n@eval\n@app.route('/x')\n@__import__('os').system\n"
        "def view():\n    return request.args['q']\n"
    )


INPUTS: dict[str, Callable[[], str]] = {
    "100-level-nested-expression": nested_expression,
    "100-level-nested-brackets": nested_brackets,
    "90-level-nested-calls": nested_calls,
    "5000-term-concatenation": long_concatenation,
    "2000-branch-function": many_branches,
    "deep-and-direct-recursion": recursive_helpers,
    "mutual-recursion": mutual_recursion,
    "self-referential-assignments": self_referential,
    "huge-literals": huge_literals,
    "star-imports": star_imports,
    "exec-built-names": exec_built_names,
    "side-effect-decorators": side_effect_decorators,
}


@pytest.mark.parametrize("make", INPUTS.values(), ids=INPUTS.keys())
def test_hostile_input_finishes_without_exception(make: Callable[[], str]) -> None:
    source = make()
    found, elapsed = guarded(source)
    assert elapsed < LIMIT + 5, f"the time guard did not stop the analysis ({elapsed:.1f} s)"
    assert all(text.startswith("SEC") for _, _, text in found)
    assert found == sorted(set(found))


def test_concatenated_constants_stay_quiet() -> None:
    found, _ = guarded(long_concatenation())
    assert not [f for f in found if f[2].startswith(("SEC001", "SEC002"))]


def test_many_branches_still_find_the_injection() -> None:
    source = many_branches()
    found, _ = guarded(source)
    assert [line for line, _, text in found if text.startswith("SEC001")] == [len(source.splitlines())]


def test_recursion_terminates_and_follows_the_wrapper() -> None:
    found, _ = guarded(mutual_recursion())
    assert any(text.startswith("SEC012") for _, _, text in found)


def test_guard_stops_inside_one_long_flow(caplog: pytest.LogCaptureFixture) -> None:
    """A single function's flow can run long inside one rule call: the
    deadline is checked per statement there too, and the file reports nothing."""
    source = many_branches().replace("elif", "if") * 3
    caplog.set_level(logging.DEBUG, logger="flake8_secure")
    full, full_elapsed = guarded(source)
    assert full, "the unguarded run finds the injections"
    limit = 0.002
    found, elapsed = guarded(source, limit=limit)
    assert found == []
    assert elapsed < full_elapsed
    assert "gave up after" in caplog.text


CRLF_LATIN1 = (
    "# -*- coding: latin-1 -*-\r\n"
    "import sqlite3\r\n"
    "NOM = 'caf\xe9'\r\n"
    "def find(cur, name):\r\n"
    "    cur.execute(\"SELECT * FROM t WHERE n = '%s' AND c = '\xe9'\" % name)\r\n"
)


def test_latin1_header_and_crlf_in_process() -> None:
    found, _ = guarded(CRLF_LATIN1)
    assert [(line, col, text.split()[0]) for line, col, text in found] == [(5, 4, "SEC001")]


def test_latin1_header_and_crlf_through_flake8(tmp_path: Path) -> None:
    (tmp_path / "legacy.py").write_bytes(CRLF_LATIN1.encode("latin-1"))
    (tmp_path / "crlf.py").write_bytes(CRLF_LATIN1.replace("latin-1", "utf-8").encode("utf-8"))
    proc = subprocess.run(
        [sys.executable, "-m", "flake8", "--isolated", "--select", "SEC,E9", "legacy.py", "crlf.py"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
    )
    assert "Traceback" not in proc.stderr
    assert sorted(ln.split(" ", 2)[:2] for ln in proc.stdout.splitlines()) == [
        ["crlf.py:5:5:", "SEC001"], ["legacy.py:5:5:", "SEC001"],
    ]


def test_huge_environment_gives_up_on_the_file(caplog: pytest.LogCaptureFixture) -> None:
    """Thousands of names read in one body would make every statement copy a
    huge environment: the file is given up (and logged) instead."""
    chain = "".join(f"v{i + 1} = v{i} + 'x'\n" for i in range(3_000))
    source = FLASK + "v0 = request.args['q']\n" + chain + SQL_SINK.format(arg="v3000")
    caplog.set_level(logging.DEBUG, logger="flake8_secure")
    found, elapsed = guarded(source)
    assert found == [] and elapsed < LIMIT
    assert "names tracked in one body" in caplog.text


def test_50000_line_module_is_linted_in_full() -> None:
    """50,000 module constants read by no module-level code do not grow the
    module's environment: the file is linted in full, in linear time."""
    source = "import sqlite3\n" + long_module() + "w = input()\n" + SQL_SINK.format(arg="w") + \
        SQL_SINK.format(arg="str(v49999)")
    found, _ = guarded(source, limit=300)  # a loaded machine must not trip the guard here
    assert [(line, text.split()[0]) for line, _, text in found] == [(50_005, "SEC001")]
