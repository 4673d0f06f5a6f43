"""Realistic Flask, Django and FastAPI modules for SEC003-SEC005 and SEC010-SEC011:
every line marked ``# expect: CODE`` fires, its safe twin beside it does not."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import lint
from tests.rules.test_sql_fixtures import expected_findings

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "handlers"


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.py")), ids=lambda p: p.stem)
def test_fixture(path: Path) -> None:
    source = path.read_text()
    expected = expected_findings(source)
    assert expected, "a fixture must mark at least one finding"
    # This family only: the fixtures set cookies without Secure on purpose (SEC043 has its own).
    family = "SEC003,SEC004,SEC005,SEC010,SEC011"
    actual = sorted({(line, code) for line, _, code in lint(source, select=family, filename=str(path))})
    assert actual == expected


def test_fixtures_cover_every_handler_rule() -> None:
    marked = {code for path in FIXTURES.glob("*.py") for _, code in expected_findings(path.read_text())}
    assert marked >= {"SEC003", "SEC004", "SEC005", "SEC010", "SEC011"}
