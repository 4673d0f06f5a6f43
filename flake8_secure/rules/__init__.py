"""Rule categories; importing this package registers every rule."""

from flake8_secure.rules import (  # noqa: F401
    ciphers,
    crypto,
    errors,
    handlers,
    housekeeping,
    injection,
    logs,
    privileges,
    query_injection,
    robustness,
    secrets,
    server_side,
    sql,
    timing,
    transport,
    transport_protocols,
    transport_web,
    web_injection,
)

__all__ = [
    "ciphers", "crypto", "errors", "handlers", "housekeeping", "injection", "logs", "privileges",
    "query_injection", "robustness", "secrets", "server_side", "sql", "timing", "transport",
    "transport_protocols", "transport_web", "web_injection",
]
