"""Rule categories; importing this package registers every rule."""

from flake8_secure.rules import injection, query_injection, sql  # noqa: F401

__all__ = ["injection", "query_injection", "sql"]
