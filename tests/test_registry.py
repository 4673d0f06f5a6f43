"""Every rule is one complete declaration, and its docs stay in sync."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

from flake8_secure.docs import REQUIRED_HEADINGS, code_block, readme_table, render, sections
from flake8_secure.registry import RULES, Rule
from tests.helpers import Case, codes, lint

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "rules"


def collect_cases() -> dict[str, list[Case]]:
    """The parametrised snippet cases of each rule: every ``tests/rules/test_*.py``
    module exposes ``CASES = {code: [Case, ...]}`` (cases linted with that code selected)."""
    merged: dict[str, list[Case]] = {}
    for path in sorted((ROOT / "tests" / "rules").glob("test_*.py")):
        module = importlib.import_module(f"tests.rules.{path.stem}")
        for code, cases in getattr(module, "CASES", {}).items():
            merged.setdefault(code, []).extend(cases)
    return merged


CASES = collect_cases()


def has_positive_case(code: str) -> bool:
    return any(code in codes(c.expected) for c in CASES.get(code, ()))


def has_negative_case(code: str) -> bool:
    return any(code not in codes(c.expected) for c in CASES.get(code, ()))


@pytest.mark.parametrize("rule", list(RULES), ids=lambda r: r.code)
def test_rule_is_complete(rule: type[Rule]) -> None:
    doc = sections(rule.__doc__)
    assert set(doc) >= set(REQUIRED_HEADINGS)
    assert not rule.cwe or f"CWE-{rule.cwe[0]}" in doc["References"]  # housekeeping rules have none
    # A post-pass rule reads the other rules' findings: lint with them on.
    select = f"SEC0,{rule.code}" if rule.post_pass else rule.code
    assert rule.code in codes(lint(code_block(doc["Example"]), select=select))
    assert rule.code not in codes(lint(code_block(doc["Use instead"]), select=select))
    assert has_positive_case(rule.code) and has_negative_case(rule.code)
    assert rule.message and not rule.message.endswith(".")
    assert (rule.node_types or rule.post_pass) and rule.severity


@pytest.mark.parametrize("rule", list(RULES), ids=lambda r: r.code)
def test_doc_page_is_current(rule: type[Rule]) -> None:
    page = DOCS / f"{rule.code}.md"
    assert page.read_text(encoding="utf-8") == render(rule), "run: python -m flake8_secure.docs"


def test_no_stale_doc_pages() -> None:
    assert sorted(p.stem for p in DOCS.glob("SEC*.md")) == RULES.codes()


def test_codes_and_names_are_unique_and_well_formed() -> None:
    rules = list(RULES)
    assert all(re.fullmatch(r"SEC0\d\d", r.code) for r in rules)
    assert all(re.fullmatch(r"[a-z]+(-[a-z]+)+", r.name) for r in rules)
    assert len({r.name for r in rules}) == len(rules)
    assert len({r.code for r in rules}) == len(rules)


def test_readme_lists_every_rule() -> None:
    assert readme_table() in (ROOT / "README.md").read_text(encoding="utf-8")


def test_options_are_documented() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for option in ("--secure-strict", "--secure-file-time-limit", "--secure-allowed-hosts"):
        assert option in readme
    for rule in RULES:
        for option in rule.options:
            assert option in sections(rule.__doc__)["Options"]
