"""Realistic modules, one directory per rule family under tests/fixtures:
every line marked ``# expect: SECnnn`` fires, and nothing else does (the
safe twin written beside each positive, the values that cannot be inferred).

Each directory is linted with its family selected; the set of (line, code)
found must equal the set of markers exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from flake8_secure.registry import RULES
from tests.helpers import expected_findings, lint

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@dataclass(frozen=True)
class FixtureSet:
    directory: str
    select: str  # the codes linted, as flake8 --select spells them
    covers: frozenset[str]  # codes the directory's markers must include
    # Files with no marker on purpose (a module of known noise, a package
    # __init__, a settings module that is a safe twin); every other file
    # must mark at least one finding.
    clean: frozenset[str] = frozenset()
    # Lint under an application path: the fixtures live under tests/, and
    # test files are exempt from some rules.
    as_application: bool = False

    def files(self) -> list[Path]:
        return sorted((FIXTURES / self.directory).rglob("*.py"))

    def name(self, path: Path) -> str:
        return path.relative_to(FIXTURES / self.directory).as_posix()

    def filename(self, path: Path) -> str:
        # The real path otherwise: sibling modules are resolved from it.
        return f"shop/{path.name}" if self.as_application else str(path)


def codes(*names: str) -> frozenset[str]:
    return frozenset(names)


SETS = [
    FixtureSet("sql", "SEC", codes("SEC001", "SEC002")),
    FixtureSet("handlers", "SEC003,SEC004,SEC005,SEC010,SEC011",
               codes("SEC003", "SEC004", "SEC005", "SEC010", "SEC011")),
    FixtureSet("web_injection", "SEC", codes("SEC015", "SEC016", "SEC017", "SEC018", "SEC019")),
    FixtureSet("errors", "SEC02", codes("SEC020", "SEC021", "SEC022"), clean=codes("mysite/settings/base.py")),
    # SEC033 is default off: the family prefix SEC03 selects it explicitly.
    FixtureSet("privileges", "SEC03,SEC04",
               codes("SEC030", "SEC031", "SEC032", "SEC033", "SEC034", "SEC040", "SEC041", "SEC042",
                     "SEC044", "SEC045")),
    FixtureSet("transport", "SEC03,SEC04", codes("SEC033", "SEC040", "SEC041", "SEC043", "SEC046"),
               clean=codes("shopclient/__init__.py", "shopsite/__init__.py", "shopsite/settings_dev.py",
                           "shopsite/settings_partner_api.py", "shopsite/settings_public_api.py")),
    FixtureSet("crypto", "SEC", codes("SEC050", "SEC052", "SEC053", "SEC054", "SEC055"),
               clean=codes("noise.py"), as_application=True),
]
FILES = [(s, path) for s in SETS for path in s.files()]


@pytest.mark.parametrize(("fixtures", "path"), FILES, ids=[f"{s.directory}/{s.name(p)}" for s, p in FILES])
def test_fixture(fixtures: FixtureSet, path: Path) -> None:
    source = path.read_text()
    expected = expected_findings(source)
    if fixtures.name(path) in fixtures.clean:
        assert not expected, "a file listed as clean marks no finding"
    else:
        assert expected, "a fixture must mark at least one finding"
    found = lint(source, select=fixtures.select, filename=fixtures.filename(path))
    assert sorted({(line, code) for line, _, code in found}) == expected


@pytest.mark.parametrize("fixtures", SETS, ids=[s.directory for s in SETS])
def test_fixture_set(fixtures: FixtureSet) -> None:
    names = {fixtures.name(p) for p in fixtures.files()}
    assert fixtures.clean <= names, "every clean file exists"
    marked = {code for path in fixtures.files() for _, code in expected_findings(path.read_text())}
    assert marked >= fixtures.covers


def test_every_least_privilege_and_transport_rule_has_fixtures() -> None:
    family = {rule.code for rule in RULES if rule.code.startswith(("SEC03", "SEC04"))}
    covered = {code for s in SETS if s.select == "SEC03,SEC04" for code in s.covers}
    assert family and family <= covered
