"""Everything the rules may ask about the module being checked.

One ``ModuleContext`` per file.  The checker's walk keeps ``scopes`` (the
enclosing functions/classes) and ``statement`` (the innermost statement)
current, so questions are answered at the place of the node being checked.
Expensive answers (import tables, flow environments, the astroid tree) are
computed on first need and cached for this file only.
"""

from __future__ import annotations

import ast
from typing import Any

from flake8_secure.analysis.constants import UNKNOWN, Constants, Values, _Unknown, package_of
from flake8_secure.analysis.flow import Evaluator, FunctionFlow, parameter_env
from flake8_secure.analysis.inference import Inference
from flake8_secure.analysis.names import Names
from flake8_secure.analysis.values import Val

FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


class ModuleContext:
    def __init__(self, tree: ast.Module, lines: list[str], filename: str, settings: Any = None) -> None:
        self.tree = tree
        self.lines = lines
        self.filename = filename
        self.settings = settings
        self.scopes: tuple[ast.AST, ...] = ()
        self.statement: ast.stmt | None = None
        self.modname, self.package = package_of(filename)
        self.names = Names(tree, lambda: self.scopes, self.package)
        self.constants = Constants(tree, self.names, self._get_inference, self.package)
        self._inference: Inference | None = None
        self._flows: dict[int, FunctionFlow] = {}

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

    # -- questions ------------------------------------------------------------
    def qualified(self, expr: ast.AST) -> str | None:
        return self.names.qualified(expr)

    def function(self) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
        for scope in reversed(self.scopes):
            if isinstance(scope, FUNCTIONS):
                return scope
        return None

    def value(self, expr: ast.AST, at: ast.stmt | None = None) -> Val:
        """Abstract value of ``expr`` at the current statement (or before ``at``,
        for a rule checking a statement node itself: the walk makes a statement
        current only for the nodes inside it)."""
        func = self.function()
        flow = self._flow(func)
        env = flow.env_before(at or self.statement)
        ev = flow.evaluator
        lambdas = [s for s in self.scopes if isinstance(s, ast.Lambda)]
        if lambdas:
            hidden = {a.arg for lam in lambdas for a in lam.args.args + lam.args.kwonlyargs}
            env = {k: v for k, v in env.items() if k.split(".")[0] not in hidden}
            ev = Evaluator(ev.names, ev.constants, self.scopes, ev.locals | hidden)
        return ev.eval(expr, env)

    def const_values(self, expr: ast.AST) -> Values | _Unknown:
        val = self.value(expr)
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

    def _flow(self, func: ast.AST | None) -> FunctionFlow:
        key = id(func) if func is not None else 0
        flow = self._flows.get(key)
        if flow is None:
            if func is None:
                ev = Evaluator(self.names, self.constants, (), frozenset())
                flow = FunctionFlow(ev, self.tree.body, {})
            else:
                index = self.scopes.index(func) if func in self.scopes else len(self.scopes) - 1
                chain = self.scopes[: index + 1]
                ev = Evaluator(self.names, self.constants, chain, self.constants.locals_of(func))
                flow = FunctionFlow(ev, func.body, parameter_env(func))  # type: ignore[attr-defined]
            self._flows[key] = flow
        return flow
