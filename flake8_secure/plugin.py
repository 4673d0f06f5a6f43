"""flake8 entry point: options, one walk over the tree, dispatch by node type."""

from __future__ import annotations

import argparse
import ast
import logging
import re
import time
from functools import lru_cache
from collections.abc import Container, Iterable, Iterator
from typing import Any, ClassVar, cast

from flake8_secure import __version__
from flake8_secure.analysis.context import ModuleContext, forget_run, release_function_contexts
from flake8_secure.analysis.flow import AnalysisLimit
from flake8_secure.analysis.nodes import CHILD_FIELDS, child_fields
from flake8_secure.registry import (
    CODE_PREFIX, RULES, Finding, NodeRules, Rule, TargetRules, index_by_name, index_by_target, load_rules,
)
from flake8_secure.settings import DEFAULT_FILE_TIME_LIMIT, Settings, parse_extra

LOG = logging.getLogger("flake8_secure")
load_rules()

_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)


# The per-file analysis budget ran out: raised by the walk below and, per
# interpreted statement, by the flow analysis inside a rule's check.
FileTimeLimit = AnalysisLimit

DispatchTable = dict[type[ast.AST], tuple[Rule, ...]]
# A dispatch table, its keyed rules (``Checker.keyed``) and assignment rules (``Checker.targeted``).
Indexes = tuple[DispatchTable, dict[type[ast.AST], NodeRules], TargetRules | None]


def walk(
    tree: ast.AST, wanted: Container[type[ast.AST]] | None = None,
    name_ids: Container[str] | None = None, attrs: Container[str] | None = None,
) -> Iterator[tuple[ast.AST, tuple[ast.AST, ...], ast.stmt | None]]:
    """Each node (of the ``wanted`` types) with its enclosing scopes and innermost statement.

    Names and attributes, a third of all nodes, can be wanted by their
    ``id``/``attr`` instead: those in ``name_ids``/``attrs`` (when ``wanted``
    does not hold their type).  Statements (and lambda bodies) are units:
    the nodes inside one share its scopes and statement, so only units cost
    a tuple.  Order is depth-first per unit; callers must not depend on it
    (findings are sorted).
    """
    units: list[tuple[ast.AST, tuple[ast.AST, ...], ast.stmt | None]] = [(tree, (), None)]
    AST, lambda_type = ast.AST, ast.Lambda
    name_type, attribute_type, constant_type = ast.Name, ast.Attribute, ast.Constant
    # Names and constants (half of all nodes) have no children to visit:
    # met as a child, one is yielded at once or skipped, never pushed.
    every_name = wanted is None or name_type in wanted
    constants = wanted is None or constant_type in wanted
    plan_of = _PLANS.get
    child: Any  # a field's value, or an item of a list field: a node, None or a string
    while units:
        root, scopes, stmt = units.pop()
        inner = (*scopes, root) if isinstance(root, _SCOPES) else scopes
        if type(root) is lambda_type:
            # Its arguments and body are units of its own scope.
            if wanted is None or lambda_type in wanted:
                yield root, scopes, stmt
            for field in (plan_of(lambda_type) or _plan(lambda_type))[1]:
                value = getattr(root, field, None)
                if isinstance(value, AST):
                    units.append((value, inner, stmt))
            continue
        nodes = [root]
        while nodes:
            node = nodes.pop()
            cls = type(node)
            if wanted is None or cls in wanted:
                yield node, scopes, stmt
            elif cls is name_type:
                if name_ids is not None and node.id in name_ids:  # type: ignore[attr-defined]
                    yield node, scopes, stmt
                continue  # a name has no children
            elif cls is attribute_type and attrs is not None and node.attr in attrs:  # type: ignore[attr-defined]
                yield node, scopes, stmt
            plan = plan_of(cls)
            if plan is None:
                plan = _plan(cls)
            statements, others = plan
            if statements:
                unit_scopes = inner if node is root else scopes
                for field in statements:
                    for child in getattr(node, field):
                        units.append((child, unit_scopes, child))
            for field in others:
                value = getattr(node, field, None)
                for child in value if type(value) is list else (value,):
                    child_type = type(child)
                    if child_type is name_type:
                        if every_name or name_ids is not None and child.id in name_ids:
                            yield child, scopes, stmt
                    elif child_type is constant_type:
                        if constants:
                            yield child, scopes, stmt
                    elif child_type is lambda_type:
                        units.append((child, scopes, stmt))
                    elif isinstance(child, AST):  # not None (a dict's ** key), a name (global x)
                        nodes.append(child)


# Per node class, its child fields split in two: lists of statements (each a
# unit of the walk) and the others (expressions and the like, walked inline).
_PLANS: dict[type[ast.AST], tuple[tuple[str, ...], tuple[str, ...]]] = {}
_STATEMENT_LISTS = ("body", "orelse", "finalbody")


def _plan(cls: type[ast.AST]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    fields = CHILD_FIELDS.get(cls) or child_fields(cls)
    holds_statements = issubclass(cls, (ast.stmt, ast.Module, ast.Interactive, ast.excepthandler, ast.match_case))
    statements = tuple(f for f in fields if holds_statements and f in _STATEMENT_LISTS)
    plan = _PLANS[cls] = (statements, tuple(f for f in fields if f not in statements))
    return plan


@lru_cache(maxsize=256)
def minimal_hints(hints: tuple[str, ...]) -> tuple[str, ...]:
    """``hints`` without those containing another one: a text holding
    ``TLSv1_1`` holds ``TLSv1``, so only the latter needs a search."""
    return tuple(h for h in dict.fromkeys(hints) if not any(o != h and o in h for o in hints))


WantedPlan = tuple[
    dict[type[ast.AST], tuple[str, ...]], frozenset[type[ast.AST]], frozenset[str] | None, frozenset[str] | None]


def _wanted_plan(by_type: DispatchTable, keyed: dict[type[ast.AST], NodeRules]) -> WantedPlan:
    """What ``Checker.wanted_nodes`` reads of a dispatch table, once: the
    node types whose rules all need a hint in the file (and the hints),
    the types wanted otherwise, and the ids/attrs of the keyed names and
    attributes (None: every one is wanted, by type)."""
    hinted = {t: minimal_hints(tuple(h for r in rules for h in r.node_type_hints[t]))
              for t, rules in by_type.items() if all(t in r.node_type_hints for r in rules)}
    names, attributes = keyed.get(ast.Name), keyed.get(ast.Attribute)
    name_keys = frozenset(names.by_key) if names is not None and not names.every else None
    attr_keys = frozenset(attributes.by_key) if attributes is not None and not attributes.every else None
    base = frozenset(t for t in by_type
                     if not (t is ast.Name and name_keys is not None or t is ast.Attribute and attr_keys is not None))
    return hinted, base, name_keys, attr_keys


def enabled_codes(options: argparse.Namespace) -> frozenset[str]:
    """Codes whose rules should run, from flake8's select/ignore decision.

    A default-off rule runs only when named by its code or by a prefix longer
    than ``SEC`` in ``select``/``extend-select``: ``--select SEC`` alone would
    otherwise switch it on, since flake8 lets an explicit select beat a
    default ignore.
    """
    try:
        from flake8.style_guide import Decision, DecisionEngine

        engine = DecisionEngine(options)
        selected = {r.code for r in RULES if engine.decision_for(r.code) is Decision.Selected}
    except Exception as exc:  # a flake8 without this API: run the default-on rules
        LOG.debug("flake8-secure: cannot read flake8's decisions (%s)", exc)
        selected = {r.code for r in RULES if r.default_on}
    named = [
        c.strip().upper()
        for c in (getattr(options, "select", None) or []) + (getattr(options, "extend_select", None) or [])
        if len(c.strip()) > len(CODE_PREFIX)
    ]
    return frozenset(
        r.code for r in RULES
        if r.code in selected and (r.default_on or any(r.code.startswith(n) for n in named))
    )


def safely(rule: Rule, node: ast.AST, ctx: ModuleContext, strict: bool) -> Iterable[Finding]:
    """Run one rule on one node; a rule's bug must never abort the user's lint."""
    try:
        return list(rule.check(node, ctx))
    except AnalysisLimit:
        raise  # the whole file is given up, by the checker
    except RecursionError as exc:
        LOG.debug("flake8-secure: %s gave up on %s:%s: %s", rule.code, ctx.filename,
                  getattr(node, "lineno", "?"), exc)
        return []
    except Exception:
        if strict:
            raise
        LOG.debug("flake8-secure: %s failed on %s:%s", rule.code, ctx.filename,
                  getattr(node, "lineno", "?"), exc_info=True)
        return []


def log_prefilter_failure(rule: Rule, node: ast.AST, ctx: ModuleContext) -> None:
    """``rule.wants`` raised: a bug, logged; the rule's ``check`` runs instead."""
    LOG.debug("flake8-secure: %s prefilter failed on %s:%s", rule.code, ctx.filename,
              getattr(node, "lineno", "?"), exc_info=True)


def sink_categories(node: ast.Call, ctx: ModuleContext, indexed: NodeRules) -> frozenset[str]:
    """The taint gate of a call: those of the gated rules' categories whose
    sinks it may be or run (see ``TaintModel.could_sink``); where no request
    data can be (known without a scan: ``Seeds.request_free``), only the
    exception rules' categories are asked about.  On an internal error, all
    of them (the taint rules then run, each under ``safely``)."""
    try:
        taint = ctx.taint
        if taint.candidate(node, ctx.scopes) is None:  # most calls: no sink of any category
            return frozenset()
        categories = indexed.exception_categories if taint.seeds.request_free(ctx.scopes) \
            else indexed.gated_categories
        return taint.sink_categories_of(node, ctx.scopes, categories)
    except AnalysisLimit:
        raise
    except Exception:  # noqa: BLE001 - a bug here must not abort the lint
        LOG.debug("flake8-secure: sink categories failed on %s:%s", ctx.filename, node.lineno, exc_info=True)
        return indexed.gated_categories


def untrusted_here(ctx: ModuleContext, exception: bool) -> bool:
    """Whether values at the current place may carry request data (or, with
    ``exception``, exception details; see ``Seeds``): when not, the gated
    taint rules that report it are skipped.  On an internal error they run,
    each under ``safely``."""
    try:
        return ctx.taint.seeds.may_carry(ctx.scopes, exception)
    except AnalysisLimit:
        raise
    except Exception:  # noqa: BLE001 - a bug here must not abort the lint
        LOG.debug("flake8-secure: seeds failed on %s:%s", ctx.filename, getattr(ctx.statement, "lineno", "?"),
                  exc_info=True)
        return True


def sensitive_names_pattern(value: str) -> str:
    """``--secure-sensitive-names``: a valid regular expression (empty: the built-in one)."""
    try:
        re.compile(value)
    except re.error as exc:
        raise argparse.ArgumentTypeError(f"not a regular expression: {value!r} ({exc})") from exc
    return value.strip()


def safely_finish(rule: Rule, findings: list[Finding], ctx: ModuleContext, strict: bool) -> Iterable[Finding]:
    """Run a post-pass rule over the findings; its bug must not abort the lint either."""
    try:
        return list(rule.finish(findings, ctx))
    except Exception:
        if strict:
            raise
        LOG.debug("flake8-secure: %s failed on %s", rule.code, ctx.filename, exc_info=True)
        return []


class Checker:
    """The flake8 plugin, registered under the ``SEC`` entry point."""

    name = "flake8-secure"
    version = __version__
    settings: ClassVar[Settings] = Settings(enabled_codes=frozenset(r.code for r in RULES if r.default_on))
    _dispatch: ClassVar[dict[frozenset[str], DispatchTable]] = {}
    _post: ClassVar[dict[frozenset[str], tuple[Rule, ...]]] = {}
    # Per code set: the ``_dispatch`` table they were built from, its Call,
    # Name and Attribute rules indexed by name (``keyed``) and its
    # assignment rules (``targeted``).
    _indexed: ClassVar[dict[frozenset[str], Indexes]] = {}
    # Per dispatch table (by id, checked by identity): see ``_wanted_plan``.
    _wanted: ClassVar[dict[int, tuple[DispatchTable, WantedPlan]]] = {}

    def __init__(self, tree: ast.Module, lines: list[str], filename: str) -> None:
        self.tree = tree
        self.lines = lines
        self.filename = filename

    @classmethod
    def add_options(cls, manager: Any) -> None:
        manager.add_option(
            "--secure-strict",
            action="store_true",
            default=False,
            parse_from_config=True,
            help="flake8-secure: raise internal errors instead of skipping the node "
            "(for developing rules).",
        )
        manager.add_option(
            "--secure-file-time-limit",
            type=float,
            default=DEFAULT_FILE_TIME_LIMIT,
            parse_from_config=True,
            help="flake8-secure: seconds of analysis per file before giving up on it "
            "(default: %(default)s).",
        )
        manager.add_option(
            "--secure-extra-sources",
            comma_separated_list=True,
            default=[],
            parse_from_config=True,
            help="flake8-secure: dotted names whose value (or call result) is untrusted request "
            "data, e.g. myapp.http.current_params.",
        )
        manager.add_option(
            "--secure-extra-sanitizers",
            comma_separated_list=True,
            default=[],
            parse_from_config=True,
            help="flake8-secure: dotted names of functions that clean request data, as NAME "
            "(cleans for every rule) or NAME:CATEGORY+CATEGORY, e.g. myapp.text.clean_html:xss.",
        )
        manager.add_option(
            "--secure-extra-sinks",
            comma_separated_list=True,
            default=[],
            parse_from_config=True,
            help="flake8-secure: dotted names of functions whose first argument must not carry "
            "request data, as NAME:CATEGORY, e.g. myapp.shell.run:command.",
        )
        manager.add_option(
            "--secure-allowed-hosts",
            default="",
            comma_separated_list=True,
            parse_from_config=True,
            help="flake8-secure: comma-separated host globs where plain HTTP is acceptable "
            "(SEC040, SEC044), added to loopback and reserved test names.",
        )
        manager.add_option(
            "--secure-sensitive-names",
            type=sensitive_names_pattern,
            default="",
            parse_from_config=True,
            help="flake8-secure: regular expression replacing SEC022's built-in pattern of "
            "sensitive names (matched in full against runs of name parts, e.g. "
            "'password|token|api_?key').",
        )
        manager.add_option(
            "--secure-strict-validation",
            action="store_true",
            default=False,
            parse_from_config=True,
            help="flake8-secure: SEC010 also reports single request fields written into records "
            "without any validation (type conversion, allow-list, full-match regex, validator).",
        )
        manager.extend_default_ignore(RULES.default_off_codes())

    @classmethod
    def parse_options(cls, options: argparse.Namespace) -> None:
        forget_run()  # a new run (an editor's server may lint many times in one process)
        cls.settings = Settings(
            enabled_codes=enabled_codes(options),
            strict=bool(getattr(options, "secure_strict", False)),
            strict_validation=bool(getattr(options, "secure_strict_validation", False)),
            file_time_limit=float(getattr(options, "secure_file_time_limit", DEFAULT_FILE_TIME_LIMIT)),
            extra_sources=frozenset(parse_extra(getattr(options, "secure_extra_sources", None), "*")),
            extra_sanitizers=parse_extra(getattr(options, "secure_extra_sanitizers", None), "*"),
            sensitive_names=str(getattr(options, "secure_sensitive_names", "") or ""),
            extra_sinks={
                name: next(iter(sorted(cats)), "")
                for name, cats in parse_extra(getattr(options, "secure_extra_sinks", None), "").items()
                if cats
            },
            allowed_hosts=tuple(h.strip() for h in (getattr(options, "secure_allowed_hosts", None) or []) if h.strip()),
        )

    @classmethod
    def dispatch(cls, codes: frozenset[str]) -> DispatchTable:
        table = cls._dispatch.get(codes)
        if table is None:
            table = cls._dispatch[codes] = RULES.for_node_types(codes)
        return table

    @classmethod
    def keyed(cls, codes: frozenset[str]) -> dict[type[ast.AST], NodeRules]:
        """The rules of ``dispatch(codes)`` for Call/Name/Attribute nodes, by
        the callee's (or name's) last name: most rules care about a few."""
        return cls._indexes(codes)[1]

    @classmethod
    def targeted(cls, codes: frozenset[str]) -> TargetRules | None:
        """The rules of ``dispatch(codes)`` for assignments, split by whether
        their targets decide (``Rule.target_driven``): most assignments are
        to a name no rule cares about."""
        return cls._indexes(codes)[2]

    @classmethod
    def _indexes(cls, codes: frozenset[str]) -> Indexes:
        by_type = cls.dispatch(codes)
        cached = cls._indexed.get(codes)
        if cached is None or cached[0] is not by_type:  # the same rule instances as ``dispatch``
            cached = cls._indexed[codes] = (by_type, index_by_name(by_type), index_by_target(by_type))
        return cached

    @classmethod
    def wanted_nodes(
        cls, by_type: DispatchTable, keyed: dict[type[ast.AST], NodeRules], aliases: dict[str, tuple[str, ...]],
        source: str,
    ) -> tuple[Container[type[ast.AST]], Container[str] | None, Container[str] | None]:
        """What ``walk`` yields for this file: node types (without those
        whose rules' ``node_type_hints`` all miss in the source), and names
        and attributes whose rules are all keyed by the ids/attrs that have a key."""
        cached = cls._wanted.get(id(by_type))
        if cached is None or cached[0] is not by_type:
            cached = cls._wanted[id(by_type)] = (by_type, _wanted_plan(by_type, keyed))
        hinted, base, name_keys, attr_keys = cached[1]
        unhinted = {t for t, hints in hinted.items() if not any(h in source for h in hints)}
        wanted = base - unhinted if unhinted else base
        name_ids = name_keys if name_keys is None or not aliases else name_keys | aliases.keys()
        return wanted, name_ids, attr_keys

    @staticmethod
    def active_codes(enabled: frozenset[str], source: str) -> frozenset[str]:
        """The enabled rules that can find something in this file at all."""
        return frozenset(
            code for code in enabled
            if not RULES[code].source_hints or any(h in source for h in minimal_hints(RULES[code].source_hints))
        )

    @classmethod
    def post_passes(cls, codes: frozenset[str]) -> tuple[Rule, ...]:
        rules = cls._post.get(codes)
        if rules is None:
            rules = cls._post[codes] = RULES.post_passes(codes)
        return rules

    def run(self) -> Iterator[tuple[int, int, str, type[Any]]]:
        settings = self.settings
        source = "".join(self.lines)
        codes = self.active_codes(settings.enabled_codes, source)
        by_type = self.dispatch(codes)
        keyed = self.keyed(codes)
        targeted = self.targeted(codes)
        post = self.post_passes(settings.enabled_codes)
        if not by_type:
            return
        deadline = time.monotonic() + settings.file_time_limit
        ctx = ModuleContext(self.tree, self.lines, self.filename, settings, source)
        ctx.deadline = deadline
        found: set[Finding] = set()
        strict = settings.strict
        aliases = ctx.names.alias_targets() if keyed or targeted else {}
        call_type, name_type, attribute_type, assign_type = ast.Call, ast.Name, ast.Attribute, ast.Assign
        wanted, name_ids, attrs = self.wanted_nodes(by_type, keyed, aliases, source)
        try:
            for node, scopes, stmt in walk(self.tree, wanted, name_ids, attrs):
                ctx.scopes, ctx.statement = scopes, stmt
                cls = type(node)
                indexed = keyed.get(cls)
                if indexed is None:
                    rules = by_type[cls] if cls is not assign_type or targeted is None \
                        else targeted.for_targets(node.targets, aliases)  # type: ignore[attr-defined]
                else:
                    # Keys: the last name of a callee, or of a Name/Attribute node.
                    named: Any = node
                    if cls is call_type:
                        named = named.func
                    named_type = type(named)
                    if named_type is attribute_type:
                        rules = indexed.by_key.get(named.attr, indexed.every)
                    elif named_type is name_type:
                        alias = aliases.get(named.id)
                        rules = indexed.by_key.get(named.id, indexed.every) if alias is None \
                            else indexed.select(alias)
                    else:
                        rules = indexed.every
                    keywords = node.keywords if cls is call_type else None  # type: ignore[attr-defined]
                    if keywords and indexed.by_keyword:  # rules reporting a keyword of any call
                        rules = indexed.with_keywords(rules, tuple(kw.arg for kw in keywords))
                    # Taint rules: on calls that may be (or run) a sink; a call
                    # of a call (getattr(...)()) has no name to decide by.
                    if indexed.gated:
                        if named_type is not attribute_type and named_type is not name_type:
                            rules = indexed.with_gated(rules)
                        else:
                            # Seeds are asked only for the categories the call may reach.
                            cats = sink_categories(cast(ast.Call, node), ctx, indexed)
                            if cats:
                                rules = indexed.with_gated(
                                    rules,
                                    bool(cats & indexed.request_categories) and untrusted_here(ctx, False),
                                    bool(cats & indexed.exception_categories) and untrusted_here(ctx, True),
                                    cats)
                for rule in rules:
                    if cls in rule.prefiltered:
                        try:  # inline: asked of most rules on most nodes
                            if not rule.wants(node, ctx):
                                continue
                        except Exception:  # noqa: BLE001 - then the rule runs, under ``safely``
                            if strict:
                                raise
                            log_prefilter_failure(rule, node, ctx)
                    found.update(safely(rule, node, ctx, strict))
                if time.monotonic() > deadline:
                    raise FileTimeLimit("time limit")
            ctx.scopes, ctx.statement = (), None
            for rule in post:
                found.update(safely_finish(rule, sorted(found), ctx, strict))
        except FileTimeLimit as exc:
            # Partial results would depend on the machine's speed: report nothing.
            LOG.debug("flake8-secure: %s: gave up after %.1f s (%s; --secure-file-time-limit is %s s)",
                      self.filename, time.monotonic() - deadline + settings.file_time_limit, exc,
                      settings.file_time_limit)
            found.clear()
        except RecursionError:
            LOG.debug("flake8-secure: %s: too deeply nested to analyse", self.filename)
            found.clear()
        finally:
            ctx.dispose()
            release_function_contexts()
        for f in sorted(found):
            yield f.line, f.col, f.text, type(self)
