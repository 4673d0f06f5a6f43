"""Rule categories; importing this package registers every rule."""

from flake8_secure.rules import injection, sql  # noqa: F401

__all__ = ["injection", "sql"]
