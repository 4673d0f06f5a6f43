"""``statements_under``: the statements ``descendants`` meets, in its order, for less."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from flake8_secure.analysis.nodes import descendants, statements_under
from tests.test_prefilters import FIXTURES, rule_cases

STATEMENT_LIKE = (ast.stmt, ast.excepthandler, ast.match_case)
MATCH_AND_TRY = '''
def handle(event, self):
    match event:
        case {"kind": "refund"} if self.open:
            self.state = "refunding"
        case _:
            try:
                self.state = "done"
            except* ValueError:
                self.error = "bad"
            finally:
                global LAST
                LAST = event
'''


def sources() -> list[str]:
    return [MATCH_AND_TRY] + [c.source for c in rule_cases()] + [p.read_text(encoding="utf-8") for p in FIXTURES]


@pytest.mark.skipif(not hasattr(ast, "TryStar"), reason="except* needs Python 3.11+")
def test_statements_under_meets_the_statements_descendants_meets_in_its_order() -> None:
    checked = 0
    for source in sources():
        tree = ast.parse(source)
        for root in [tree, *(n for n in ast.walk(tree) if isinstance(n, STATEMENT_LIKE))]:
            expected = [n for n in descendants(root) if n is root or isinstance(n, STATEMENT_LIKE)]
            assert list(statements_under(root)) == expected
            checked += 1
    assert checked > 5000
    handle = ast.parse(MATCH_AND_TRY).body[0]
    assert any(isinstance(n, ast.Global) for n in statements_under(handle))  # in a finally under except* under case


def test_a_file_of_the_standard_library() -> None:
    path = Path(ast.__file__)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assert list(statements_under(tree)) == [n for n in descendants(tree) if n is tree or isinstance(n, STATEMENT_LIKE)]
