"""Realistic modules: every line marked ``# expect: CODE`` fires, nothing else does."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import expected_findings, lint

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "web_injection"


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.py")), ids=lambda p: p.stem)
def test_fixture(path: Path) -> None:
    source = path.read_text()
    expected = expected_findings(source)
    assert expected, "a fixture must mark at least one finding"
    actual = sorted({(line, code) for line, _, code in lint(source, filename=str(path))})
    assert actual == expected
