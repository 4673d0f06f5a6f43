"""The taint engine's second kind of source (exception details), the "*" sink
argument spec, handler detection and ``await``."""

from __future__ import annotations

import ast

import pytest

from flake8_secure.analysis.context import ModuleContext
from flake8_secure.analysis.frameworks.sinks import Sink, arguments
from flake8_secure.analysis.values import EXCEPTION, Source


def test_exception_sources_are_live_only_for_the_exception_category() -> None:
    exc = Source("exception `e`", 3, exception=True)
    req = Source("request.args", 3)
    placeholder = Source("p", 1, param=0)
    assert exc.live_for(EXCEPTION) and not exc.live_for("command")
    assert req.live_for("command") and not req.live_for(EXCEPTION)
    assert placeholder.live_for(EXCEPTION) and placeholder.live_for("command")
    assert not exc.clean(frozenset({EXCEPTION})).live_for(EXCEPTION)


def test_star_sink_checks_every_argument() -> None:
    call = ast.parse("jsonify(a, *rest, error=b, **kw)").body[0].value  # type: ignore[attr-defined]
    assert [ast.unparse(a) for a in arguments(call, Sink(EXCEPTION, ("*",)))] == ["a", "b"]


def context(source: str) -> tuple[ModuleContext, ast.Module]:
    tree = ast.parse(source)
    return ModuleContext(tree, source.splitlines(True), "m.py"), tree


@pytest.mark.parametrize(
    ("source", "handler"),
    [
        ("from flask import Flask\napp = Flask(__name__)\n@app.route('/')\ndef f(): pass\n", True),
        ("from flask import Flask\napp = Flask(__name__)\n@app.errorhandler(500)\ndef f(e): pass\n", True),
        ("from django.http import HttpResponse\ndef f(request): pass\n", True),
        ("def f(request): pass\n", False),
        ("from flask import Flask\ndef f(): pass\n", False),
    ],
    ids=["flask-route", "error-handler", "django-view", "no-framework", "plain-function"],
)
def test_is_handler(source: str, handler: bool) -> None:
    ctx, tree = context(source)
    func = tree.body[-1]
    assert ctx.taint.is_handler(func, (func,)) is handler


def test_view_class_method_is_a_handler() -> None:
    ctx, tree = context("from django.views import View\nclass V(View):\n    def get(self, request): pass\n"
                        "    def helper(self): pass\n")
    cls = tree.body[-1]
    assert isinstance(cls, ast.ClassDef)
    assert ctx.taint.is_handler(cls.body[0], (cls, cls.body[0]))
    assert not ctx.taint.is_handler(cls.body[1], (cls, cls.body[1]))


def test_await_keeps_request_taint() -> None:
    source = ("from fastapi import FastAPI, Request\napp = FastAPI()\n@app.post('/')\n"
              "async def f(request: Request):\n    data = await request.json()\n    return data\n")
    ctx, tree = context(source)
    func = tree.body[-1]
    assert isinstance(func, ast.AsyncFunctionDef)
    ctx.scopes, ctx.statement = (func,), func.body[1]
    assert ctx.value(ast.Name(id="data", ctx=ast.Load())).live_taint("sql")
