"""Constant folding, with astroid for what the ast cannot decide."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest

from flake8_secure.analysis.constants import UNKNOWN
from flake8_secure.analysis.context import ModuleContext
from tests.helpers import lint


def value_at_end(source: str, filename: str = "example.py") -> object:
    """Fold the expression of the last line, at module level or in the last function."""
    source = textwrap.dedent(source).lstrip("\n")
    tree = ast.parse(source)
    ctx = ModuleContext(tree, source.splitlines(keepends=True), filename)
    last = tree.body[-1]
    if isinstance(last, ast.FunctionDef):
        ctx.scopes = (last,)
        last = last.body[-1]
    ctx.statement = last
    assert isinstance(last, (ast.Expr, ast.Return)) and last.value is not None
    try:
        return ctx.const_value(last.value)
    finally:
        ctx.close()


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("'a' + 'b'", "ab"),
        ("'%s-%d' % ('x', 3)", "x-3"),
        ("X = 'users'\nf'SELECT * FROM {X}'", "SELECT * FROM users"),
        ("'{}.{}'.format('a', 'b')", "a.b"),
        ("', '.join(['a', 'b'])", "a, b"),
        ("COLS = ('a', 'b')\n', '.join(COLS)", "a, b"),
        ("DEBUG = False\nT = 'x' if DEBUG else 'y'\nT", "y"),
        ("if True:\n    T = 'a'\nelse:\n    T = 'b'\nT", "a"),
        ("import stat\nstat.S_IRWXU | stat.S_IRGRP", 0o740),
        ("M = 0o777\nM & ~0o022", 0o755),
        ("class C:\n    T = 'users'\nC.T", "users"),
        ("'users'.upper()", "USERS"),
        ("def f():\n    q = 'a'\n    q += 'b'\n    return q", "ab"),
        ("def f(x):\n    return x", UNKNOWN),
        ("X = 1\nX = 2\nX", 2),  # module code runs in order
        ("X = 1\nX = 2\ndef f():\n    return X", UNKNOWN),  # called later: either value
        ("X = input()\nX", UNKNOWN),
        ("def f():\n    global G\n    G = 'b'\nG = 'a'\ndef g():\n    return G", UNKNOWN),
        ("'a' * 10 ** 9", UNKNOWN),  # bounded: no gigabyte strings
        ("1 << 100000", UNKNOWN),
        ("2 ** 14 * 8", 131072),
        ("2 ** 100000", UNKNOWN),  # bounded like <<
        ("2 ** -1", UNKNOWN),  # floats are not folded from powers
    ],
    ids=[
        "plus", "percent", "fstring-module-constant", "format", "join-list", "join-constant-tuple",
        "ternary-constant-test", "if-constant-test", "stat-flags", "mode-arithmetic", "class-constant",
        "str-method", "augmented-in-function", "parameter-unknown", "rebound-in-order", "two-bindings",
        "call-unknown",
        "global-rebound-in-function", "huge-repeat-bounded", "huge-shift-bounded",
        "power", "huge-power-bounded", "negative-power",
    ],
)
def test_fold(source: str, expected: object) -> None:
    assert value_at_end(source) == expected


def context_at(source: str, filename: str = "example.py") -> tuple[ModuleContext, ast.expr]:
    """A context at the last statement of the last method of the last class
    (or of the module), and that statement's expression."""
    source = textwrap.dedent(source).lstrip("\n")
    tree = ast.parse(source)
    ctx = ModuleContext(tree, source.splitlines(keepends=True), filename)
    last = tree.body[-1]
    if isinstance(last, ast.ClassDef):
        method = last.body[-1]
        assert isinstance(method, ast.FunctionDef)
        ctx.scopes, last = (last, method), method.body[-1]
    ctx.statement = last
    assert isinstance(last, (ast.Expr, ast.Return)) and last.value is not None
    return ctx, last.value


def make_package(tmp_path: Path, files: dict[str, str]) -> Path:
    pkg = tmp_path / "shop"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    for name, text in files.items():
        (pkg / name).write_text(textwrap.dedent(text).lstrip("\n"))
    return pkg


def test_constant_from_sibling_module_read_with_ast(tmp_path: Path) -> None:
    pkg = make_package(tmp_path, {"settings.py": "ORDERS_TABLE = 'shop_' + 'orders'\n"})
    module = pkg / "repo.py"
    module.write_text("from .settings import ORDERS_TABLE\nORDERS_TABLE\n")
    ctx, expr = context_at(module.read_text(), str(module))
    assert ctx.const_value(expr) == "shop_orders"
    assert not ctx.used_astroid  # one ast.parse of the sibling, no astroid tree
    ctx.close()


def test_constant_through_a_module_attribute_of_the_project(tmp_path: Path) -> None:
    pkg = make_package(tmp_path, {"settings.py": "TABLE = 'orders'\n"})
    module = pkg / "repo.py"
    module.write_text("from shop import settings\nsettings.TABLE\n")
    assert value_at_end(module.read_text(), str(module)) == "orders"


def test_function_result_in_sibling_module_is_not_constant(tmp_path: Path) -> None:
    pkg = make_package(tmp_path, {"settings.py": "import os\nTABLE = os.environ['TABLE']\n"})
    module = pkg / "repo.py"
    module.write_text("from .settings import TABLE\nTABLE\n")
    assert value_at_end(module.read_text(), str(module)) is UNKNOWN


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("""
         class Repo:
             table = "users"

             def find(self):
                 return self.table
         """, "users"),
        ("""
         class Repo:
             def __init__(self):
                 self.table = "users"

             def find(self):
                 return self.table
         """, "users"),
        ("""
         class Base:
             table = "users"

         class Repo(Base):
             def find(self):
                 return self.table
         """, "users"),
        ("""
         class Repo:
             OPERATORS = {"contains": "LIKE %s"}

             def find(self):
                 return self.OPERATORS["contains"]
         """, "LIKE %s"),
        ("""
         class Repo:
             table = "users"

             def __init__(self, table):
                 self.table = table

             def find(self):
                 return self.table
         """, UNKNOWN),
        ("""
         class Repo:
             def rename(self, name):
                 self.table += name

             def find(self):
                 return self.table
         """, UNKNOWN),
    ],
    ids=["class-body", "set-in-init", "base-class-in-module", "class-dict-item", "set-from-parameter",
         "augmented"],
)
def test_self_attribute_read_with_ast(source: str, expected: object) -> None:
    ctx, expr = context_at(source)
    assert ctx.const_value(expr) == expected
    assert not ctx.used_astroid
    ctx.close()


def test_subscript_of_unknown_self_member_ends() -> None:
    """``self.environ[...]`` of a member nothing in the module sets: folding
    it once asked the evaluator, which asked the folder again, until Python's
    recursion limit stopped the function's flow and every rule lost it."""
    source = textwrap.dedent("""
        import os

        class Storage:
            def save(self, name):
                stream = self.environ["wsgi.input"]
                mode = 0o777
                os.chmod(name, mode)
                return stream
        """).lstrip("\n")
    ctx, expr = context_at(source)
    assert ctx.const_value(expr) is UNKNOWN
    ctx.close()
    assert lint(source, select="SEC030") == [(7, 8, "SEC030")]


def test_self_attribute_from_base_class_in_sibling_module(tmp_path: Path) -> None:
    pkg = make_package(tmp_path, {"base.py": "class BaseRepo:\n    table = 'users'\n"})
    module = pkg / "repo.py"
    module.write_text(textwrap.dedent("""
        from .base import BaseRepo

        class Repo(BaseRepo):
            def find(self):
                return self.table
        """).lstrip("\n"))
    ctx, expr = context_at(module.read_text(), str(module))
    assert ctx.const_value(expr) == "users"
    assert not ctx.used_astroid
    ctx.close()


def test_astroid_not_built_when_ast_decides() -> None:
    source = "T = 'a'\nT + 'b'\n"
    tree = ast.parse(source)
    ctx = ModuleContext(tree, source.splitlines(keepends=True), "example.py")
    ctx.statement = tree.body[-1]
    assert ctx.const_value(tree.body[-1].value) == "ab"  # type: ignore[attr-defined]
    assert not ctx.used_astroid


def test_module_imported_by_name_is_never_inferred() -> None:
    """``import os``: the name is a module, never a constant; a name also
    bound some other way is still asked."""
    source = ("import os\nimport json\nimport re\nimport sys\nif os:\n    json = None\n"
              "try:\n    pass\nexcept ValueError as re:\n    pass\nwith open('x') as sys:\n    pass\n"
              "def f():\n    os\n    json\n")
    tree = ast.parse(source)
    ctx = ModuleContext(tree, source.splitlines(keepends=True), "example.py")
    func = tree.body[-1]
    ctx.scopes = (func,)
    ctx.statement = func.body[0]  # type: ignore[attr-defined]
    assert ctx.const_value(func.body[0].value) is UNKNOWN  # type: ignore[attr-defined]
    assert not ctx.used_astroid
    ctx.statement = func.body[1]  # type: ignore[attr-defined]
    ctx.const_value(func.body[1].value)  # type: ignore[attr-defined]
    assert ctx.used_astroid
    ctx.close()


def test_astroid_decides_what_the_ast_scan_does_not_follow() -> None:
    source = "T = 'a'\nT += 'b'\n\n\ndef table():\n    return T\n"
    tree = ast.parse(source)
    ctx = ModuleContext(tree, source.splitlines(keepends=True), "example.py")
    func = tree.body[-1]
    assert isinstance(func, ast.FunctionDef) and isinstance(func.body[0], ast.Return)
    ctx.scopes, ctx.statement = (func,), func.body[0]
    assert ctx.const_value(func.body[0].value) == "ab"  # type: ignore[arg-type]
    assert ctx.used_astroid
    ctx.close()


def test_unknown_import_outside_project_is_not_inferred() -> None:
    assert value_at_end("from somelib import TABLE\nTABLE\n") is UNKNOWN


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("""
         import functools

         class Storage:
             @functools.cached_property
             def mode(self):
                 return 0o777

             def save(self):
                 return self.mode
         """, 0o777),
        ("""
         class Storage:
             @property
             def mode(self):
                 if self.private:
                     return 0o600
                 return 0o600

             def save(self):
                 return self.mode
         """, 0o600),
        ("""
         class Storage:
             @property
             def mode(self):
                 return self._value_or_setting(self._mode, 0o644)

             def save(self):
                 return self.mode
         """, UNKNOWN),
        ("""
         class Storage:
             @property
             def mode(self):
                 if self.private:
                     return 0o600

             def save(self):
                 return self.mode
         """, UNKNOWN),
        ("""
         class Storage:
             def mode(self):
                 return 0o600

             def save(self):
                 return self.mode
         """, UNKNOWN),
        ("""
         class Storage:
             @property
             def mode(self):
                 return 0o600

             @classmethod
             def default(cls):
                 return cls.mode
         """, UNKNOWN),
    ],
    ids=["cached-property", "property-every-return", "property-of-a-call", "property-may-return-none", "method",
         "read-on-the-class"],
)
def test_self_property_read_with_ast(source: str, expected: object) -> None:
    """A property is what its getter returns: folded here, never asking astroid."""
    ctx, expr = context_at(source)
    assert ctx.const_value(expr) == expected
    assert not ctx.used_astroid
    ctx.close()


@pytest.mark.parametrize("source", [
        """
         import functools

         class Storage:
             @functools.cached_property
             def mode(self):
                 return 0o600

             def load(self, value):
                 self.mode = value

             def save(self):
                 return self.mode
         """,
        """
         class Storage:
             @property
             def mode(self):
                 return 0o600

             def mode(self):
                 return 1

             def save(self):
                 return self.mode
         """,
        """
         import os

         class Storage:
             @property
             def mode(self):
                 return 0o600
             mode = int(os.environ["M"])

             def save(self):
                 return self.mode
         """,
], ids=["cached-property-overwritten", "redefined-as-a-method", "rebound-in-the-class"])
def test_property_bound_some_other_way_too_is_not_proven(source: str) -> None:
    """Whichever binding wins at run time, the getter's returns prove nothing."""
    ctx, expr = context_at(source)
    assert ctx.const_value(expr) is UNKNOWN
    ctx.close()


def test_attribute_of_an_instance_from_a_sibling_module(tmp_path: Path) -> None:
    pkg = make_package(tmp_path, {"conf.py": """
        class Settings:
            DEBUG = True

            def __getattr__(self, name):
                return None


        class LazySettings:
            def __getattr__(self, name):
                return load(name)


        settings = Settings()
        lazy = LazySettings()
        """})
    module = pkg / "app.py"
    module.write_text("from shop.conf import settings\nsettings.DEBUG\n")
    ctx, expr = context_at(module.read_text(), str(module))
    assert ctx.const_value(expr) is True
    module.write_text("from shop.conf import lazy\nlazy.DEBUG\n")
    ctx2, expr2 = context_at(module.read_text(), str(module))
    assert ctx2.const_value(expr2) is UNKNOWN  # set by __getattr__: no class binds it
    assert not ctx.used_astroid and not ctx2.used_astroid
    ctx.close()
    ctx2.close()


def test_package_chains_are_remembered_for_one_run(tmp_path: Path) -> None:
    """Each directory's ``__init__.py`` chain is looked up once per flake8
    run: a new run (``Checker.parse_options``) sees a package made since."""
    import argparse

    from flake8_secure.analysis.constants import forget_run, package_of
    from flake8_secure.plugin import Checker

    api = tmp_path / "shop" / "api"
    api.mkdir(parents=True)
    for directory in (tmp_path / "shop", api):
        (directory / "__init__.py").write_text("")
    views = api / "views.py"
    views.write_text("")
    forget_run()
    assert package_of(str(views)) == ("shop.api.views", "shop.api")
    (tmp_path / "__init__.py").write_text("")  # the tree becomes part of a package
    assert package_of(str(views)) == ("shop.api.views", "shop.api")  # the same run: remembered
    settings = Checker.settings
    try:
        Checker.parse_options(argparse.Namespace())
    finally:
        Checker.settings = settings
    top = tmp_path.name
    assert package_of(str(views)) == (f"{top}.shop.api.views", f"{top}.shop.api")
