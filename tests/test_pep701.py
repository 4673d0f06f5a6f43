"""PEP 701 f-strings (Python 3.12+): quotes reused inside replacement fields,
multi-line fields with comments. .ci/run runs the suite under 3.13 for these."""

from __future__ import annotations

import sys

import pytest

from tests.helpers import lint

pytestmark = pytest.mark.skipif(sys.version_info < (3, 12), reason="PEP 701 syntax needs Python 3.12+")

NESTED_QUOTES = '''
import sqlite3
def find(form):
    cur = sqlite3.connect("app.db").cursor()
    cur.execute(f"SELECT * FROM t WHERE n = '{form["name"]}'")
'''

MULTI_LINE_FIELD = '''
import sqlite3
def find(form):
    cur = sqlite3.connect("app.db").cursor()
    cur.execute(f"SELECT * FROM t WHERE n = '{
        form["name"]  # the user's input
    }'")
'''

CONSTANT_FIELDS = '''
import sqlite3
TABLE = "users"
def count():
    cur = sqlite3.connect("app.db").cursor()
    cur.execute(f"SELECT count(*) FROM {f"{TABLE}"}")
'''


def test_nested_same_quotes_are_followed() -> None:
    assert lint(NESTED_QUOTES, select="SEC001") == [(5, 4, "SEC001")]


def test_multi_line_field_with_comment_is_followed() -> None:
    assert lint(MULTI_LINE_FIELD, select="SEC001") == [(5, 4, "SEC001")]


def test_nested_constant_f_strings_stay_quiet() -> None:
    assert lint(CONSTANT_FIELDS, select="SEC001") == []
