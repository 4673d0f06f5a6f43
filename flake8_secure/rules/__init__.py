"""Rule categories; importing this package registers every rule."""

from flake8_secure.rules import ciphers, crypto, housekeeping, secrets, sql  # noqa: F401

__all__ = ["ciphers", "crypto", "housekeeping", "secrets", "sql"]
