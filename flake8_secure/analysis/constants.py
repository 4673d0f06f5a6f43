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
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from flake8_secure.analysis.names import Names, child_blocks
from flake8_secure.analysis.nodes import statements_under
from flake8_secure.analysis.values import DEFERRED_VAL, OPAQUE_VAL, Val, const_val, join_all, label_of

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
# No class in a hierarchy binds the attribute (set elsewhere, or never).
FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
# Decorators (by last name) that make a method read as an attribute.
PROPERTY_DECORATORS = frozenset({"property", "cached_property"})
MISSING = Val(deferred=True)
Values = tuple[object, ...]

MAX_VALUES = 8
# How far a value is followed through the project's other modules.
MAX_PROJECT_DEPTH = 3
_project_depth = 0
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
    parts = [*_package_chain(directory), *([] if base == "__init__.py" else [base[:-3]])]
    module = ".".join(parts)
    package = module if base == "__init__.py" else module.rpartition(".")[0]
    return module, package


# Per directory, the names of the packages it and its parents form (each
# holding an ``__init__.py``), outermost first: the same for every file of
# a directory, asked for each.  Kept for one flake8 run (``forget_run``):
# files are not expected to move during one.
_PACKAGE_CHAINS: dict[str, tuple[str, ...]] = {}


def _package_chain(directory: str) -> tuple[str, ...]:
    import os

    found = _PACKAGE_CHAINS.get(directory)
    if found is None:
        found = ()
        if os.path.isfile(os.path.join(directory, "__init__.py")):
            parent, name = os.path.split(directory)
            found = (*_package_chain(parent), name) if parent != directory else (name,)
        _PACKAGE_CHAINS[directory] = found
    return found


def forget_run() -> None:
    """Forget what was remembered for the files of one flake8 run."""
    _PACKAGE_CHAINS.clear()


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
        self._cache: dict[tuple[str, bool, bool], Val] = {}
        # False while the flow layer tracks values: astroid is asked only for
        # the expressions that decide a finding (see ModuleContext.refine).
        self.infer = True
        self._active: set[str] = set()
        self._locals: dict[int, frozenset[str]] = {}
        # Subscripts of ``self`` members being folded: the evaluator folds a
        # subscript of an unknown base by asking here again, which must stop.
        self._folding: set[int] = set()
        self._import_only: set[str] = set()
        self._class_members: dict[tuple[int, str, bool, bool], Val | None] = {}
        self._exporting = False
        self._class_access = False  # reading `cls.X`, not `self.X`: a property is no value
        self._class_binding_tables: dict[int, tuple[dict[str, list[Binding]], set[str]]] = {}
        self._instance_tables: dict[int, dict[str, list[tuple[ast.expr | None, ast.AST]]]] = {}
        # Set by the module context: the Constants of another module of this
        # project, by module name (parsed with ast, cached), or None.
        self.project_module: Callable[[str], Constants | None] | None = None

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
                if id(node) in self._folding:
                    return OPAQUE_VAL
                self._folding.add(id(node))
                try:
                    found = self._evaluate(node, scopes)  # self.OPERATORS["contains"]
                finally:
                    self._folding.discard(id(node))
                return found if found.consts else self._infer_val(node)
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
    def _name(self, name: str, node: ast.AST | None) -> Val:
        key = (name, self.infer, self._exporting)
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

    def _name_uncached(self, name: str, node: ast.AST | None) -> Val:
        bindings, complex_names = self._bindings()
        imported = self._names.resolve_name(name, ())
        if imported is not None and name in self._import_only:
            return self._imported(imported, node)
        if name in complex_names:
            return self._infer_val(node)
        if name in bindings:
            return self._fold_bindings(bindings[name], ())
        if imported is not None:
            return self._imported(imported, node)
        return OPAQUE_VAL

    def _imported(self, qualified: str, node: ast.AST | None) -> Val:
        """A name imported from another module: its value there when that
        module is part of this project (read with ast); library names are
        not followed."""
        if not self._in_project(qualified):
            return OPAQUE_VAL
        if not (self.infer or self._exporting):
            return DEFERRED_VAL  # parse the other module only when a finding depends on it
        found = self._from_project(qualified)
        return found if found is not None else self._infer_val(node)

    def _from_project(self, qualified: str) -> Val | None:
        """``pkg.mod.NAME`` or ``pkg.mod.Class.NAME`` read from the project's
        module; None when it cannot be found or read that way."""
        global _project_depth
        if self.project_module is None or _project_depth >= MAX_PROJECT_DEPTH:
            return None
        module, _, name = qualified.rpartition(".")
        _project_depth += 1
        try:
            other = self.project_module(module)
            if other is not None:
                return other.exported(name)
            module, _, cls_name = module.rpartition(".")
            other = self.project_module(module) if module else None
            if other is None:
                return None
            cls = other._class_defs().get(cls_name)
            if cls is not None:
                return other.class_member(cls, name)
            return other.instance_member(cls_name, name)
        finally:
            _project_depth -= 1

    def instance_member(self, name: str, attr: str) -> Val | None:
        """``name.attr`` where this module binds ``name`` once, to an instance
        of one of its classes (``settings = LazySettings()``): the class's
        member; no constant when no class in the hierarchy binds it (set
        by ``__getattr__`` or from outside).  None when the ast cannot tell."""
        bindings, complex_names = self._bindings()
        found = bindings.get(name) if name not in complex_names else None
        if found is None or len(found) != 1:
            return None
        value = found[0][0]
        if not (isinstance(value, ast.Call) and isinstance(value.func, ast.Name)):
            return None
        cls = self._class_defs().get(value.func.id)
        if cls is None or value.func.id in bindings:
            return None
        member = self.class_member(cls, attr)
        return OPAQUE_VAL if member is MISSING else member

    def exported(self, name: str) -> Val | None:
        """The value this module gives ``name``, without astroid (for the
        other modules of the project); None when the ast cannot tell."""
        previous, self.infer, self._exporting = self.infer, False, True
        try:
            found = self._name(name, None)
        finally:
            self.infer, self._exporting = previous, False
        return None if found.deferred else found

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
            if base.id in ("self", "cls"):
                owner = next((s for s in reversed(scopes) if isinstance(s, ast.ClassDef)), None)
                previous, self._class_access = self._class_access, base.id == "cls"
                try:
                    member = self._class_member(owner, node.attr) if owner is not None else None
                finally:
                    self._class_access = previous
                return member if member is not None and member is not MISSING else self._infer_val(node)
            if qualified and self._in_project(qualified):
                return self._imported(qualified, node)
        return OPAQUE_VAL

    def _class_member(self, cls: ast.ClassDef, attr: str, depth: int = 0) -> Val | None:
        """``self.attr`` in a method of ``cls``: the join of its class-level
        binding and every ``self.attr = ...`` in the class's methods, else
        what a base class (of this module or the project) gives it; None
        when the ast cannot tell (a base class from a library)."""
        key = (id(cls), attr, self.infer or self._exporting, self._class_access)
        if key in self._class_members:
            return self._class_members[key]
        self._class_members[key] = None  # a cycle through the bases: unknown
        found = self._class_member_uncached(cls, attr, depth)
        self._class_members[key] = found
        return found

    def class_member(self, cls: ast.ClassDef, attr: str) -> Val | None:
        """``self.attr`` of ``cls`` for another module (None: cannot tell,
        ``MISSING``: no class in the hierarchy binds it)."""
        return self._class_member(cls, attr)

    def _class_member_uncached(self, cls: ast.ClassDef, attr: str, depth: int) -> Val | None:
        bindings, complex_names = self._class_bindings(cls)
        if attr in complex_names:
            return self._defined_member(cls, attr)
        vals = [self._fold_bindings(bindings[attr], (cls,))] if attr in bindings else []
        for value, method in self.instance_attributes(cls).get(attr, ()):
            if value is None:
                return OPAQUE_VAL  # self.attr += ..., unpacking: not a constant
            vals.append(self._evaluate_in(value, (cls, method)))
        if vals:
            return join_all(vals)
        if depth >= MAX_PROJECT_DEPTH:
            return None
        for base in cls.bases:  # the first base that defines it wins
            if isinstance(base, ast.Name) and base.id in self._class_defs() and base.id not in self._bindings()[0]:
                found = self._class_member(self._class_defs()[base.id], attr, depth + 1)
            else:
                qualified = self._names.qualified(base, ())
                if qualified is None or qualified in ("object", "builtins.object"):
                    continue
                if not self._in_project(qualified) or not (self.infer or self._exporting):
                    return None  # a library class (only astroid can tell), or not worth a parse yet
                found = self._from_project(f"{qualified}.{attr}")
            if found is not MISSING:
                return found
        return MISSING

    def _defined_member(self, cls: ast.ClassDef, attr: str) -> Val | None:
        """``self.attr`` where the class body binds ``attr`` with a ``def`` or
        ``class``: a property's value is what its getter returns (every
        ``return``, folded here: astroid would do no better than that); a
        method or class is no constant.  None when bound some other way."""
        defs = [s for s in cls.body if isinstance(s, (*FUNCTIONS, ast.ClassDef)) and s.name == attr]
        if len(defs) != 1 or attr in self.instance_attributes(cls) or _bound_otherwise(cls, attr):
            return None  # redefined, a setter, set on instances or bound some other way too
        getter = defs[0]
        if not isinstance(getter, FUNCTIONS) or not any(
                label_of(dec).rsplit(".", 1)[-1] in PROPERTY_DECORATORS for dec in getter.decorator_list):
            return OPAQUE_VAL  # a method or a nested class
        if self._class_access:
            return OPAQUE_VAL  # ``cls.attr``: the property object itself
        returns: list[ast.expr] = []
        stack: list[ast.AST] = list(getter.body)
        while stack:  # the getter's own returns, not those of functions nested in it
            node = stack.pop()
            if isinstance(node, (ast.Yield, ast.YieldFrom)):
                return OPAQUE_VAL  # a generator
            if isinstance(node, ast.Return):
                if node.value is None:
                    return OPAQUE_VAL
                returns.append(node.value)
            if not isinstance(node, (*FUNCTIONS, ast.Lambda, ast.ClassDef)):
                stack.extend(ast.iter_child_nodes(node))
        if not returns:
            return OPAQUE_VAL
        vals = [self._evaluate_in(value, (cls, getter)) for value in returns]
        if not isinstance(getter.body[-1], (ast.Return, ast.Raise)):
            vals.append(const_val(None))  # it may also run off its end
        return join_all(vals)

    def instance_attributes(self, cls: ast.ClassDef) -> dict[str, list[tuple[ast.expr | None, ast.AST]]]:
        """``self.X`` assignments of a class's methods, by attribute (one scan per class)."""
        table = self._instance_tables.get(id(cls))
        if table is None:
            table = self._instance_tables[id(cls)] = {}
            for method in cls.body:
                if isinstance(method, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    for attr, value in _instance_assignments(method):
                        table.setdefault(attr, []).append((value, method))
        return table

    def _evaluate_in(self, node: ast.AST, scopes: Sequence[ast.AST]) -> Val:
        """An expression inside a method, its locals unknown."""
        from flake8_secure.analysis.flow import Evaluator

        locals_ = frozenset().union(*(self.locals_of(s) for s in scopes if not isinstance(s, ast.ClassDef)))
        return Evaluator(self._names, self, scopes, locals_).eval(node, {})

    def _class_attribute(self, cls: ast.ClassDef, attr: str, scopes: Sequence[ast.AST]) -> Val:
        bindings, complex_names = self._class_bindings(cls)
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

    def _infer_val(self, node: ast.AST | None) -> Val:
        if not self.infer:
            return DEFERRED_VAL
        return _as_val(self._infer(node))

    def _infer(self, node: ast.AST | None) -> Values | _Unknown:
        if not self.infer or node is None:
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
            self._module_bindings = _collect_bindings(self._tree.body, self._has_global, self._import_only)
        return self._module_bindings

    def _class_bindings(self, cls: ast.ClassDef) -> tuple[dict[str, list[Binding]], set[str]]:
        found = self._class_binding_tables.get(id(cls))
        if found is None:
            found = self._class_binding_tables[id(cls)] = _collect_bindings(cls.body, self._has_global)
        return found

    def _class_defs(self) -> dict[str, ast.ClassDef]:
        if self._classes is None:
            self._classes = {s.name: s for s in self._tree.body if isinstance(s, ast.ClassDef)}
        return self._classes


def _bound_otherwise(cls: ast.ClassDef, attr: str) -> bool:
    """Whether the class body binds ``attr`` other than by a ``def`` or
    ``class`` of its own (an assignment, a loop, an import, a nested block)."""
    for stmt in cls.body:
        if isinstance(stmt, (*FUNCTIONS, ast.ClassDef)):
            continue
        for node in ast.walk(stmt):
            if isinstance(node, ast.Name) and node.id == attr and isinstance(node.ctx, ast.Store):
                return True
            if isinstance(node, (*FUNCTIONS, ast.ClassDef)) and node.name == attr:
                return True
            if isinstance(node, ast.alias) and (node.asname or node.name).split(".")[0] == attr:
                return True
    return False


def _collect_bindings(
    body: list[ast.stmt], has_global: bool = True, import_only: set[str] | None = None
) -> tuple[dict[str, list[Binding]], set[str]]:
    """Simple ``NAME = expr`` bindings of a module or class body.

    Names bound any other way (augmented assignment, loops, imports, defs,
    ``global`` in a function) are "complex": not folded from the ast.
    ``import_only`` receives the names bound by imports and nothing else.
    """
    bindings: dict[str, list[Binding]] = {}
    complex_names: set[str] = set()
    imported: set[str] = set()

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
                    for node in statements_under(stmt):
                        if isinstance(node, ast.Global):
                            complex_names.update(node.names)
            elif isinstance(stmt, (ast.Import, ast.ImportFrom)):
                imported.update((a.asname or a.name).split(".")[0] for a in stmt.names)
            else:
                for target in _other_targets(stmt):
                    complex_names.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
                for block in child_blocks(stmt):
                    visit(block, conditions)

    visit(body, ())
    if import_only is not None:
        import_only.update(imported - complex_names - bindings.keys())
    complex_names |= imported
    for name in complex_names:
        bindings.pop(name, None)
    return bindings, complex_names


def _instance_assignments(method: ast.FunctionDef | ast.AsyncFunctionDef) -> Iterator[tuple[str, ast.expr | None]]:
    """(attribute, value) for each ``self.attr`` a method binds (value None:
    bound some other way: unpacking, ``+=``, a loop or ``with`` target)."""
    for node in statements_under(method):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if _self_attr(target):
                    yield _self_attr(target), node.value
                elif isinstance(target, (ast.Tuple, ast.List)):
                    yield from ((_self_attr(t), None) for t in target.elts if _self_attr(t))
        elif isinstance(node, ast.AnnAssign) and node.value is not None and _self_attr(node.target):
            yield _self_attr(node.target), node.value
        elif isinstance(node, (ast.AugAssign, ast.For, ast.AsyncFor)) and _self_attr(node.target):
            yield _self_attr(node.target), None
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            yield from ((_self_attr(i.optional_vars), None) for i in node.items if _self_attr(i.optional_vars))


def _self_attr(target: ast.AST | None) -> str:
    """``attr`` of a ``self.attr`` target, else ''."""
    if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id == "self":
        return target.attr
    return ""


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
