"""``ModuleContext.handler_app``: which functions are request handlers, and of what."""

from __future__ import annotations

import ast
import textwrap

import pytest

from flake8_secure.analysis.context import ModuleContext

SOURCES = {
    "flask": "from flask import Flask\napp = Flask(__name__)\n@app.route('/x')\ndef target():\n    pass\n",
    "fastapi": "from fastapi import APIRouter\nr = APIRouter()\n@r.get('/x')\nasync def target():\n    pass\n",
    "django-function": "from django.http import HttpResponse\ndef target(request):\n    pass\n",
    "django-class": "from django.views import View\nclass V(View):\n    def get(self, request):\n        pass\n",
    "plain-function": "import os\ndef target(request):\n    pass\n",
    "view-helper-method": "from django.views import View\nclass V(View):\n    def helper(self):\n        pass\n",
}
EXPECTED = {"flask": "flask.Flask", "fastapi": "fastapi.APIRouter", "django-function": "django",
            "django-class": "view", "plain-function": None, "view-helper-method": None}


@pytest.mark.parametrize("kind", sorted(SOURCES))
def test_handler_app(kind: str) -> None:
    source = textwrap.dedent(SOURCES[kind])
    tree = ast.parse(source)
    scopes: tuple[ast.AST, ...] = ()
    node: ast.AST = tree.body[-1]
    if isinstance(node, ast.ClassDef):
        scopes, node = (node,), node.body[0]
    assert isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
    ctx = ModuleContext(tree, source.splitlines(keepends=True), "example.py")
    ctx.scopes, ctx.statement = (*scopes, node), node.body[0]
    assert ctx.handler_app() == EXPECTED[kind]
    assert ctx.is_handler() is (EXPECTED[kind] is not None)


def test_module_level_is_no_handler() -> None:
    tree = ast.parse("x = 1\n")
    ctx = ModuleContext(tree, ["x = 1\n"], "example.py")
    assert ctx.handler_app() is None and not ctx.is_handler()
