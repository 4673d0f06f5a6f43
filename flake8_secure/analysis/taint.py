"""The taint engine's module-level knowledge: handlers, guards, summaries.

Values carry taint (``values.Source``) through the flow layer
(``flow.Evaluator``/``flow.FunctionFlow``); this module decides where taint
starts (request objects and endpoint parameters of detected handlers),
where a guard cleans it (allow-list membership, ``re.fullmatch``, ``..``
checks, ``resolve()`` + ``is_relative_to()``), and what calls to functions of
the same module return (summaries: which parameters reach the result, with
the sanitizers applied on the way), cached per module.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Protocol

from flake8_secure.analysis import payload
from flake8_secure.analysis import urls
from flake8_secure.analysis.frameworks import errors, web
from flake8_secure.analysis.frameworks.sinks import (
    CLIENT_METHODS, CLIENT_SINKS, METHOD_SINKS, SINKS, Sink, arguments, shape,
)
from flake8_secure.analysis.names import Names, call_name, dotted_name, scope_statements
from flake8_secure.analysis.seeds import Seeds
from flake8_secure.analysis.values import ALL, EXCEPTION, OPAQUE, OPAQUE_VAL, Source, Val, label_of

if TYPE_CHECKING:
    from flake8_secure.analysis.constants import Constants
    from flake8_secure.analysis.flow import Env, Evaluator

REQUEST = "<request>"  # origin of a request object
REQUEST_VAL = Val(OPAQUE, origin=REQUEST)
PYDANTIC = "pydantic:"  # origin prefix of a validated model instance: "pydantic:ClassName"
# How deep summaries of helpers calling helpers nest before the next one is
# taken as unknown.  A summary cut short is remembered like any other, so
# below this depth the answers depend on which call asked first: it is set
# well above real helper chains, and low enough for Python's stack.
MAX_SUMMARY_DEPTH = 24
# Flows of functions run with some parameters bound to objects (a request, a
# model instance): kept per module up to this many, then recomputed.
MAX_BOUND_FLOWS = 256

# Calls that are sinks of a category other than their ``SINKS`` row (if any):
# a response constructor is an XSS sink for its HTML and an exception-details
# sink for the same argument.
CATEGORY_SINKS: dict[str, dict[str, Sink]] = {EXCEPTION: errors.RESPONSE_SINKS}
# The categories whose table (``CATEGORY_SINKS``) holds a callee, by its qualified name.
CATEGORIES_BY_CALLEE: dict[str, frozenset[str]] = {
    name: frozenset(c for c, table in CATEGORY_SINKS.items() if name in table)
    for table in CATEGORY_SINKS.values() for name in table
}
_NO_CATEGORIES: frozenset[str] = frozenset()
# The categories of the client-object methods (``requests.Session().get``), by method name.
CLIENT_METHOD_CATEGORIES: dict[str, frozenset[str]] = {
    method: frozenset(s.category for (_, m), s in CLIENT_SINKS.items() if m == method) for method in CLIENT_METHODS
}


def sink_words(extra_sinks: dict[str, Sink] | None = None) -> dict[str, frozenset[str]]:
    """By category, the names a module's text must contain for a call in it to
    reach one of the category's sinks: each sink's last name (an import or an
    attribute access spells it out), the sink methods and client methods."""
    return _sink_words(frozenset((extra_sinks or {}).items()))


@lru_cache(maxsize=8)
def _sink_words(extra_sinks: frozenset[tuple[str, Sink]]) -> dict[str, frozenset[str]]:
    words: dict[str, set[str]] = {}
    for table in (SINKS, dict(extra_sinks)):
        for qualified, sink in table.items():
            words.setdefault(sink.category, set()).add(qualified.rsplit(".", 1)[-1])
    for category, table in CATEGORY_SINKS.items():
        words.setdefault(category, set()).update(q.rsplit(".", 1)[-1] for q in table)
    for method, (sink, _) in METHOD_SINKS.items():
        words.setdefault(sink.category, set()).add(method)
    for (_, method), sink in CLIENT_SINKS.items():
        words.setdefault(sink.category, set()).add(method)
    return {category: frozenset(names) for category, names in words.items()}


@lru_cache(maxsize=8)
def _spelling_words(extra_sinks: frozenset[tuple[str, Sink]]) -> dict[str, tuple[str, ...]]:
    """``sink_words`` without the words holding another of their category
    (``Response`` is in ``JsonResponse``): the fewest substrings to look for."""
    return {category: tuple(w for w in sorted(words) if not any(o != w and o in w for o in words))
            for category, words in _sink_words(extra_sinks).items()}


@lru_cache(maxsize=8)
def _word_categories(extra_sinks: frozenset[tuple[str, Sink]]) -> dict[str, frozenset[str]]:
    """``sink_words`` inverted: by last name, the categories of its sinks
    (the same for every module; ``TaintModel.word_categories`` adds aliases)."""
    inverse: dict[str, set[str]] = {}
    for category, words in _sink_words(extra_sinks).items():
        for word in words:
            inverse.setdefault(word, set()).add(category)
    return {word: frozenset(categories) for word, categories in inverse.items()}


_ROUTE_CONVERTER = re.compile(r"<(?:(?P<conv>\w+)(?:\([^)]*\))?:)?(?P<name>\w+)>")
# Guards whose true branch means the value is clean, by sanitizer category.
_PATH_NORMALISERS = ("resolve", "realpath", "abspath", "normpath", "absolute")
# What a check of a URL's host proves: it may be requested and redirected to.
_URL_CATEGORIES = frozenset({"redirect", "ssrf"})
_URL_GUARDS = frozenset({"url_has_allowed_host_and_scheme", "django.utils.http.url_has_allowed_host_and_scheme",
                         "django.utils.http.is_safe_url"})


def _url_argument(call: ast.Call) -> ast.expr | None:
    """The URL a host check is about: its first argument or ``url=``."""
    if call.args:
        return call.args[0]
    return next((kw.value for kw in call.keywords if kw.arg == "url"), None)


def source(node: ast.AST, label: str | None = None) -> Source:
    return Source(label or label_of(node), getattr(node, "lineno", 0))


def tainted(node: ast.AST, label: str | None = None) -> Val:
    return Val(OPAQUE, taint=(source(node, label),))


def exception_source(node: ast.AST, label: str) -> Val:
    """The details of a caught exception (SEC020's source), first seen at ``node``."""
    return Val(OPAQUE, taint=(Source(label, getattr(node, "lineno", 0), exception=True),))


def relabel(val: Val, base: ast.AST, node: ast.AST) -> Val:
    """``request.args`` read as ``request.args["host"]``: name the narrower source."""
    base_label = label_of(base)
    taint = tuple(
        replace(s, label=label_of(node)) if s.label == base_label and s.param is None else s
        for s in val.all_taint()
    )
    return Val(OPAQUE, taint=taint)


class Summaries(Protocol):
    """What a call site asks of the module that defines the called function
    (``TaintModel``, or a project helper's remembered answers)."""

    def summary(self, func: ast.FunctionDef | ast.AsyncFunctionDef, make_flow: object) -> Val | None: ...

    def sink_summary(
        self, func: ast.FunctionDef | ast.AsyncFunctionDef, category: str, make_flow: object
    ) -> list[tuple[int, str, int]]: ...

    def bound_flow(
        self, func: ast.FunctionDef | ast.AsyncFunctionDef, make_flow: object, bound: tuple[tuple[str, Val], ...]
    ) -> object | None: ...


@dataclass(frozen=True)
class Callee:
    """A called function whose body we can summarise, and the module model that owns it."""

    func: ast.FunctionDef | ast.AsyncFunctionDef
    is_method: bool
    model: Summaries
    make_flow: Callable[[ast.AST, Env], object] | None


class TaintModel:
    """Taint knowledge of one module, computed on demand and cached."""

    def __init__(
        self,
        tree: ast.Module,
        names: Names,
        constants: Constants,
        extra_sources: frozenset[str] = frozenset(),
        extra_sanitizers: dict[str, frozenset[str]] | None = None,
    ) -> None:
        self.tree = tree
        self.names = names
        self.constants = constants
        self.extra_sources = extra_sources
        self.sanitizers = dict(web.SANITIZERS)
        self.sanitizers.update(extra_sanitizers or {})
        self._functions: dict[str, ast.FunctionDef | ast.AsyncFunctionDef] | None = None
        self._classes: dict[str, ast.ClassDef] | None = None
        # Per class (by id), its methods by name (the first of each name).
        self._methods: dict[int, dict[str, ast.FunctionDef | ast.AsyncFunctionDef]] = {}
        self._objects: dict[str, ast.ClassDef] | None = None
        self._summaries: dict[int, Val] = {}
        self._summary_flows: dict[int, object] = {}
        self._sink_summaries: dict[tuple[int, str], list[tuple[int, str, int]]] = {}
        self._candidates: dict[int, tuple[bool, str, bool, ast.FunctionDef | ast.AsyncFunctionDef | None]] = {}
        self._word_categories: dict[str, frozenset[str]] | None = None
        self._handler_apps: dict[tuple[int, int, bool], str | None] = {}
        self._bound_flows: dict[tuple[int, tuple[tuple[str, Val], ...]], object] = {}
        self.extra_sinks: dict[str, Sink] = {}
        # Set by the module context: finds functions imported from the
        # project's own modules (qualified name -> Callee).
        self.import_resolver: Callable[[str], Callee | None] | None = None
        self.make_flow: Callable[[ast.AST, Env], object] | None = None
        # Set by the module context: what a helper imported from the project
        # may return (seeds.REQUEST/EXCEPTION bits, BOTH when unknown).
        self.import_flags: Callable[[str, int], int] | None = None
        # Set by the module context: whether an imported project helper's
        # module imports a web framework (could build a response).
        self.import_web: Callable[[str], bool] | None = None
        # Set by the module context: the categories of the sinks an imported
        # project helper's module could reach (those its text names).
        self.import_sinks: Callable[[str], frozenset[str]] | None = None
        # Set by the module context: whether any project module this one
        # imports could source request data (None: unknown, assume so).
        self.imports_reach_request: Callable[[], bool] | None = None
        # Set by the module context: the module's text (None: unknown).
        self.source: str | None = None
        self._named: dict[str, bool] = {}
        self.seeds = Seeds(self)
        self._active: list[ast.AST] = []

    # -- module tables ------------------------------------------------------
    def functions(self) -> dict[str, ast.FunctionDef | ast.AsyncFunctionDef]:
        if self._functions is None:
            self._functions = {
                s.name: s for s in self.tree.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))
            }
        return self._functions

    def classes(self) -> dict[str, ast.ClassDef]:
        if self._classes is None:
            self._classes = {s.name: s for s in self.tree.body if isinstance(s, ast.ClassDef)}
        return self._classes

    def is_request_proxy(self, qualified: str | None) -> bool:
        return qualified in web.REQUEST_PROXIES

    def is_extra_source(self, qualified: str | None) -> bool:
        return qualified is not None and qualified in self.extra_sources

    # -- handlers ------------------------------------------------------------
    def is_handler(self, func: ast.AST, scopes: Sequence[ast.AST]) -> bool:
        """Whether ``func`` answers requests, so that what it returns is the
        response: a routed function, a method of a class-based view, a Django
        function view (first parameter ``request`` in a Django module), or an
        error handler (``@app.errorhandler``, ``@app.exception_handler``)."""
        if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return False
        return self.handler_app(func, scopes) is not None or self._error_handler(func) is not None

    def caught(self, handler: ast.ExceptHandler) -> Val:
        """The value bound by ``except ... as name``: exception details (SEC020's
        source) unless every caught class is made to carry a client message."""
        types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
        names = [label_of(t) for t in types if t is not None]
        if names and all(n.rsplit(".", 1)[-1] in errors.CLIENT_FACING_EXCEPTIONS for n in names):
            return OPAQUE_VAL
        what = f" ({', '.join(names)})" if names else ""
        return exception_source(handler, f"exception `{handler.name}`{what}")

    def _error_handler(self, func: ast.FunctionDef | ast.AsyncFunctionDef) -> ast.expr | None:
        """The exception class an error-handler decorator registers ``func`` for."""
        for dec in func.decorator_list:
            if (isinstance(dec, ast.Call) and isinstance(dec.func, ast.Attribute)
                    and dec.func.attr in errors.ERROR_HANDLER_DECORATORS and dec.args):
                return dec.args[0]
        return None

    def handler_env(self, func: ast.AST, scopes: Sequence[ast.AST]) -> Env:
        """Initial taint of a function's parameters when it is a request handler."""
        if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return {}
        env: Env = {}
        params = func.args.posonlyargs + func.args.args + func.args.kwonlyargs
        registered = self._error_handler(func)
        if registered is not None:
            # The exception parameter comes last: ``(e)`` in Flask, ``(request, exc)``
            # in FastAPI/Starlette.  Status codes (``errorhandler(404)``) and
            # client-facing classes carry nothing worth hiding.
            name = label_of(registered).rsplit(".", 1)[-1]
            if params and isinstance(registered, (ast.Name, ast.Attribute)) and (
                    name not in errors.CLIENT_FACING_EXCEPTIONS):
                exc = params[-1]
                env[exc.arg] = exception_source(func, f"exception `{exc.arg}` ({label_of(registered)})")
            if len(params) == 2 and params[0].arg == "request":
                env["request"] = REQUEST_VAL
            return env
        enclosing = next((s for s in reversed(scopes) if isinstance(s, ast.ClassDef)), None)
        if enclosing is not None and self._is_view_class(enclosing) and func.name in web.VIEW_METHODS:
            env["self.request"] = REQUEST_VAL
            env["self.kwargs"] = tainted(func, "self.kwargs")
            for p in params[1:2]:
                env[p.arg] = REQUEST_VAL
            if func.name in web.URL_PARAMETER_METHODS:
                env.update(self._url_parameters(func, params[2:]))
            return env
        route = self._route(func)
        if route is None:
            if params and params[0].arg == "request" and self._mentions_django():
                env["request"] = REQUEST_VAL  # a Django function view
            return env
        app, path = route
        converters = {m.group("name"): m.group("conv") for m in _ROUTE_CONVERTER.finditer(path or "")}
        for p in params:
            if p.arg in ("self", "cls"):
                continue
            ann = self.names.qualified(p.annotation) if p.annotation is not None else None
            if ann in web.REQUEST_CLASSES or (p.arg == "request" and ann is None):
                env[p.arg] = REQUEST_VAL
            elif self._validated(p.annotation) or converters.get(p.arg) in ("int", "float", "uuid"):
                continue  # validated into a non-string value
            elif ann is not None and ann.split(".")[-1] in self._pydantic_models():
                env[p.arg] = Val(OPAQUE, origin=PYDANTIC + ann.split(".")[-1],
                                 taint=(Source(f"body `{p.arg}`", func.lineno),))
            elif app in web.FASTAPI_APPS and self._unvalidated_body(p.annotation):
                env[p.arg] = Val(OPAQUE, origin=payload.PAYLOAD_JSON,
                                 taint=(Source(f"body `{p.arg}`", func.lineno),))
            elif app in web.FASTAPI_APPS or p.arg in converters:
                if not self._dependency(func, p):
                    env[p.arg] = Val(OPAQUE, taint=(Source(f"parameter `{p.arg}`", func.lineno),))
        return env

    def _url_parameters(self, func: ast.FunctionDef | ast.AsyncFunctionDef, params: list[ast.arg]) -> Env:
        """Parameters a URL pattern fills (``<str:name>``): request data unless
        typed as a number or given a constant default (set by the URLconf)."""
        args = func.args
        positional = args.posonlyargs + args.args
        defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
        default_of = {p.arg: d for p, d in zip(positional, defaults)}
        default_of.update({p.arg: d for p, d in zip(args.kwonlyargs, args.kw_defaults)})
        env: Env = {}
        for p in params:
            default = default_of.get(p.arg)
            if self._validated(p.annotation) or not (
                    default is None or (isinstance(default, ast.Constant) and default.value is None)):
                continue
            env[p.arg] = Val(OPAQUE, taint=(Source(f"URL parameter `{p.arg}`", func.lineno),))
        return env

    def handler_app(self, func: ast.AST, scopes: Sequence[ast.AST]) -> str | None:
        """What makes ``func`` a request handler: the app factory of its route
        decorator (``flask.Flask``), ``"view"`` for a method of a class-based
        view, ``"django"`` for a Django function view; None for other functions."""
        if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return None
        enclosing = next((s for s in reversed(scopes) if isinstance(s, ast.ClassDef)), None)
        # Asked at every return and call in the function; whether an app
        # imported from the project is a Flask one may take inference.
        key = (id(func), id(enclosing), self.constants.infer)
        if key in self._handler_apps:
            return self._handler_apps[key]
        found: str | None = None
        if enclosing is not None and self._is_view_class(enclosing) and func.name in web.VIEW_METHODS:
            found = "view"
        else:
            route = self._route(func)
            params = func.args.posonlyargs + func.args.args
            if route is not None:
                found = route[0]
            elif params and params[0].arg == "request" and self._mentions_django():
                found = "django"
        self._handler_apps[key] = found
        return found

    def _route(self, func: ast.FunctionDef | ast.AsyncFunctionDef) -> tuple[str, str | None] | None:
        """(app factory, path) of a route decorator registering ``func``."""
        for dec in func.decorator_list:
            call = dec if isinstance(dec, ast.Call) else None
            target = call.func if call else dec
            if not (isinstance(target, ast.Attribute) and target.attr in web.ROUTE_DECORATORS):
                if isinstance(target, ast.Name) and target.id == "api_view":
                    return "rest_framework", None
                continue
            app = self._app_origin(target.value)
            if app is None:
                continue
            path = None
            if call and call.args and isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str):
                path = call.args[0].value
            return app, path
        return None

    def _app_origin(self, expr: ast.expr) -> str | None:
        """The factory an app/blueprint/router object was created by."""
        if isinstance(expr, ast.Name):
            origin = self.constants.val(expr).origin
            if origin in web.APP_FACTORIES:
                return origin
            if self.names.resolve_name(expr.id, ()) is not None:
                # An app or router imported from another module: decide by the
                # framework this module imports.
                tops = {v.split(".")[0] for v in self.names.module_imports().values()}
                for factory in sorted(web.APP_FACTORIES):
                    if factory.split(".")[0] in tops:
                        return factory
        return None

    def _is_view_class(self, cls: ast.ClassDef) -> bool:
        for base in cls.bases:
            name = self.names.qualified(base) or ""
            if name.rsplit(".", 1)[-1] in web.VIEW_BASES:
                return True
        return False

    def _mentions_django(self) -> bool:
        return any(v.split(".")[0] in ("django", "rest_framework") for v in self.names.module_imports().values())

    def _validated(self, annotation: ast.expr | None) -> bool:
        if annotation is None:
            return False
        if isinstance(annotation, ast.Subscript):  # Literal[...], Annotated[int, ...], Optional[int]
            head = self.names.qualified(annotation.value) or ""
            if head.rsplit(".", 1)[-1] == "Literal":
                return True
            inner = annotation.slice
            first = inner.elts[0] if isinstance(inner, ast.Tuple) and inner.elts else inner
            return self._validated(first)
        if isinstance(annotation, ast.BinOp):  # int | None
            return self._validated(annotation.left) and (
                isinstance(annotation.right, ast.Constant) or self._validated(annotation.right)
            )
        name = self.names.qualified(annotation) or ""
        if name in web.VALIDATED_TYPES or name.rsplit(".", 1)[-1] in web.VALIDATED_TYPES:
            return True
        cls = self.classes().get(name)
        return cls is not None and any((self.names.qualified(b) or "").endswith("Enum") for b in cls.bases)

    def _unvalidated_body(self, annotation: ast.expr | None) -> bool:
        """``body: dict``, ``Dict[str, Any]``, ``Any``: FastAPI passes the JSON on unchecked."""
        if isinstance(annotation, ast.Subscript):
            annotation = annotation.value
        if annotation is None:
            return False
        name = self.names.qualified(annotation) or ""
        return name in web.UNVALIDATED_BODY_TYPES

    def _dependency(self, func: ast.FunctionDef | ast.AsyncFunctionDef, param: ast.arg) -> bool:
        """``db: Session = Depends(get_db)``: injected by the app, not the client."""
        args = func.args
        positional = args.posonlyargs + args.args
        defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
        pairs = list(zip(positional, defaults)) + list(zip(args.kwonlyargs, args.kw_defaults))
        for p, default in pairs:
            if p is param and isinstance(default, ast.Call):
                name = (self.names.qualified(default.func) or "").rsplit(".", 1)[-1]
                return name in ("Depends", "Security")
        return False

    def _pydantic_models(self) -> dict[str, ast.ClassDef]:
        return {
            name: cls for name, cls in self.classes().items()
            if any((self.names.qualified(b) or "").rsplit(".", 1)[-1] in ("BaseModel", "Schema") for b in cls.bases)
        }

    def model_field(self, model: str, attr: str, node: ast.AST, base: Val) -> Val:
        """A field of a validated model: non-string fields are clean."""
        cls = self._pydantic_models().get(model)
        if cls is not None:
            for stmt in cls.body:
                if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.target.id == attr:
                    if self._validated(stmt.annotation):
                        return OPAQUE_VAL
                    if self._unvalidated_body(stmt.annotation):
                        # a dict/Any field holds whatever JSON the client sent
                        return Val(OPAQUE, origin=payload.JSON_VALUE, taint=base.all_taint())
            # a field of a validated model: checked, though still text
            return Val(OPAQUE, taint=base.cleaned(web.VALIDATION_CATEGORIES).all_taint())
        return Val(OPAQUE, taint=base.all_taint())

    # -- sanitizers and guards ----------------------------------------------
    def sanitizer(self, qualified: str | None) -> frozenset[str]:
        return self.sanitizers.get(qualified or "", frozenset())

    def refine(self, test: ast.expr, env: Env, truth: bool, ev: Evaluator) -> None:
        """Clean what ``test`` being ``truth`` proves safe (in place)."""
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            self.refine(test.operand, env, not truth, ev)
            return
        if isinstance(test, ast.BoolOp):
            # a and b true: both hold; a or b false: neither holds.
            if (isinstance(test.op, ast.And) and truth) or (isinstance(test.op, ast.Or) and not truth):
                for value in test.values:
                    self.refine(value, env, truth, ev)
            return
        if isinstance(test, ast.Compare) and len(test.ops) == 1:
            op, right = test.ops[0], test.comparators[0]
            left = test.left
            if isinstance(op, (ast.In, ast.NotIn)):
                holds = truth if isinstance(op, ast.In) else not truth
                if holds and not self._is_dotdot(left):
                    # allow-list membership: the value equals a trusted element
                    self._clean(left, env, frozenset({ALL}), ev)
                    self._clean_host_of(left, env, ev)
                elif not holds and self._is_dotdot(left):
                    self._clean(right, env, frozenset({"path"}), ev)  # ".." not in path
            elif isinstance(op, (ast.Eq,)) and truth:
                if ev.eval(right, env).consts is not None:
                    self._clean(left, env, frozenset({ALL}), ev)
                    self._clean_host_of(left, env, ev)
            return
        if isinstance(test, ast.Call) and isinstance(test.func, ast.Name) and truth:
            if self.names.qualified(test.func) in _URL_GUARDS:  # imported by name
                checked = _url_argument(test)
                if checked is not None:
                    self._clean(checked, env, _URL_CATEGORIES, ev)
        if isinstance(test, ast.Call) and truth and test.args and (call_name(test.func) or "").startswith(
                web.VALIDATOR_PREFIXES):
            self._clean(test.args[0], env, web.VALIDATION_CATEGORIES, ev)  # if is_valid_email(x): ...
        if isinstance(test, ast.Call) and isinstance(test.func, ast.Attribute) and truth:
            method = test.func.attr
            qualified = self.names.qualified(test.func) or ""
            if qualified in ("re.fullmatch", "regex.fullmatch") and len(test.args) >= 2:
                self._clean(test.args[1], env, frozenset({ALL}), ev)
            elif method == "fullmatch" and test.args:
                self._clean(test.args[0], env, frozenset({ALL}), ev)
            elif method in ("isdigit", "isdecimal", "isnumeric", "isalnum", "isalpha", "isidentifier"):
                self._clean(test.func.value, env, frozenset({ALL}), ev)
            elif method in ("is_relative_to", "startswith") and self._normalised(test.func.value, env, ev):
                self._clean(test.func.value, env, frozenset({"path"}), ev)
            elif method == "startswith" and test.args and self._pins_host(test.args[0], env, ev):
                # url.startswith("https://api.example.com/"): a fixed scheme and host
                self._clean(test.func.value, env, _URL_CATEGORIES, ev)
            elif qualified in _URL_GUARDS and _url_argument(test) is not None:
                self._clean(_url_argument(test), env, _URL_CATEGORIES, ev)  # type: ignore[arg-type]

    def _clean_host_of(self, node: ast.expr, env: Env, ev: Evaluator) -> None:
        """``urlparse(url).hostname in ALLOWED``: the host of ``url`` is trusted."""
        if isinstance(node, ast.Attribute) and node.attr in urls.HOST_ATTRIBUTES:
            parsed = node.value
            if (isinstance(parsed, ast.Call) and parsed.args
                    and self.names.qualified(parsed.func) in urls.URL_PARSERS):
                self._clean(parsed.args[0], env, _URL_CATEGORIES, ev)

    def _pins_host(self, node: ast.expr, env: Env, ev: Evaluator) -> bool:
        consts = ev.eval(node, env).consts
        if not consts or len(consts) != 1:
            return False
        options = consts[0] if isinstance(consts[0], tuple) else consts
        return all(isinstance(o, str) and urls.pins_site(o) for o in options) and bool(options)

    def _is_dotdot(self, node: ast.expr) -> bool:
        return isinstance(node, ast.Constant) and node.value in ("..", "../", "..\\")

    def _normalised(self, node: ast.expr, env: Env, ev: Evaluator) -> bool:
        origin = ev.eval(node, env).origin or ""
        return origin.rsplit(".", 1)[-1] in _PATH_NORMALISERS

    def _clean(self, node: ast.expr, env: Env, categories: frozenset[str], ev: Evaluator) -> None:
        key = dotted_name(node)
        if key is None:
            return
        val = env.get(key)
        if val is None:
            val = ev.eval(node, env)
        if val.all_taint():
            env[key] = val.cleaned(categories)  # only the tested name is proven

    # -- summaries -----------------------------------------------------------
    def callee(self, func: ast.expr, scopes: Sequence[ast.AST]) -> Callee | None:
        """The function a call runs, when it is defined in this module or imported
        from a module of the same project (found on disk next to the file)."""
        local = self.local_function(func, scopes)
        if local is not None and self.make_flow is not None:
            return Callee(local[0], local[1], self, self.make_flow)
        if isinstance(func, ast.Name) and self.import_resolver is not None:
            qualified = self.names.resolve_name(func.id, scopes)
            if qualified is not None:
                return self.import_resolver(qualified)
        return None

    def local_function(
        self, func: ast.expr, scopes: Sequence[ast.AST]
    ) -> tuple[ast.FunctionDef | ast.AsyncFunctionDef, bool] | None:
        """(definition, is_method) of a called module function or ``self.method``."""
        if isinstance(func, ast.Name):
            if self.names.resolve_name(func.id, scopes) is not None:
                return None
            found = self.functions().get(func.id)
            return (found, False) if found is not None else None
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in ("self", "cls"):
            cls = next((s for s in reversed(scopes) if isinstance(s, ast.ClassDef)), None)
            if cls is None:
                return None
            methods = self._methods.get(id(cls))
            if methods is None:
                methods = self._methods[id(cls)] = {}
                for stmt in cls.body:
                    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                        methods.setdefault(stmt.name, stmt)
            method = methods.get(func.attr)
            return (method, True) if method is not None else None
        return None

    def summary(self, func: ast.FunctionDef | ast.AsyncFunctionDef, make_flow: object) -> Val | None:
        """What ``func`` returns, its parameters standing for placeholder taint."""
        cached = self._summaries.get(id(func))
        if cached is not None:
            return cached
        if func in self._active or len(self._active) >= MAX_SUMMARY_DEPTH:
            return None  # recursion (direct or mutual) or too deep: unknown
        self._active.append(func)
        try:
            params = func.args.posonlyargs + func.args.args + func.args.kwonlyargs
            env: Env = {p.arg: Val(OPAQUE, taint=(Source(p.arg, func.lineno, param=i),)) for i, p in enumerate(params)}
            flow = make_flow(func, env)  # type: ignore[operator]
            self._summary_flows[id(func)] = flow
            result: Val = flow.returned if flow.returned is not None else OPAQUE_VAL
        finally:
            self._active.pop()
        self._summaries[id(func)] = result
        return result

    # -- objects -------------------------------------------------------------
    def local_class(self, func: ast.expr, scopes: Sequence[ast.AST]) -> ast.ClassDef | None:
        """The module class a call constructs, when its methods can be summarised
        (not a view, not a validated model: those have their own models)."""
        if not isinstance(func, ast.Name) or self.names.resolve_name(func.id, scopes) is not None:
            return None
        return self._object_classes().get(func.id)

    def instance_class(self, val: Val) -> ast.ClassDef | None:
        """The module class ``val`` is an instance of (made by ``local_class``)."""
        return self._object_classes().get(val.origin or "") if val.kind == OPAQUE else None

    def _object_classes(self) -> dict[str, ast.ClassDef]:
        if self._objects is None:
            models = self._pydantic_models()
            self._objects = {name: cls for name, cls in self.classes().items()
                             if name not in models and not self._is_view_class(cls)}
        return self._objects

    def method_of(self, cls: ast.ClassDef, name: str) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
        """An instance method ``name`` of ``cls`` or of its module base classes
        (static and class methods excluded: they take no instance)."""
        queue, seen = [cls], set()
        while queue:
            current = queue.pop(0)
            if current.name in seen:
                continue
            seen.add(current.name)
            for stmt in current.body:
                if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name == name:
                    decorators = {label_of(d) for d in stmt.decorator_list}
                    return None if decorators & {"staticmethod", "classmethod"} else stmt
            queue.extend(self.classes()[b.id] for b in current.bases
                         if isinstance(b, ast.Name) and b.id in self.classes())
        return None

    def is_object(self, val: Val) -> bool:
        """A value a summary placeholder cannot stand for, because what matters is
        what its attributes hold: a request, a validated model, a module object."""
        origin = val.origin or ""
        return origin == REQUEST or origin.startswith(PYDANTIC) or self.instance_class(val) is not None

    def bound_flow(
        self, func: ast.FunctionDef | ast.AsyncFunctionDef, make_flow: object, bound: tuple[tuple[str, Val], ...]
    ) -> object | None:
        """The flow of ``func`` with the parameters in ``bound`` set to those
        objects and the others to placeholders (see ``summary``)."""
        key = (id(func), bound)
        cached = self._bound_flows.get(key)
        if cached is not None:
            return cached
        if func in self._active or len(self._active) >= MAX_SUMMARY_DEPTH:
            return None
        self._active.append(func)
        try:
            params = func.args.posonlyargs + func.args.args + func.args.kwonlyargs
            env: Env = {p.arg: Val(OPAQUE, taint=(Source(p.arg, func.lineno, param=i),)) for i, p in enumerate(params)}
            env.update(bound)
            flow: object = make_flow(func, env)  # type: ignore[operator]
        finally:
            self._active.pop()
        if len(self._bound_flows) < MAX_BOUND_FLOWS:
            self._bound_flows[key] = flow
        return flow

    # -- sinks ---------------------------------------------------------------
    def could_sink(self, node: ast.Call, scopes: Sequence[ast.AST], category: str | None) -> bool:
        """Whether a call may be a ``category`` sink (None: of any category)
        or run one (a function of this module or of the project), from its
        syntax alone: what decides whether the values at it are worth a flow.
        With None it is the checker's gate before all taint rules, which
        lets every call of a module function through (deciding which sinks
        it may run costs a scan, asked only per category)."""
        found = self._candidates.get(id(node))
        if found is None:  # the same for every taint rule: decided once per call
            found = self._candidates[id(node)] = self._candidate(node, scopes)
        sink, qualified, imported, local = found
        tables = CATEGORY_SINKS.values() if category is None else (CATEGORY_SINKS.get(category, {}),)
        if sink or any(qualified in table for table in tables):
            return True
        if local is not None:
            if category is None:
                return True
            if not self.names_sinks_of(category):
                return False  # no name of its sinks in the module: no scan needed
            categories = self.seeds.sink_categories(local)
            return categories is None or category in categories
        # A project helper: only when its module's text names a sink of the category.
        if not imported or self.import_sinks is None:
            return imported
        named = self.import_sinks(qualified)
        return bool(named) if category is None else category in named

    def sink_categories_of(
        self, node: ast.Call, scopes: Sequence[ast.AST], categories: Iterable[str]
    ) -> frozenset[str]:
        """Those of ``categories`` for which ``could_sink`` holds, at the cost
        of one question: the callee's own scan for a function of this module,
        its module's text for a project helper (never the caller's scan)."""
        wanted = tuple(categories)
        if not wanted:
            return _NO_CATEGORIES
        found = self.candidate(node, scopes)
        if found is None:
            return _NO_CATEGORIES
        sink, qualified, imported, local = found
        if not sink and local is None and not imported:  # most calls: a table row or nothing
            tabled = CATEGORIES_BY_CALLEE.get(qualified)
            return tabled.intersection(wanted) if tabled else _NO_CATEGORIES
        if sink:
            # A sink by name: only its own categories (``sinks_for``), and
            # those of the function it may also be (``self.get()``, ``callee``).
            func = node.func
            own = {s.category for s in (self.extra_sinks.get(qualified), SINKS.get(qualified)) if s is not None}
            if isinstance(func, ast.Attribute):
                own.update(CLIENT_METHOD_CATEGORIES.get(func.attr, ()))
                if func.attr in METHOD_SINKS:
                    own.add(METHOD_SINKS[func.attr][0].category)
            local_def = self.local_function(func, scopes)
            local = local_def[0] if local_def is not None else None
            imported = isinstance(func, ast.Name) and self.import_resolver is not None \
                and self.names.resolve_name(func.id, scopes) is not None
            hits = {c for c in wanted if c in own or qualified in CATEGORY_SINKS.get(c, {})}
        else:
            hits = {c for c in wanted if qualified in CATEGORY_SINKS.get(c, {})}
        if local is not None:
            # A module function can run only the sinks whose names the
            # module's text spells out (``sink_words``): no scan for the others.
            spelt = [c for c in wanted if c not in hits and self.names_sinks_of(c)]
            if spelt:
                reached = self.seeds.sink_categories(local)
                hits.update(c for c in spelt if reached is None or c in reached)
        elif imported:
            named = self.import_sinks(qualified) if self.import_sinks is not None else None
            hits.update(c for c in wanted if named is None or c in named)
        return frozenset(hits)

    def names_sinks_of(self, category: str) -> bool:
        """Whether the module's text holds a name of one of ``category``'s
        sinks (``sink_words``: an import or an attribute access spells
        each out, an alias too); True when the text is unknown."""
        found = self._named.get(category)
        if found is None:
            text = self.source
            found = self._named[category] = text is None or any(
                word in text for word in _spelling_words(frozenset(self.extra_sinks.items())).get(category, ()))
        return found

    def candidate(
        self, node: ast.Call, scopes: Sequence[ast.AST]
    ) -> tuple[bool, str, bool, ast.FunctionDef | ast.AsyncFunctionDef | None] | None:
        """``_candidate`` of the call, remembered; None, without resolving
        anything, when it ends in a name no sink table, module function or
        import has (most calls): it reaches no sink of any category."""
        found = self._candidates.get(id(node))
        if found is None:
            if self._surely_no_sink(node):
                return None
            found = self._candidates[id(node)] = self._candidate(node, scopes)
        return found

    def _surely_no_sink(self, node: ast.Call) -> bool:
        func = node.func
        if type(func) is ast.Attribute:
            base = func.value
            return func.attr not in self.word_categories() and not (
                type(base) is ast.Name and base.id in ("self", "cls"))
        return type(func) is ast.Name and func.id not in self.word_categories() \
            and func.id not in self.functions() and func.id not in self.names.imported_names()

    def _candidate(
        self, node: ast.Call, scopes: Sequence[ast.AST]
    ) -> tuple[bool, str, bool, ast.FunctionDef | ast.AsyncFunctionDef | None]:
        """(a sink of some category, qualified name, a function imported by
        name that may be the project's, the function of this module it runs)."""
        func = node.func
        qualified = self.names.qualified(func, scopes) or ""
        if isinstance(func, ast.Attribute) and (func.attr in CLIENT_METHODS or func.attr in METHOD_SINKS):
            return True, qualified, False, None
        if qualified in SINKS or qualified in self.extra_sinks:
            return True, qualified, False, None
        local = self.local_function(func, scopes)
        if local is not None:
            return False, qualified, False, local[0]
        imported = isinstance(func, ast.Name) and self.names.resolve_name(func.id, scopes) is not None
        return False, qualified, imported and self.import_resolver is not None, None

    def sinks_for(
        self, node: ast.Call, scopes: Sequence[ast.AST], category: str,
        origin_of: Callable[[ast.expr], str | None] | None = None,
    ) -> list[tuple[str, ast.expr]]:
        """(sink label, argument) pairs of ``node`` that are ``category`` sinks.

        ``origin_of`` tells what made a method's receiver (``Val.origin``), for
        the sinks that are methods of client objects (``requests.Session().get``).
        """
        func = node.func
        found: list[tuple[str, ast.expr]] = []
        qualified = self.names.qualified(func, scopes)
        sink = self.extra_sinks.get(qualified or "") or SINKS.get(qualified or "")
        if sink is None and isinstance(func, ast.Attribute) and func.attr in CLIENT_METHODS and origin_of:
            origin = origin_of(func.value)
            sink = CLIENT_SINKS.get((origin or "", func.attr))
            qualified = f"{origin}.{func.attr}" if sink is not None else qualified
        if sink is not None and sink.requires == "parser" and self.parser_safety(node, scopes) != "unsafe":
            sink = None
        if sink is None or sink.category != category:
            sink = CATEGORY_SINKS.get(category, {}).get(qualified or "")
        if sink is not None and sink.category == category:
            label = shape(node, qualified or label_of(func), sink)
            found.extend((label, arg) for arg in arguments(node, sink))
        if isinstance(func, ast.Attribute) and func.attr in METHOD_SINKS:
            method_sink, origins = METHOD_SINKS[func.attr]
            origin = (origin_of(func.value) if origin_of is not None else None) or ""
            if method_sink.category == category and (origin in origins or origin.rsplit(".", 1)[-1] in origins):
                found.extend((f"{label_of(func)}()", arg) for arg in arguments(node, method_sink))
        return found

    def live_at_sink(self, val: Val, category: str) -> tuple[Source, ...]:
        """The request data in ``val`` that does harm at a ``category`` sink: none
        when the value's constant start already fixes where a URL points."""
        pinned = urls.PINNED_BY_PREFIX.get(category)
        if pinned is not None and pinned(val.known_prefix()):
            return ()
        return val.live_taint(category)

    def parser_safety(self, node: ast.Call, scopes: Sequence[ast.AST]) -> str:
        """"safe", "unsafe" or "unknown": whether the lxml parser a parse call
        uses resolves external entities.  No parser argument means lxml's
        default parser, which does (before lxml 5); a parser built in this
        module is judged by its ``resolve_entities``/``no_network`` keywords."""
        keywords = {kw.arg: kw.value for kw in node.keywords if kw.arg}
        parser = keywords.get("parser") or (node.args[1] if len(node.args) > 1 else None)
        if parser is None:
            return "unsafe"
        built = self._definitions(parser, scopes)
        verdicts = {self._parser_call_safety(call) for call in built}
        if not built or "unknown" in verdicts:
            return "unknown"
        return "unsafe" if "unsafe" in verdicts else "safe"

    def _definitions(self, expr: ast.expr, scopes: Sequence[ast.AST]) -> list[ast.Call]:
        """The calls a name is assigned from (in its function, else the module);
        empty when any assignment is something else or the name is unknown."""
        if isinstance(expr, ast.Call):
            return [expr]
        if not isinstance(expr, ast.Name):
            return []
        func = next((s for s in reversed(scopes) if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))), None)
        values: list[ast.expr] = []
        for body in ([func.body] if func is not None else []) + [self.tree.body]:
            stmts = scope_statements(body) if body is not self.tree.body else body
            for stmt in stmts:
                if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == expr.id
                                                        for t in stmt.targets):
                    values.append(stmt.value)
            if values:
                break
        return [v for v in values if isinstance(v, ast.Call)] if all(isinstance(v, ast.Call) for v in values) else []

    def _parser_call_safety(self, call: ast.Call) -> str:
        if self.names.qualified(call.func) not in web.LXML_PARSERS:
            return "unknown"
        keywords = {kw.arg: kw.value for kw in call.keywords if kw.arg}
        resolve, network = keywords.get("resolve_entities"), keywords.get("no_network")
        off = isinstance(resolve, ast.Constant) and resolve.value is False
        network_off = network is None or (isinstance(network, ast.Constant) and network.value is True)
        return "safe" if off and network_off else "unsafe"

    def sink_summary(
        self, func: ast.FunctionDef | ast.AsyncFunctionDef, category: str, make_flow: object
    ) -> list[tuple[int, str, int]]:
        """(parameter index, inner sink, line) for each parameter of ``func``
        that reaches a ``category`` sink inside it (wrappers around sinks)."""
        key = (id(func), category)
        cached = self._sink_summaries.get(key)
        if cached is not None:
            return cached
        self._sink_summaries[key] = []  # recursion: a wrapper calling itself adds nothing
        categories = self.seeds.sink_categories(func)
        if categories is not None and category not in categories:
            return []  # no call in it or its callees can be such a sink: no flow needed
        if self.summary(func, make_flow) is None:
            return []
        flow = self._summary_flows.get(id(func))
        found: list[tuple[int, str, int]] = []
        if flow is not None:
            scopes = flow.evaluator.scopes  # type: ignore[attr-defined]
            for stmt in scope_statements(func.body):
                env = flow.env_before(stmt)  # type: ignore[attr-defined]
                for call in own_calls(stmt):
                    origin_of = _origin_reader(flow.evaluator, env)  # type: ignore[attr-defined]
                    for label, arg in self.sinks_for(call, scopes, category, origin_of):
                        val = flow.evaluator.eval(arg, env)  # type: ignore[attr-defined]
                        for s in self.live_at_sink(val, category):
                            if s.param is not None:
                                found.append((s.param, label, call.lineno))
                    local = self.local_function(call.func, scopes)
                    if local is not None and local[0] is not func:
                        inner, is_method = local
                        params = inner.args.posonlyargs + inner.args.args + inner.args.kwonlyargs
                        mapped = call_args(call, params, is_method)
                        for index, label, line in self.sink_summary(inner, category, make_flow):
                            arg_node = mapped[index] if index < len(mapped) else None
                            if arg_node is None:
                                continue
                            val = flow.evaluator.eval(arg_node, env)  # type: ignore[attr-defined]
                            for s in self.live_at_sink(val, category):
                                if s.param is not None:
                                    found.append((s.param, label, line))
        self._sink_summaries[key] = found
        return found

    def word_categories(self) -> dict[str, frozenset[str]]:
        """By a call's last name (an import alias counts as the names it
        stands for), the categories of the sinks it may be (``sinks_for``):
        what ``seeds`` reads per call to learn which sinks a function may run."""
        if self._word_categories is None:
            words = _word_categories(frozenset(self.extra_sinks.items()))
            aliased = {
                alias: frozenset().union(*(words.get(target, ()) for target in targets))
                for alias, targets in self.names.alias_targets().items()
            }
            aliased = {alias: categories for alias, categories in aliased.items() if categories}
            self._word_categories = {**words, **aliased} if aliased else words
        return self._word_categories

    def apply(self, summary: Val, args: Sequence[Val], func_node: ast.AST | None = None) -> Val:
        """The summary's result for actual arguments: placeholders replaced by their taint."""
        taint: list[Source] = []
        for s in summary.all_taint():
            if s.param is None:
                taint.append(s)
            elif s.param < len(args):
                taint.extend(a.clean(s.cleaned) for a in args[s.param].all_taint())
        unique = tuple(dict.fromkeys(taint))
        if not unique and summary.is_safe:
            return summary
        if summary.kind == "num":
            return summary
        return Val(OPAQUE, taint=unique, origin=summary.origin, prefix=summary.known_prefix())


def _origin_reader(evaluator: Evaluator, env: Env) -> Callable[[ast.expr], str | None]:
    return lambda expr: evaluator.eval(expr, env).origin


def call_args(node: ast.Call, params: Sequence[ast.arg], is_method: bool) -> list[ast.expr | None]:
    """Map a call's arguments onto the callee's parameters (by position and keyword)."""
    names = [p.arg for p in params]
    offset = 1 if is_method else 0
    mapped: list[ast.expr | None] = [None] * len(names)
    for i, arg in enumerate(node.args):
        if isinstance(arg, ast.Starred):
            break
        if i + offset < len(mapped):
            mapped[i + offset] = arg
    for kw in node.keywords:
        if kw.arg in names:
            mapped[names.index(kw.arg)] = kw.value
    return mapped


def own_calls(stmt: ast.stmt) -> Iterable[ast.Call]:
    """Calls in a statement's own expressions (not in nested statements or lambdas)."""
    stack = [c for c in ast.iter_child_nodes(stmt) if not isinstance(c, (ast.stmt, ast.excepthandler))]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Call):
            yield node
        if not isinstance(node, ast.Lambda):
            stack.extend(c for c in ast.iter_child_nodes(node) if not isinstance(c, ast.stmt))
