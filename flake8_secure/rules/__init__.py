"""Rule categories; importing this package registers every rule."""

from flake8_secure.rules import (  # noqa: F401
    injection,
    privileges,
    server_side,
    sql,
    transport,
    transport_protocols,
    transport_web,
    web_injection,
)

__all__ = [
    "injection", "privileges", "server_side", "sql", "transport", "transport_protocols", "transport_web",
    "web_injection",
]
