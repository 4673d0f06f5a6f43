"""Realistic auth, billing and settings modules with a safe twin per
positive, and a module of known noise: every ``# expect: CODE`` line fires,
nothing else does."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import expected_findings, lint

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "crypto"


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.py")), ids=lambda p: p.stem)
def test_fixture(path: Path) -> None:
    source = path.read_text()
    # Linted under an application path: test files are exempt from some rules.
    actual = sorted({(line, code) for line, _, code in lint(source, filename=f"shop/{path.name}")})
    assert actual == expected_findings(source)
