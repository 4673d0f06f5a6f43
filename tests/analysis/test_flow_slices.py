"""Flows that track only the names a question needs (``Dependencies``) must
answer every question exactly as the flow tracking every name does."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest

from flake8_secure.analysis.context import ModuleContext
from flake8_secure.analysis.flow import Dependencies
from flake8_secure.plugin import walk
from flake8_secure.settings import Settings
from tests.test_prefilters import rule_cases

FIXTURES = sorted((Path(__file__).parents[1] / "fixtures").rglob("*.py"))
SETTINGS = Settings(enabled_codes=frozenset())


def questions(source: str, filename: str) -> int:
    """Ask the value of every name read (and every call's arguments) in
    ``source``, at its statement, of a fresh slice and of the full flow;
    assert the answers agree; return how many were asked."""
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    sliced = ModuleContext(tree, lines, filename, SETTINGS)
    full = ModuleContext(tree, lines, filename, SETTINGS)
    full.slice_flows = False
    asked = 0
    for node, scopes, stmt in walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            exprs: list[ast.expr] = [node]
        elif isinstance(node, ast.Call):
            exprs = [*node.args, *(kw.value for kw in node.keywords)]
        else:
            continue
        for ctx in (sliced, full):
            ctx.scopes, ctx.statement = scopes, stmt
        for expr in exprs:
            sliced.close()  # a new slice per question: the fewest names tracked
            assert sliced.value(expr) == full.value(expr), f"{filename}:{expr.lineno} {ast.unparse(expr)}"
            asked += 1
    return asked


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: str(p.relative_to(p.parents[2])))
def test_slices_answer_as_the_full_flow_on_the_fixture_apps(path: Path) -> None:
    questions(path.read_text(encoding="utf-8"), str(path))


def test_the_fixture_apps_ask_many_questions() -> None:
    assert sum(questions(path.read_text(encoding="utf-8"), str(path)) for path in FIXTURES) > 1000


def test_slices_answer_as_the_full_flow_on_the_rule_cases() -> None:
    cases = rule_cases()
    assert len(cases) > 300
    assert sum(questions(case.source, "example.py") for case in cases) > 3000


# Shapes where a slice must follow more than the assignments of the name asked about.
EDGE_CASES = [
    """
    def search(cur, name):
        debug = False
        sql = "SELECT * FROM users"
        if debug:  # a local test folding to a constant: the branch never runs
            sql = sql + " WHERE name = '" + name + "'"
        cur.execute(sql)
    """,
    """
    def search(cur, request):
        parts = ["SELECT * FROM users WHERE 1 = 1"]
        term = request.args.get("q")
        parts.append(" AND name = '%s'" % term)
        cur.execute(" ".join(parts))
    """,
    """
    from django.utils.http import url_has_allowed_host_and_scheme
    from django.shortcuts import redirect

    def go(request):
        target = request.GET.get("next", "/")
        allowed = url_has_allowed_host_and_scheme(target, allowed_hosts=None)
        if not allowed:
            target = "/"
        return redirect(target)
    """,
    """
    def rows(cur, table, limit):
        counts = {}
        sql = "SELECT * FROM " + table
        for key, value in counts.items():
            sql += f" AND {key} = {value}"
        with cur.connection as conn:
            conn.execute(sql + " LIMIT %d" % limit)
    """,
]


# Keys a flow holds for names the function never binds: a guard cleans
# ``request.url`` of Flask's global request; a view's nested function
# receives ``self.request``.
EDGE_CASES += [
    """
    from flask import Flask, abort, redirect, request
    app = Flask(__name__)

    @app.route("/go")
    def go():
        if not request.url.startswith("https://example.com/"):
            abort(400)
        return redirect(request.url)
    """,
    """
    from django.shortcuts import redirect
    from django.views import View

    class Go(View):
        def dispatch(self, request, *args, **kwargs):
            def get():
                return redirect(self.request.GET["next"])
            return get()
    """,
]


@pytest.mark.parametrize("source", EDGE_CASES)
def test_slices_answer_as_the_full_flow_on_the_edge_cases(source: str) -> None:
    assert questions(textwrap.dedent(source), "example.py") > 3


def test_a_question_about_one_name_follows_only_what_it_is_built_from() -> None:
    body = ast.parse(textwrap.dedent("""
        sql = "SELECT * FROM t WHERE id = %s"
        rows = expensive(sql)
        label = title.upper()
        if debug:
            sql += " LIMIT 1"
        parts.append(label)
        for col in columns:
            sql = sql + col
        with open(path) as fh:
            data = fh.read()
        return rows
    """)).body
    deps = Dependencies(body)
    assert deps.closure({"sql"}) == {"sql", "debug", "col", "columns"}
    assert deps.closure({"parts"}) == {"parts", "label", "title", "debug"}
    assert deps.closure({"data"}) == {"data", "fh", "open", "path", "debug"}
    assert "rows" not in deps.closure({"sql", "parts", "data"})  # what is returned is no question's


def test_a_later_question_about_a_dropped_name_rebuilds_the_flow() -> None:
    source = textwrap.dedent("""
        def view(cur, name):
            sql = "SELECT 1"
            where = " WHERE name = '%s'" % name
            cur.execute(sql)
            cur.execute(sql + where)
    """)
    tree = ast.parse(source)
    func = tree.body[0]
    assert isinstance(func, ast.FunctionDef)
    ctx = ModuleContext(tree, source.splitlines(keepends=True), "example.py", SETTINGS)
    ctx.scopes = (func,)
    first, second = (stmt.value.args[0] for stmt in func.body[2:])  # type: ignore[attr-defined]
    ctx.statement = func.body[2]
    assert ctx.value(first).consts == ("SELECT 1",)
    ctx.statement = func.body[3]
    assert [p.label for p in ctx.value(second).unsafe] == ["name"]
    assert all(flow.returned is None and flow.wanted is not None for flow in ctx._flows.values())  # slices


def test_a_question_reading_no_name_the_function_binds_needs_no_flow() -> None:
    source = textwrap.dedent("""
        import os
        TMP = "/tmp/cache"

        def save(data, mode):
            path = os.path.join(TMP, "x")
            open(path, "w").write(data)
            open(TMP, mode)
    """)
    tree = ast.parse(source)
    func = tree.body[2]
    assert isinstance(func, ast.FunctionDef)
    ctx = ModuleContext(tree, source.splitlines(keepends=True), "example.py", SETTINGS)
    ctx.scopes, ctx.statement = (func,), func.body[2]
    call = func.body[2].value  # type: ignore[attr-defined]
    assert ctx.value(call.args[0]).consts == ("/tmp/cache",)  # a module constant
    assert ctx._flows == {}
    assert ctx.value(call.args[1]).consts is None  # a parameter: its flow runs
    assert ctx._flows != {}
