"""flake8 entry point: options, one walk over the tree, dispatch by node type."""

from __future__ import annotations

import argparse
import ast
import logging
import time
from collections.abc import Iterable, Iterator
from typing import Any, ClassVar

from flake8_secure import __version__
from flake8_secure.analysis.context import ModuleContext
from flake8_secure.registry import CODE_PREFIX, RULES, Finding, Rule, load_rules
from flake8_secure.settings import DEFAULT_FILE_TIME_LIMIT, Settings

LOG = logging.getLogger("flake8_secure")
load_rules()

_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)


class FileTimeLimit(Exception):
    """The per-file analysis budget ran out."""


def walk(tree: ast.AST) -> Iterator[tuple[ast.AST, tuple[ast.AST, ...], ast.stmt | None]]:
    """Depth-first walk yielding each node with its enclosing scopes and statement."""
    stack: list[tuple[ast.AST, tuple[ast.AST, ...], ast.stmt | None]] = [(tree, (), None)]
    pop, push = stack.pop, stack.extend
    iter_children = ast.iter_child_nodes
    while stack:
        node, scopes, stmt = pop()
        yield node, scopes, stmt
        if isinstance(node, ast.stmt):
            stmt = node
        if isinstance(node, _SCOPES):
            scopes = (*scopes, node)
        children = list(iter_children(node))
        children.reverse()
        push([(child, scopes, stmt) for child in children])


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
    _dispatch: ClassVar[dict[frozenset[str], dict[type[ast.AST], tuple[Rule, ...]]]] = {}
    _post: ClassVar[dict[frozenset[str], tuple[Rule, ...]]] = {}

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
        manager.extend_default_ignore(RULES.default_off_codes())

    @classmethod
    def parse_options(cls, options: argparse.Namespace) -> None:
        cls.settings = Settings(
            enabled_codes=enabled_codes(options),
            strict=bool(getattr(options, "secure_strict", False)),
            file_time_limit=float(getattr(options, "secure_file_time_limit", DEFAULT_FILE_TIME_LIMIT)),
        )

    @classmethod
    def dispatch(cls, codes: frozenset[str]) -> dict[type[ast.AST], tuple[Rule, ...]]:
        table = cls._dispatch.get(codes)
        if table is None:
            table = cls._dispatch[codes] = RULES.for_node_types(codes)
        return table

    @classmethod
    def post_passes(cls, codes: frozenset[str]) -> tuple[Rule, ...]:
        rules = cls._post.get(codes)
        if rules is None:
            rules = cls._post[codes] = RULES.post_passes(codes)
        return rules

    def run(self) -> Iterator[tuple[int, int, str, type[Any]]]:
        settings = self.settings
        by_type = self.dispatch(settings.enabled_codes)
        post = self.post_passes(settings.enabled_codes)
        if not by_type:
            return
        ctx = ModuleContext(self.tree, self.lines, self.filename, settings)
        found: set[Finding] = set()
        deadline = time.monotonic() + settings.file_time_limit
        strict = settings.strict
        try:
            for node, scopes, stmt in walk(self.tree):
                rules = by_type.get(type(node))
                if not rules:
                    continue
                ctx.scopes, ctx.statement = scopes, stmt
                for rule in rules:
                    found.update(safely(rule, node, ctx, strict))
                if time.monotonic() > deadline:
                    raise FileTimeLimit
            ctx.scopes, ctx.statement = (), None
            for rule in post:
                found.update(safely_finish(rule, sorted(found), ctx, strict))
        except FileTimeLimit:
            # Partial results would depend on the machine's speed: report nothing.
            LOG.debug("flake8-secure: %s: gave up after %.1f s", self.filename, settings.file_time_limit)
            found.clear()
        except RecursionError:
            LOG.debug("flake8-secure: %s: too deeply nested to analyse", self.filename)
            found.clear()
        finally:
            ctx.close()
        for f in sorted(found):
            yield f.line, f.col, f.text, type(self)
