"""Database APIs: where SQL text is executed, and what makes a part of it safe."""

from __future__ import annotations

import re

# Methods that run SQL text passed as their first argument, on any DB-API
# cursor/connection (sqlite3, psycopg, MySQLdb, pymysql, aiosqlite) or
# asyncpg connection/pool.
DRIVER_METHODS = frozenset(
    {
        "execute", "executemany", "executescript",
        "fetch", "fetchrow", "fetchval", "fetchone", "fetchall", "fetchmany",
        "copy_expert", "mogrify",
    }
)
# Of those, the ones common enough on non-database objects (HTTP clients,
# task runners) that the receiver or the string itself must look like SQL.
AMBIGUOUS_METHODS = frozenset({"execute", "fetch", "fetchone", "fetchall", "fetchmany", "fetchrow", "fetchval"})

# Receivers whose name says they are a database handle.
DB_RECEIVER = re.compile(
    r"(?:^|_)(?:cursor|cur|curs|conn|connection|db|database|sqlite|pg|pool|con|c|tx|transaction|session)$",
    re.IGNORECASE,
)
# Calls that return a database handle: ``sqlite3.connect(...).execute``.
DB_FACTORIES = frozenset({"cursor", "connect", "acquire", "get_connection"})

# Text that must appear in a file for a sink to be there at all (the name
# of the method, or of the library a qualified name must resolve to).
DRIVER_HINTS = ("execute", "fetch", "mogrify", "copy_expert", "psycopg")
ORM_HINTS = ("sqlalchemy", "exec_driver_sql", "RawSQL", "objects", "django", "pandas", "read_sql")

# ORM escape hatches taking raw SQL (qualified name or method name).
ORM_SQL_CALLS = frozenset(
    {
        "sqlalchemy.text",
        "sqlalchemy.sql.text",
        "sqlalchemy.sql.expression.text",
        "sqlalchemy.literal_column",
        "sqlalchemy.sql.literal_column",
        "sqlalchemy.sql.expression.literal_column",
        "django.db.models.expressions.RawSQL",
        "django.db.models.RawSQL",
        "pandas.read_sql",
        "pandas.read_sql_query",
    }
)
ORM_SQL_CALL_NAMES = frozenset(name.rsplit(".", 1)[-1] for name in ORM_SQL_CALLS)
ORM_SQL_METHODS = frozenset({"raw", "extra", "exec_driver_sql"})
# psycopg's composable SQL: the text given to ``sql.SQL`` is trusted as-is.
COMPOSABLE_SQL = frozenset({"psycopg.sql.SQL", "psycopg2.sql.SQL"})

# Functions whose result is safe to put into SQL text: identifier/value
# quoting (Django ``connection.ops.quote_name``, SQLAlchemy ``quoted_name``
# and identifier preparers, psycopg ``sql.Identifier``/``sql.Literal``).
# Matched on the last name component, since they are mostly methods.
QUOTERS = frozenset(
    {
        "quote_name", "quote_name_unless_alias", "quote_ident", "quote_identifier",
        "quoted_name", "quote", "quote_value", "quote_schema", "format_table",
        "format_column", "format_label", "Identifier", "Literal", "Placeholder",
        "escape_string", "escape_identifier", "escape_literal", "sql_quote",
    }
)
# Builders of objects that are safe by construction (psycopg composables).
SAFE_CONSTRUCTORS = frozenset(
    {"psycopg.sql.SQL", "psycopg2.sql.SQL", "psycopg.sql.Composed", "psycopg2.sql.Composed"}
)

# Statement keywords; a string whose constant text matches looks like SQL.
_SQL_SHAPE = re.compile(
    r"""^\s*(?:\(\s*)?(?:select|insert|update|delete|replace|merge|upsert|with|create|drop|alter|
        truncate|grant|revoke|pragma|explain|analyze|vacuum|call|exec|execute|declare|set|show|
        describe|desc|use|begin|commit|rollback|savepoint|release|copy|lock|comment|reindex|attach)\b
      |\b(?:select\b[\s\S]*\bfrom|insert\s+into|delete\s+from|update\b[\s\S]*\bset|
        where\b[\s\S]*(?:=|\blike\b|\bin\b)|order\s+by|group\s+by|join\b[\s\S]*\bon)\b""",
    re.IGNORECASE | re.VERBOSE,
)


def looks_like_sql(text: str) -> bool:
    return bool(_SQL_SHAPE.search(text))
