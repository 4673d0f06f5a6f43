"""Helpers imported from the project's other modules: parsed only when they
could matter, and their summaries kept after the parsed module is dropped."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest

from flake8_secure.analysis import context
from flake8_secure.analysis.context import ModuleContext
from tests.helpers import lint

VIEWS = textwrap.dedent(
    """
    from flask import Flask, request

    from shop.util import run, shout

    app = Flask(__name__)


    @app.route("/run")
    def run_command():
        run(request.args["cmd"])
        return shout(request.args["name"])
    """
).lstrip("\n")


def make_shop(tmp_path: Path) -> Path:
    pkg = tmp_path / "shop"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "util.py").write_text("import os\n\n\ndef run(cmd):\n    os.system(cmd)\n\n\n"
                                 "def shout(text):\n    return text.upper()\n")
    (pkg / "text.py").write_text("def shout(text):\n    return text.upper()\n")
    views = pkg / "views.py"
    views.write_text(VIEWS)
    return views


def calls_in(tree: ast.Module, name: str) -> ast.Call:
    return next(n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "id", "") == name)


def test_helper_is_a_candidate_sink_only_if_its_module_names_one(tmp_path: Path) -> None:
    views = make_shop(tmp_path)
    source = VIEWS.replace("from shop.util import run, shout", "from shop.util import run\nfrom shop.text import shout")
    views.write_text(source)
    tree = ast.parse(source)
    ctx = ModuleContext(tree, source.splitlines(True), str(views))
    handler = next(n for n in tree.body if isinstance(n, ast.FunctionDef))
    scopes = (handler,)
    assert ctx.taint.could_sink(calls_in(tree, "run"), scopes, "command")  # util.py calls os.system
    assert not ctx.taint.could_sink(calls_in(tree, "run"), scopes, "xss")
    assert not ctx.taint.could_sink(calls_in(tree, "shout"), scopes, "command")  # text.py names no sink
    ctx.close()


def test_helper_summaries_outlive_the_parsed_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    views = make_shop(tmp_path)
    expected = [(10, 4, "SEC012")]
    assert lint(VIEWS, select="SEC012", filename=str(views)) == expected
    parsed: list[str] = []
    real_parse = ast.parse

    def counting_parse(source: str, filename: str = "<unknown>", *args: object, **kwargs: object) -> ast.AST:
        parsed.append(filename)
        return real_parse(source, filename, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(context.ast, "parse", counting_parse)
    context._PROJECT_CONTEXTS.clear()  # as if other modules had pushed util.py out
    assert lint(VIEWS, select="SEC012", filename=str(views)) == expected
    assert str(tmp_path / "shop" / "util.py") not in parsed


def test_a_remembered_helper_keeps_its_parameters_not_its_body(tmp_path: Path) -> None:
    views = make_shop(tmp_path)
    assert lint(VIEWS, select="SEC012", filename=str(views)) == [(10, 4, "SEC012")]
    helpers = [h for h in context._PROJECT_HELPERS.values()
               if h is not None and h.module == "shop.util" and h.root == str(tmp_path)]  # not an earlier test's shop
    assert {h.func.name for h in helpers} >= {"run"}
    for helper in helpers:
        assert helper.func.body == [] and helper.func.decorator_list == []
        assert [a.arg for a in helper.func.args.args] in (["cmd"], ["text"])


def test_signature_keeps_every_kind_of_parameter() -> None:
    func = ast.parse("def f(a, /, b: int = 1, *rest, c, d=2, **extra) -> str:\n    return a\n").body[0]
    assert isinstance(func, ast.FunctionDef)
    stub = context.signature(func)
    assert (stub.name, stub.lineno, stub.body) == ("f", 1, [])
    args = stub.args
    assert [a.arg for a in args.posonlyargs] == ["a"] and [a.arg for a in args.args] == ["b"]
    assert [a.arg for a in args.kwonlyargs] == ["c", "d"]
    assert args.vararg is not None and args.vararg.arg == "rest"
    assert args.kwarg is not None and args.kwarg.arg == "extra"
    assert all(a.annotation is None for a in args.args)
