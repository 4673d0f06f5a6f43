"""The known leading text of a string expression.

Rules about URLs and paths care about the start of a string (the scheme
and host of ``f"http://api.corp.com/{path}"``, the directory of
``"/tmp/" + name``) even when the rest is not constant.  ``known_prefix``
answers that: the constant text the value is proven to start with, and
whether that text is the whole value.  Names are followed to their single
simple binding in the same scope; anything else ends the prefix.
"""

from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING, NamedTuple

from flake8_secure.analysis.names import scope_statements

if TYPE_CHECKING:
    from flake8_secure.analysis.context import ModuleContext

MAX_DEPTH = 12
_PERCENT = re.compile(r"%(?!%)")


class Prefix(NamedTuple):
    text: str
    complete: bool  # the value is exactly ``text``


NO_PREFIX = Prefix("", False)

JOINERS = frozenset({"os.path.join", "posixpath.join"})
URLJOIN = frozenset({"urllib.parse.urljoin", "urlparse.urljoin", "requests.compat.urljoin"})
PATH_TYPES = frozenset({"pathlib.Path", "pathlib.PurePath", "pathlib.PosixPath", "pathlib.PurePosixPath"})


def known_prefix(expr: ast.AST | None, ctx: ModuleContext, depth: int = 0) -> Prefix:
    """The constant text ``expr`` is proven to start with."""
    if expr is None or depth > MAX_DEPTH:
        return NO_PREFIX
    if isinstance(expr, ast.Constant):
        return Prefix(expr.value, True) if isinstance(expr.value, str) else NO_PREFIX
    single = ctx.const_value(expr)
    if isinstance(single, str):
        return Prefix(single, True)
    if isinstance(expr, ast.JoinedStr):
        return _joined(expr, ctx, depth)
    if isinstance(expr, ast.BinOp):
        return _binop(expr, ctx, depth)
    if isinstance(expr, ast.Call):
        return _call(expr, ctx, depth)
    if isinstance(expr, ast.Name):
        bound = single_binding(expr.id, ctx)
        return known_prefix(bound, ctx, depth + 1) if bound is not None else NO_PREFIX
    return NO_PREFIX


def _joined(expr: ast.JoinedStr, ctx: ModuleContext, depth: int) -> Prefix:
    text = ""
    for value in expr.values:
        if isinstance(value, ast.Constant):
            text += str(value.value)
            continue
        if isinstance(value, ast.FormattedValue):
            inner = known_prefix(value.value, ctx, depth + 1)
            if inner.complete and value.conversion == -1 and value.format_spec is None:
                text += inner.text
                continue
            if value.conversion == -1 and value.format_spec is None:
                text += inner.text
        return Prefix(text, False)
    return Prefix(text, True)


def _binop(expr: ast.BinOp, ctx: ModuleContext, depth: int) -> Prefix:
    left = known_prefix(expr.left, ctx, depth + 1)
    if isinstance(expr.op, ast.Add):
        if not left.complete:
            return left
        right = known_prefix(expr.right, ctx, depth + 1)
        return Prefix(left.text + right.text, right.complete)
    if isinstance(expr.op, ast.Mod) and left.text:
        return Prefix(_PERCENT.split(left.text, 1)[0], False)
    if isinstance(expr.op, ast.Div) and left.complete and left.text:
        # pathlib: Path("/tmp") / name
        return _path_join([left, known_prefix(expr.right, ctx, depth + 1)])
    return NO_PREFIX


def _call(expr: ast.Call, ctx: ModuleContext, depth: int) -> Prefix:
    func = expr.func
    name = ctx.qualified(func)
    if isinstance(func, ast.Attribute) and func.attr == "format":
        template = known_prefix(func.value, ctx, depth + 1)
        return Prefix(template.text.split("{", 1)[0], False) if template.text else NO_PREFIX
    if name in JOINERS or name in PATH_TYPES:
        if not expr.args or expr.keywords:
            return NO_PREFIX
        return _path_join([known_prefix(a, ctx, depth + 1) for a in expr.args])
    if name in URLJOIN and len(expr.args) == 2:
        rel = known_prefix(expr.args[1], ctx, depth + 1)
        if re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*:|//", rel.text):
            return NO_PREFIX  # an absolute reference replaces the base: unknown without more work
        base = known_prefix(expr.args[0], ctx, depth + 1)
        match = re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*://[^/?#]*[/?#]", base.text)
        if match or (base.complete and "://" in base.text):
            return Prefix(match.group(0) if match else base.text, False)
    return NO_PREFIX


def _path_join(parts: list[Prefix]) -> Prefix:
    """``os.path.join`` of the parts, up to the first one not fully known."""
    text = ""
    for part in parts:
        if part.text.startswith("/") or not text:
            text = part.text  # an absolute part replaces what came before
        else:
            text = text.rstrip("/") + "/" + part.text
        if not part.complete:
            return Prefix(text, False)
    return Prefix(text, True)


def single_binding(name: str, ctx: ModuleContext) -> ast.expr | None:
    """The value of the only ``name = value`` statement binding ``name`` in its scope."""
    func = ctx.function()
    if func is not None and name not in ctx.constants.locals_of(func):
        func = None
    body = func.body if func is not None else ctx.tree.body
    found: list[ast.expr] = []
    for stmt in scope_statements(body):
        if isinstance(stmt, ast.Assign):
            for target in stmt.targets:
                if isinstance(target, ast.Name) and target.id == name:
                    found.append(stmt.value)
                elif any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(target)):
                    return None
        elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.target.id == name:
            if stmt.value is None:
                continue
            found.append(stmt.value)
        elif isinstance(stmt, (ast.AugAssign, ast.For, ast.AsyncFor, ast.With, ast.AsyncWith)):
            targets = [getattr(stmt, "target", None)] + [i.optional_vars for i in getattr(stmt, "items", [])]
            if any(isinstance(n, ast.Name) and n.id == name for t in targets if t is not None for n in ast.walk(t)):
                return None
    return found[0] if len(found) == 1 else None
