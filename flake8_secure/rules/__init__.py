"""Rule categories; importing this package registers every rule."""

from flake8_secure.rules import (  # noqa: F401
    errors,
    injection,
    logs,
    privileges,
    robustness,
    server_side,
    sql,
    timing,
    transport,
    transport_protocols,
    transport_web,
    web_injection,
)

__all__ = [
    "errors", "injection", "logs", "privileges", "robustness", "server_side", "sql", "timing", "transport",
    "transport_protocols", "transport_web", "web_injection",
]
