"""Small syntactic questions about calls, assignment targets and files."""

from __future__ import annotations

import ast
import re
from functools import lru_cache

_TEST_PATH = re.compile(r"(?:^|[\\/])(?:tests?|testing)[\\/]|(?:^|[\\/])(?:test_[^\\/]*|[^\\/]*_tests?|conftest)\.py$")


def call_arg(node: ast.Call, index: int | None, keyword: str | None) -> ast.expr | None:
    """The argument at ``index`` or passed as ``keyword``; None when absent or starred."""
    if keyword is not None:
        for kw in node.keywords:
            if kw.arg == keyword:
                return kw.value
    if index is not None and index < len(node.args):
        args = node.args[: index + 1]
        if not any(isinstance(a, ast.Starred) for a in args):
            return node.args[index]
    return None


def target_name(target: ast.AST) -> str | None:
    """What an assignment target is called: ``x``, ``obj.x`` -> ``x``, ``d["x"]`` -> ``x``."""
    if isinstance(target, ast.Name):
        return target.id
    if isinstance(target, ast.Attribute):
        return target.attr
    if isinstance(target, ast.Subscript) and isinstance(target.slice, ast.Constant):
        key = target.slice.value
        return key if isinstance(key, str) else None
    return None


def value_names(expr: ast.AST) -> list[str]:
    """Names a value is read from: variables, attributes and constant subscript
    keys, leaving out called functions (``check(password)`` reads ``password``)."""
    called = {id(n.func) for n in ast.walk(expr) if isinstance(n, ast.Call)}
    found: list[str] = []
    for node in ast.walk(expr):
        if id(node) in called:
            continue
        name = target_name(node) if isinstance(node, (ast.Name, ast.Attribute, ast.Subscript)) else None
        if name is not None:
            found.append(name)
    return found


def assigned_values(func: ast.AST, name: str) -> list[ast.expr]:
    """The expressions assigned to a local ``name`` in a function body."""
    from flake8_secure.analysis.names import scope_statements

    body = getattr(func, "body", None)
    out: list[ast.expr] = []
    for stmt in scope_statements(body if isinstance(body, list) else []):
        if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in stmt.targets):
            out.append(stmt.value)
        elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) \
                and stmt.target.id == name and stmt.value is not None:
            out.append(stmt.value)
    return out


@lru_cache(maxsize=64)  # asked for every node by SEC052/SEC053
def is_test_path(filename: str) -> bool:
    """Files of a test suite: ``tests/``, ``test_*.py``, ``*_test.py``, ``conftest.py``
    (asked per node, answered once per file)."""
    return bool(_TEST_PATH.search(filename))


def is_false(node: ast.expr | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is False


__all__ = ["assigned_values", "call_arg", "is_false", "is_test_path", "target_name", "value_names"]
