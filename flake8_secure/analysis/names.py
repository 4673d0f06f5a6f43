"""Resolve names and attribute chains to qualified names through imports.

``import sqlite3 as db`` makes ``db.connect`` resolve to ``sqlite3.connect``;
``from django.db import connection as c`` makes ``c.cursor`` resolve to
``django.db.connection.cursor``.  Imports inside functions are scoped to the
function (and the functions nested in it).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Collection, Container, Iterable, Iterator, Sequence

Scope = ast.AST  # a FunctionDef, AsyncFunctionDef, Lambda or ClassDef node

# Statements whose bodies still belong to the enclosing scope.
_BLOCKS: tuple[type[ast.stmt], ...] = (ast.If, ast.Try, ast.With, ast.AsyncWith, ast.For, ast.AsyncFor, ast.While)
_NEW_SCOPE = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)
if hasattr(ast, "TryStar"):
    _BLOCKS += (ast.TryStar,)
if hasattr(ast, "Match"):
    _BLOCKS += (ast.Match,)


def child_blocks(stmt: ast.stmt) -> list[list[ast.stmt]]:
    """The statement lists nested directly in a compound statement."""
    blocks = [getattr(stmt, f) for f in ("body", "orelse", "finalbody") if hasattr(stmt, f)]
    blocks += [h.body for h in getattr(stmt, "handlers", ())]
    blocks += [c.body for c in getattr(stmt, "cases", ())]
    return blocks


def scope_statements(body: Sequence[ast.stmt]) -> Iterator[ast.stmt]:
    """Statements executed in this scope, descending into blocks but not defs."""
    stack = list(reversed(body))
    while stack:
        stmt = stack.pop()
        yield stmt
        if isinstance(stmt, _BLOCKS):
            for block in reversed(child_blocks(stmt)):
                stack.extend(reversed(block))


def all_statements(body: Sequence[ast.stmt]) -> Iterator[ast.stmt]:
    """Every statement under ``body``: inside blocks, functions and classes too."""
    stack = list(body)
    while stack:
        stmt = stack.pop()
        yield stmt
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            stack.extend(stmt.body)
        else:
            for block in child_blocks(stmt):
                stack.extend(block)


_IMPORT_WORD = re.compile(r"i(?<!\wi)mport\b")  # (starting with a letter: see context._IMPORT_STMT)


def _nested_import_possible(source: str, top_lines: Collection[int]) -> bool:
    """Whether an import statement may sit anywhere but directly in the
    module body, whose import statements start on ``top_lines``: the word
    ``import`` of any other import statement shows up on a line that does
    not start with ``import``/``from`` (indented, after a colon or a
    semicolon), or on one that does but continues a string, a bracket or a
    backslash continuation, and then starts no statement of the body.
    (Text in strings or comments only errs on the safe side.)"""
    text = source.replace("\r\n", "\n").replace("\r", "\n")  # the tokenizer's line ends
    for match in _IMPORT_WORD.finditer(text):
        start = text.rfind("\n", 0, match.start()) + 1
        if not text.startswith(("import", "from"), start) or text.count("\n", 0, start) + 1 not in top_lines:
            return True
    return False


def import_pairs(stmts: Iterable[ast.stmt], package: str = "") -> Iterator[tuple[str, str]]:
    """(alias, qualified name) for each name the import statements bind."""
    for stmt in stmts:
        if isinstance(stmt, ast.Import):
            for alias in stmt.names:
                if alias.asname:
                    yield alias.asname, alias.name
                else:
                    top = alias.name.split(".", 1)[0]
                    yield top, top
        elif isinstance(stmt, ast.ImportFrom):
            module = stmt.module or ""
            if stmt.level:
                module = absolute_module(module, stmt.level, package)
            for alias in stmt.names:
                if alias.name == "*":
                    continue
                yield alias.asname or alias.name, f"{module}.{alias.name}" if module else alias.name


def import_bindings(stmts: Iterable[ast.stmt], package: str = "") -> dict[str, str]:
    """Map each alias bound by the import statements to its qualified name."""
    return dict(import_pairs(stmts, package))


def absolute_module(module: str, level: int, package: str) -> str:
    """Resolve a relative import against the package of the linted file.

    Without a known package the leading dots are kept, so a relative name can
    never be mistaken for a third-party module of the same name.
    """
    parts = package.split(".") if package else []
    if parts and level - 1 <= len(parts):
        base = parts[: len(parts) - (level - 1)]
        return ".".join(base + ([module] if module else []))
    return "." * level + module


class Names:
    """Qualified-name resolution for one module.

    ``scopes`` returns the chain of scopes (outermost first) around the node
    being checked; the checker's walk keeps it current.
    """

    def __init__(
        self, tree: ast.Module, scopes: Callable[[], Sequence[Scope]], package: str = "",
        source: Callable[[], str] | None = None,
    ) -> None:
        self._tree = tree
        self._source = source  # the module's text, when known: see ``_collect_imports``
        self._scopes = scopes
        self._package = package
        self.package = package
        self._module: dict[str, str] | None = None
        self._local: dict[int, dict[str, str]] = {}
        self._all: list[tuple[str, str]] | None = None
        self._aliases: dict[str, tuple[str, ...]] | None = None
        self._imported: frozenset[str] | None = None  # every name an import binds, anywhere
        self._scoped: frozenset[str] | None = None  # ... in a function or class body

    def module_imports(self) -> dict[str, str]:
        if self._module is None:
            self._module = import_bindings(scope_statements(self._tree.body), self._package)
        return self._module

    def all_imports(self) -> list[tuple[str, str]]:
        """(alias, qualified name) of every import of the module, in functions too."""
        if self._all is None:
            self._collect_imports()
            assert self._all is not None
        return self._all

    def _collect_imports(self) -> None:
        """One pass over every statement (in ``all_statements`` order): the
        pairs of ``all_imports``, and the names bound by the imports inside
        functions or class bodies (``_scoped``)."""
        pairs: list[tuple[str, str]] = []
        scoped: set[str] = set()
        top = [stmt for stmt in self._tree.body if isinstance(stmt, (ast.Import, ast.ImportFrom))]
        if self._source is not None and not _nested_import_possible(self._source(), {s.lineno for s in top}):
            # Every import statement is a statement of the module body itself.
            self._all = [pair for stmt in reversed(top) for pair in import_pairs((stmt,), self._package)]
            self._scoped = frozenset()
            return
        stack: list[tuple[ast.stmt, bool]] = [(stmt, False) for stmt in self._tree.body]
        while stack:
            stmt, nested = stack.pop()
            if isinstance(stmt, (ast.Import, ast.ImportFrom)):
                found = list(import_pairs((stmt,), self._package))
                pairs.extend(found)
                if nested:
                    scoped.update(alias for alias, _ in found)
            elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                stack.extend((inner, True) for inner in stmt.body)
            elif isinstance(stmt, _BLOCKS):
                for block in child_blocks(stmt):
                    stack.extend((inner, nested) for inner in block)
        self._all, self._scoped = pairs, frozenset(scoped)

    def alias_targets(self) -> dict[str, tuple[str, ...]]:
        """Each name an import (anywhere in the module) binds to a different
        name, with the last names it may stand for, itself included:
        ``from os import chmod as ch`` -> ``{"ch": ("ch", "chmod")}``."""
        if self._aliases is None:
            found: dict[str, set[str]] = {}
            for alias, qualified in self.all_imports():
                last = qualified.rsplit(".", 1)[-1]
                if last != alias:
                    found.setdefault(alias, {alias}).add(last)
            self._aliases = {alias: tuple(sorted(names)) for alias, names in found.items()}
        return self._aliases

    def may_end_in(self, expr: ast.AST, last: Container[str]) -> bool:
        """Whether ``qualified(expr)`` can end in one of the names ``last``,
        from syntax alone: ``qualified`` resolves imports only, so it ends in
        an attribute's own name, a name's own name, or the name an import
        alias stands for (``alias_targets``)."""
        if isinstance(expr, ast.Attribute):
            return expr.attr in last
        if isinstance(expr, ast.Name):
            return expr.id in last or any(name in last for name in self.alias_targets().get(expr.id, ()))
        return False

    def _imports_of(self, scope: Scope) -> dict[str, str]:
        table = self._local.get(id(scope))
        if table is None:
            body = getattr(scope, "body", None)
            stmts = scope_statements(body) if isinstance(body, list) else iter(())
            table = import_bindings(stmts, self._package)
            self._local[id(scope)] = table
        return table

    def imported_names(self) -> frozenset[str]:
        """Every name an import binds, anywhere in the module."""
        imported = self._imported
        if imported is None:
            imported = self._imported = frozenset(alias for alias, _ in self.all_imports())
        return imported

    def resolve_name(self, name: str, scopes: Sequence[Scope] | None = None) -> str | None:
        """The qualified name an imported alias stands for, or None."""
        imported = self._imported
        if imported is None:
            imported = self.imported_names()
        if name not in imported:
            return None  # most names asked about (locals, builtins, self) are no import anywhere
        scoped = self._scoped
        if scoped is None:
            self._collect_imports()
            scoped = self._scoped
            assert scoped is not None
        if name not in scoped:
            return self.module_imports().get(name)  # no function imports it: the module's import
        for scope in reversed(scopes if scopes is not None else self._scopes()):
            if isinstance(scope, ast.ClassDef):
                continue  # class bodies do not enclose the methods' names
            found = self._imports_of(scope).get(name)
            if found is not None:
                return found
        return self.module_imports().get(name)

    def qualified(self, expr: ast.AST, scopes: Sequence[Scope] | None = None) -> str | None:
        """``a.b.c`` with the leftmost name resolved through imports.

        Names that are not imported resolve to themselves (builtins such as
        ``open`` and local variables such as ``cursor``); expressions that are
        not name/attribute chains resolve to None.
        """
        attrs: list[str] = []
        while isinstance(expr, ast.Attribute):
            attrs.append(expr.attr)
            expr = expr.value
        if not isinstance(expr, ast.Name):
            return None
        head = self.resolve_name(expr.id, scopes) or expr.id
        return ".".join([head, *reversed(attrs)])

    def chain(self, expr: ast.AST, scopes: Sequence[Scope] | None = None) -> str | None:
        """Like ``qualified`` but through calls and subscripts, which are dropped:
        ``sqlite3.connect(p).cursor()`` -> ``sqlite3.connect.cursor``."""
        attrs: list[str] = []
        while True:
            if isinstance(expr, ast.Attribute):
                attrs.append(expr.attr)
                expr = expr.value
            elif isinstance(expr, ast.Call):
                expr = expr.func
            elif isinstance(expr, ast.Subscript):
                expr = expr.value
            else:
                break
        if not isinstance(expr, ast.Name):
            return None
        head = self.resolve_name(expr.id, scopes) or expr.id
        return ".".join([head, *reversed(attrs)])


def dotted_name(node: ast.AST) -> str | None:
    """``self.request.GET`` as written (no import resolution), or None for
    anything but a name/attribute chain: the key the flow layer tracks."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        return ".".join([node.id, *reversed(parts)])
    return None


def call_name(func: ast.AST) -> str | None:
    """The last component of a called name: ``execute`` for ``cur.execute``."""
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return None
