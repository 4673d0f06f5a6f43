"""Module skeletons: a project helper's module cut down to what the helper
can reach, parsed instead of the whole module to learn what it returns."""

from __future__ import annotations

import ast
import random
import sys
import textwrap
import warnings
from pathlib import Path

import hypothesmith
import pytest
from hypothesis import assume, given, settings

from flake8_secure.analysis import context
from flake8_secure.analysis.context import ModuleContext
from flake8_secure.analysis.seeds import REQUEST
from flake8_secure.analysis.skeleton import Outline

pytestmark = pytest.mark.filterwarnings("ignore::SyntaxWarning")

UTIL = textwrap.dedent(
    '''
    """Helpers.

    Column-0 text in the module docstring.
    """
    from flask import request

    from shop import formats

    DEFAULT = "x"


    @formats.register(
        "json",
    )
    def search_term(
        default=DEFAULT,
    ) -> str:
        return _clean(request.args.get("q", default))


    def _clean(text):
        return text.strip()


    class Basket:
        def total(self):
            return sum(self.items)


    def unrelated():
        """Column-0 text in a docstring:
    like this."""
        return Basket().total()
    '''
).lstrip("\n")


def kept_names(cut: tuple[ast.Module, list[str]]) -> set[str]:
    return {s.name for s in cut[0].body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}


def test_keeps_the_function_what_it_calls_and_the_module_code() -> None:
    cut = Outline(UTIL).skeleton("search_term")
    assert cut is not None
    tree, lines = cut
    assert kept_names(cut) == {"search_term", "_clean"}
    assert len(lines) == len(UTIL.splitlines())  # blanked, not removed: same line numbers
    full = ast.parse(UTIL)
    original = next(s for s in full.body if getattr(s, "name", "") == "search_term")
    kept = next(s for s in tree.body if getattr(s, "name", "") == "search_term")
    assert ast.dump(kept, include_attributes=True) == ast.dump(original, include_attributes=True)
    assert any(isinstance(s, ast.Assign) for s in tree.body)  # DEFAULT stays
    assert "Basket" not in "".join(lines)


def test_a_class_a_function_calls_is_kept_whole() -> None:
    cut = Outline(UTIL).skeleton("unrelated")
    assert cut is not None
    assert kept_names(cut) == {"unrelated", "Basket"}


def test_only_functions_are_cut_for() -> None:
    outline = Outline(UTIL)
    assert outline.defines_function("search_term")
    assert not outline.defines_function("Basket")  # a class: no helper flags to learn
    assert not outline.defines_function("DEFAULT")
    assert outline.skeleton("missing") is None


def test_a_def_line_inside_a_string_is_not_trusted() -> None:
    source = 'def report():\n    return """\ndef fake():\n    pass\n"""\n\n\ndef other():\n    return 1\n'
    outline = Outline(source)
    # "def fake" starts inside report's string: it is joined to report, and
    # a question about "fake" is left to the whole module's parse.
    assert outline.defines_function("fake") is None
    cut = outline.skeleton("report")
    assert cut is not None and kept_names(cut) == {"report"}
    same_definitions(source)
    # A string that opens in a decorator: the def inside it is no definition.
    source = "@d(\'\'\'\ndef b():\n\'\'\')\ndef a():\n    pass\n\n\ndef b():\n    pass\n"
    same_definitions(source)
    cut = Outline(source).skeleton("a")
    assert cut is None or ast.dump(cut[0].body[0]) == ast.dump(ast.parse(source).body[0])


def test_a_phantom_def_in_a_docstring_is_not_the_helper() -> None:
    """A sanitiser written in a docstring must not stand for the module's
    real ``clean`` (a lambda): no skeleton may hold it."""
    source = textwrap.dedent(
        '''
        def sample():
            """Write your own cleaner, e.g.:

        def clean(value):
            return int(value)
            """


        clean = lambda value: value
        '''
    ).lstrip("\n")
    assert Outline(source).defines_function("clean") is None


def test_what_a_skeleton_must_keep() -> None:
    # A `global` in a function rebinds a module name others read: kept.
    source = "ESCAPE = True\n\n\ndef enable_raw():\n    global ESCAPE\n    ESCAPE = False\n\n\n" \
             "def term(q):\n    return q if ESCAPE else int(q)\n"
    cut = Outline(source).skeleton("term", calls_only=True)
    assert cut is not None and kept_names(cut) == {"term", "enable_raw"}
    # A call with a comment before its bracket; non-ASCII names.
    source = "def term():\n    return str(_leer  # the raw value\n               ())\n\n\n" \
             "def _leer():\n    return 1\n\n\ndef término():\n    return leer_ñ()\n\n\n" \
             "def leer_ñ():\n    return 2\n"
    outline = Outline(source)
    cut = outline.skeleton("term", calls_only=True)
    assert cut is not None and kept_names(cut) == {"term", "_leer"}
    assert outline.defines_function("término")
    cut = outline.skeleton("término", calls_only=True)
    assert cut is not None and kept_names(cut) == {"término", "leer_ñ"}
    # A name before a long comment of many "#": one way to read it, not 2^n.
    cut = Outline("def f():\n    return x  " + "# " * 60 + "\n").skeleton("f", calls_only=True)
    assert cut is not None


def test_definitions_reached_are_parsed_on_their_own_or_not_at_all() -> None:
    outline = Outline(UTIL)
    reached = outline.definitions_reached("unrelated")
    assert reached is not None and [s.name for s in reached] == ["Basket", "unrelated"]  # called, kept whole
    assert [s.name for s in outline.definitions_reached("search_term") or ()] == ["search_term", "_clean"]
    # A quote the outline miscounts joins f, g and h into one chunk: its
    # text is three definitions, not the one named f.
    source = "def f():\n    return '\"\"\"'\n\n\ndef g():\n    return 1\n\n\ndef h():\n    return f()\n"
    assert [c.name for c in Outline(source).chunks] == ["f"]
    assert Outline(source).definitions_reached("f") is None


def test_module_code_reaching_a_function_keeps_it() -> None:
    source = "from flask import Flask\n\n\ndef make():\n    return Flask(__name__)\n\n\napp = make()\n\n\n" \
             "def view():\n    return 1\n\n\ndef idle():\n    return 2\n"
    cut = Outline(source).skeleton("view")
    assert cut is not None
    assert kept_names(cut) == {"view", "make"}


def same_definitions(source: str, limit: int = 1000) -> None:
    """Every cut the outline accepts keeps its definitions exactly as the
    whole module's parse has them (for the first ``limit`` functions)."""
    full = ast.parse(source)
    expected = {
        (s.lineno, s.name): ast.dump(s, include_attributes=True)
        for s in full.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
    }
    by_name: dict[str, set[str]] = {}
    for s in full.body:
        if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            by_name.setdefault(s.name, set()).add(ast.dump(s))
    outline = Outline(source)
    for name in sorted({c.name for c in outline.chunks if c.function and c.name})[:limit]:
        # The definitions a call runs, parsed on their own: the module's own (lines aside).
        for stmt in outline.definitions_reached(name) or ():
            assert ast.dump(stmt) in by_name.get(stmt.name, ()), (name, stmt.name)
        cut = outline.skeleton(name)
        if cut is None:
            continue
        for stmt in cut[0].body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                assert expected.get((stmt.lineno, stmt.name)) == ast.dump(stmt, include_attributes=True)


@settings(max_examples=50)  # hypothesmith is slow; test_properties runs it at length
@given(hypothesmith.from_grammar())
def test_cuts_of_generated_modules_are_exact(source: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            ast.parse(source)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            assume(False)
        same_definitions(source)


def test_cuts_of_real_modules_are_exact_and_mostly_accepted() -> None:
    stdlib = Path(ast.__file__).parent
    files = sorted(p for p in stdlib.glob("*.py") if p.stat().st_size < 200_000)
    accepted = refused = 0
    for path in random.Random(8).sample(files, 30):
        source = path.read_text(encoding="utf-8")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            same_definitions(source, limit=8)
            outline = Outline(source)
            for name in sorted({c.name for c in outline.chunks if c.function and c.name})[:8]:
                if outline.skeleton(name) is None:
                    refused += 1
                else:
                    accepted += 1
    assert accepted > 9 * refused, (accepted, refused, sys.version)


def test_helper_flags_come_from_the_skeleton_not_a_whole_parse(tmp_path: Path) -> None:
    pkg = tmp_path / "shop"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "formats.py").write_text("def register(name):\n    return lambda f: f\n")
    (pkg / "util.py").write_text(UTIL)
    source = "from shop.util import search_term, unrelated\n\n\ndef page(cur):\n" \
             "    cur.execute(search_term())\n    cur.execute(unrelated())\n"
    views = pkg / "views.py"
    views.write_text(source)
    context.forget_run()
    tree = ast.parse(source)
    ctx = ModuleContext(tree, source.splitlines(True), str(views))
    assert ctx.taint.seeds.function_flags(tree.body[1]) & REQUEST  # through search_term and _clean
    assert context._PROJECT_FLAGS[(str(tmp_path), "shop.util.search_term")] == REQUEST  # from its skeleton
    # Asked about exception details only: proved absent from the definitions it runs, without a skeleton.
    assert (str(tmp_path), "shop.util.unrelated") in context._EXCEPTION_FREE
    assert (str(tmp_path), "shop.util.unrelated") not in context._PROJECT_FLAGS
    assert not any("util.py" in key[0] for key in context._PROJECT_CONTEXTS)  # never parsed whole
    ctx.close()


def test_helper_context_is_the_skeleton_with_the_whole_text(tmp_path: Path) -> None:
    pkg = tmp_path / "shop"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "util.py").write_text(UTIL)
    context._PROJECT_CONTEXTS.clear()
    context._FUNCTION_CONTEXTS.clear()
    found = context.function_context(str(tmp_path), "shop.util", "search_term", None, calls_only=False)
    assert found is not None
    assert set(found.taint.functions()) == {"search_term", "_clean"}
    assert "".join(found.lines) == UTIL  # a `global` anywhere in it still counts; astroid sees it all
    assert context.function_context(str(tmp_path), "shop.util", "search_term", None, calls_only=False) is found
    assert context.function_context(str(tmp_path), "shop.util", "Basket", None, calls_only=False) is None


def test_warnings_of_other_modules_are_not_shown(tmp_path: Path) -> None:
    """Parsing a helper's module must not print its invalid escape sequences
    (a SyntaxWarning on Python 3.12+) into the user's lint output."""
    pkg = tmp_path / "shop"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    source = 'import re\n\n\ndef digits(text):\n    return re.findall("\\d+", text)\n'
    (pkg / "util.py").write_text(source)
    context._PROJECT_CONTEXTS.clear()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a warning shown would raise here
        assert Outline(source).skeleton("digits") is not None
        assert context.project_context(str(tmp_path), "shop.util", None) is not None


SOURCES = textwrap.dedent(
    """
    import sys
    import traceback as tb
    from traceback import format_exc as fe
    from sys import exc_info
    from shop.errors import describe, quiet
    from . import errors


    def plain(text):
        return text.strip()


    def via_alias():
        return fe()


    def via_module():
        return tb.format_exc()


    def via_sys():
        return str(sys.exc_info()[1])


    def via_exc_info():
        return exc_info()


    def passes_sys():
        return repr(sys)


    def handler_escapes():
        try:
            plain(None)
        except ValueError as e:
            return str(e)


    def handler_logs():
        try:
            plain(None)
        except ValueError as e:
            log.warning("bad value: %s", e)
            raise
        return "ok"


    def calls_local():
        return via_alias()


    def calls_class():
        return Wrapper().text()


    class Wrapper:
        def text(self):
            try:
                return plain(None)
            except Exception as err:
                return f"{err}"


    def chained():
        return describe()


    def chained_quiet():
        return quiet() + plain("x")


    def nested():
        def inner():
            try:
                pass
            except KeyError as e:
                return e
        return inner()


    def local_import():
        from traceback import format_exc as grab
        return grab()


    def in_a_lambda():
        return (lambda: fe())()


    def through_errors_module():
        return errors.describe()
    """
).lstrip("\n")

ERRORS = "import traceback\n\n\ndef describe():\n    return traceback.format_exc()\n\n\n" \
         "def quiet():\n    return 'error'\n"


def exception_answers(root: Path, package: str, module: str, names: list[str]) -> dict[str, tuple[bool, bool]]:
    """Per function of ``module``: (proved free of exception details from
    text, its skeleton's seeds say it may return some)."""
    from flake8_secure.analysis.seeds import EXCEPTION

    probe = root / package / "__init__.py"
    found = {}
    for name in names:
        context.forget_run()
        ctx = ModuleContext(ast.parse(""), [], str(probe))
        free = ctx._exception_free(module, name)
        context.forget_run()
        other = context.function_context(str(root), module, name, None, calls_only=True)
        func = other.taint.functions().get(name) if other is not None else None
        skeleton = bool(func is not None and other is not None and other.taint.seeds.function_flags(func) & EXCEPTION)
        found[name] = (free, skeleton)
        ctx.close()
    return found


def test_helpers_proved_free_of_exception_details_without_a_skeleton(tmp_path: Path) -> None:
    pkg = tmp_path / "shop"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "errors.py").write_text(ERRORS)
    (pkg / "util.py").write_text(SOURCES)
    names = [s.name for s in ast.parse(SOURCES).body if isinstance(s, ast.FunctionDef)]
    answers = exception_answers(tmp_path, "shop", "shop.util", names)
    assert not any(free and skeleton for free, skeleton in answers.values()), answers
    assert {n for n, (free, _) in answers.items() if free} == {"plain", "handler_logs", "chained_quiet",
                                                               "through_errors_module"}
    # Each other one may return exception details, and its skeleton says so.
    assert {n for n, (_, skeleton) in answers.items() if not skeleton} == {
        "plain", "handler_logs", "chained_quiet", "through_errors_module"}
    context.forget_run()


def test_exception_proofs_agree_with_skeletons_on_real_code() -> None:
    """Every top-level function of this project's own modules: a text proof
    that it returns no exception details never contradicts its skeleton."""
    root = Path(context.__file__).resolve().parents[2]
    proved = 0
    for path in sorted((root / "flake8_secure").rglob("*.py")):
        module = ".".join(path.relative_to(root).with_suffix("").parts).removesuffix(".__init__")
        names = [s.name for s in ast.parse(path.read_text(encoding="utf-8")).body
                 if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))]
        for name, (free, skeleton) in exception_answers(root, "flake8_secure", module, names).items():
            assert not (free and skeleton), (module, name)
            proved += free
    assert proved > 100


@pytest.mark.parametrize("source", [
    # An alias on the next line of a bracketed import, or after a comment.
    "from traceback import (format_exc\n                       as fe)\n\n\ndef detail():\n    return fe()\n",
    "from traceback import (\n    format_exc as  # the text\n    fe,\n)\n\n\ndef detail():\n    return fe()\n",
    # Import-like text in a docstring, with an unclosed bracket, before the real import.
    '"""Helpers.  Use as: from app.errs import (detail"""\nimport traceback\n\n\n'
    "def detail():\n    return traceback.format_exc()\n",
    # A name Python normalises (NFKC): the alias is ``fe``.
    "from traceback import format_exc as \uff46\uff45\n\n\ndef detail():\n    return fe()\n",
    # Imported inside the function, or in the module's try block.
    "def detail():\n    from traceback import format_exc as grab\n    return grab()\n",
    "try:\n    import traceback as tb\nexcept ImportError:\n    tb = None\n\n\ndef detail():\n    return tb.format_exc()\n",
])
def test_imports_that_text_reads_badly_never_prove_a_helper_free(tmp_path: Path, source: str) -> None:
    """The names bound to ``traceback``/``sys`` come from the parsed import
    statements, however the text spells them."""
    pkg = tmp_path / "app"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "errs.py").write_text(source, encoding="utf-8")
    answers = exception_answers(tmp_path, "app", "app.errs", ["detail"])
    assert answers == {"detail": (False, True)}
    context.forget_run()


def test_a_star_import_leaves_a_helper_to_its_skeleton(tmp_path: Path) -> None:
    pkg = tmp_path / "app"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "errs.py").write_text("from os.path import *\n\n\ndef detail(p):\n    return basename(p)\n")
    assert exception_answers(tmp_path, "app", "app.errs", ["detail"]) == {"detail": (False, False)}
    context.forget_run()


def test_a_function_rebinding_module_names_leaves_helpers_to_their_skeleton(tmp_path: Path) -> None:
    """``global`` lets a function the helper never calls import into the
    module's names: the proof does not read such functions, so it gives up."""
    pkg = tmp_path / "app"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "errs.py").write_text(
        "def _setup():\n    global tb\n    import traceback as tb\n\n\n_setup()\n\n\n"
        "def detail():\n    return tb.format_exc()\n")
    assert exception_answers(tmp_path, "app", "app.errs", ["detail"]) == {"detail": (False, True)}
    context.forget_run()
