"""The shape shared by every taint rule: request data reaching a category's sinks."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import ClassVar

from flake8_secure.analysis.context import ModuleContext
from flake8_secure.registry import Finding, Rule


class TaintRule(Rule):
    """Reports request data that reaches a sink of ``category`` (see
    ``analysis/frameworks/sinks.py``), directly or through a function of the
    same module; the message names the source, its line and the sink."""

    category: ClassVar[str]
    fix: ClassVar[str]
    message = "{source} (line {line}) reaches {sink}{where}; {fix}"
    node_types: ClassVar[tuple[type[ast.AST], ...]] = (ast.Call,)
    # Run on the calls that may be (or run) a sink; a subclass reporting
    # shapes of its own names their callees in ``call_names``.
    taint_gated = True
    needs_request_data = True
    call_names: ClassVar[frozenset[str] | None] = frozenset()

    def check(self, node: ast.Call, ctx: ModuleContext) -> Iterator[Finding]:
        for hit in ctx.tainted_sinks(node, self.category):
            where = f" on line {hit.line}" if hit.line != node.lineno else ""
            yield self.finding(node, source=hit.source.label, line=hit.source.line, sink=hit.sink,
                               where=where, fix=self.fix)
            return
