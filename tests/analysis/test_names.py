"""Import/alias resolution to qualified names."""

from __future__ import annotations

import ast
import textwrap

import pytest

from flake8_secure.analysis.names import Names


def resolve(source: str, expr: str, scope_name: str | None = None) -> str | None:
    tree = ast.parse(textwrap.dedent(source))
    scopes: tuple[ast.AST, ...] = ()
    if scope_name:
        scopes = tuple(n for n in ast.walk(tree) if getattr(n, "name", None) == scope_name)
    names = Names(tree, lambda: scopes, package="shop.views")
    return names.qualified(ast.parse(expr, mode="eval").body)


@pytest.mark.parametrize(
    ("source", "expr", "scope", "expected"),
    [
        ("import sqlite3 as db", "db.connect", None, "sqlite3.connect"),
        ("import os.path", "os.path.join", None, "os.path.join"),
        ("import xml.etree.ElementTree as ET", "ET.parse", None, "xml.etree.ElementTree.parse"),
        ("from subprocess import run as sh", "sh", None, "subprocess.run"),
        ("from django.db import connection", "connection.cursor", None, "django.db.connection.cursor"),
        ("from . import utils", "utils.clean", None, "shop.views.utils.clean"),
        ("from ..models import Product", "Product.objects", None, "shop.models.Product.objects"),
        ("def f():\n    import pickle as p\n", "p.loads", "f", "pickle.loads"),
        ("def f():\n    import pickle as p\n", "p.loads", None, "p.loads"),
        ("import json as p\ndef f():\n    from pickle import loads\n", "p.loads", "f", "json.loads"),
        ("try:\n    import simplejson as json\nexcept ImportError:\n    import json\n", "json.x", None, "json.x"),
        ("", "open", None, "open"),
        ("", "f().x", None, None),
    ],
    ids=[
        "import-as", "dotted-import", "dotted-import-as", "from-import-as", "from-import-attr",
        "relative-import", "relative-parent", "function-local-import", "local-import-not-visible-outside",
        "module-import-seen-in-function", "try-import-last-wins", "builtin", "call-is-not-a-name",
    ],
)
def test_qualified(source: str, expr: str, scope: str | None, expected: str | None) -> None:
    assert resolve(source, expr, scope) == expected


def test_chain_drops_calls_and_subscripts() -> None:
    tree = ast.parse("import sqlite3\nfrom django.db import connections\n")
    names = Names(tree, lambda: (), "")
    expr = ast.parse("sqlite3.connect(p).cursor()", mode="eval").body
    assert names.chain(expr) == "sqlite3.connect.cursor"
    expr = ast.parse("connections['default'].cursor", mode="eval").body
    assert names.chain(expr) == "django.db.connections.cursor"


@pytest.mark.parametrize("source, nested", [
    ("import os\nfrom a import b\n\ndef f():\n    return os\n", False),
    ("import os\r\nfrom a import (b,\r\n    c)\r\n", False),
    ("import os\rdef f():\r    import sys\r", True),  # old Mac line ends
    ("def f(): import sys\n", True),
    ("x = 1; import os\n", True),
    ("try:\n    import json\nexcept ImportError:\n    json = None\n", True),
    ("def f():\n    x = 1; \\\nimport os\n", True),  # a continuation: still f's statement
    ('"""Use it as:\n\n    import mod\n"""\n', True),  # text only errs on the safe side
    ("from importlib import import_module\n", False),
    # A line starting with from/import that continues a string or a bracket.
    ('def f(path):\n    """Open up a path\nfrom the deploy script."""; import os as o\n    o.chmod(path, 0o777)\n',
     True),
    ('def f(path):\n    """A docstring\nimport-ant."""; from os import chmod as set_mode\n', True),
    ("def f(gen):\n    yield (yield\nfrom gen); import os as o\n", True),
])
def test_nested_imports_are_ruled_out_only_when_impossible(source: str, nested: bool) -> None:
    from flake8_secure.analysis.names import _nested_import_possible

    tree = ast.parse(source)
    top = {s.lineno for s in tree.body if isinstance(s, (ast.Import, ast.ImportFrom))}
    assert _nested_import_possible(source, top) is nested
    with_text = Names(tree, lambda: (), "pkg.mod", lambda: source)
    without = Names(tree, lambda: (), "pkg.mod")
    assert with_text.all_imports() == without.all_imports()
    assert with_text.resolve_name("os", ()) == without.resolve_name("os", ())
