"""Property tests: generated valid programs, every registered rule on, no exception.

Programs come from the Python grammar (hypothesmith.from_grammar) and from
libcst node trees (hypothesmith.from_node). The default profile runs a few
hundred derandomized examples; ``--hypothesis-profile=long`` runs thousands
(tests/conftest.py).
"""

from __future__ import annotations

import ast
import warnings

import hypothesmith
import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from tests.helpers import ALL_CODES, run_checker

# hypothesmith compiles what it generates: "'int' object is not callable" and friends.
pytestmark = pytest.mark.filterwarnings("ignore::SyntaxWarning")

SELECT = ",".join(sorted(ALL_CODES))  # every rule, the default-off ones too

# Shapes the rules look for, so generated code reaches their deeper paths.
PRELUDE = (
    "import os, sqlite3, subprocess\n"
    "from flask import Flask, request\n"
    "app = Flask(__name__)\n"
)
SINK_SHAPES = [
    "os.system({x})", "subprocess.run({x}, shell=True)", "eval({x})", "open({x})",
    "sqlite3.connect('a').execute({x})", "cur.execute('SELECT ' + {x})",
]


def parses(source: str) -> bool:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            ast.parse(source)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return False
    return True


def lint_all(source: str) -> None:
    assume(parses(source))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SyntaxWarning)  # generated code: "'int' object is not callable"
        found = run_checker(source, select=SELECT)  # strict: an internal error raises
    assert found == sorted(set(found))
    assert all(text.startswith("SEC") for _, _, text in found)


@given(hypothesmith.from_grammar())
@example("x = 1\n")
def test_grammar_programs(source: str) -> None:
    lint_all(source)


@given(hypothesmith.from_node())
def test_cst_programs(source: str) -> None:
    lint_all(source)


@st.composite
def handler_programs(draw: st.DrawFn) -> str:
    """A Flask handler whose body is generated code between request data and sinks."""
    body = draw(hypothesmith.from_node())
    assume(parses(body))
    lines = ["    q = request.args['q']"]
    lines += ["    " + line for line in body.splitlines() if line.strip()]
    lines.append("    " + draw(st.sampled_from(SINK_SHAPES)).format(x=draw(st.sampled_from(["q", "x", "q + x"]))))
    return PRELUDE + "@app.route('/x')\ndef view(cur, x):\n" + "\n".join(lines) + "\n"


@given(handler_programs())
def test_generated_code_inside_a_handler(source: str) -> None:
    lint_all(source)
