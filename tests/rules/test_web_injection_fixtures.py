"""Realistic modules: every line marked ``# expect: CODE`` fires, nothing else does."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.helpers import lint

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "web_injection"
_EXPECT = re.compile(r"#\s*expect:\s*(SEC\d{3})")


def expected_findings(source: str) -> list[tuple[int, str]]:
    found = []
    for number, line in enumerate(source.splitlines(), start=1):
        match = _EXPECT.search(line)
        if match:
            found.append((number, match.group(1)))
    return sorted(found)


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.py")), ids=lambda p: p.stem)
def test_fixture(path: Path) -> None:
    source = path.read_text()
    expected = expected_findings(source)
    assert expected, "a fixture must mark at least one finding"
    actual = sorted({(line, code) for line, _, code in lint(source, filename=str(path))})
    assert actual == expected
