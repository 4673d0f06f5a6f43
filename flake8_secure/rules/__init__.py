"""Rule categories; importing this package registers every rule."""

from flake8_secure.rules import (  # noqa: F401
    ciphers,
    crypto,
    errors,
    housekeeping,
    injection,
    logs,
    privileges,
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
    "ciphers", "crypto", "errors", "housekeeping", "injection", "logs", "privileges", "robustness", "secrets",
    "server_side", "sql", "timing", "transport", "transport_protocols", "transport_web", "web_injection",
]
