"""Fast traversal of ast nodes: only the fields that can hold child nodes.

``ast.walk`` asks every node for every field through ``iter_fields``; most
fields hold names, numbers or the shared Load/Store contexts.  The table
below lists, per node class, the fields worth visiting, so a walk touches a
third fewer objects.  The checker's one walk and the analysis scans share it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

# Fields that never hold child nodes worth visiting: names, numbers, and the
# shared Load/Store/Del context singletons (a third of all nodes otherwise).
_SKIP_FIELDS = frozenset(
    {"ctx", "id", "attr", "name", "arg", "asname", "kind", "conversion", "level", "module",
     "type_comment", "is_async", "simple", "tag"}
)
CHILD_FIELDS: dict[type[ast.AST], tuple[str, ...]] = {}


def child_fields(cls: type[ast.AST]) -> tuple[str, ...]:
    fields = CHILD_FIELDS.get(cls)
    if fields is None:
        skip = _SKIP_FIELDS | ({"value"} if cls is ast.Constant else set())
        fields = CHILD_FIELDS[cls] = tuple(f for f in cls._fields if f not in skip)
    return fields


def descendants(root: ast.AST) -> Iterator[ast.AST]:
    """``root`` and every node below it, in no particular order (like ``ast.walk``)."""
    AST = ast.AST
    fields_of = CHILD_FIELDS.get
    stack = [root]
    pop, push, extend = stack.pop, stack.append, stack.extend
    while stack:
        node = pop()
        yield node
        cls = type(node)
        fields = fields_of(cls)
        if fields is None:
            fields = child_fields(cls)
        for field in fields:
            value = getattr(node, field, None)
            if isinstance(value, list):
                extend(c for c in value if isinstance(c, AST))
            elif isinstance(value, AST):
                push(value)


# Fields that hold statements, or the clauses holding them (except handlers,
# match cases): the only places a statement can sit.
_STATEMENT_FIELDS = frozenset({"body", "orelse", "finalbody", "handlers", "cases"})
_STATEMENT_CHILDREN: dict[type[ast.AST], tuple[str, ...]] = {}


def statements_under(root: ast.AST) -> Iterator[ast.AST]:
    """``root`` and every statement below it (functions and classes
    included), with the except handlers and match cases holding them, in
    the order ``descendants`` meets them: no expression holds a statement,
    so nothing else needs a visit."""
    stack = [root]
    pop, extend = stack.pop, stack.extend
    while stack:
        node = pop()
        yield node
        cls = type(node)
        fields = _STATEMENT_CHILDREN.get(cls)
        if fields is None:
            fields = _STATEMENT_CHILDREN[cls] = tuple(
                f for f in child_fields(cls) if f in _STATEMENT_FIELDS
                and issubclass(cls, (ast.stmt, ast.mod, ast.excepthandler, ast.match_case)))
        for field in fields:
            extend(getattr(node, field))
