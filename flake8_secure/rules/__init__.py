"""Rule categories; importing this package registers every rule."""

from flake8_secure.rules import (  # noqa: F401
    injection,
    privileges,
    sql,
    transport,
    transport_protocols,
    transport_web,
)

__all__ = ["injection", "privileges", "sql", "transport", "transport_protocols", "transport_web"]
