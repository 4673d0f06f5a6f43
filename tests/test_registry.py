"""Every rule is one complete declaration, and its docs stay in sync."""

from __future__ import annotations

import ast
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


def _keys(node: ast.AST, aliases: dict[str, str]) -> set[str]:
    """The last names a node is keyed by: ``x.attr`` -> attr, ``name`` -> name
    (and the imported name it is an alias of)."""
    if isinstance(node, ast.Attribute):
        return {node.attr}
    if isinstance(node, ast.Name):
        return {node.id, aliases.get(node.id, node.id)}
    return set()


@pytest.mark.parametrize("rule", [r for r in RULES if r.call_names is not None or r.name_ids is not None],
                         ids=lambda r: r.code)
def test_call_names_cover_the_doc_example(rule: type[Rule]) -> None:
    """The checker runs a rule only on the calls (names) its ``call_names``
    (``name_ids``) list: the calls its own Example reports must be among them."""
    source = code_block(sections(rule.__doc__)["Example"])
    tree = ast.parse(source)
    aliases = {a.asname: a.name.rsplit(".", 1)[-1] for n in ast.walk(tree)
               if isinstance(n, (ast.Import, ast.ImportFrom)) for a in n.names if a.asname}
    reported = [(line, col) for line, col, code in lint(source, select=rule.code) if code == rule.code]
    assert reported
    gate = _taint_gate(tree, source, str(getattr(rule, "category", ""))) if rule.taint_gated else frozenset()
    for position in reported:
        # The finding is about one of the nodes starting there (``a.b(...)``: the call, ``a.b``, ``a``).
        nodes = [n for n in ast.walk(tree) if (getattr(n, "lineno", 0), getattr(n, "col_offset", 0)) == position]
        assert any(_covered(rule, n, aliases, gate) for n in nodes), position


def _taint_gate(tree: ast.Module, source: str, category: str) -> frozenset[int]:
    """ids of the calls the checker's taint gate lets through to a rule of ``category``."""
    from flake8_secure.analysis.context import ModuleContext

    ctx = ModuleContext(tree, source.splitlines(True), "example.py")
    passed: set[int] = set()

    def visit(node: ast.AST, scopes: tuple[ast.AST, ...]) -> None:
        if isinstance(node, ast.Call) and ctx.taint.sink_categories_of(node, scopes, (category,)):
            passed.add(id(node))
        inner = (*scopes, node) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) else scopes
        for child in ast.iter_child_nodes(node):
            visit(child, inner)

    visit(tree, ())
    ctx.close()
    return frozenset(passed)


def _covered(rule: type[Rule], node: ast.AST, aliases: dict[str, str], gate: frozenset[int]) -> bool:
    if type(node) not in rule.node_types:
        return False
    if isinstance(node, ast.Call):
        if id(node) in gate or not isinstance(node.func, (ast.Name, ast.Attribute)) and rule.taint_gated:
            return True
        return rule.call_names is None or bool(_keys(node.func, aliases) & rule.call_names) or (
            rule.keyword_driven and any(kw.arg and rule().wants_keyword(kw.arg) for kw in node.keywords))
    if isinstance(node, (ast.Name, ast.Attribute)):
        return rule.name_ids is None or bool(_keys(node, aliases) & rule.name_ids)
    return True  # a node type the checker does not key


def test_taint_rules_run_behind_the_taint_gate() -> None:
    """A taint rule reports any call its sink tables or the module's wrappers
    reach: the checker runs it on the calls the taint gate lets through and,
    for the shapes of its own, on the callees named in its ``call_names``."""
    from flake8_secure.rules.taint_base import TaintRule

    taint = [r for r in RULES if issubclass(r, TaintRule)]
    assert taint and all(r.taint_gated and r.call_names is not None for r in taint)
    assert not any(r.taint_gated for r in RULES if not issubclass(r, TaintRule))
