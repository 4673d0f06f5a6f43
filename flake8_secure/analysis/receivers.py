"""Where an object comes from: the call (or annotation) that produced it.

Rules about methods (``session.get``, ``resp.set_cookie``, ``tar.extractall``)
decide what the receiver is by its origin, never by its variable name:

- a call in place: ``requests.Session().get`` -> ``requests.Session``;
- a local bound from a call, flow-sensitively (``ctx.value(x).origin``),
  including ``with tarfile.open(p) as tar``;
- ``self.attr`` assigned from a call in a method of the enclosing class
  (every such assignment must agree);
- a parameter annotated with a type: ``response: Response`` ->
  ``fastapi.Response``.
"""

from __future__ import annotations

import ast
from collections.abc import Collection
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flake8_secure.analysis.context import ModuleContext

FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


def origin_of(expr: ast.AST, ctx: ModuleContext, among: Collection[str] = ()) -> str | None:
    """Qualified name of the call or type that produced ``expr``, or None.

    ``among``: the origins the caller looks for; when the module imports
    none of their packages, no object here can come from them, and the
    question is answered without following values (``x.get(...)`` is far
    more often a dict than an HTTP session).
    """
    if among and not ctx.imports_package(among):
        return None
    if isinstance(expr, ast.Call):
        return ctx.names.chain(expr.func)
    if isinstance(expr, ast.Await):
        return origin_of(expr.value, ctx)
    origin = ctx.value(expr, infer=False).origin  # astroid only proves constants, never origins
    if origin is not None:
        return origin
    if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name) and expr.value.id == "self":
        return _self_attribute_origin(expr.attr, ctx)
    if isinstance(expr, ast.Name):
        return _annotation_origin(expr.id, ctx)
    return None


def _annotation_origin(name: str, ctx: ModuleContext) -> str | None:
    func = ctx.function()
    if func is None:
        return None
    args = func.args
    for arg in args.posonlyargs + args.args + args.kwonlyargs:
        if arg.arg == name and arg.annotation is not None:
            ann = arg.annotation
            if isinstance(ann, ast.Constant) and isinstance(ann.value, str):
                try:
                    ann = ast.parse(ann.value, mode="eval").body
                except SyntaxError:
                    return None
            return ctx.qualified(ann)
    return None


def _self_attribute_origin(attr: str, ctx: ModuleContext) -> str | None:
    cls = next((s for s in reversed(ctx.scopes) if isinstance(s, ast.ClassDef)), None)
    if cls is None:
        return None
    origins = {
        ctx.names.chain(value.func, ()) if isinstance(value, ast.Call) else None
        for value, _ in ctx.constants.instance_attributes(cls).get(attr, ())
        if value is not None  # bound by +=, unpacking, a loop: says nothing of the type
    }
    return origins.pop() if len(origins) == 1 else None


def constructor_call(expr: ast.AST, ctx: ModuleContext) -> ast.Call | None:
    """The call that built ``expr``: the call itself, the value of the name's
    only binding in its scope, or the ``with call(...) as name`` item."""
    from flake8_secure.analysis.strings import single_binding

    if isinstance(expr, ast.Call):
        return expr
    if not isinstance(expr, ast.Name):
        return None
    bound = single_binding(expr.id, ctx)
    if isinstance(bound, ast.Call):
        return bound
    scope = ctx.function() or ctx.tree
    for sub in ast.walk(scope):
        if isinstance(sub, (ast.With, ast.AsyncWith)):
            for item in sub.items:
                var = item.optional_vars
                if isinstance(var, ast.Name) and var.id == expr.id and isinstance(item.context_expr, ast.Call):
                    return item.context_expr
    return None


def calls_method(scope: ast.AST, receiver: str, methods: frozenset[str]) -> bool:
    """Whether ``receiver.<method>(...)`` is called anywhere in ``scope``."""
    for sub in ast.walk(scope):
        if (isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute) and sub.func.attr in methods
                and isinstance(sub.func.value, ast.Name) and sub.func.value.id == receiver):
            return True
    return False
