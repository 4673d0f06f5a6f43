"""Shared test helpers: lint a snippet with the real checker, strictly."""

from __future__ import annotations

import ast
import re
import textwrap
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

import pytest

from flake8_secure.plugin import Checker
from flake8_secure.registry import RULES, Finding, Rule, load_rules
from flake8_secure.settings import Settings

load_rules()
ALL_CODES = frozenset(RULES.codes())

Triple = tuple[int, int, str]


@dataclass(frozen=True)
class Case:
    id: str
    source: str
    expected: list[Triple] = field(default_factory=list)


def case(id: str, source: str, expected: list[Triple]) -> Case:
    return Case(id, textwrap.dedent(source).lstrip("\n"), expected)


def run_checker(
    source: str, select: str = "SEC", filename: str = "example.py", **options: object
) -> list[tuple[int, int, str]]:
    """(line, col, message) of every finding, every rule matching ``select`` on;
    ``options`` are further ``Settings`` fields (``strict_validation=True``)."""
    codes = frozenset(c for c in ALL_CODES if c.startswith(tuple(select.split(","))))
    settings = Settings(enabled_codes=codes, strict=True, file_time_limit=60.0, **options)  # type: ignore[arg-type]
    tree = ast.parse(source)
    checker = Checker(tree, source.splitlines(keepends=True), filename)
    original = Checker.settings
    Checker.settings = settings
    try:
        return [(line, col, text) for line, col, text, _ in checker.run()]
    finally:
        Checker.settings = original


def checks_asked(
    monkeypatch: pytest.MonkeyPatch, codes: Sequence[str], source: str,
    describe: Callable[[str, ast.AST], str] = lambda code, node: f"{code} {ast.unparse(node)}",
) -> list[str]:
    """What the rules ``codes`` are asked to check when ``source`` is linted
    with them on (their checks replaced by a recorder), sorted."""
    seen: list[str] = []

    def record(self: Rule, node: ast.AST, ctx: object) -> Iterator[Finding]:
        seen.append(describe(self.code, node))
        return iter(())

    for code in codes:
        monkeypatch.setattr(RULES[code], "check", record)
    Checker._dispatch.clear()
    try:
        run_checker(source, select=",".join(codes))
    finally:
        Checker._dispatch.clear()
    return sorted(seen)


def lint(source: str, select: str = "SEC", filename: str = "example.py", **options: object) -> list[Triple]:
    """(line, col, code) triples, the form the parametrised cases use."""
    return [(line, col, text.split(" ", 1)[0]) for line, col, text in run_checker(source, select, filename, **options)]


def codes(findings: list[Triple]) -> set[str]:
    return {code for _, _, code in findings}


_EXPECT = re.compile(r"#\s*expect:\s*(SEC\d{3})")


def expected_findings(source: str) -> list[tuple[int, str]]:
    """(line, code) of every line a fixture marks ``# expect: SECnnn``."""
    found = []
    for number, line in enumerate(source.splitlines(), start=1):
        match = _EXPECT.search(line)
        if match:
            found.append((number, match.group(1)))
    return sorted(found)
