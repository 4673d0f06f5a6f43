"""One realistic app per framework (Flask blueprint, Django views with DRF,
FastAPI router) with every request-data rule: each line marked
``# expect: CODE`` fires, and its safe twin beside it stays silent."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import expected_findings, lint

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "apps"
# The request-data family; other families (cookie flags, debug settings) have their own fixtures.
FAMILY = ("SEC003", "SEC004", "SEC005", "SEC010", "SEC011", "SEC012", "SEC013", "SEC014", "SEC015", "SEC016",
          "SEC017", "SEC018", "SEC019")
APPS = sorted(FIXTURES.glob("*.py"))


@pytest.mark.parametrize("path", APPS, ids=lambda p: p.stem)
def test_app(path: Path) -> None:
    source = path.read_text()
    actual = sorted({(line, code) for line, _, code in lint(source, select=",".join(FAMILY), filename=str(path))})
    assert actual == expected_findings(source)


@pytest.mark.parametrize("path", APPS, ids=lambda p: p.stem)
def test_app_covers_every_rule(path: Path) -> None:
    marked = {code for _, code in expected_findings(path.read_text())}
    assert sorted(set(FAMILY) - marked) == []


def test_one_app_per_framework() -> None:
    assert [p.stem for p in APPS] == ["django_shop", "fastapi_shop", "flask_shop"]
