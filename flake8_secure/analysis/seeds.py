"""Where untrusted data can enter a module at all: the gate before taint.

Following values through a function costs a flow over its whole body; most
functions of most modules never see request data or exception details, and
asking there is wasted work.  This module answers a conservative question
per top-level function, from one scan of the syntax of each function asked
about and of the module functions it may call (the others are never
scanned): could any value in it carry request data (a handler's
parameters, a request proxy, a team's extra source, a helper that returns
one) or exception details (a named ``except`` clause,
``traceback.format_exc()``...)?  A "no" is a proof:
the flow would find nothing, so taint rules skip the function.  A "yes" only
means the flow runs.

A function's callers receive only what it *sources* itself (a request proxy,
an exception, what its own callees source): a handler's parameters are
request data in its own flow, but a call of it from elsewhere binds them to
the caller's arguments (summaries use placeholders), so that part of its
bits does not travel up the call graph or to importing modules.
"""

from __future__ import annotations

import ast
from collections.abc import Container, Iterable, Sequence
from typing import TYPE_CHECKING, cast, overload

from flake8_secure.analysis.frameworks import errors, logs, web
from flake8_secure.analysis.nodes import CHILD_FIELDS, child_fields, descendants, statements_under

if TYPE_CHECKING:
    from flake8_secure.analysis.taint import TaintModel

FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
Func = ast.FunctionDef | ast.AsyncFunctionDef

REQUEST, EXCEPTION = 1, 2
BOTH = REQUEST | EXCEPTION

# Packages whose import makes a module able to build a response or handle
# a request (the top-level packages of the response sinks and app factories).
WEB_PACKAGES = frozenset(
    {name.split(".")[0] for name in errors.RESPONSE_SINKS}
    | {name.split(".")[0] for name in web.APP_FACTORIES | web.REQUEST_CLASSES | web.REQUEST_PROXIES}
    | {"django", "rest_framework"}
)


def _heads(names: Iterable[str]) -> set[str]:
    """Every dotted prefix of the names (``flask``, ``flask.request``)."""
    found: set[str] = set()
    for name in names:
        parts = name.split(".")
        found.update(".".join(parts[: i + 1]) for i in range(len(parts)))
    return found


# Names whose import binds an exception source or a module on the way to
# one (``sys``, ``traceback``, ``sys.exc_info``).
EXCEPTION_HEADS = frozenset(_heads(errors.EXCEPTION_SOURCES))


def calls_without_exception(definitions: Iterable[ast.AST], exception_names: Container[str]) -> set[str] | None:
    """The names called (``f(...)``) in code that surely sources no
    exception details itself, as ``Seeds._scan`` reads it (a module's
    definitions, parsed on their own); None when it may: a name of
    ``exception_names`` (those an import binds to one of ``EXCEPTION_HEADS``,
    or more) or a named ``except`` clause whose exception may leave it.
    What the called names return is the caller's to follow."""
    called: set[str] = set()
    for definition in definitions:
        for node in descendants(definition):
            cls = type(node)
            if cls is ast.Call:
                func = node.func  # type: ignore[attr-defined]
                if type(func) is ast.Name:
                    called.add(func.id)
            elif cls is ast.Name:
                if node.id in exception_names:  # type: ignore[attr-defined]
                    return None
            elif cls is ast.ExceptHandler and node.name and _escapes(node):  # type: ignore[arg-type, attr-defined]
                return None
    return called


def _escapes(handler: ast.ExceptHandler) -> bool:
    """Whether the exception bound by ``except ... as name`` may leave the
    clause in a value: any use but re-raising it or logging it (a log call
    as a statement returns nothing to keep) may end up returned."""
    name = handler.name
    stack: list[ast.stmt] = list(handler.body)
    while stack:
        stmt = stack.pop()
        if isinstance(stmt, ast.Raise):
            continue
        if (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call)
                and isinstance(stmt.value.func, ast.Attribute) and stmt.value.func.attr in logs.LOG_METHODS):
            continue
        for child in ast.iter_child_nodes(stmt):
            if isinstance(child, ast.stmt):
                stack.append(child)
            elif isinstance(child, ast.ExceptHandler):
                stack.extend(child.body)
                if isinstance(child.type, ast.AST) and _uses(child.type, name):
                    return True
            elif _uses(child, name):
                return True
    return False


def _uses(node: ast.AST, name: str | None) -> bool:
    return any(isinstance(n, ast.Name) and n.id == name for n in descendants(node))


class Seeds:
    """Which functions of one module can hold untrusted data (cached per module)."""

    def __init__(self, model: TaintModel) -> None:
        self._model = model
        self._aliases: dict[str, int] | None = None
        # Per function, decided on first question about it (or a caller of
        # it): its bits, what it sources, the imports and sinks it reaches.
        self._index: dict[int, tuple[Func, tuple[ast.AST, ...]]] | None = None
        self._own: dict[int, tuple[int, int, list[int], set[str], set[str]]] = {}
        self._final: set[int] = set()
        self._all_done = False
        self._flags: dict[int, int] = {}
        self._sourced: dict[int, int] = {}
        # Categories of the sinks each function may run, itself or through
        # the module's functions it calls (by the calls' last names).
        self._sinks: dict[int, frozenset[str]] = {}
        # Imported names that lead to a source (``sys``, ``flask``), by what
        # they import: ``sys.argv`` is no source, ``sys.exc_info`` is.
        self._modules: dict[str, str] = {}
        self._request_heads: set[str] = set()
        self._exception_heads: frozenset[str] = frozenset()
        # Helpers of the project's other modules each function (transitively
        # through this module's functions) calls: asked only when its own
        # bits do not already decide, since asking parses that module.
        self._imports: dict[int, set[str]] = {}
        self._decided: dict[tuple[int, int], bool] = {}
        self._module_flags = 0
        self._computing = False
        self._web: bool | None = None
        self._web_helpers: dict[int, bool] = {}
        self._request_sources: bool | None = None
        self._handles: dict[int, bool] = {}

    def may_carry(self, scopes: Sequence[ast.AST], exception: bool) -> bool:
        """Whether values at a place inside ``scopes`` can carry request data
        (or, with ``exception``, exception details)."""
        if not exception and not self._sources_request():
            return self._handled(scopes)
        wanted = EXCEPTION if exception else REQUEST
        top = next((s for s in scopes if isinstance(s, FUNCTIONS)), None)
        key = id(top) if top is not None else 0
        self._ensure(key)
        if exception and not self._web_module():
            # Exception details only harm in a response: without a web
            # framework, only a project helper could build one.
            return self._through_web_helpers(key)
        bits = self._flags.get(key, BOTH) if top is not None else self._module_flags
        if bits & wanted:
            return True
        return self._through_imports(key, wanted)

    @overload
    def function_flags(self, func: ast.AST) -> int: ...

    @overload
    def function_flags(self, func: ast.AST, follow_imports: bool) -> int | None: ...

    def function_flags(self, func: ast.AST, follow_imports: bool = True) -> int | None:
        """REQUEST/EXCEPTION bits of what a call of a module function may
        return (see the module docstring); BOTH while this module's own scan
        is still running (an import cycle).  Without ``follow_imports``: None
        when only other modules' helpers could decide."""
        if self._computing:
            return BOTH
        key = id(func)
        self._ensure(key)
        bits = self._sourced.get(key, BOTH)
        for wanted in (REQUEST, EXCEPTION):
            if bits & wanted:
                continue
            if not follow_imports and self._imports.get(key) and (key, wanted) not in self._decided:
                return None
            if self._through_imports(key, wanted):
                bits |= wanted
        return bits

    def sink_categories(self, func: ast.AST) -> frozenset[str] | None:
        """Categories of the sinks a call of a module function (or method)
        may run, by the names it and the module functions it calls call;
        None when unknown (not one of the module's, an import cycle)."""
        if self._computing:
            return None
        self._ensure(id(func))
        return self._sinks.get(id(func))

    def request_free(self, scopes: Sequence[ast.AST]) -> bool:
        """Whether values inside ``scopes`` surely carry no request data,
        decided without a scan (False: they may, or only a scan could tell)."""
        return not self._sources_request() and not self._handled(scopes)

    def _handled(self, scopes: Sequence[ast.AST]) -> bool:
        """The REQUEST bit at ``scopes`` when nothing in the module sources
        request data: whether its top-level function handles requests (for
        the module's own code, as in ``_finish_module``: any function)."""
        top = next((s for s in scopes if isinstance(s, FUNCTIONS)), None)
        if top is not None:
            return self._handles_requests(id(top))
        found = self._handles.get(0)
        if found is None:
            found = self._handles[0] = any(self._handles_requests(k) for k in self._functions())
        return found

    def _sources_request(self) -> bool:
        """Whether any function of the module could source request data:
        a name bound to a request proxy (or a module on the way to one, or a
        team's extra source), or a call of a project helper whose module can
        reach one through the project's imports.  When not, a function's
        values carry request data only as a handler's parameters, and no
        scan is needed to say so."""
        if self._request_sources is None:
            reach = self._model.imports_reach_request
            self._request_sources = reach is None or any(
                bits & REQUEST for bits in self._source_aliases().values()) or reach()
        return self._request_sources

    def _handles_requests(self, key: int) -> bool:
        """Whether the top-level function ``key`` is a request handler or
        holds one (a nested def, at any depth): its REQUEST bit when nothing
        in the module sources request data (see ``_scan``)."""
        found = self._handles.get(key)
        if found is None:
            entry = self._functions().get(key)
            if entry is None:
                found = True  # not a function the scan decides either: unknown
            else:
                func, chain = entry
                model = self._model
                found = model.is_handler(func, chain) or any(
                    isinstance(stmt, FUNCTIONS) and stmt is not func and model.is_handler(stmt, (stmt,))
                    for stmt in statements_under(func))
            self._handles[key] = found
        return found

    def _web_module(self) -> bool:
        if self._web is None:
            tops = {q.split(".")[0] for _, q in self._model.names.all_imports()}
            self._web = bool(tops & WEB_PACKAGES)
        return self._web

    def _through_web_helpers(self, key: int) -> bool:
        found = self._web_helpers.get(key)
        if found is None:
            self._ensure(key)
            lookup = self._model.import_web
            found = self._web_helpers[key] = lookup is not None and any(
                lookup(q) for q in sorted(self._imports.get(key, ())))
        return found

    def _through_imports(self, key: int, wanted: int) -> bool:
        decided = self._decided.get((key, wanted))
        if decided is None:
            lookup = self._model.import_flags
            names = sorted(self._imports.get(key, ()))
            self._decided[(key, wanted)] = False  # a cycle back here adds nothing
            decided = lookup is not None and any(lookup(q, wanted) & wanted for q in names)
            self._decided[(key, wanted)] = decided
        return decided

    # -- the scan ---------------------------------------------------------
    def _ensure(self, key: int) -> None:
        """Decide the function ``key`` (0: the whole module) and every module
        function it may call: scanned once each, then what callees source,
        import and may sink propagated over just that part of the call graph
        (closed under calls, so the answers are the whole module's)."""
        if key in self._final or self._all_done:
            return
        index = self._functions()
        if key != 0 and key not in index:
            return
        self._computing = True
        try:
            if key == 0:
                reach = list(index)
                for each in reach:
                    self._scanned(each, index)
            else:
                reach = self._reach(key, index)
            self._propagate([k for k in reach if k not in self._final])
            if key == 0:
                self._finish_module(index)
        finally:
            self._computing = False

    def _functions(self) -> dict[int, tuple[Func, tuple[ast.AST, ...]]]:
        if self._index is None:
            self._index = {}
            for stmt in self._model.tree.body:
                if isinstance(stmt, FUNCTIONS):
                    self._index[id(stmt)] = (stmt, (stmt,))
                elif isinstance(stmt, ast.ClassDef):
                    self._index.update((id(s), (s, (stmt, s))) for s in stmt.body if isinstance(s, FUNCTIONS))
        return self._index

    def _reach(self, key: int, index: dict[int, tuple[Func, tuple[ast.AST, ...]]]) -> list[int]:
        """``key`` and the module functions it may call, each scanned."""
        reach, seen, stack = [], {key}, [key]
        while stack:
            current = stack.pop()
            reach.append(current)
            if current in self._final:
                continue  # its callees are decided already
            for callee in self._scanned(current, index)[2]:
                if callee in index and callee not in seen:
                    seen.add(callee)
                    stack.append(callee)
        return reach

    def _scanned(
        self, key: int, index: dict[int, tuple[Func, tuple[ast.AST, ...]]]
    ) -> tuple[int, int, list[int], set[str], set[str]]:
        own = self._own.get(key)
        if own is None:
            func, chain = index[key]
            imports: set[str] = set()
            sinks: set[str] = set()
            flags, sourced, callees = self._scan(func, chain, imports, sinks)
            own = self._own[key] = (flags, sourced, callees, imports, sinks)
        return own

    def _propagate(self, keys: list[int]) -> None:
        """What the functions ``keys`` source, import and may sink, their
        callees' included (to a fixed point); the callees outside ``keys``
        are decided already."""
        own = self._own
        sourced = {k: own[k][1] for k in keys}
        imports = {k: set(own[k][3]) for k in keys}
        sinks = {k: set(own[k][4]) for k in keys}
        changed = True
        while changed:
            changed = False
            for key in keys:
                bits, names, categories = sourced[key], imports[key], sinks[key]
                before = len(names), len(categories)
                for callee in own[key][2]:
                    if callee in sourced:
                        bits |= sourced[callee]
                        names |= imports[callee]
                        categories |= sinks[callee]
                    else:
                        bits |= self._sourced.get(callee, 0)
                        names |= self._imports.get(callee, set())
                        categories |= self._sinks.get(callee, frozenset())
                if bits != sourced[key] or (len(names), len(categories)) != before:
                    sourced[key] = bits
                    changed = True
        for key in keys:
            self._sourced[key] = sourced[key]
            self._imports[key] = imports[key]
            self._sinks[key] = frozenset(sinks[key])
            self._flags[key] = own[key][0] | sourced[key]
            self._final.add(key)

    def _finish_module(self, index: dict[int, tuple[Func, tuple[ast.AST, ...]]]) -> None:
        """The bits of the module as a whole (the code outside functions included)."""
        module_bits = 0
        for key in index:
            module_bits |= self._flags[key]
        names: set[str] = set().union(*(self._imports[k] for k in index)) if index else set()
        self._imports[0] = names
        self._module_flags = module_bits | self._scan_module_level(names)
        self._all_done = True

    def _source_aliases(self) -> dict[str, int]:
        """Names an import binds to a source or to a module holding one."""
        if self._aliases is None:
            model = self._model
            request = self._request_heads = _heads(web.REQUEST_PROXIES | model.extra_sources)
            exception = self._exception_heads = EXCEPTION_HEADS
            sources = web.REQUEST_PROXIES | model.extra_sources | errors.EXCEPTION_SOURCES
            aliases: dict[str, int] = {}
            for bound, qualified in model.names.all_imports():
                bits = (REQUEST if qualified in request else 0) | (EXCEPTION if qualified in exception else 0)
                if bits:
                    aliases[bound] = aliases.get(bound, 0) | bits
                    if qualified not in sources:
                        self._modules[bound] = qualified  # a module or package on the way to one
            # A team's extra source may be a name of this very module.
            for name in model.extra_sources:
                aliases[name.split(".")[0]] = aliases.get(name.split(".")[0], 0) | REQUEST
            self._aliases = aliases
        return self._aliases

    def _scan(
        self, func: Func, chain: tuple[ast.AST, ...], imports: set[str], sinks: set[str]
    ) -> tuple[int, int, list[int]]:
        """Own bits of a function (its nested defs and lambdas included), the
        part of them it sources itself (not its or a nested handler's
        parameters) and the ids of the functions of this module it calls;
        adds the imported names it calls to ``imports``, the categories of
        the sinks its calls may be to ``sinks``."""
        model = self._model
        word_categories = model.word_categories()
        aliases = self._source_aliases()
        handler = 0
        if model.is_handler(func, chain):
            handler |= REQUEST | (EXCEPTION if model._error_handler(func) is not None else 0)
        sourced = 0
        callees: list[int] = []
        modules = self._modules
        decided: set[int] = set()  # names read as the base of an attribute already judged
        # The walk of ``descendants``, inlined (parents before children): it
        # visits most of the module's functions, node by node.
        name_type, attribute_type, call_type, handler_type = ast.Name, ast.Attribute, ast.Call, ast.ExceptHandler
        def_types, AST, fields_of = FUNCTIONS, ast.AST, CHILD_FIELDS.get
        stack: list[ast.AST] = [func]
        pop, push = stack.pop, stack.append
        while stack:
            node = pop()
            cls = type(node)
            if cls is name_type:
                if aliases and id(node) not in decided:
                    sourced |= aliases.get(node.id, 0)  # type: ignore[attr-defined]
                continue  # a name has no children
            if cls is attribute_type:
                base = node.value  # type: ignore[attr-defined]
                if type(base) is name_type and base.id in modules:
                    decided.add(id(base))
                    dotted = f"{modules[base.id]}.{node.attr}"  # type: ignore[attr-defined]
                    sourced |= ((REQUEST if dotted in self._request_heads else 0)
                                | (EXCEPTION if dotted in self._exception_heads else 0))
            elif cls is call_type:
                called = node.func  # type: ignore[attr-defined]
                self._callees(called, chain, callees, imports)
                last = called.attr if type(called) is attribute_type else getattr(called, "id", None)
                if last in word_categories:
                    sinks |= word_categories[last]
            elif cls is handler_type:
                if node.name:  # type: ignore[attr-defined]
                    handler |= EXCEPTION  # details in its own flow
                    if _escapes(node):  # type: ignore[arg-type]
                        sourced |= EXCEPTION
            elif cls in def_types and node is not func:
                nested = cast(Func, node)
                if model.is_handler(nested, (nested,)):
                    handler |= REQUEST | (EXCEPTION if model._error_handler(nested) is not None else 0)
            fields = fields_of(cls)
            if fields is None:
                fields = child_fields(cls)
            for field in fields:
                value = getattr(node, field, None)
                if type(value) is list:
                    for child in value:
                        if isinstance(child, AST):
                            push(child)
                elif isinstance(value, AST):
                    push(value)
        return handler | sourced, sourced, callees

    def _callees(self, func: ast.expr, chain: tuple[ast.AST, ...], callees: list[int], imports: set[str]) -> None:
        """Add the module functions a call may run to ``callees``, the imported
        function it may run to ``imports``."""
        model = self._model
        cls = chain[0] if isinstance(chain[0], ast.ClassDef) else None
        if isinstance(func, ast.Name):
            qualified = model.names.resolve_name(func.id, chain)
            if qualified is None:
                local = model.functions().get(func.id)
                if local is not None:
                    callees.append(id(local))
                klass = model.classes().get(func.id)
                if klass is not None:  # its methods may hand back what they were given or read
                    callees.extend(id(s) for s in klass.body if isinstance(s, FUNCTIONS))
                return
            imports.add(qualified)
        elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and cls is not None and (
                func.value.id in ("self", "cls")):
            callees.extend(id(s) for s in cls.body if isinstance(s, FUNCTIONS) and s.name == func.attr)

    def _scan_module_level(self, imports: set[str]) -> int:
        """Bits of the code outside functions (module and class bodies); adds
        the imported names it calls to ``imports``."""
        aliases = self._source_aliases()
        bits = 0
        stack: list[ast.AST] = list(self._model.tree.body)
        while stack:
            node = stack.pop()
            if isinstance(node, FUNCTIONS):
                continue
            if isinstance(node, ast.Name):
                bits |= aliases.get(node.id, 0)
            elif isinstance(node, ast.ExceptHandler) and node.name:
                bits |= EXCEPTION
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                qualified = self._model.names.resolve_name(node.func.id, ())
                if qualified is not None:
                    imports.add(qualified)
            stack.extend(ast.iter_child_nodes(node))
        return bits
