"""Product catalogue on sqlite3."""
import sqlite3

from .settings import PAGE_SIZE, PRODUCTS_TABLE


def connect() -> sqlite3.Connection:
    return sqlite3.connect("shop.db")


def search(term: str, sort: str) -> list[tuple[object, ...]]:
    query = f"SELECT id, name FROM {PRODUCTS_TABLE} WHERE name LIKE '%{term}%'"
    query += " ORDER BY " + sort
    return connect().execute(query).fetchall()


def search_safe(term: str, descending: bool) -> list[tuple[object, ...]]:
    order = "DESC" if descending else "ASC"
    query = f"SELECT id, name FROM {PRODUCTS_TABLE} WHERE name LIKE ? ORDER BY name {order} LIMIT {PAGE_SIZE}"
    return connect().execute(query, (f"%{term}%",)).fetchall()


def by_ids(ids: list[int]) -> list[tuple[object, ...]]:
    marks = ", ".join("?" * len(ids))
    return connect().execute(f"SELECT * FROM {PRODUCTS_TABLE} WHERE id IN ({marks})", ids).fetchall()
