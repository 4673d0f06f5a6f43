"""SEC001/SEC002: SQL built from strings, and every case that must stay quiet."""

from __future__ import annotations

import pytest

from flake8_secure.registry import SourceLocation, split_source
from tests.helpers import Case, case, lint, run_checker

SEC001_CASES = [
    # --- fires -----------------------------------------------------------
    case("f-string-into-execute", """
        def find(cur, name):
            cur.execute(f"SELECT * FROM users WHERE name = '{name}'")
        """, [(2, 4, "SEC001")]),
    case("percent-into-execute", """
        def find(cur, name):
            cur.execute("SELECT * FROM users WHERE name = '%s'" % name)
        """, [(2, 4, "SEC001")]),
    case("format-into-execute", """
        def find(cur, name):
            cur.execute("SELECT * FROM users WHERE name = '{}'".format(name))
        """, [(2, 4, "SEC001")]),
    case("plus-into-execute", """
        def find(cur, name):
            cur.execute("SELECT * FROM users WHERE name = '" + name + "'")
        """, [(2, 4, "SEC001")]),
    case("built-in-variable-then-executed", """
        def find(cursor, name):
            query = f"SELECT * FROM users WHERE name = '{name}'"
            cursor.execute(query)
        """, [(3, 4, "SEC001")]),
    case("augmented-assignment", """
        def search(cursor, name, active):
            sql = "SELECT id FROM users WHERE 1 = 1"
            if active:
                sql += " AND active = 1"
            sql += " AND name = '" + name + "'"
            cursor.execute(sql)
        """, [(6, 4, "SEC001")]),
    case("list-appends-then-join", """
        def search(cursor, filters):
            clauses = ["deleted = 0"]
            for column, value in filters.items():
                clauses.append(f"{column} = '{value}'")
            cursor.execute("SELECT * FROM items WHERE " + " AND ".join(clauses))
        """, [(5, 4, "SEC001")]),
    case("reassignment-keeps-last-unsafe", """
        def find(cursor, name):
            q = "SELECT 1"
            q = "SELECT * FROM t WHERE n = '%s'" % name
            cursor.execute(q)
        """, [(4, 4, "SEC001")]),
    case("ternary-unsafe-branch", """
        def find(cursor, name, exact):
            q = "SELECT * FROM t WHERE n = ?" if exact else f"SELECT * FROM t WHERE n LIKE '{name}%'"
            cursor.execute(q, (name,))
        """, [(3, 4, "SEC001")]),
    case("executemany-and-executescript", """
        import sqlite3
        def load(db: sqlite3.Connection, table, rows):
            db.executemany(f"INSERT INTO {table} VALUES (?, ?)", rows)
            db.executescript("DROP TABLE " + table)
        """, [(3, 4, "SEC001"), (4, 4, "SEC001")]),
    case("connect-chain-receiver", """
        import sqlite3
        def count(path, table):
            return sqlite3.connect(path).execute("SELECT count(*) FROM %s" % table).fetchone()
        """, [(3, 11, "SEC001")]),
    case("asyncpg-fetch", """
        async def rows(conn, status):
            return await conn.fetch(f"SELECT * FROM orders WHERE status = '{status}'")
        """, [(2, 17, "SEC001")]),
    case("psycopg-sql-given-built-text", """
        from psycopg import sql
        def q(table):
            return sql.SQL(f"SELECT * FROM {table}")
        """, [(3, 11, "SEC001")]),
    case("module-level-script", """
        import sqlite3, sys
        conn = sqlite3.connect("app.db")
        conn.execute("DELETE FROM sessions WHERE user = '%s'" % sys.argv[1])
        """, [(3, 0, "SEC001")]),
    case("join-of-unknown-columns", """
        def insert(cursor, table, row):
            cols = ", ".join(row.keys())
            cursor.execute(f"INSERT INTO {table} ({cols}) VALUES (%s)", list(row.values()))
        """, [(3, 4, "SEC001")]),
    case("with-cursor-binding", """
        def drop(conn, name):
            with conn.cursor() as cur:
                cur.execute("DROP TABLE %s" % name)
        """, [(3, 8, "SEC001")]),
    # --- quiet -----------------------------------------------------------
    case("parameterised-query", """
        def find(cur, name):
            cur.execute("SELECT * FROM users WHERE name = %s", (name,))
        """, []),
    case("literal-query", """
        def count(cur):
            cur.execute("SELECT count(*) FROM users")
        """, []),
    case("module-constant-parts", """
        TABLE = "users"
        COLUMNS = ", ".join(["id", "name"])
        def find(cur, name):
            cur.execute(f"SELECT {COLUMNS} FROM {TABLE} WHERE name = %s", (name,))
        """, []),
    case("class-constant-parts", """
        class Repo:
            TABLE = "users"
            def find(self, cur, name):
                cur.execute(f"SELECT * FROM {Repo.TABLE} WHERE name = %s", (name,))
        """, []),
    case("if-over-constant-test", """
        LEGACY = False
        if LEGACY:
            TABLE = "old_users"
        else:
            TABLE = "users"
        def find(cur, name):
            cur.execute("SELECT * FROM " + TABLE + " WHERE name = ?", (name,))
        """, []),
    case("ternary-over-constants", """
        def find(cur, name, deleted):
            table = "archive" if deleted else "users"
            cur.execute(f"SELECT * FROM {table} WHERE name = ?", (name,))
        """, []),
    case("placeholder-list-join", """
        def by_ids(cur, ids):
            marks = ", ".join("?" * len(ids))
            cur.execute(f"SELECT * FROM t WHERE id IN ({marks})", ids)
        """, []),
    case("placeholder-list-from-list", """
        def by_ids(cur, ids):
            cur.execute("SELECT * FROM t WHERE id IN (%s)" % ",".join(["%s"] * len(ids)), ids)
        """, []),
    case("psycopg-composed-identifier", """
        from psycopg2 import sql
        def rows(cur, table):
            cur.execute(sql.SQL("SELECT * FROM {} WHERE id = %s").format(sql.Identifier(table)), (1,))
        """, []),
    case("django-quote-name", """
        def truncate(connection, cursor, table):
            cursor.execute("DELETE FROM %s" % connection.ops.quote_name(table))
        """, []),
    case("quote-name-alias", """
        def truncate(connection, cursor, table):
            qn = connection.ops.quote_name
            cursor.execute("DELETE FROM %s" % qn(table))
        """, []),
    case("quoted-identifiers-in-comprehension", """
        def insert(self, cursor, table, columns):
            cols = ", ".join(self.quote_name(c) for c in columns)
            cursor.execute(f"INSERT INTO {self.quote_name(table)} ({cols}) VALUES (%s)", [1])
        """, []),
    case("numbers-int-len-percent-d", """
        def page(cur, size, offset, items):
            cur.execute("SELECT * FROM t LIMIT %d OFFSET %d" % (size, offset))
            cur.execute(f"SELECT * FROM t LIMIT {int(size)} OFFSET {len(items)}")
            cur.execute("SELECT * FROM t LIMIT {:d}".format(size))
        """, []),
    case("int-annotated-parameter", """
        def page(cur, size: int):
            cur.execute(f"SELECT * FROM t LIMIT {size}")
        """, []),
    case("prose-in-logs-and-errors", """
        import logging
        log = logging.getLogger(__name__)
        def fail(table, name):
            log.info(f"select {name} from {table} failed")
            raise ValueError("Please select a user from the list: %s" % name)
        """, []),
    case("string-never-reaches-sql-sink", """
        def describe(name):
            query = f"SELECT * FROM users WHERE name = '{name}'"
            return query
        """, []),
    case("non-database-execute", """
        def deploy(runner, host):
            runner.execute(f"rsync -a build/ {host}:/srv/app")
        """, []),
    case("query-passed-through-unchanged", """
        def run(cursor, query, params):
            cursor.execute(query, params)
        """, []),
    case("safe-after-reassignment", """
        def find(cursor, name):
            q = f"SELECT * FROM t WHERE n = '{name}'"
            q = "SELECT * FROM t WHERE n = ?"
            cursor.execute(q, (name,))
        """, []),
    case("unsafe-branch-returns", """
        def find(cursor, name, raw):
            q = "SELECT * FROM t WHERE n = ?"
            if raw:
                q = f"SELECT * FROM t WHERE n = '{name}'"
                return q
            cursor.execute(q, (name,))
        """, []),
    case("dict-template-safe-keys", """
        def drop(self, cursor, name, suffix):
            params = {"dbname": self.connection.ops.quote_name(name), "suffix": suffix}
            cursor.execute("DROP DATABASE %(dbname)s" % params)
        """, []),
]

SEC002_CASES = [
    case("sqlalchemy-text-fstring", """
        from sqlalchemy import text
        def orders(session, customer):
            return session.execute(text(f"SELECT * FROM orders WHERE customer = '{customer}'"))
        """, [(3, 27, "SEC002")]),
    case("sqlalchemy-text-bound", """
        from sqlalchemy import text
        def orders(session, customer):
            return session.execute(text("SELECT * FROM orders WHERE customer = :c"), {"c": customer})
        """, []),
    case("sqlalchemy-bindparams", """
        import sqlalchemy as sa
        def orders(conn, customer):
            return conn.execute(sa.text("SELECT * FROM orders WHERE c = :c").bindparams(c=customer))
        """, []),
    case("literal-column", """
        from sqlalchemy import literal_column, select
        def pick(col):
            return select(literal_column("price * " + col))
        """, [(3, 18, "SEC002")]),
    case("exec-driver-sql", """
        def purge(conn, table):
            conn.exec_driver_sql("TRUNCATE " + table)
        """, [(2, 4, "SEC002")]),
    case("django-raw", """
        from shop.models import Product
        def search(term):
            return Product.objects.raw(f"SELECT * FROM shop_product WHERE name LIKE '%{term}%'")
        """, [(3, 11, "SEC002")]),
    case("django-raw-params", """
        from shop.models import Product
        def search(term):
            return Product.objects.raw("SELECT * FROM shop_product WHERE name LIKE %s", [term])
        """, []),
    case("django-extra-where", """
        from shop.models import Product
        def cheap(limit):
            return Product.objects.filter(active=True).extra(where=["price < %s" % limit])
        """, [(3, 11, "SEC002")]),
    case("django-extra-params", """
        from shop.models import Product
        def cheap(limit):
            return Product.objects.extra(where=["price < %s"], params=[limit])
        """, []),
    case("django-rawsql", """
        from django.db.models.expressions import RawSQL
        def annotate(qs, field):
            return qs.annotate(v=RawSQL("SELECT %s FROM t" % field, ()))
        """, [(3, 25, "SEC002")]),
    case("django-connection-cursor", """
        from django.db import connection
        def rename(table, new):
            with connection.cursor() as cursor:
                cursor.execute(f"ALTER TABLE {table} RENAME TO {new}")
        """, [(4, 8, "SEC002")]),
    case("django-connection-quoted", """
        from django.db import connection
        def rename(table, new):
            qn = connection.ops.quote_name
            with connection.cursor() as cursor:
                cursor.execute(f"ALTER TABLE {qn(table)} RENAME TO {qn(new)}")
        """, []),
    case("pandas-read-sql", """
        import pandas as pd
        def frame(engine, day):
            return pd.read_sql(f"SELECT * FROM sales WHERE day = '{day}'", engine)
        """, [(3, 11, "SEC002")]),
    case("pandas-read-sql-params", """
        import pandas as pd
        def frame(engine, day):
            return pd.read_sql("SELECT * FROM sales WHERE day = %(day)s", engine, params={"day": day})
        """, []),
    case("raw-on-non-orm-object", """
        def body(response, size):
            return response.raw("chunk %s" % size)
        """, []),
]


# Read by tests/test_registry.py: every rule needs positive and negative cases.
CASES = {"SEC001": SEC001_CASES, "SEC002": SEC002_CASES}


@pytest.mark.parametrize("c", SEC001_CASES, ids=lambda c: c.id)
def test_sec001(c: Case) -> None:
    assert lint(c.source, select="SEC001") == c.expected


@pytest.mark.parametrize("c", SEC002_CASES, ids=lambda c: c.id)
def test_sec002(c: Case) -> None:
    assert lint(c.source, select="SEC002") == c.expected


def test_each_finding_is_reported_by_one_rule_only() -> None:
    source = SEC002_CASES[10].source  # Django cursor: SEC002, not also SEC001
    assert lint(source) == [(4, 8, "SEC002")]


def test_message_names_sink_parts_and_build_line() -> None:
    source = (
        "def find(cursor, name):\n"
        "    query = f\"SELECT * FROM users WHERE name = '{name}'\"\n"
        "    cursor.execute(query)\n"
    )
    [(_, _, message)] = run_checker(source)
    assert message == (
        "SEC001 SQL built with an f-string from `name` on line 2 reaches cursor.execute(); "
        "pass values as query parameters (CWE-89)"
    )


def test_message_names_request_source() -> None:
    source = (
        "from flask import Flask, request\n"
        "app = Flask(__name__)\n"
        "@app.route('/u')\n"
        "def users(cursor):\n"
        "    name = request.args['q']\n"
        "    query = f\"SELECT * FROM users WHERE name = '{name}'\"\n"
        "    cursor.execute(query)\n"
    )
    [(_, _, message)] = run_checker(source, select="SEC001")
    assert message == (
        "SEC001 SQL built with an f-string from request.args['q'] (line 5) reaches cursor.execute(); "
        "pass values as query parameters (CWE-89)"
    )
    assert split_source(message)[1] == SourceLocation(5, 1)


def test_orm_message_names_request_source() -> None:
    source = (
        "from django.db import connection\n"
        "def report(request):\n"
        "    order = request.GET['order']\n"
        "    with connection.cursor() as cur:\n"
        "        cur.execute('SELECT * FROM t ORDER BY ' + order)\n"
    )
    [(_, _, message)] = run_checker(source, select="SEC002")
    assert message.startswith("SEC002 SQL built with + concatenation from request.GET['order'] (line 3) reaches ")


def test_sanitised_request_data_keeps_the_plain_message() -> None:
    source = (
        "from flask import Flask, request\n"
        "app = Flask(__name__)\n"
        "@app.route('/u')\n"
        "def users(cursor):\n"
        "    col = request.args['c']\n"
        "    if col not in ('a', 'b'):\n"
        "        return ''\n"
        "    cursor.execute(f'SELECT {col}, {TABLE} FROM t')\n"
    )
    [(_, _, message)] = run_checker(source, select="SEC001")
    assert "(line" not in message and "`TABLE`" in message


BUILT_ELSEWHERE = '''
import os

from shop.sql import table_name

TABLE = os.environ["REPORT_TABLE"]
REPORT = "SELECT * FROM %s" % TABLE


class Reports:
    ranked = "SELECT * FROM %s ORDER BY rank" % TABLE

    def query(self):
        return "SELECT * FROM reports"

    def run(self, cur):
        cur.execute(self.ranked)


def latest(cur):
    cur.execute(REPORT)


def by_helper(cur, reports):
    sql = reports.query() if reports else Reports().query()
    cur.execute(sql)


def picked(cur, fast):
    sql = REPORT if fast else table_name()
    cur.execute(sql)


class Purge:
    def __init__(self, table):
        self.sql = "DELETE FROM %s" % table

    def run(self, cur):
        cur.execute(self.sql)
'''


def test_a_query_built_outside_the_function_that_runs_it() -> None:
    """Built from unproven parts at module or class level and run where no
    string is built: reported (lines 17, 21, 31, 39); the helper's result,
    run as is, is not (line 26)."""
    assert lint(BUILT_ELSEWHERE, select="SEC001") == [
        (17, 8, "SEC001"), (21, 4, "SEC001"), (31, 4, "SEC001"), (39, 8, "SEC001")]


SANITIZED_ELSEWHERE = '''
import os
from html import escape
from os.path import basename as base
from sqlalchemy import text

from myapp.text import clean

TABLE = os.environ["REPORT_TABLE"]
REPORT = "SELECT * FROM %s" % TABLE


def escaped(cur):
    cur.execute(escape(REPORT))


def based(cur):
    sql = base(REPORT)
    cur.execute(sql)


def cleaned(cur):
    cur.execute(clean(REPORT))


def orm(session):
    return session.execute(text(escape(REPORT)))
'''


def test_a_query_built_outside_the_function_and_passed_through_a_sanitizer() -> None:
    """A sanitizer (built in, aliased, or the team's) hands its argument on,
    building step included: still reported where nothing is built."""
    found = run_checker(SANITIZED_ELSEWHERE, select="SEC001,SEC002", extra_sanitizers={"myapp.text.clean": {"xss"}})
    assert [(line, text.split()[0]) for line, _, text in found] == [
        (14, "SEC001"), (19, "SEC001"), (23, "SEC001"), (27, "SEC002")]


def test_a_function_building_no_string_needs_no_summary(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever a helper returns, a query that is its result cannot be built
    from strings in the function: no flow summarises the helper."""
    from flake8_secure.analysis.taint import TaintModel

    summarised: list[str] = []
    original = TaintModel.summary

    def recording(self: TaintModel, func: object, make_flow: object) -> object:
        summarised.append(getattr(func, "name", "?"))
        return original(self, func, make_flow)  # type: ignore[arg-type]

    monkeypatch.setattr(TaintModel, "summary", recording)
    assert lint(BUILT_ELSEWHERE, select="SEC001")
    assert summarised == []


def test_the_shortcut_for_functions_building_no_string_hides_no_finding(monkeypatch: pytest.MonkeyPatch) -> None:
    """SEC001/SEC002 on every rule case and fixture app, with and without
    asking ``value_without_helpers`` first."""
    from flake8_secure.analysis.context import ModuleContext
    from tests.test_prefilters import FIXTURES, rule_cases

    sources = [BUILT_ELSEWHERE] + [c.source for c in rule_cases()] + [
        p.read_text(encoding="utf-8") for p in FIXTURES]
    quick = [run_checker(s, select="SEC001,SEC002") for s in sources]
    monkeypatch.setattr(ModuleContext, "builds_strings", lambda self: True)
    assert [run_checker(s, select="SEC001,SEC002") for s in sources] == quick
    assert sum(map(len, quick)) > 40
