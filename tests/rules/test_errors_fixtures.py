"""Realistic Flask, Django and FastAPI modules for SEC020-SEC022: every line
marked ``# expect: CODE`` fires, nothing else does."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import expected_findings, lint

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "errors"


@pytest.mark.parametrize("path", sorted(FIXTURES.rglob("*.py")), ids=lambda p: str(p.relative_to(FIXTURES)))
def test_fixture(path: Path) -> None:
    source = path.read_text()
    expected = expected_findings(source)
    actual = sorted({(line, code) for line, _, code in lint(source, select="SEC02", filename=str(path))})
    assert actual == expected
