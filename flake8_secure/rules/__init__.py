"""Rule categories; importing this package registers every rule."""

from flake8_secure.rules import handlers, injection, query_injection, sql  # noqa: F401

__all__ = ["handlers", "injection", "query_injection", "sql"]
