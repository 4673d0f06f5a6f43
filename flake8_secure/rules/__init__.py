"""Rule categories; importing this package registers every rule."""

from flake8_secure.rules import injection, server_side, sql, web_injection  # noqa: F401

__all__ = ["injection", "server_side", "sql", "web_injection"]
