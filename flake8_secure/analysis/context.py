"""Everything the rules may ask about the module being checked.

One ``ModuleContext`` per file.  The checker's walk keeps ``scopes`` (the
enclosing functions/classes) and ``statement`` (the innermost statement)
current, so questions are answered at the place of the node being checked.
Expensive answers (import tables, flow environments, the astroid tree) are
computed on first need and cached for this file only.
"""

from __future__ import annotations

import ast
import os
import re
from collections import OrderedDict
from collections.abc import Collection, Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

from flake8_secure.analysis import constants
from flake8_secure.analysis.constants import UNKNOWN, Constants, Values, _Unknown, package_of
from flake8_secure.analysis.flow import Dependencies, Evaluator, FunctionFlow, names_in, parameter_env
from flake8_secure.analysis.nodes import descendants
from flake8_secure.analysis.inference import Inference
from flake8_secure.analysis.frameworks.sinks import Sink
from flake8_secure.analysis.frameworks.web import REQUEST_PROXIES
from flake8_secure.analysis.names import Names, absolute_module, import_pairs
from flake8_secure.analysis.skeleton import Outline, parse_quietly
from flake8_secure.analysis.seeds import BOTH, EXCEPTION_HEADS, REQUEST, WEB_PACKAGES, calls_without_exception
from flake8_secure.analysis.seeds import EXCEPTION as EXCEPTION_BIT
from flake8_secure.analysis.taint import Callee, TaintModel, call_args, sink_words
from flake8_secure.analysis.values import EXCEPTION, Source, label_of
from flake8_secure.analysis.values import Val

FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


# Modules of the linted project parsed to summarise imported helpers: kept
# per process (one flake8 worker lints many files of the same project),
# bounded, and keyed by path and modification time.
_PROJECT_CONTEXTS: OrderedDict[tuple[str, float], ModuleContext | None] = OrderedDict()
MAX_PROJECT_CONTEXTS = 8
MAX_IMPORT_DEPTH = 2
# Questions about a function reading names its flow dropped, before its
# flow tracks every name (see ``ModuleContext._flow``).
MAX_FLOW_REBUILDS = 3
# How far what helpers return is followed through the project's imports
# (each module is parsed once for this, whatever the depth).
MAX_FLAGS_DEPTH = 8
# What imported project helpers may return (analysis.seeds bits), by
# (package root, qualified name): one parse answers it for every file.
_PROJECT_FLAGS: dict[tuple[str, str], int] = {}
MAX_PROJECT_FLAGS = 4096
# Project helpers proved to return no exception details without a parse
# (``ModuleContext._exception_free``), by the keys of ``_PROJECT_FLAGS``.
_EXCEPTION_FREE: set[tuple[str, str]] = set()
_REQUEST_WORD = re.compile(r"\brequest\b")
# What a project module's text leaves possible (seeds bits, mentions a web
# framework, categories of the sinks it names), by (root, module, extra
# sinks): read once per process.
_PROJECT_TEXT: dict[tuple[str, str, frozenset[tuple[str, Sink]]], tuple[int, bool, frozenset[str]]] = {}
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# Whether a project module can source request data through anything it
# imports from the project, by (root, module, evidence words): see
# ``ModuleContext._request_reachable``.
_REQUEST_REACHABLE: dict[tuple[str, str, frozenset[str]], bool] = {}
# Import statements anywhere in a line (after ``try:`` or ``;`` too), over
# backslash continuations and parenthesised name lists with comments in
# them.  Text that merely looks like one (in a docstring) adds candidates,
# which only makes the search that reads them more careful.
_GAP = r"(?:[ \t\f]|\\\r?\n)"
# (Each alternative starts with a letter, the word boundary checked after
# it, so that the regex engine skips to the candidate letters.)
_IMPORT_STMT = re.compile(
    rf"f(?<!\wf)rom{_GAP}+(?P<module>\.*[\w.]*){_GAP}+import{_GAP}*"
    rf"(?P<names>\((?:[^)#]|#[^\n]*(?![^\n]))*\)|(?:[^\n\\;#]|\\\r?\n)*)"
    rf"|i(?<!\wi)mport{_GAP}+(?P<modules>(?:[^\n\\;#]|\\\r?\n)*)")
_CONTINUATION = re.compile(r"\\\r?\n")
# The packages of the request proxies, as an import statement names them.
_PROXY_PACKAGES = tuple(sorted({p.split(".")[0] for p in REQUEST_PROXIES}))
_PROXY_PACKAGE = re.compile(r"\b(?:" + "|".join(re.escape(p) for p in _PROXY_PACKAGES)
                            + r")\b")
# Per project file (path, mtime, extra sources' names): see ``_import_facts``.
_IMPORT_FACTS: dict[tuple[str, float, frozenset[str]], tuple[bool, tuple[str, ...]]] = {}
_flags_depth = 0
# Project modules whose helpers' flags are being worked out (import cycles).
_FLAGS_ACTIVE: set[tuple[str, str]] = set()
_import_depth = 0


def import_statements(text: str) -> list[re.Match[str]]:
    """``_IMPORT_STMT.finditer(text)``'s matches, without running the pattern over
    the text between import statements: every statement holds the word
    ``import``, and begins on the logical line (backslash continuations
    joined) where that word first occurs after the previous statement, so
    the search starts there.  (The pattern tries every ``f`` and ``i`` of
    the text; the word is found at the speed of ``str.find``.)  After a
    match the search goes on from the names it lists, not its end: a
    bracket opened in text that only looks like a statement (a docstring's
    ``from x import (y``) runs on to the next ``)``, over real statements,
    which are found too (the result holds the pattern's matches, and those)."""
    found: list[re.Match[str]] = []
    pos = 0
    while True:
        word = text.find("import", pos)
        if word < 0:
            return found
        start = text.rfind("\n", pos, word) + 1
        while start > pos:  # the previous line ends in a backslash: the same logical line
            end = start - 1
            if end > 0 and text[end - 1] == "\r":
                end -= 1
            if end <= pos or text[end - 1] != "\\":
                break
            start = text.rfind("\n", pos, end - 1) + 1
        match = _IMPORT_STMT.search(text, max(start, pos))
        if match is None:
            return found
        found.append(match)
        # Statements a bracket ran over start on its later lines.
        listed = match.start("names") if match["names"] is not None else match.start("modules")
        newline = text.find("\n", listed, match.end())
        pos = newline + 1 if newline >= 0 else match.end()


def _listed_names(names: str) -> list[str]:
    """The names an import statement lists (``a.b`` of ``a.b as c``), over
    continuations, brackets and comments."""
    found = []
    for line in _CONTINUATION.sub(" ", names).strip("()").splitlines():
        for part in line.split("#")[0].split(","):
            words = part.split()
            if words:
                found.append(words[0])
    return found


def _imports_a_proxy(text: str, statements: list[re.Match[str]], path: str) -> bool:
    """Whether a file naming a request proxy's package imports it: from the
    import statements read, or, when they show none, from its parse (the
    word may sit in a comment, or in a statement shaped beyond them)."""
    for match in statements:
        if match["modules"] is not None:  # import a.b, c as d
            modules = _listed_names(match["modules"])
        else:  # from a.b import c (a relative import is the project's)
            modules = [match["module"]]
        if any(_PROXY_PACKAGE.fullmatch(module.split(".")[0]) for module in modules):
            return True
    try:
        tree = parse_quietly(text, path)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return True
    for node in ast.walk(tree):
        if isinstance(node, ast.Import) and any(_PROXY_PACKAGE.fullmatch(a.name.split(".")[0]) for a in node.names):
            return True
        if isinstance(node, ast.ImportFrom) and not node.level and node.module \
                and _PROXY_PACKAGE.fullmatch(node.module.split(".")[0]):
            return True
    return False


def _package_of(module_name: str, path: str) -> str:
    """The package a module's relative imports start from: itself for a
    package's ``__init__.py``, else the package holding it."""
    return module_name if os.path.basename(path) == "__init__.py" else module_name.rpartition(".")[0]


def module_path(root: str, module: str) -> str | None:
    """The source file of ``module`` under the package root, if there is one."""
    base = os.path.join(root, *module.split("."))
    return next((p for p in (base + ".py", os.path.join(base, "__init__.py")) if os.path.isfile(p)), None)


class _ModulePaths:
    """``module_path`` and directory listings under one package root,
    remembered for one pass over the project's imports (the files do not
    change under it; nothing is kept after it)."""

    def __init__(self, root: str) -> None:
        self.root = root
        self._paths: dict[str, str | None] = {}
        self._entries: dict[str, frozenset[str] | None] = {}

    def of(self, module: str) -> str | None:
        if module not in self._paths:
            self._paths[module] = module_path(self.root, module)
        return self._paths[module]

    def entries(self, directory: str) -> frozenset[str] | None:
        if directory not in self._entries:
            try:
                self._entries[directory] = frozenset(os.listdir(directory))
            except OSError:
                self._entries[directory] = None
        return self._entries[directory]


def project_context(root: str, module: str, settings: Any) -> ModuleContext | None:
    global _import_depth
    path = module_path(root, module)
    if path is None or _import_depth >= MAX_IMPORT_DEPTH:
        return None
    key = (path, os.path.getmtime(path))
    if key in _PROJECT_CONTEXTS:
        _PROJECT_CONTEXTS.move_to_end(key)
        return _PROJECT_CONTEXTS[key]
    _import_depth += 1
    try:
        with open(path, encoding="utf-8") as fh:
            source = fh.read()
        tree = parse_quietly(source, path)
        found: ModuleContext | None = ModuleContext(tree, source.splitlines(True), path, settings)
    except (OSError, SyntaxError, ValueError, UnicodeDecodeError, RecursionError, MemoryError):
        found = None
    finally:
        _import_depth -= 1
    _PROJECT_CONTEXTS[key] = found
    while len(_PROJECT_CONTEXTS) > MAX_PROJECT_CONTEXTS:
        _PROJECT_CONTEXTS.popitem(last=False)
    return found


_OUTLINES: OrderedDict[tuple[str, float], Outline | None] = OrderedDict()
MAX_OUTLINES = 32
# Skeleton contexts of project helpers followed by flows, by (path, mtime, name).
_FUNCTION_CONTEXTS: OrderedDict[tuple[str, float, str], ModuleContext] = OrderedDict()


def function_context(root: str, module: str, name: str, settings: Any, calls_only: bool) -> ModuleContext | None:
    """A context of ``module`` in which its function ``name`` (and what it
    may reach) is analysed as in the whole module: the module itself when
    already parsed, otherwise its skeleton for ``name`` (see ``skeleton``;
    ``calls_only`` for the seeds scan, which follows calls only), a
    fraction of the module to parse.  None when the module cannot be read
    or has no top-level function ``name`` (a class, a name bound
    otherwise): it is not parsed to find that out."""
    path = module_path(root, module)
    if path is None:
        return None
    key = (path, os.path.getmtime(path))
    if key in _PROJECT_CONTEXTS:
        return project_context(root, module, settings)
    outline = outline_of(key)
    if outline is None:
        return None
    defined = outline.defines_function(name)
    if defined is None:
        return project_context(root, module, settings)  # unsure from the text: the whole module decides
    if not defined:
        return None
    cached = (*key, name)
    if not calls_only and cached in _FUNCTION_CONTEXTS:
        _FUNCTION_CONTEXTS.move_to_end(cached)
        return _FUNCTION_CONTEXTS[cached]
    cut = outline.skeleton(name, calls_only)
    if cut is None:
        return project_context(root, module, settings)
    # The whole text for the rest (astroid's tree, if a rule needs one).
    found = ModuleContext(cut[0], outline.lines, path, settings)
    if not calls_only:  # flags are remembered on their own (_PROJECT_FLAGS)
        _FUNCTION_CONTEXTS[cached] = found
        while len(_FUNCTION_CONTEXTS) > MAX_PROJECT_CONTEXTS:
            _FUNCTION_CONTEXTS.popitem(last=False)
    return found


def outline_of(key: tuple[str, float]) -> Outline | None:
    """The ``Outline`` of a project file, by (path, mtime); None when it cannot be read."""
    if key in _OUTLINES:
        _OUTLINES.move_to_end(key)
    else:
        try:
            with open(key[0], encoding="utf-8") as fh:
                _OUTLINES[key] = Outline(fh.read())
        except (OSError, UnicodeDecodeError):
            _OUTLINES[key] = None
        while len(_OUTLINES) > MAX_OUTLINES:
            _OUTLINES.popitem(last=False)
    return _OUTLINES[key]


def forget_run() -> None:
    """Forget what was learnt about the project's files during a flake8 run
    (called when flake8 parses its options, once per run): several of
    these caches are keyed by a module's name, not by the files their
    answers were read from, so an editor's long-lived server would keep
    old answers after the files changed.  One run reads each file once."""
    constants.forget_run()
    release_function_contexts()
    contexts = [c for c in _PROJECT_CONTEXTS.values() if c is not None]
    for cache in (_PROJECT_CONTEXTS, _OUTLINES, _PROJECT_HELPERS, _PROJECT_FLAGS, _EXCEPTION_FREE, _PROJECT_TEXT,
                  _REQUEST_REACHABLE, _IMPORT_FACTS):
        cache.clear()
    for context in contexts:
        context.dispose()


def release_function_contexts() -> None:
    """Dispose of the skeleton contexts of project helpers (``function_context``)
    once the file that needed them is checked: nearly every later question
    about a helper comes from the same file (on Django, 158 of 164 reuses),
    what the others need is kept by ``ProjectHelper``, and each context
    held on to is a parsed tree that every full collection of the rest of
    the lint run would walk again.  (Not while a file is being checked: a
    flow may be running in one.)"""
    contexts = list(_FUNCTION_CONTEXTS.values())
    _FUNCTION_CONTEXTS.clear()
    for context in contexts:
        context.dispose()


def signature(func: ast.FunctionDef | ast.AsyncFunctionDef) -> ast.FunctionDef:
    """A body-less copy of ``func``: its name, position and parameter names
    (what a call site reads of a helper summarised elsewhere), without the
    subtree a process-wide cache would otherwise keep alive."""
    def bare(param: ast.arg | None) -> ast.arg | None:
        return None if param is None else ast.copy_location(ast.arg(arg=param.arg), param)

    args = func.args
    params = ast.arguments(
        posonlyargs=[ast.arg(arg=a.arg) for a in args.posonlyargs], args=[ast.arg(arg=a.arg) for a in args.args],
        vararg=bare(args.vararg), kwonlyargs=[ast.arg(arg=a.arg) for a in args.kwonlyargs], kw_defaults=[],
        kwarg=bare(args.kwarg), defaults=[],
    )
    return ast.copy_location(ast.FunctionDef(name=func.name, args=params, body=[], decorator_list=[]), func)


class ProjectHelper:
    """A function of another module of the project, as call sites see it:
    what it returns and where its parameters go, computed in that module's
    own context and remembered after the context (and its parsed tree) is
    dropped from the small cache above.  Of the function itself only its
    name and parameters are kept (``signature``), for call sites to map
    their arguments; the module is parsed again only for a question not
    asked before."""

    def __init__(self, root: str, module: str, func: ast.FunctionDef | ast.AsyncFunctionDef, settings: Any) -> None:
        self.root, self.module, self.func, self.settings = root, module, signature(func), settings
        self._summary: Val | None = None
        self._sinks: dict[str, list[tuple[int, str, int]]] = {}

    def _loaded(self) -> tuple[TaintModel, ast.FunctionDef | ast.AsyncFunctionDef, Any] | None:
        other = function_context(self.root, self.module, self.func.name, self.settings, False)
        func = other.taint.functions().get(self.func.name) if other is not None else None
        return (other.taint, func, other._summary_flow) if other is not None and func is not None else None

    def summary(self, func: ast.FunctionDef | ast.AsyncFunctionDef, make_flow: object) -> Val | None:
        if self._summary is None:
            loaded = self._loaded()
            # None (recursion, an import too deep) depends on who asks: not kept.
            self._summary = loaded[0].summary(loaded[1], loaded[2]) if loaded is not None else None
        return self._summary

    def sink_summary(
        self, func: ast.FunctionDef | ast.AsyncFunctionDef, category: str, make_flow: object
    ) -> list[tuple[int, str, int]]:
        found = self._sinks.get(category)
        if found is None:
            loaded = self._loaded()
            if loaded is None:
                return []
            found = self._sinks[category] = loaded[0].sink_summary(loaded[1], category, loaded[2])
        return found

    def bound_flow(
        self, func: ast.FunctionDef | ast.AsyncFunctionDef, make_flow: object, bound: tuple[tuple[str, Val], ...]
    ) -> object | None:
        loaded = self._loaded()  # objects bound in: rare, not remembered here
        return loaded[0].bound_flow(loaded[1], loaded[2], bound) if loaded is not None else None


_PROJECT_HELPERS: dict[tuple[str, float, str, tuple[object, ...]], ProjectHelper | None] = {}


def _taint_settings(settings: Any) -> tuple[object, ...]:
    """The settings a summary depends on (the team's extra sources, sanitizers, sinks)."""
    sanitizers = getattr(settings, "extra_sanitizers", None) or {}
    sinks = getattr(settings, "extra_sinks", None) or {}
    return (
        tuple(sorted(getattr(settings, "extra_sources", ()) or ())),
        tuple(sorted((name, tuple(sorted(cats))) for name, cats in sanitizers.items())),
        tuple(sorted(sinks.items())),
    )


def project_helper(
    root: str, module: str, name: str, settings: Any, taint_settings: tuple[object, ...]
) -> ProjectHelper | None:
    """The project helper ``module.name`` (a module-level function), or
    None; ``taint_settings`` is ``_taint_settings(settings)``."""
    path = module_path(root, module)
    if path is None:
        return None
    key = (path, os.path.getmtime(path), name, taint_settings)
    if key in _PROJECT_HELPERS:
        return _PROJECT_HELPERS[key]
    other = function_context(root, module, name, settings, False)
    func = other.taint.functions().get(name) if other is not None else None
    helper = ProjectHelper(root, module, func, settings) if func is not None else None
    if len(_PROJECT_HELPERS) >= MAX_PROJECT_FLAGS:
        _PROJECT_HELPERS.clear()
    _PROJECT_HELPERS[key] = helper
    return helper


@dataclass(frozen=True)
class TaintedSink:
    """Request data (``source``) reaching a sink (``sink``, on ``line``)."""

    source: Source
    sink: str
    line: int
    argument: ast.expr | None


class ModuleContext:
    # Whether a flow tracks only the names its questions read (and what
    # they depend on); False: every name, the reference slices are tested against.
    slice_flows = True

    def __init__(
        self, tree: ast.Module, lines: list[str], filename: str, settings: Any = None, source: str | None = None
    ) -> None:
        """``source``: ``"".join(lines)``, when the caller has it already."""
        text = source if source is not None else "".join(lines)
        self.tree = tree
        self.lines = lines
        self.filename = filename
        self.settings = settings
        self.scopes: tuple[ast.AST, ...] = ()
        self.statement: ast.stmt | None = None
        # time.monotonic() after which long analyses stop (flow.AnalysisLimit).
        self.deadline: float | None = None
        self.modname, self.package = package_of(filename)
        self._top = self.modname.partition(".")[0]
        self.names = Names(tree, lambda: self.scopes, self.package, lambda: text)
        self.constants = Constants(
            tree, self.names, self._get_inference, self.package,
            has_global="global" in text,
        )
        self.constants.project_module = self._project_constants
        self._inference: Inference | None = None
        self._flows: dict[int, FunctionFlow] = {}
        self._dependencies: dict[int, Dependencies] = {}
        self._bindables: dict[int, frozenset[str]] = {}
        self._initial_envs: dict[int, dict[str, Val]] = {}
        self._rebuilds: dict[int, int] = {}
        # Flows without the taint model (``value_without_helpers``), by
        # (function, the names of the question).
        self._helperless_flows: dict[tuple[int, frozenset[str]], FunctionFlow] = {}
        self._qualified: dict[int, str | None] = {}
        self._handler_apps: dict[tuple[tuple[ast.AST, ...], bool], str | None] = {}
        # What rules remember about this module's nodes (by their own keys):
        # dropped with the module, so no tree outlives its file through it.
        self.memo: dict[Hashable, Any] = {}
        self._imported_tops: frozenset[str] | None = None
        self._taint_settings: tuple[object, ...] | None = None  # asked per project helper call
        self._root: str | None = None
        self._inference_allowed = True
        self.taint = TaintModel(
            tree, self.names, self.constants,
            extra_sources=getattr(settings, "extra_sources", frozenset()),
            extra_sanitizers=getattr(settings, "extra_sanitizers", None),
        )
        self.taint.make_flow = self._summary_flow
        self.taint.import_resolver = self._project_callee
        self.taint.import_flags = self._project_flags
        self.taint.import_web = self._project_web
        self.taint.import_sinks = self._project_sinks
        self.taint.imports_reach_request = self._imports_reach_request
        self.taint.source = text
        self.taint.extra_sinks = {
            name: Sink(category) for name, category in (getattr(settings, "extra_sinks", None) or {}).items()
        }
        self._extra_sink_names = frozenset(self.taint.extra_sinks.items())

    # -- astroid, on demand ---------------------------------------------------
    def _get_inference(self) -> Inference:
        if self._inference is None:
            self._inference = Inference("".join(self.lines), self.filename, self.modname)
        return self._inference

    @property
    def used_astroid(self) -> bool:
        return self._inference is not None and self._inference.built

    def close(self) -> None:
        if self._inference is not None:
            self._inference.release()
        self._flows.clear()
        self._dependencies.clear()
        self._bindables.clear()
        self._initial_envs.clear()
        self._rebuilds.clear()
        self._helperless_flows.clear()

    def dispose(self) -> None:
        """``close``, and forget everything built for the file, once it is done.

        The parts of a context refer to each other (the taint model to this
        context's methods, its seeds to the model, names to the current
        scopes): left alone, they and every flow and value reachable from
        them could be freed only by the cyclic garbage collector, after
        surviving into its oldest generation, which every full collection
        of the rest of the lint run would then walk again.
        """
        self.close()
        for part in (self.taint.seeds, self.taint, self.constants, self.names):
            part.__dict__.clear()
        self.__dict__.clear()

    # -- questions ------------------------------------------------------------
    def qualified(self, expr: ast.AST) -> str | None:
        """``names.qualified`` at the current place, remembered per node: a
        node's enclosing scopes never change, and every rule asks about the
        same call."""
        key = id(expr)
        if key in self._qualified:
            return self._qualified[key]
        found = self._qualified[key] = self.names.qualified(expr)
        return found

    def imports_package(self, names: Collection[str]) -> bool:
        """Whether the module imports (anywhere) the top-level package of one of ``names``."""
        if self._imported_tops is None:
            self._imported_tops = frozenset(q.split(".")[0] for _, q in self.names.all_imports())
        return any(name.split(".")[0] in self._imported_tops for name in names)

    def function(self) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
        for scope in reversed(self.scopes):
            if isinstance(scope, FUNCTIONS):
                return scope
        return None

    @contextmanager
    def at_statement(self, stmt: ast.stmt) -> Iterator[None]:
        """Answer questions at ``stmt`` itself.

        The walk sets ``statement`` to the statement *enclosing* the node being
        checked, so a rule checking a statement node (an ``Assign``) sees the
        environment of its parent; inside this block it sees the environment
        just before ``stmt``.
        """
        saved = self.statement
        self.statement = stmt
        try:
            yield
        finally:
            self.statement = saved

    def handler_app(self) -> str | None:
        """What makes the enclosing function a request handler (see
        ``TaintModel.handler_app``), or None when it is not one."""
        key = (self.scopes, self.constants.infer)  # asked at every return: by the walk's shared scopes
        if key in self._handler_apps:
            return self._handler_apps[key]
        func = self.function()
        found = None
        if func is not None:
            index = self.scopes.index(func)
            found = self.taint.handler_app(func, self.scopes[: index + 1])
        self._handler_apps[key] = found
        return found

    def is_handler(self) -> bool:
        """Whether the enclosing function answers requests or errors
        (``TaintModel.is_handler``), its handler app remembered."""
        func = self.function()
        return func is not None and (self.handler_app() is not None or self.taint._error_handler(func) is not None)

    def value(self, expr: ast.AST, infer: bool = False, at: ast.stmt | None = None) -> Val:
        """Abstract value of ``expr`` at the current statement (or before ``at``,
        for a rule checking a statement node itself: the walk makes a statement
        current only for the nodes inside it).

        With ``infer`` off (the default), parts only astroid could decide stay
        unknown but remember their node (``Part.node``); ``refine`` and the
        ``const_*`` questions decide them later, once the cheap checks say a
        finding depends on them.  astroid proves constants only: origins,
        kinds and taint never need it.
        """
        func = self.function()
        names = names_in(expr) if self.slice_flows else None
        env: dict[str, Val]
        if names is not None and names.isdisjoint(self._bindable(func)):
            # Nothing the expression reads is ever bound in the function:
            # its environments could not change the answer.
            env, ev = {}, self._plain_evaluator(func)
        else:
            self.constants.infer = False
            try:
                flow = self._flow(func, names)
            finally:
                self.constants.infer = True
            env = flow.env_before(at or self.statement)
            ev = flow.evaluator
        env, ev = self._in_lambdas(env, ev)
        self.constants.infer = infer and self._inference_allowed
        try:
            return ev.eval(expr, env)
        finally:
            self.constants.infer = True

    def value_without_helpers(self, expr: ast.AST) -> Val:
        """``value(expr)`` read from the current function's own code: calls
        are unknown values (no summary of the module's or the project's
        functions, no constructor or property followed), and request data,
        sanitizers and exception details are not tracked.  Cheaper than
        ``value``, and never more precise: where the function builds no
        string itself and calls no sanitizer (see ``builds_strings``), a
        building step and the unproven parts ``value`` finds are found here
        too (summaries only ever prove parts constant, and a step comes from
        a constant folded outside the function, which both read alike)."""
        func = self.function()
        scopes = self._chain(func) if func is not None else ()
        ev = Evaluator(self.names, self.constants, scopes,
                       self.constants.locals_of(func) if func is not None else frozenset())
        ev.deadline = self.deadline
        names = names_in(expr)
        env: dict[str, Val] = {}
        self.constants.infer = False
        try:
            if not names.isdisjoint(self._bindable(func)):
                key = (id(func) if func is not None else 0, frozenset(names))
                flow = self._helperless_flows.get(key)
                if flow is None:
                    body = self.tree.body if func is None else func.body
                    flow = self._helperless_flows[key] = FunctionFlow(
                        ev, body, self._initial_env(func), self.deadline, wanted=key[1],
                        deps=self._dependencies_of(func))
                env = flow.env_before(self.statement)
            env, ev = self._in_lambdas(env, ev)
            return ev.eval(expr, env)
        finally:
            self.constants.infer = True

    def _in_lambdas(self, env: dict[str, Val], ev: Evaluator) -> tuple[dict[str, Val], Evaluator]:
        """The environment and evaluator for an expression inside lambdas of
        the current function: their parameters hide its names."""
        lambdas = [s for s in self.scopes if isinstance(s, ast.Lambda)]
        if not lambdas:
            return env, ev
        hidden = {a.arg for lam in lambdas for a in lam.args.args + lam.args.kwonlyargs}
        env = {k: v for k, v in env.items() if k.split(".")[0] not in hidden}
        return env, Evaluator(ev.names, ev.constants, self.scopes, ev.locals | hidden)

    def builds_strings(self) -> bool:
        """Whether the current function (None: the module's code) holds an
        f-string, ``+``, ``%``, ``+=``, ``%=``, ``.join()`` or ``.format()``
        (the only places a flow records a building step: ``values.concat``),
        or calls something named like a sanitizer, which the taint model
        hands its argument through, step and all (``html.escape(QUERY)``)."""
        func = self.function()
        key = ("builds strings", id(func) if func is not None else 0)
        found = self.memo.get(key)
        if found is None:
            sanitizers = frozenset(name.rsplit(".", 1)[-1] for name in self.taint.sanitizers)
            found = self.memo[key] = func is None or any(
                isinstance(n, ast.JoinedStr)
                or isinstance(n, (ast.BinOp, ast.AugAssign)) and isinstance(n.op, (ast.Add, ast.Mod))
                or isinstance(n, ast.Call) and (
                    isinstance(n.func, ast.Attribute) and n.func.attr in ("join", "format")
                    or self.names.may_end_in(n.func, sanitizers))
                for n in descendants(func))
        return bool(found)

    def may_taint(self, category: str) -> bool:
        """Whether values here can carry data that is live for ``category``
        at all (see ``analysis.seeds``): when not, no flow needs to run."""
        return self.taint.seeds.may_carry(self.scopes, category == EXCEPTION)

    def tainted_sinks(self, node: ast.Call, category: str) -> list[TaintedSink]:
        """Request data live for ``category`` reaching a sink in this call:
        directly, or through a function of this module that passes it on."""
        if not self.taint.could_sink(node, self.scopes, category) or not self.may_taint(category):
            return []
        found = []
        for label, arg in self.taint.sinks_for(node, self.scopes, category,
                                               lambda e: self.value(e, infer=False).origin):
            live = self._live_taint(arg, category)
            if live:
                found.append(TaintedSink(live[0], label, node.lineno, arg))
        callee = self.taint.callee(node.func, self.scopes)
        if callee is not None:
            func = callee.func
            params = func.args.posonlyargs + func.args.args + func.args.kwonlyargs
            mapped = call_args(node, params, callee.is_method)
            with self._no_inference():
                summary = callee.model.sink_summary(func, category, callee.make_flow)
            for index, label, line in summary:
                arg_node = mapped[index] if index < len(mapped) else None
                live = self._live_taint(arg_node, category) if arg_node is not None else ()
                if live:
                    found.append(TaintedSink(live[0], f"{label_of(node.func)}() -> {label}", line, arg_node))
        return found

    def _live_taint(self, arg: ast.AST, category: str) -> tuple[Source, ...]:
        """Request data in ``arg`` not yet cleaned for ``category``.

        astroid can only remove taint (a constant it proves carries none, a
        branch it proves dead), so it is asked only when the cheap answer
        already holds request data.
        """
        if not self.taint.live_at_sink(self.value(arg, infer=False), category):
            return ()
        return self.taint.live_at_sink(self.value(arg, infer=True), category)

    def refine(self, val: Val) -> Val:
        """Drop the unsafe parts that astroid proves constant."""
        if not any(p.node is not None for p in val.unsafe):
            return val
        kept = tuple(
            p for p in val.unsafe
            if p.node is None or self.constants.values(p.node, self.scopes) is UNKNOWN
        )
        return replace(val, unsafe=kept, step=val.step if kept else None)

    def const_values(self, expr: ast.AST) -> Values | _Unknown:
        val = self.value(expr, infer=True)
        return val.consts if val.consts else UNKNOWN

    def const_value(self, expr: ast.AST) -> object:
        values = self.const_values(expr)
        if values is UNKNOWN or len(values) != 1:  # type: ignore[arg-type]
            return UNKNOWN
        return values[0]  # type: ignore[index]

    def int_value(self, expr: ast.AST) -> object:
        value = self.const_value(expr)
        return value if isinstance(value, int) and not isinstance(value, bool) else UNKNOWN

    def str_value(self, expr: ast.AST) -> object:
        value = self.const_value(expr)
        return value if isinstance(value, str) else UNKNOWN

    def _flow(self, func: ast.AST | None, names: Collection[str] | None) -> FunctionFlow:
        """The flow of ``func`` (None: the module body) that tracks ``names``
        (None: every name): built for the names of the first question, and
        again, for those of every question so far, when a later one reads a
        name it dropped (after MAX_FLOW_REBUILDS of those, for every name)."""
        key = id(func) if func is not None else 0
        flow = self._flows.get(key)
        if flow is not None and (flow.wanted is None or names is not None and flow.tracks(names)):
            return flow
        wanted = frozenset(names) if names is not None else None
        if flow is not None and names is not None:
            rebuilds = self._rebuilds[key] = self._rebuilds.get(key, 0) + 1
            wanted = None if flow.wanted is None or rebuilds >= MAX_FLOW_REBUILDS else flow.wanted.union(names)
        body = self.tree.body if func is None else func.body  # type: ignore[attr-defined]
        deps = self._dependencies_of(func) if wanted is not None else None
        flow = FunctionFlow(self._plain_evaluator(func), body, self._initial_env(func), self.deadline,
                            wanted=wanted, deps=deps)
        self._flows[key] = flow
        return flow

    def _initial_env(self, func: ast.AST | None) -> dict[str, Val]:
        """What a flow of ``func`` starts from: number-typed parameters, and
        the request data (or exception) a handler receives (remembered: a
        flow copies it)."""
        key = id(func) if func is not None else 0
        env = self._initial_envs.get(key)
        if env is None:
            env = self._initial_envs[key] = {}
            if func is not None:
                env.update(parameter_env(func))
                env.update(self.taint.handler_env(func, self._chain(func)))
        return env

    def _dependencies_of(self, func: ast.AST | None) -> Dependencies:
        key = id(func) if func is not None else 0
        deps = self._dependencies.get(key)
        if deps is None:
            body = self.tree.body if func is None else func.body  # type: ignore[attr-defined]
            deps = self._dependencies[key] = Dependencies(body)
        return deps

    def _bindable(self, func: ast.AST | None) -> frozenset[str]:
        """The first names of every key a flow of ``func`` (None: the module
        body) can hold: the names it binds, its parameters, what a handler
        receives (``self.request`` in a view's nested function too), and
        the names ``if`` tests read (a guard writes ``request.url`` back
        cleaned)."""
        key = id(func) if func is not None else 0
        found = self._bindables.get(key)
        if found is None:
            deps = self._dependencies_of(func)
            args = getattr(func, "args", None)
            params = [] if args is None else [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
            initial = self._initial_env(func)
            found = self._bindables[key] = frozenset(deps.bound | deps.tests).union(
                {p.arg for p in params if p is not None}, {k.partition(".")[0] for k in initial})
        return found

    def _chain(self, func: ast.AST) -> tuple[ast.AST, ...]:
        """The current scopes down to ``func``."""
        index = self.scopes.index(func) if func in self.scopes else len(self.scopes) - 1
        return self.scopes[: index + 1]

    def _plain_evaluator(self, func: ast.AST | None) -> Evaluator:
        """An evaluator of expressions in ``func`` (None: the module body) that read none of its names."""
        if func is None:
            return self._evaluator((), frozenset())
        return self._evaluator(self._chain(func), self.constants.locals_of(func))

    def _evaluator(self, scopes: tuple[ast.AST, ...], locals_: frozenset[str]) -> Evaluator:
        ev = Evaluator(self.names, self.constants, scopes, locals_, self.taint, self._summary_flow)
        ev.deadline = self.deadline
        return ev

    def _summary_flow(self, func: ast.AST, env: dict[str, Val]) -> FunctionFlow:
        """Flow of a module function or method with placeholder parameters.

        Built without astroid, like every function's own flow: a summary
        answers where request data goes, which inferred constants never
        carry, and it is cached, so it must not depend on which rule asked
        first (with inference on or off).
        """
        scopes = self._scopes_of(func)
        initial = parameter_env(func)
        initial.update(env)
        initial.update(parameter_env(func))  # number-typed parameters stay numbers
        ev = self._evaluator(scopes, self.constants.locals_of(func))
        with self._no_inference():
            return FunctionFlow(ev, func.body, initial, self.deadline)  # type: ignore[attr-defined]

    @contextmanager
    def without_inference(self) -> Iterator[None]:
        """Answer every question inside from the ast alone (for a rule whose
        finding is rare enough that astroid is not worth building for it)."""
        saved, self._inference_allowed = self._inference_allowed, False
        try:
            yield
        finally:
            self._inference_allowed = saved

    @contextmanager
    def _no_inference(self) -> Iterator[None]:
        previous = self.constants.infer
        self.constants.infer = False
        try:
            yield
        finally:
            self.constants.infer = previous

    def _project_callee(self, qualified: str) -> Callee | None:
        """A function imported from a module of this project, summarised in
        that module's own context (see ``ProjectHelper``)."""
        module_name, _, func_name = qualified.rpartition(".")
        if not self._same_project(module_name):
            return None  # third-party code: the default propagation applies
        if self._taint_settings is None:
            self._taint_settings = _taint_settings(self.settings)
        helper = project_helper(self._package_root(), module_name, func_name, self.settings, self._taint_settings)
        return Callee(helper.func, False, helper, None) if helper is not None else None

    def _project_constants(self, module_name: str) -> Constants | None:
        """Constants of another module of this project (parsed with ast, cached)."""
        if not self._same_project(module_name):
            return None
        if module_name == self.modname:
            return self.constants
        other = project_context(self._package_root(), module_name, self.settings)
        return other.constants if other is not None else None

    def _project_flags(self, qualified: str, wanted: int = BOTH) -> int:
        """What a helper imported from this project may return (seeds bits);
        0 for third-party code, which brings no request data of its own.
        Asked only about request data (``wanted``), a module whose imports
        within the project never reach a request proxy's name is answered
        from text, without parsing it."""
        global _flags_depth
        key = (self._package_root() if self.modname else "", qualified)
        bits = _PROJECT_FLAGS.get(key)
        module_name, _, func_name = qualified.rpartition(".")
        if bits is None and wanted == REQUEST and self._same_project(module_name) \
                and not self._request_reachable(module_name):
            return 0
        if bits is None and wanted == EXCEPTION_BIT and key in _EXCEPTION_FREE:
            return 0
        if bits is None:
            active = (key[0], module_name)
            if _flags_depth >= MAX_FLAGS_DEPTH or active in _FLAGS_ACTIVE:
                # A long chain of helpers, or an import cycle back into a
                # module whose answer is being worked out: assume the worst,
                # do not cache (a "no" here could be premature).
                return BOTH
            _flags_depth += 1
            _FLAGS_ACTIVE.add(active)
            try:
                possible = self._project_hints(qualified)
                if wanted == EXCEPTION_BIT and self._same_project(module_name) and (
                        not possible & EXCEPTION_BIT or self._exception_free(module_name, func_name)):
                    if len(_EXCEPTION_FREE) >= MAX_PROJECT_FLAGS:
                        _EXCEPTION_FREE.clear()
                    _EXCEPTION_FREE.add(key)
                    return 0
                root = self._package_root()
                other = function_context(root, module_name, func_name, self.settings, True) if possible else None
                func = other.taint.functions().get(func_name) if other is not None else None
                bits = other.taint.seeds.function_flags(func) & possible if other is not None and func else 0
                if other is not None:  # one parse answers for the module's other functions its scan decides
                    for name, each in other.taint.functions().items():
                        decided = other.taint.seeds.function_flags(each, follow_imports=False)
                        if decided is not None:
                            _PROJECT_FLAGS.setdefault((key[0], f"{module_name}.{name}"), decided & possible)
            finally:
                _flags_depth -= 1
                _FLAGS_ACTIVE.discard(active)
            if len(_PROJECT_FLAGS) >= MAX_PROJECT_FLAGS:
                _PROJECT_FLAGS.clear()
            _PROJECT_FLAGS[key] = bits
        return bits

    def _exception_free(self, module_name: str, func_name: str) -> bool:
        """Whether the project helper ``module_name.func_name`` surely returns
        no exception details, proved without its module's skeleton: the
        definitions a call of it may run (``Outline.definitions_reached``,
        parsed on their own) source none themselves (``calls_without_exception``,
        against every name the import statements of the module's code and
        of those definitions bind to an exception source's module or name),
        and no helper they call by an imported name returns any (asked the
        same way).  False: unsure, the module's skeleton decides."""
        path = module_path(self._package_root(), module_name)
        outline = outline_of((path, os.path.getmtime(path))) if path is not None else None
        if outline is None or not outline.defines_function(func_name) or any(
                chunk.rebinds_globals for chunk in outline.chunks):
            return False  # a function with ``global`` may import into the module's names
        definitions = outline.definitions_reached(func_name)
        module_imports = outline.module_imports() if definitions is not None else None
        if definitions is None or module_imports is None:
            return False
        # What the module's code and the definitions' own imports bind (any
        # scope's: a superset of what a name in them can stand for).
        statements = [*module_imports, *(node for definition in definitions for node in descendants(definition)
                                         if isinstance(node, (ast.Import, ast.ImportFrom)))]
        if any(alias.name == "*" for stmt in statements for alias in stmt.names):
            return False  # names the text does not tell
        bindings = list(import_pairs(statements, _package_of(module_name, path or "")))
        called = calls_without_exception(definitions, {name for name, q in bindings if q in EXCEPTION_HEADS})
        return called is not None and not any(
            self._same_project(q.rpartition(".")[0]) and self._project_flags(q, EXCEPTION_BIT) & EXCEPTION_BIT
            for name, q in bindings if name in called)

    def _request_reachable(self, module_name: str) -> bool:
        """Whether a function of the project module ``module_name`` could
        source request data, read from text: only a name bound by importing
        a request proxy's package (``from flask import request``) or a
        team's extra source does (a handler's parameters do not travel to
        its callers; see ``seeds``), so the module, or a project module it
        imports (followed through import statements, each file read once),
        must import one.  Unsure (the module cannot be read): True."""
        root = self._package_root()
        extra = frozenset(part for name in getattr(self.settings, "extra_sources", ()) or ()
                          for part in name.split("."))
        key = (root, module_name, extra)
        known = _REQUEST_REACHABLE.get(key)
        if known is not None:
            return known
        seen = {module_name}
        stack = [module_name]
        found = False
        paths = _ModulePaths(root)  # one traversal asks about the same modules from many files
        while stack and not found:
            current = stack.pop()
            cached = _REQUEST_REACHABLE.get((root, current, extra))
            if cached is not None and current != module_name:
                found = cached
                continue
            facts = self._import_facts(root, current, extra, paths)
            if facts is None:
                found = current == module_name  # not a module of the project: nothing to follow
                continue
            found, imported = facts
            for name in imported:
                if name not in seen:
                    seen.add(name)
                    stack.append(name)
        if len(_REQUEST_REACHABLE) >= MAX_PROJECT_FLAGS:
            _REQUEST_REACHABLE.clear()
        if found:
            _REQUEST_REACHABLE[key] = True
        else:  # nothing reachable from any module seen imports a source: none of them can
            _REQUEST_REACHABLE.update(((root, m, extra), False) for m in seen)
        return found

    def _imports_reach_request(self) -> bool:
        """Whether a helper this module imports from the project could return
        request data: only if its module can reach a request proxy through
        the project's imports (``_request_reachable``, as ``_project_flags``
        asks it); third-party helpers bring none.  Every helper a call can
        name comes from one of the module's import statements."""
        modules = {qualified.rpartition(".")[0] for _, qualified in self.names.all_imports()}
        return any(self._same_project(module) and self._request_reachable(module) for module in sorted(modules))

    def _import_facts(
        self, root: str, module_name: str, extra: frozenset[str], paths: _ModulePaths
    ) -> tuple[bool, tuple[str, ...]] | None:
        """(imports a request proxy's package or names an extra source, the
        project modules its imports may load) of a project module; None
        when it has no readable source file."""
        path = paths.of(module_name)
        if path is None:
            return None
        key = (path, os.path.getmtime(path), extra)
        facts = _IMPORT_FACTS.get(key)
        if facts is None:
            try:
                with open(path, encoding="utf-8", errors="replace") as fh:
                    text = fh.read()
            except OSError:
                return None
            statements = import_statements(text)
            proxies = any(p in text for p in _PROXY_PACKAGES) and _PROXY_PACKAGE.search(text) is not None \
                and _imports_a_proxy(text, statements, path)
            named = bool(extra) and not extra.isdisjoint(_WORD.findall(text))
            imported = tuple(dict.fromkeys(self._project_imports(paths, module_name, statements, path)))
            facts = (proxies or named, imported)
            if len(_IMPORT_FACTS) >= MAX_PROJECT_FLAGS:
                _IMPORT_FACTS.clear()
            _IMPORT_FACTS[key] = facts
        return facts

    def _project_imports(
        self, paths: _ModulePaths, module_name: str, statements: list[re.Match[str]], path: str
    ) -> Iterator[str]:
        """The project modules with a source file that the import statements
        may load (for ``from m import n``, ``m`` and, when ``m`` is a
        package, ``m.n``)."""
        top = self._top
        package = _package_of(module_name, path)
        for match in statements:
            if match["modules"] is not None:
                for module in _listed_names(match["modules"]):
                    if module.split(".")[0] == top and paths.of(module) is not None:
                        yield module
                continue
            base = match["module"]
            dots = len(base) - len(base.lstrip("."))
            base = absolute_module(base.lstrip("."), dots, package) if dots else base
            base_path = paths.of(base) if base.split(".")[0] == top else None
            if base_path is None:
                continue
            yield base
            if os.path.basename(base_path) != "__init__.py":
                continue  # a module's names are no modules
            # Most names a package gives are no module of it: its directory
            # listing says so without two failed stats per name.
            entries = paths.entries(os.path.dirname(base_path))
            for name in _listed_names(match["names"]):
                if name == "*" or entries is not None and f"{name}.py" not in entries and name not in entries:
                    continue
                if paths.of(f"{base}.{name}") is not None:
                    yield f"{base}.{name}"

    def _project_web(self, qualified: str) -> bool:
        """Whether the project module a helper comes from mentions a web framework."""
        return self._project_text_facts(qualified)[1]

    def _project_hints(self, qualified: str) -> int:
        """Which seeds bits the text of a helper's project module leaves possible."""
        return self._project_text_facts(qualified)[0]

    def _project_sinks(self, qualified: str) -> frozenset[str]:
        """The categories of the sinks the text of a helper's project module
        names: the helper cannot pass data to any other, and the module is
        not parsed to find out."""
        return self._project_text_facts(qualified)[2]

    def _project_text_facts(self, qualified: str) -> tuple[int, bool, frozenset[str]]:
        """(seeds bits, mentions a web framework, sink categories) of the
        project module a helper comes from, read as text once and never
        parsed for this: request data needs the word "request", a framework
        or a team's source; exception details an ``except`` or ``traceback``;
        either may come from a module it imports from the project;
        a sink its last name (see ``taint.sink_words``)."""
        module_name = qualified.rpartition(".")[0]
        if not self._same_project(module_name):
            return 0, False, frozenset()
        extra_sinks = self.taint.extra_sinks
        key = (self._package_root(), module_name, self._extra_sink_names)
        facts = _PROJECT_TEXT.get(key)
        if facts is None:
            path = module_path(key[0], module_name)
            try:
                with open(path or "", encoding="utf-8", errors="replace") as fh:
                    text = fh.read()
            except OSError:
                text = ""
            extra = {name.rsplit(".", 1)[-1] for name in getattr(self.settings, "extra_sources", ())}
            # A helper may hand back what a helper of a further project module returns.
            top = re.escape(module_name.split(".")[0])
            chained = re.search(rf"^[ \t]*(?:from[ \t]+(?:\.|{top}\b)|import[ \t]+{top}\b)", text, re.M) is not None
            request = chained or "request" in text and bool(_REQUEST_WORD.search(text)) or any(
                name in text for name in (*extra, *WEB_PACKAGES))
            exception = chained or any(word in text for word in ("except", "traceback", "exc_info", "sys.exception"))
            web = any(package in text for package in WEB_PACKAGES)
            words = set(_WORD.findall(text))
            sinks = frozenset(c for c, names in sink_words(extra_sinks).items() if not names.isdisjoint(words))
            facts = ((REQUEST if request else 0) | (EXCEPTION_BIT if exception else 0), web, sinks)
            if len(_PROJECT_TEXT) >= MAX_PROJECT_FLAGS:
                _PROJECT_TEXT.clear()
            _PROJECT_TEXT[key] = facts
        return facts

    def _same_project(self, module_name: str) -> bool:
        """Whether ``module_name`` (absolute) belongs to the linted file's top-level package."""
        top = self._top
        return bool(top and module_name) and not module_name.startswith(".") and (
            module_name.partition(".")[0] == top)

    def _package_root(self) -> str:
        if self._root is None:  # asked at every project helper question
            depth = self.modname.count(".") + (1 if os.path.basename(self.filename) == "__init__.py" else 0)
            root = os.path.dirname(os.path.abspath(self.filename))
            for _ in range(depth):
                root = os.path.dirname(root)
            self._root = root
        return self._root

    def _scopes_of(self, func: ast.AST) -> tuple[ast.AST, ...]:
        for stmt in self.tree.body:
            if stmt is func:
                return (func,)
            if isinstance(stmt, ast.ClassDef) and func in stmt.body:
                return (stmt, func)
        return (func,)
