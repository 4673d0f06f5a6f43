"""``plugin.walk``: every node it should yield, with its scopes and
statement, against a plain recursive walk over ``ast.iter_fields``."""

from __future__ import annotations

import ast
from collections.abc import Container, Iterator
from pathlib import Path

import pytest

from flake8_secure.plugin import walk
from tests.test_prefilters import FIXTURES, rule_cases

SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)
HOLDERS = (ast.stmt, ast.Module, ast.excepthandler, ast.match_case)
SKIPPED = frozenset({"ctx"})
Yielded = tuple[int, tuple[int, ...], int | None]


def reference(
    node: ast.AST, scopes: tuple[ast.AST, ...], stmt: ast.stmt | None, wanted: Container[type[ast.AST]] | None,
    name_ids: Container[str] | None, attrs: Container[str] | None,
) -> Iterator[tuple[ast.AST, tuple[ast.AST, ...], ast.stmt | None]]:
    """What ``walk`` documents: a statement's (and a lambda's) own fields
    are in its scope, a def's decorators, defaults and bases are not; a
    lambda's whole arguments and body are."""
    cls = type(node)
    if wanted is None or cls in wanted or (
            cls is ast.Name and name_ids is not None and node.id in name_ids  # type: ignore[attr-defined]
    ) or cls is ast.Attribute and attrs is not None and node.attr in attrs:  # type: ignore[attr-defined]
        yield node, scopes, stmt
    inner = (*scopes, node) if isinstance(node, SCOPES) else scopes
    for field, value in ast.iter_fields(node):
        if field in SKIPPED or (cls is ast.Constant and field == "value"):
            continue
        for child in value if isinstance(value, list) else [value]:
            if not isinstance(child, ast.AST):
                continue
            if isinstance(node, HOLDERS) and field in ("body", "orelse", "finalbody") and isinstance(child, ast.stmt):
                yield from reference(child, inner, child, wanted, name_ids, attrs)
            elif cls is ast.Lambda:
                yield from reference(child, inner, stmt, wanted, name_ids, attrs)
            else:
                yield from reference(child, scopes, stmt, wanted, name_ids, attrs)


def ids(found: Iterator[tuple[ast.AST, tuple[ast.AST, ...], ast.stmt | None]]) -> list[Yielded]:
    return sorted((id(n), tuple(map(id, s)), None if t is None else id(t)) for n, s, t in found)


FILTERS = [
    (None, None, None),
    (frozenset({ast.Call, ast.Assign, ast.Return, ast.Compare, ast.Dict}), None, None),
    (frozenset({ast.Call, ast.Constant, ast.Lambda}), frozenset({"request", "DEBUG", "x"}),
     frozenset({"data", "verify", "args"})),
    (frozenset({ast.Name, ast.Attribute, ast.arguments}), frozenset(), frozenset()),
]
LAMBDAS = '''
handlers = {"a": lambda request, n=DEBUG: request.args[n], "b": lambda: (lambda x: x)(1)}


@app.route("/x", methods=[m for m in ("GET",)])
def view(default=lambda: request.data, *, verify=False):
    class Form(Base, metaclass=Meta):
        field = Field(validators=[lambda v: v.strip()])
    try:
        return Form(request.args)
    except* ValueError as error:
        return str(error)
'''


@pytest.mark.parametrize("filters", FILTERS, ids=["everything", "types", "types-names-attrs", "leaves"])
def test_walk_yields_what_the_reference_walk_yields(filters: tuple[object, object, object]) -> None:
    wanted, name_ids, attrs = filters
    sources = [c.source for c in rule_cases()] + [p.read_text(encoding="utf-8") for p in FIXTURES]
    sources.append(Path(ast.__file__).read_text(encoding="utf-8"))
    if hasattr(ast, "TryStar"):
        sources.append(LAMBDAS)
    yielded = 0
    for source in sources:
        tree = ast.parse(source)
        found = ids(walk(tree, wanted, name_ids, attrs))  # type: ignore[arg-type]
        assert found == ids(reference(tree, (), None, wanted, name_ids, attrs))  # type: ignore[arg-type]
        yielded += len(found)
    assert yielded > 5_000
