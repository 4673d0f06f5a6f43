"""Constant folding: prove that an expression has a fixed value.

The plain ast answers most questions: literals, module and class constants,
``+``/``%``/f-strings/``.format``/``join`` over constants, ``if`` and
ternaries over constant tests (expressions are folded by the flow
evaluator, names are looked up here).  What the ast cannot decide - names
imported from sibling modules, ``self.ATTR``, names rebound in ways the ast
scan does not follow - goes to astroid (``inference.Inference``), which is
built lazily, once per file, and only then.

``UNKNOWN`` means "not proven constant"; it never means safe or unsafe.
"""

from __future__ import annotations

import ast
import operator
import stat
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from flake8_secure.analysis.names import Names, child_blocks, scope_statements
from flake8_secure.analysis.values import DEFERRED_VAL, OPAQUE_VAL, Val, const_val, join_all

if TYPE_CHECKING:
    from flake8_secure.analysis.inference import Inference


class _Unknown:
    _instance: _Unknown | None = None

    def __new__(cls) -> _Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __bool__(self) -> bool:
        return False


UNKNOWN = _Unknown()
Values = tuple[object, ...]

MAX_VALUES = 8
MAX_STR = 100_000
MAX_INT_BITS = 4096

# stdlib constants that are the same on every platform; never imported
# from the analysed code, read from our own interpreter's stdlib.
KNOWN_CONSTANTS: dict[str, object] = {
    f"stat.{n}": getattr(stat, n) for n in dir(stat) if n.startswith("S_") and isinstance(getattr(stat, n), int)
}

_BINOPS: dict[type[ast.operator], Callable[[object, object], object]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Mod: operator.mod,
    ast.BitOr: operator.or_,
    ast.BitAnd: operator.and_,
    ast.BitXor: operator.xor,
    ast.LShift: operator.lshift,
    ast.RShift: operator.rshift,
    ast.FloorDiv: operator.floordiv,
    ast.Pow: operator.pow,
}
_UNARYOPS: dict[type[ast.unaryop], Callable[[Any], object]] = {
    ast.Invert: operator.invert,
    ast.USub: operator.neg,
    ast.UAdd: operator.pos,
    ast.Not: operator.not_,
}
_FOLDABLE_METHODS = frozenset(
    {"upper", "lower", "strip", "lstrip", "rstrip", "title", "capitalize", "casefold",
     "replace", "removeprefix", "removesuffix"}
)

Binding = tuple[ast.expr, tuple[tuple[ast.expr, bool], ...]]


def _as_val(values: Values | _Unknown) -> Val:
    if values is UNKNOWN or not values:
        return OPAQUE_VAL
    return join_all([const_val(v) for v in values])  # type: ignore[union-attr]


def _too_big(value: object) -> bool:
    if isinstance(value, (str, bytes, tuple, list)):
        return len(value) > MAX_STR
    if isinstance(value, int):
        return value.bit_length() > MAX_INT_BITS
    return False


def package_of(path: str) -> tuple[str, str]:
    """(module name, package name) of a file, from the ``__init__.py`` chain."""
    import os

    if not path.endswith(".py") or not os.path.isfile(path):
        return "", ""
    directory, base = os.path.split(os.path.abspath(path))
    parts = [] if base == "__init__.py" else [base[:-3]]
    while os.path.isfile(os.path.join(directory, "__init__.py")):
        directory, pkg = os.path.split(directory)
        parts.insert(0, pkg)
    module = ".".join(parts)
    package = module if base == "__init__.py" else module.rpartition(".")[0]
    return module, package


class Constants:
    """Module-level constants of one file, folded on demand and cached."""

    def __init__(
        self,
        tree: ast.Module,
        names: Names,
        inference: Callable[[], Inference | None],
        package: str = "",
        has_global: bool = True,
    ) -> None:
        self._tree = tree
        # Without the word "global" in the file no function can rebind a
        # module name, and the scan for ``global`` statements is skipped.
        self._has_global = has_global
        self._names = names
        self._inference = inference
        self._package = package
        self._module_bindings: tuple[dict[str, list[Binding]], set[str]] | None = None
        self._classes: dict[str, ast.ClassDef] | None = None
        self._aliases: frozenset[str] | None = None
        self._cache: dict[tuple[str, bool], Val] = {}
        # False while the flow layer tracks values: astroid is asked only for
        # the expressions that decide a finding (see ModuleContext.refine).
        self.infer = True
        self._active: set[str] = set()
        self._locals: dict[int, frozenset[str]] = {}

    def locals_of(self, scope: ast.AST) -> frozenset[str]:
        """Names local to a function scope (cached for this module)."""
        from flake8_secure.analysis.flow import local_names

        names = self._locals.get(id(scope))
        if names is None:
            names = self._locals[id(scope)] = local_names(scope)
        return names

    # -- public API -------------------------------------------------------
    def values(self, node: ast.AST, scopes: Sequence[ast.AST] = ()) -> Values | _Unknown:
        """All values ``node`` may have (at most MAX_VALUES), or UNKNOWN."""
        if isinstance(node, ast.Constant):
            return (node.value,)
        consts = self.val(node, scopes).consts
        return consts if consts else UNKNOWN

    def val(self, node: ast.AST, scopes: Sequence[ast.AST] = ()) -> Val:
        """What is known of a non-local expression's value (``values.Val``)."""
        if isinstance(node, ast.Name):
            if any(node.id in self.locals_of(s) for s in scopes if not isinstance(s, ast.ClassDef)):
                return OPAQUE_VAL  # a local: the flow evaluator knows, this folder does not
            return self._name(node.id, node)
        if isinstance(node, ast.Attribute):
            return self._attribute(node, scopes)
        if isinstance(node, ast.Subscript):
            root = node.value
            while isinstance(root, (ast.Attribute, ast.Subscript)):
                root = root.value
            if isinstance(root, ast.Name) and root.id in ("self", "cls"):
                return self._infer_val(node)
            return OPAQUE_VAL
        return self._evaluate(node, scopes)

    def value(self, node: ast.AST, scopes: Sequence[ast.AST] = ()) -> object:
        """The single value of ``node``, or UNKNOWN."""
        values = self.values(node, scopes)
        if values is UNKNOWN or len(values) != 1:  # type: ignore[arg-type]
            return UNKNOWN
        return values[0]  # type: ignore[index]

    def fold_binop(self, op: ast.operator, left: object, right: object) -> object:
        func = _BINOPS.get(type(op))
        if func is None or _too_big(left) or _too_big(right):
            return UNKNOWN
        if isinstance(op, ast.Mult) and isinstance(left, int) and isinstance(right, (str, bytes)):
            left, right = right, left
        if isinstance(op, ast.Mult) and isinstance(left, (str, bytes, tuple, list)):
            if not isinstance(right, int) or right * max(len(left), 1) > MAX_STR:
                return UNKNOWN
        if isinstance(op, ast.LShift) and (not isinstance(right, int) or right > MAX_INT_BITS):
            return UNKNOWN
        if isinstance(op, ast.Pow) and not (isinstance(left, int) and isinstance(right, int)
                                            and 0 <= right and abs(left).bit_length() * right <= MAX_INT_BITS):
            return UNKNOWN  # 2 ** 14 (cost parameters); never a huge or float power
        try:
            result = func(left, right)
        except Exception:  # TypeError, ZeroDivisionError, ValueError in %: not constant
            return UNKNOWN
        return UNKNOWN if _too_big(result) else result

    def fold_unary(self, op: ast.unaryop, operand: object) -> object:
        func = _UNARYOPS.get(type(op))
        if func is None or _too_big(operand):
            return UNKNOWN
        try:
            return func(operand)
        except Exception:  # ~"text": not constant
            return UNKNOWN

    def fold_format(self, fmt: str, args: list[Val], kwargs: dict[str, Val]) -> object:
        """``fmt.format(...)`` when every argument is a single constant."""
        if any(not v.consts or len(v.consts) != 1 for v in [*args, *kwargs.values()]):
            return UNKNOWN
        try:
            result = fmt.format(*[v.consts[0] for v in args],  # type: ignore[index]
                                **{k: v.consts[0] for k, v in kwargs.items()})  # type: ignore[index]
        except Exception:  # bad field or attribute access on a constant: not folded
            return UNKNOWN
        return UNKNOWN if _too_big(result) else result

    def fold_join(self, seps: Values, items: Values) -> object:
        if len(seps) != 1 or len(items) != 1:
            return UNKNOWN
        sep, seq = seps[0], items[0]
        if not isinstance(sep, str) or not isinstance(seq, (tuple, list, str)):
            return UNKNOWN
        if not all(isinstance(x, str) for x in seq):
            return UNKNOWN
        return sep.join(seq)

    def fold_method(
        self, consts: Values | None, method: str, node: ast.Call, scopes: Sequence[ast.AST]
    ) -> Val | None:
        """Fold ``"x".upper()`` and friends; None when it does not fold."""
        if not consts or len(consts) != 1 or method not in _FOLDABLE_METHODS:
            return None
        args = [self.value(a, scopes) for a in node.args]
        if node.keywords or any(a is UNKNOWN for a in args):
            return None
        try:
            return const_val(getattr(consts[0], method)(*args))
        except Exception:  # wrong argument types: not constant
            return None

    # -- names ------------------------------------------------------------
    def _name(self, name: str, node: ast.AST) -> Val:
        key = (name, self.infer)
        if key in self._cache:
            return self._cache[key]
        if name in self._active:
            return OPAQUE_VAL  # X = X + "a": cyclic, not constant
        self._active.add(name)
        try:
            result = self._name_uncached(name, node)
        finally:
            self._active.discard(name)
        self._cache[key] = result
        return result

    def _name_uncached(self, name: str, node: ast.AST) -> Val:
        bindings, complex_names = self._bindings()
        if name in complex_names:
            # ``import os``: a module, never a constant (and not worth an astroid tree)
            return OPAQUE_VAL if name in self._module_aliases() else self._infer_val(node)
        if name in bindings:
            return self._fold_bindings(bindings[name], ())
        imported = self._names.resolve_name(name, ())
        if imported is not None and self._in_project(imported):
            return self._infer_val(node)
        return OPAQUE_VAL

    def _attribute(self, node: ast.Attribute, scopes: Sequence[ast.AST]) -> Val:
        qualified = self._names.qualified(node, scopes)
        if qualified in KNOWN_CONSTANTS:
            return const_val(KNOWN_CONSTANTS[qualified])
        base = node.value
        if isinstance(base, ast.Name):
            cls = self._class_defs().get(base.id)
            if cls is not None and base.id not in self._bindings()[0]:
                found = self._class_attribute(cls, node.attr, scopes)
                if found.consts:
                    return found
            if base.id in ("self", "cls") or (qualified and self._in_project(qualified)):
                return self._infer_val(node)
        return OPAQUE_VAL

    def _class_attribute(self, cls: ast.ClassDef, attr: str, scopes: Sequence[ast.AST]) -> Val:
        bindings, complex_names = _collect_bindings(cls.body, self._has_global)
        if attr in complex_names or attr not in bindings:
            return OPAQUE_VAL
        return self._fold_bindings(bindings[attr], scopes)

    def _fold_bindings(self, bindings: list[Binding], scopes: Sequence[ast.AST]) -> Val:
        """Join of the values of a name's live bindings (dead ``if`` branches dropped)."""
        vals: list[Val] = []
        for value, conditions in bindings:
            live = True
            for test, polarity in conditions:
                truth = self.value(test, scopes)
                if truth is not UNKNOWN and bool(truth) != polarity:
                    live = False
            if live:
                vals.append(self._evaluate(value, scopes))
        return join_all(vals) if vals else OPAQUE_VAL

    def _evaluate(self, node: ast.AST, scopes: Sequence[ast.AST]) -> Val:
        from flake8_secure.analysis.flow import Evaluator

        return Evaluator(self._names, self, scopes, frozenset()).eval(node, {})

    def _infer_val(self, node: ast.AST) -> Val:
        if not self.infer:
            return DEFERRED_VAL
        return _as_val(self._infer(node))

    def _infer(self, node: ast.AST) -> Values | _Unknown:
        if not self.infer:
            return UNKNOWN
        inference = self._inference()
        return UNKNOWN if inference is None else inference.constant_values(node)

    def _in_project(self, qualified: str) -> bool:
        """Imported from the linted file's own package (where astroid may follow it)."""
        if qualified.startswith("."):
            return True
        top = self._package.split(".")[0]
        return bool(top) and qualified.split(".")[0] == top

    # -- scans --------------------------------------------------------------
    def _bindings(self) -> tuple[dict[str, list[Binding]], set[str]]:
        if self._module_bindings is None:
            self._module_bindings = _collect_bindings(self._tree.body, self._has_global)
        return self._module_bindings

    def _module_aliases(self) -> frozenset[str]:
        """Module-level names bound only by ``import x`` statements."""
        if self._aliases is None:
            imported: set[str] = set()
            other: set[str] = set()
            for stmt in scope_statements(self._tree.body):
                if isinstance(stmt, ast.Import):
                    imported.update((a.asname or a.name).split(".")[0] for a in stmt.names)
                elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    other.add(stmt.name)
                    if self._has_global:
                        other.update(n for node in ast.walk(stmt) if isinstance(node, ast.Global) for n in node.names)
                else:
                    other.update(_names_bound_by(stmt))
            self._aliases = frozenset(imported - other)
        return self._aliases

    def _class_defs(self) -> dict[str, ast.ClassDef]:
        if self._classes is None:
            self._classes = {s.name: s for s in self._tree.body if isinstance(s, ast.ClassDef)}
        return self._classes


def _collect_bindings(body: list[ast.stmt], has_global: bool = True) -> tuple[dict[str, list[Binding]], set[str]]:
    """Simple ``NAME = expr`` bindings of a module or class body.

    Names bound any other way (augmented assignment, loops, imports, defs,
    ``global`` in a function) are "complex": not folded from the ast.
    """
    bindings: dict[str, list[Binding]] = {}
    complex_names: set[str] = set()

    def visit(stmts: list[ast.stmt], conditions: tuple[tuple[ast.expr, bool], ...]) -> None:
        for stmt in stmts:
            if isinstance(stmt, ast.Assign):
                for target in stmt.targets:
                    _bind_target(target, stmt.value, conditions, bindings, complex_names)
            elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
                _bind_target(stmt.target, stmt.value, conditions, bindings, complex_names)
            elif isinstance(stmt, ast.If):
                visit(stmt.body, conditions + ((stmt.test, True),))
                visit(stmt.orelse, conditions + ((stmt.test, False),))
            elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                complex_names.add(stmt.name)
                if has_global:
                    for node in ast.walk(stmt):
                        if isinstance(node, ast.Global):
                            complex_names.update(node.names)
            elif isinstance(stmt, (ast.Import, ast.ImportFrom)):
                complex_names.update((a.asname or a.name).split(".")[0] for a in stmt.names)
            else:
                for target in _other_targets(stmt):
                    complex_names.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
                for block in child_blocks(stmt):
                    visit(block, conditions)

    visit(body, ())
    for name in complex_names:
        bindings.pop(name, None)
    return bindings, complex_names


def _names_bound_by(stmt: ast.stmt) -> set[str]:
    """Names a statement binds in its own expressions (not in its nested blocks)."""
    if isinstance(stmt, ast.ImportFrom):
        return {a.asname or a.name for a in stmt.names}
    names = {h.name for h in getattr(stmt, "handlers", ()) if isinstance(h, ast.ExceptHandler) and h.name}
    parts: list[ast.AST] = []
    for _, value in ast.iter_fields(stmt):
        items = value if isinstance(value, list) else [value]
        parts.extend(v for v in items if isinstance(v, ast.AST) and not isinstance(v, (ast.stmt, ast.excepthandler)))
    for part in parts:
        for node in ast.walk(part):  # a match case's patterns and body are walked whole: rare, and only safer
            if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
                names.add(node.id)
            elif isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
                names.add(node.name)
            elif isinstance(node, ast.MatchMapping) and node.rest:
                names.add(node.rest)
    return names


def _bind_target(
    target: ast.expr,
    value: ast.expr,
    conditions: tuple[tuple[ast.expr, bool], ...],
    bindings: dict[str, list[Binding]],
    complex_names: set[str],
) -> None:
    if isinstance(target, ast.Name):
        bindings.setdefault(target.id, []).append((value, conditions))
    elif isinstance(target, (ast.Tuple, ast.List)):
        if isinstance(value, (ast.Tuple, ast.List)) and len(value.elts) == len(target.elts):
            for t, v in zip(target.elts, value.elts):
                _bind_target(t, v, conditions, bindings, complex_names)
        else:
            complex_names.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))


def _other_targets(stmt: ast.stmt) -> list[ast.expr]:
    if isinstance(stmt, ast.AugAssign):
        return [stmt.target]
    if isinstance(stmt, (ast.For, ast.AsyncFor)):
        return [stmt.target]
    if isinstance(stmt, (ast.With, ast.AsyncWith)):
        return [i.optional_vars for i in stmt.items if i.optional_vars is not None]
    if isinstance(stmt, ast.Delete):
        return list(stmt.targets)
    return []
