"""The gate before taint: which functions can hold request data at all."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest

from flake8_secure.analysis import context
from flake8_secure.analysis.context import ModuleContext
from flake8_secure.analysis.seeds import EXCEPTION, REQUEST, Seeds
from flake8_secure.settings import Settings
from tests.helpers import lint

HELPER = textwrap.dedent(
    """
    import os
    from flask import request


    def run_requested_command():
        os.system(request.args["cmd"])
    """
).lstrip("\n")


def shop(tmp_path: Path, files: dict[str, str]) -> Path:
    """A package ``shop`` under ``tmp_path`` holding ``files`` (relative
    paths; every directory gets an empty ``__init__.py``)."""
    pkg = tmp_path / "shop"
    for name, text in {"__init__.py": "", **files}.items():
        path = pkg / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if not (path.parent / "__init__.py").exists():
            (path.parent / "__init__.py").write_text("")
        path.write_text(text)
    return pkg


def test_request_proxy_outside_a_handler_opens_the_gate() -> None:
    assert lint(HELPER, select="SEC012") == [(6, 4, "SEC012")]


def test_request_proxy_outside_a_handler_in_a_package(tmp_path: Path) -> None:
    """An absolute import in a package's module is not resolved against the package."""
    pkg = tmp_path / "shop"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    module = pkg / "admin.py"
    module.write_text(HELPER)
    assert lint(HELPER, select="SEC012", filename=str(module)) == [(6, 4, "SEC012")]


def test_function_without_request_data_stays_quiet() -> None:
    source = "import os\n\n\ndef run(cmd):\n    os.system(cmd)\n"
    assert lint(source, select="SEC012") == []


def seeds_of(source: str, filename: str = "views.py") -> tuple[Seeds, dict[str, ast.FunctionDef]]:
    tree = ast.parse(source)
    ctx = ModuleContext(tree, source.splitlines(True), filename)
    functions = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
    return ctx.taint.seeds, functions


def test_callers_of_a_handler_receive_only_what_it_sources() -> None:
    """A Django view's ``request`` parameter is request data in its own flow,
    not in a function that calls it with its own arguments."""
    seeds, functions = seeds_of(textwrap.dedent("""
        from django.http import HttpResponse


        def greeting(request):
            return HttpResponse("hello " + request.GET["name"])


        def warm_cache(fake):
            return greeting(fake)
        """))
    assert seeds.may_carry((functions["greeting"],), exception=False)
    assert not seeds.may_carry((functions["warm_cache"],), exception=False)
    assert seeds.function_flags(functions["greeting"]) == 0


def test_callers_of_a_source_reader_carry_its_data() -> None:
    seeds, functions = seeds_of(textwrap.dedent("""
        from flask import request


        def search_term():
            return request.args["q"]


        def log_search():
            return search_term()
        """))
    assert seeds.may_carry((functions["log_search"],), exception=False)
    assert seeds.function_flags(functions["search_term"]) == REQUEST


def test_helpers_followed_through_a_chain_of_project_modules(tmp_path: Path) -> None:
    """Three imports deep, a helper that reads no request data lets its
    caller skip the flow; one that does still opens the gate."""
    pkg = tmp_path / "shop"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "d.py").write_text("from flask import request\n\n\ndef term():\n    return request.args['q']\n\n\n"
                              "def constant():\n    return 'request'\n")
    (pkg / "c.py").write_text("from shop.d import constant, term\n\n\ndef c_term():\n    return term()\n\n\n"
                              "def c_constant():\n    return constant()\n")
    (pkg / "b.py").write_text("from shop.c import c_constant, c_term\n\n\ndef b_term():\n    return c_term()\n\n\n"
                              "def b_constant():\n    return c_constant()\n")
    source = ("import os\n\nfrom shop.b import b_constant, b_term\n\n\n"
              "def run_term():\n    os.system(b_term())\n\n\ndef run_constant():\n    os.system(b_constant())\n")
    module = pkg / "jobs.py"
    module.write_text(source)
    seeds_and_functions = seeds_of(source, str(module))
    seeds, functions = seeds_and_functions
    assert seeds.may_carry((functions["run_term"],), exception=False)
    assert not seeds.may_carry((functions["run_constant"],), exception=False)
    assert lint(source, select="SEC012", filename=str(module)) == [(7, 4, "SEC012")]


def test_exception_logged_or_reraised_stays_in_the_helper() -> None:
    seeds, functions = seeds_of(textwrap.dedent("""
        import logging
        import sys

        from flask import jsonify

        log = logging.getLogger(__name__)


        def load(path):
            try:
                return open(path).read()
            except OSError as exc:
                log.warning("cannot read %s: %s", path, exc)
                raise RuntimeError("unreadable") from exc


        def describe(path):
            try:
                return open(path).read()
            except OSError as exc:
                return f"cannot read: {exc}"


        def arguments():
            return sys.argv[1:]


        def last_error():
            return sys.exc_info()[1]
        """))
    assert seeds.may_carry((functions["load"],), exception=True)  # its own flow still sees `exc`
    assert seeds.function_flags(functions["load"]) == 0
    assert seeds.function_flags(functions["describe"]) & EXCEPTION
    assert seeds.function_flags(functions["arguments"]) == 0  # sys.argv is no exception source
    assert seeds.function_flags(functions["last_error"]) & EXCEPTION


def test_import_cycle_does_not_hide_a_source(tmp_path: Path) -> None:
    """a_helper -> b_helper -> a_helper is a cycle; a_helper also returns
    request data from a third module.  Working out a_helper must not leave
    b_helper's flags cached as "returns nothing" (it returns a_helper's
    result).  (The finding at b_helper's callers is still missed when
    b_helper's summary was computed inside a_helper's: see issue notes.)"""
    pkg = shop(tmp_path, {
        "src.py": "from flask import request\n\n\ndef term():\n    return request.args['q']\n",
        "a.py": "from shop.b import b_helper\nfrom shop.src import term\n\n\n"
                "def a_helper(again=False):\n    if again:\n        return b_helper()\n    return term()\n",
        "b.py": "from shop.a import a_helper\n\n\ndef b_helper():\n    return a_helper(True)\n",
    })
    first = "import os\n\nfrom shop.a import a_helper\n\n\ndef run():\n    os.system(a_helper())\n"
    second = "import os\n\nfrom shop.b import b_helper\n\n\ndef run():\n    os.system(b_helper())\n"
    (pkg / "jobs1.py").write_text(first)
    (pkg / "jobs2.py").write_text(second)
    assert lint(first, select="SEC012", filename=str(pkg / "jobs1.py")) == [(7, 4, "SEC012")]
    tree = ast.parse(second)
    ctx = ModuleContext(tree, second.splitlines(True), str(pkg / "jobs2.py"))
    run = next(n for n in tree.body if isinstance(n, ast.FunctionDef))
    assert ctx.taint.seeds.may_carry((run,), exception=False)  # the gate stays open for b_helper's callers
    ctx.close()


WRAPPERS = textwrap.dedent(
    """
    from os import system as run_shell
    from flask import Flask, request

    app = Flask(__name__)


    def shout(text):
        return text.upper()


    def run(cmd):
        run_shell(cmd)


    def deploy(cmd):
        run(cmd)


    @app.route("/x")
    def view():
        deploy(request.args["cmd"])
        return shout(request.args["name"])
    """
).lstrip("\n")


def test_sinks_a_function_may_run_through_aliases_and_its_callees() -> None:
    seeds, functions = seeds_of(WRAPPERS)
    assert "command" in (seeds.sink_categories(functions["run"]) or ())  # `run_shell` is os.system
    assert "command" in (seeds.sink_categories(functions["deploy"]) or ())  # through run()
    assert seeds.sink_categories(functions["shout"]) == frozenset()  # `.upper()` is no sink


def test_a_helper_without_a_sink_gets_no_flow() -> None:
    tree = ast.parse(WRAPPERS)
    ctx = ModuleContext(tree, WRAPPERS.splitlines(True), "views.py")
    shout = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "shout")
    assert ctx.taint.sink_summary(shout, "xss", ctx._summary_flow) == []
    assert id(shout) not in ctx.taint._summary_flows  # decided from its syntax, no flow built
    assert lint(WRAPPERS, select="SEC012") == [(21, 4, "SEC012")]  # the wrapper chain is still followed
    ctx.close()


def test_only_the_function_asked_about_and_its_callees_are_scanned() -> None:
    source = WRAPPERS + textwrap.dedent(
        """

        def unrelated():
            return shout("quiet")


        def reads_request_too():
            return request.args["x"]
        """
    )
    seeds, functions = seeds_of(source)
    assert seeds.function_flags(functions["deploy"]) == 0
    assert "command" in (seeds.sink_categories(functions["deploy"]) or ())
    scanned = {name for name, func in functions.items() if id(func) in seeds._own}
    assert scanned == {"deploy", "run"}  # not shout, view, unrelated or reads_request_too
    assert seeds.function_flags(functions["reads_request_too"]) == REQUEST
    assert seeds.function_flags(functions["unrelated"]) == 0


def test_a_call_of_a_module_function_is_a_candidate_only_for_the_sinks_it_may_run() -> None:
    tree = ast.parse(WRAPPERS)
    ctx = ModuleContext(tree, WRAPPERS.splitlines(True), "views.py")
    view = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "view")
    calls = {n.func.id: n for n in ast.walk(view) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
    scopes = (view,)
    assert ctx.taint.could_sink(calls["deploy"], scopes, "command")
    assert not ctx.taint.could_sink(calls["deploy"], scopes, "xss")
    assert not ctx.taint.could_sink(calls["shout"], scopes, "command")
    assert ctx.taint.could_sink(calls["shout"], scopes, None)  # the gate: no scan for it
    ctx.close()


REPORTS = textwrap.dedent(
    """
    import traceback


    def summary(rows):
        return {"count": len(rows), "detail": traceback.format_exc()}


    def build(rows):
        return summary(rows)
    """
).lstrip("\n")


def test_no_scan_for_sinks_the_module_never_names() -> None:
    """A module function can run only the sinks whose names the module's
    text spells out (an alias's import spells out the name it stands for)."""
    tree = ast.parse(REPORTS)
    ctx = ModuleContext(tree, REPORTS.splitlines(True), "reports.py")
    build = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "build")
    call = next(n for n in ast.walk(build) if isinstance(n, ast.Call))
    assert ctx.taint.sink_categories_of(call, (build,), ("exception",)) == frozenset()
    assert not ctx.taint.could_sink(call, (build,), "exception")
    assert ctx.taint.seeds._own == {}  # answered from the text: nothing scanned
    ctx.close()
    aliased = REPORTS.replace("import traceback\n", "import traceback\nfrom django.http import JsonResponse as R\n")
    aliased = aliased.replace('return {"count"', 'return R({"count"').replace("format_exc()}", "format_exc()})")
    assert lint(aliased, select="SEC020") == [(6, 11, "SEC020")]
    tree = ast.parse(aliased)
    ctx = ModuleContext(tree, aliased.splitlines(True), "reports.py")
    build = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "build")
    call = next(n for n in ast.walk(build) if isinstance(n, ast.Call))
    assert ctx.taint.sink_categories_of(call, (build,), ("exception",)) == {"exception"}
    ctx.close()


def shop_with_proxy_three_imports_away(tmp_path: Path) -> Path:
    return shop(tmp_path, {
        "api/params.py": "from flask import request as current\n\n\ndef term():\n    return current.args['q']\n",
        "api/forms.py": "from .params import term\n\n\ndef field():\n    return term()\n",
        "views.py": "from shop.api.forms import (\n    field,  # the form helpers\n)\n\n\ndef value():\n    return field()\n",
        "maths.py": "import os\nfrom shop.units import scale\n\n\ndef double(x):\n    return scale(x, 2)\n",
        "units.py": "import shop.maths\n\n\ndef scale(x, k):\n    return x * k\n",
    })


def test_request_data_reachable_through_project_imports_is_read_from_text(tmp_path: Path) -> None:
    """A helper can source request data only if its module, or a project
    module its imports reach (relative, parenthesised, cyclic), imports a
    request proxy's package."""
    pkg = shop_with_proxy_three_imports_away(tmp_path)
    source = "from shop.views import value\nfrom shop.maths import double\n"
    (pkg / "jobs.py").write_text(source)
    ctx = ModuleContext(ast.parse(source), source.splitlines(True), str(pkg / "jobs.py"))
    assert ctx._request_reachable("shop.views")  # views -> api.forms -> api.params -> flask
    assert ctx._request_reachable("shop.api.forms")
    assert not ctx._request_reachable("shop.maths")  # maths <-> units: a cycle, no proxy
    assert not ctx._request_reachable("shop.units")
    ctx.close()


def test_a_helper_whose_imports_reach_no_request_proxy_is_not_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pkg = shop_with_proxy_three_imports_away(tmp_path)
    source = ("import os\n\nfrom shop.maths import double\nfrom shop.views import value\n\n\n"
              "def run_double(n):\n    os.system(double(n))\n\n\n"
              "def run_value():\n    os.system(value())\n")
    module = pkg / "jobs.py"
    module.write_text(source)
    parsed: list[str] = []
    original = context.function_context

    def recording(root: str, name: str, *args: object) -> object:
        parsed.append(name)
        return original(root, name, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(context, "function_context", recording)
    seeds, functions = seeds_of(source, str(module))
    assert not seeds.may_carry((functions["run_double"],), exception=False)
    assert parsed == []  # shop.maths and what it imports name no request proxy: answered from text
    assert seeds.may_carry((functions["run_value"],), exception=False)
    assert "shop.views" in parsed
    assert lint(source, select="SEC012", filename=str(module)) == [(12, 4, "SEC012")]


def test_a_teams_extra_source_counts_as_a_proxy(tmp_path: Path) -> None:
    pkg = shop(tmp_path, {
        "http.py": "def current_params():\n    return {}\n",
        "search.py": "from shop.http import current_params as params\n\n\ndef term():\n    return params()['q']\n",
    })
    source = "import os\n\nfrom shop.search import term\n\n\ndef run():\n    os.system(term())\n"
    module = pkg / "jobs.py"
    module.write_text(source)
    for extra, expected in ((frozenset(), False), (frozenset({"shop.http.current_params"}), True)):
        tree = ast.parse(source)
        ctx = ModuleContext(tree, source.splitlines(True), str(module), Settings(extra_sources=extra))
        run = next(n for n in tree.body if isinstance(n, ast.FunctionDef))
        assert ctx._request_reachable("shop.search") is expected
        assert ctx.taint.seeds.may_carry((run,), exception=False) is expected
        ctx.close()


@pytest.mark.parametrize(("util", "reported"), [
    # A comment ending in a backslash right above the import.
    ("# Reads the command from the query string, e.g. ?cmd=dir C:\\\nfrom flask import request\n", True),
    # Imports in one-line compound statements.
    ("try: from flask import request\nexcept ImportError: request = None\n", True),
    ("x = 1; import flask\nrequest = flask.request\n", False),  # a module-level alias: not followed (yet)
    # A continued import statement, CRLF line endings.
    ("from flask \\\r\n    import request\r\n", True),
    # The proxy one helper further, imported after such a comment.
    ("# see C:\\\nfrom .web import get_arg\nrequest = None\n", True),
    # A module of the package, imported from the package among other names.
    ("from shop import (\n    VERSION,\n    web,  # the helpers\n)\nrequest = None\n", False),
], ids=["comment-backslash", "try-one-line", "semicolon", "crlf-continuation", "chain-after-comment",
        "submodule-from-package"])
def test_request_proxy_imports_are_found_whatever_their_layout(tmp_path: Path, util: str, reported: bool) -> None:
    returned = "get_arg()" if "get_arg" in util else "request.args['cmd']"
    pkg = shop(tmp_path, {
        "web.py": "from flask import request\n\n\ndef get_arg():\n    return request.args['cmd']\n",
        "util.py": f"{util}\n\ndef get_cmd():\n    return {returned}\n",
    })
    source = "import os\n\nfrom shop.util import get_cmd\n\n\ndef go():\n    os.system(get_cmd())\n"
    (pkg / "run.py").write_text(source)
    tree = ast.parse(source)
    ctx = ModuleContext(tree, source.splitlines(True), str(pkg / "run.py"))
    assert ctx._request_reachable("shop.util")
    ctx.close()
    found = lint(source, select="SEC012", filename=str(pkg / "run.py"))
    assert found == ([(7, 4, "SEC012")] if reported else [])


def test_a_proxy_named_only_in_comments_and_strings_is_no_import(tmp_path: Path) -> None:
    pkg = shop(tmp_path, {"util.py": '"""Like flask.request, but for jobs."""\n# not werkzeug\n\n\n'
                                     "def get_cmd():\n    return 'ls'\n"})
    source = "from shop.util import get_cmd\n"
    (pkg / "run.py").write_text(source)
    ctx = ModuleContext(ast.parse(source), source.splitlines(True), str(pkg / "run.py"))
    assert not ctx._request_reachable("shop.util")
    ctx.close()


VIEWS = textwrap.dedent(
    """
    from django.http import HttpResponse
    from shop.units import scale


    def order_total(request):
        return HttpResponse(scale(request.GET["n"], 2))


    def report(rows):
        return HttpResponse(len(rows))


    def register(router):
        if router:
            class Hooks:
                def refund(request):
                    return HttpResponse(request.POST["amount"])
            router.add(Hooks)


    ROUTES = [report(())]
    """
).lstrip("\n")


def test_without_a_request_source_in_reach_only_handlers_carry_request_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No name bound to a request proxy, no project helper whose imports
    reach one: a function's values carry request data only as a handler's
    parameters (its own, or a nested handler's), known without a scan."""
    pkg = shop(tmp_path, {"units.py": "def scale(x, k):\n    return x * k\n"})
    (pkg / "views.py").write_text(VIEWS)
    scanned: list[str] = []
    original = Seeds._scan

    def recording(self: Seeds, func: ast.FunctionDef, *args: object) -> object:
        scanned.append(func.name)
        return original(self, func, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(Seeds, "_scan", recording)
    seeds, functions = seeds_of(VIEWS, str(pkg / "views.py"))
    assert not seeds.request_free((functions["order_total"],))  # a Django view
    assert seeds.request_free((functions["report"],))
    assert not seeds.request_free((functions["register"],))  # holds a view, two levels down
    assert not seeds.request_free(())  # the module's own code: some function handles requests
    assert [seeds.may_carry((functions[name],), exception=False) for name in ("order_total", "report")] \
        == [True, False]
    assert scanned == []


def test_a_helper_imported_only_in_the_unsaved_text_still_opens_the_gate(tmp_path: Path) -> None:
    """The imports that decide are those of the text being linted (an
    editor's buffer), not of the file on disk."""
    pkg = shop(tmp_path, {"web.py": "from flask import request\n\n\ndef get_arg():\n    return request.args['cmd']\n"})
    module = pkg / "jobs.py"
    module.write_text("import os\n")
    source = "import os\n\nfrom shop.web import get_arg\n\n\ndef go():\n    os.system(get_arg())\n"
    seeds, functions = seeds_of(source, str(module))
    assert not seeds.request_free((functions["go"],))
    assert lint(source, select="SEC012", filename=str(module)) == [(7, 4, "SEC012")]


def request_answers(source: str, filename: str, scan: bool) -> list[bool]:
    """``may_carry(..., exception=False)`` at every call of ``source``; with
    ``scan``, always from the scan (as if the module sourced request data)."""
    from flake8_secure.plugin import walk

    tree = ast.parse(source)
    ctx = ModuleContext(tree, source.splitlines(True), filename)
    seeds = ctx.taint.seeds
    if scan:
        seeds._request_sources = True
    found = [seeds.may_carry(scopes, exception=False) for node, scopes, _ in walk(tree) if isinstance(node, ast.Call)]
    if not scan:
        found.append(not seeds._sources_request())  # whether the answers were the quick ones
    ctx.close()
    return found


def test_the_quick_request_answer_matches_the_scan() -> None:
    """Wherever the module sources no request data, the answer without a
    scan is the scan's, at every call of the rule cases and fixture apps."""
    from tests.test_prefilters import FIXTURES, rule_cases

    sources = [(VIEWS, "views.py")] + [(c.source, "example.py") for c in rule_cases()] + [
        (p.read_text(encoding="utf-8"), str(p)) for p in FIXTURES]
    asked = carried = 0
    for source, filename in sources:
        quick = request_answers(source, filename, scan=False)
        if quick.pop():
            assert quick == request_answers(source, filename, scan=True), filename
            asked += len(quick)
            carried += sum(quick)
    assert asked > 1000 and 100 < carried < asked - 100


@pytest.mark.parametrize("text", [
    "",
    "x = 1\n",
    "import os\nfrom . import views\n",
    '"""Read importlib docs."""\nimport importlib\nvalue = "import"\n',
    "from flask \\\n    import request\n",
    "from flask \\\r\n    import request\r\n",
    "from a.b \\\n  \\\n  import (c,  # the c\n  d)\n",
    "try: from flask import request\nexcept ImportError: request = None\n",
    "x = 1; import flask\n",
    "# see C:\\\nfrom .web import get_arg\n",
    "def f():\n    from .util import (\n        a,\n        b,\n    )\n    return a\nreimport = 1\n",
    "print('no statement here: import')\n" * 3 + "import json\n",
], ids=lambda t: repr(t[:24]))
def test_import_statements_are_those_the_pattern_finds(text: str) -> None:
    found = [(m.span(), m.groups()) for m in context.import_statements(text)]
    assert found == [(m.span(), m.groups()) for m in context._IMPORT_STMT.finditer(text)]


def test_an_unclosed_bracket_in_text_hides_no_import_statement(tmp_path: Path) -> None:
    """A docstring's ``from x import (y`` runs on to the next ``)``: the
    statements it runs over are still read, and the helper they import
    still carries request data to the caller's sink."""
    text = '"""Use as: from shop.other import (x"""\nfrom shop.web import get_arg\n\n\ndef cmd():\n    return get_arg()\n'
    modules = [m["module"] for m in context.import_statements(text)]
    assert modules == ["shop.other", "shop.web"]
    assert [m["module"] for m in context._IMPORT_STMT.finditer(text)] == ["shop.other"]  # the pattern alone
    pkg = shop(tmp_path, {"web.py": "from flask import request\n\n\ndef get_arg():\n    return request.args['cmd']\n",
                          "util.py": text})
    source = "import os\n\nfrom shop.util import cmd\n\n\ndef go():\n    os.system(cmd())\n"
    (pkg / "run.py").write_text(source)
    assert lint(source, select="SEC012", filename=str(pkg / "run.py")) == [(7, 4, "SEC012")]


def test_reading_import_statements_stays_linear_on_hostile_text() -> None:
    """An unclosed bracket followed by comment lines made the pattern try
    every way of splitting the comments (seconds at six lines, and doubling
    with each); a match restarts only on the lines it spans."""
    comments = "# from x import (\n" + "# comment line\n" * 40
    assert [m["module"] for m in context.import_statements(comments)] == ["x"]
    one_line = "from x import (" * 3000
    assert len(context.import_statements(one_line)) == 1


def test_a_new_run_reads_the_project_again(tmp_path: Path) -> None:
    """What was learnt of the project's files (here: that no helper module
    can reach a request proxy) lasts one flake8 run: an editor's server
    that lints again after a helper changed sees the change."""
    import argparse

    from flake8_secure.plugin import Checker

    pkg = shop(tmp_path, {"util.py": "def get_cmd():\n    return 'ls'\n"})
    source = "import os\n\nfrom shop.util import get_cmd\n\n\ndef go():\n    os.system(get_cmd())\n"
    (pkg / "run.py").write_text(source)
    assert lint(source, select="SEC012", filename=str(pkg / "run.py")) == []
    (pkg / "util.py").write_text("from flask import request\n\n\ndef get_cmd():\n    return request.args['cmd']\n")
    assert lint(source, select="SEC012", filename=str(pkg / "run.py")) == []  # the same run: as first read
    settings = Checker.settings
    try:
        Checker.parse_options(argparse.Namespace())  # what flake8 does at the start of each run
    finally:
        Checker.settings = settings
    assert lint(source, select="SEC012", filename=str(pkg / "run.py")) == [(7, 4, "SEC012")]
