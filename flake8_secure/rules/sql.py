"""SEC001-SEC002: SQL text built from strings reaching a database."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from flake8_secure.analysis.context import ModuleContext
from flake8_secure.analysis.frameworks import sql as db
from flake8_secure.analysis.values import MAP, SEQ, Val, label_of
from flake8_secure.registry import Finding, Rule, Severity, last_names, register

QUERY_KEYWORDS = ("sql", "query", "operation", "statement", "text")
EXTRA_KEYWORDS = ("where", "select", "tables", "order_by")


def query_argument(node: ast.Call) -> ast.expr | None:
    if node.args and not isinstance(node.args[0], ast.Starred):
        return node.args[0]
    for kw in node.keywords:
        if kw.arg in QUERY_KEYWORDS:
            return kw.value
    return None


def unsafe_query(arg: ast.expr | None, ctx: ModuleContext) -> Val | None:
    """The query's abstract value when it was built with unproven parts.

    astroid is not asked yet: the caller refines the parts (``ctx.refine``)
    only once the cheap checks say this is a finding.
    """
    if arg is None or isinstance(arg, ast.Constant):
        return None
    if not ctx.builds_strings() and _built(ctx.value_without_helpers(arg)) is None:
        # Built nowhere in the function, and no constant folded from outside
        # it was built from unproven parts: no helper's summary can change that.
        return None
    return _built(ctx.value(arg, infer=False))


def _built(val: Val) -> Val | None:
    if val.kind in (SEQ, MAP) and val.elem is not None:
        val = val.elem  # extra(where=[...], select={...}): each entry is SQL text
    return val if val.unsafe and val.step is not None else None


def describe(val: Val, node: ast.Call) -> dict[str, str]:
    """Message fields: how the string was built, from what, where, into which sink.

    When request data is part of the query, the message names it and its
    line instead of the inserted expressions ("from request.args['q'] (line
    12) reaches"): the SARIF formatter reads the source from that phrase.
    """
    assert val.step is not None
    parts = ", ".join(f"`{p.label}`" for p in val.unsafe[:3])
    where = f" on line {val.step.line}" if val.step.line != node.lineno else ""
    live = val.live_taint("sql")
    if live:
        parts, where = f"{live[0].label} (line {live[0].line})", ""
    return {"how": val.step.op, "parts": parts, "where": where, "sink": label_of(node.func)}


def is_database_receiver(receiver: ast.expr, ctx: ModuleContext) -> bool:
    """A cursor/connection by name, by the call that made it, or by origin.

    Origins (the call that made an object) never come from astroid, which
    only proves constants: asking it here built astroid trees for nothing.
    """
    if isinstance(receiver, ast.Call):
        name = ctx.names.chain(receiver.func) or ""
        return name.rsplit(".", 1)[-1] in db.DB_FACTORIES
    chain = ctx.names.chain(receiver) or ""
    if db.DB_RECEIVER.search(chain.rsplit(".", 1)[-1]):
        return True
    origin = ctx.value(receiver, infer=False).origin or ""
    return origin.rsplit(".", 1)[-1] in db.DB_FACTORIES


def is_django_connection(receiver: ast.expr, ctx: ModuleContext) -> bool:
    """``django.db.connection.cursor()`` and cursors bound from it."""
    origin = ctx.names.chain(receiver) or ""
    if not origin.startswith("django.db.connection"):
        origin = ctx.value(receiver, infer=False).origin or ""
    return origin.startswith("django.db.connection")


@register
class SqlBuiltFromStrings(Rule):
    """## What it does
    Flags SQL text built with an f-string, `%`, `.format()`, `+` or `join`
    from parts that are not proven constant, when it reaches a DB-API driver
    call (`execute`, `executemany`, `executescript`; asyncpg/aiosqlite/psycopg
    `execute`/`fetch*`) or psycopg's `sql.SQL()`.  The query may be built
    over several statements (`+=`, list appends then `join`) before it is run.

    ## Why is this bad?
    A value spliced into SQL text can change the statement: `' OR '1'='1`
    returns every row, `'; DROP TABLE users; --` destroys data.  Query
    parameters send values separately from the SQL text, so the database
    never parses them as SQL.

    ## Example
    ```python
    import sqlite3

    def find_user(conn: sqlite3.Connection, name: str):
        return conn.execute(f"SELECT * FROM users WHERE name = '{name}'").fetchone()
    ```

    ## Use instead
    ```python
    import sqlite3

    def find_user(conn: sqlite3.Connection, name: str):
        return conn.execute("SELECT * FROM users WHERE name = ?", (name,)).fetchone()
    ```

    Parts that cannot carry SQL are accepted: constants (literals, module
    and class constants, values astroid proves constant), numbers (`int()`,
    `len()`, `%d`, `{:d}`), placeholder lists (`", ".join("?" * len(ids))`),
    and identifiers passed through a quoting function (`quote_name`,
    `connection.ops.quote_name`, `psycopg.sql.Identifier`, SQLAlchemy
    `quoted_name`).

    When request data is part of the query, the message names it and the
    line it entered on: `SQL built with an f-string from request.args['q']
    (line 12) reaches cursor.execute()`.

    ## Options
    None.

    ## Known limitations
    Values returned by helper functions are not followed yet: a query built
    inside a helper and executed by its caller is not reported.  A query
    received as a parameter and executed unchanged is not reported.

    ## References
    - [CWE-89: SQL Injection](https://cwe.mitre.org/data/definitions/89.html)
    - [PEP 249: parameters](https://peps.python.org/pep-0249/#paramstyle)
    - [OWASP SQL Injection Prevention Cheat Sheet](https://cheatsheetseries.owasp.org/cheatsheets/SQL_Injection_Prevention_Cheat_Sheet.html)
    """

    code = "SEC001"
    name = "sql-built-from-strings"
    source_hints = db.DRIVER_HINTS
    message = "SQL built with {how} from {parts}{where} reaches {sink}(); pass values as query parameters"
    cwe = (89,)
    severity = Severity.HIGH
    node_types = (ast.Call,)
    call_names = db.DRIVER_METHODS | last_names(db.COMPOSABLE_SQL)

    def check(self, node: ast.Call, ctx: ModuleContext) -> Iterator[Finding]:
        func = node.func
        if not isinstance(func, ast.Attribute):
            return
        receiver: ast.expr | None = None
        if func.attr in db.DRIVER_METHODS:
            receiver = func.value
        elif func.attr != "SQL" or ctx.qualified(func) not in db.COMPOSABLE_SQL:
            return
        val = unsafe_query(query_argument(node), ctx)
        if val is None:
            return
        if receiver is not None and is_django_connection(receiver, ctx):
            return  # Django's connection is an ORM escape hatch: SEC002
        if receiver is not None and func.attr in db.AMBIGUOUS_METHODS or not val.text.strip():
            # Many objects have .execute()/.fetch(): the receiver or the text
            # itself must say this is SQL.
            sql_text = db.looks_like_sql(val.text)
            if not sql_text and not (receiver is not None and val.text.strip()
                                     and is_database_receiver(receiver, ctx)):
                return
        val = ctx.refine(val)
        if val.unsafe:
            yield self.finding(node, **describe(val, node))


@register
class SqlBuiltForOrm(Rule):
    """## What it does
    Flags SQL text built with an f-string, `%`, `.format()`, `+` or `join`
    from parts that are not proven constant, when it reaches an ORM's raw-SQL
    escape hatch: SQLAlchemy `text()`, `literal_column()`,
    `exec_driver_sql()`; Django `Manager.raw()`, `QuerySet.extra()`,
    `RawSQL`, `connection.cursor().execute()`; `pandas.read_sql*`.

    ## Why is this bad?
    These calls bypass the ORM's parameter binding: whatever is spliced into
    the text is parsed as SQL, so a crafted value can read or change any
    table the application can reach.

    ## Example
    ```python
    from sqlalchemy import text

    def orders_for(session, customer):
        return session.execute(text(f"SELECT * FROM orders WHERE customer = '{customer}'"))
    ```

    ## Use instead
    ```python
    from sqlalchemy import text

    def orders_for(session, customer):
        stmt = text("SELECT * FROM orders WHERE customer = :customer")
        return session.execute(stmt, {"customer": customer})
    ```

    Bound parameters (`text(":x").bindparams(...)`, `params=` of `raw()`,
    `RawSQL(sql, params)`, `read_sql(sql, con, params=...)`) are the fix;
    constant and quoted parts are accepted as in SEC001; as there, the
    message names the request data that is part of the query.

    ## Options
    None.

    ## Known limitations
    As SEC001: queries built in helper functions are not followed yet.

    ## References
    - [CWE-89: SQL Injection](https://cwe.mitre.org/data/definitions/89.html)
    - [SQLAlchemy: using textual SQL](https://docs.sqlalchemy.org/en/20/core/sqlelement.html#sqlalchemy.sql.expression.text)
    - [Django: performing raw SQL queries](https://docs.djangoproject.com/en/stable/topics/db/sql/)
    """

    code = "SEC002"
    name = "sql-built-for-orm"
    source_hints = db.ORM_HINTS
    message = "SQL built with {how} from {parts}{where} reaches {sink}(); use bound parameters instead"
    cwe = (89,)
    severity = Severity.HIGH
    node_types = (ast.Call,)
    call_names = db.ORM_SQL_METHODS | db.DRIVER_METHODS | db.ORM_SQL_CALL_NAMES

    def check(self, node: ast.Call, ctx: ModuleContext) -> Iterator[Finding]:
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
        if name is None:
            return
        args: list[ast.expr | None]
        connection: ast.expr | None = None  # a driver call counts on Django's connection only
        if isinstance(func, ast.Attribute) and name in db.ORM_SQL_METHODS:
            if name in ("raw", "extra") and "objects" not in (ctx.names.chain(func.value) or "").split(".") \
                    and not _is_queryset(func.value, ctx):
                return
            if name == "extra":
                args = [kw.value for kw in node.keywords if kw.arg in EXTRA_KEYWORDS]
            else:
                args = [query_argument(node)]
        elif isinstance(func, ast.Attribute) and name in db.DRIVER_METHODS:
            connection = func.value
            args = [query_argument(node)]
        elif name in db.ORM_SQL_CALL_NAMES and ctx.qualified(func) in db.ORM_SQL_CALLS:
            args = [query_argument(node)]
        else:
            return
        for arg in args:
            val = unsafe_query(arg, ctx) if arg is not None else None
            if val is not None and (val.text.strip() or name in ("text", "RawSQL", "extra")):
                if connection is not None and not is_django_connection(connection, ctx):
                    return  # asked once the query is worth it: it may take the function's flow
                val = ctx.refine(val)
                if val.unsafe:
                    yield self.finding(node, **describe(val, node))
                    return


def _is_queryset(receiver: ast.expr, ctx: ModuleContext) -> bool:
    """``Model.objects.filter(...).extra(...)``: a call chain through ``objects``."""
    return "objects" in (ctx.value(receiver, infer=False).origin or "").split(".")
