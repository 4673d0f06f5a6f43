"""Rule categories; importing this package registers every rule."""

from flake8_secure.rules import privileges, sql, transport, transport_protocols, transport_web  # noqa: F401

__all__ = ["privileges", "sql", "transport", "transport_protocols", "transport_web"]
