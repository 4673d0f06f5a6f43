"""Rule categories; importing this package registers every rule."""

from flake8_secure.rules import errors, injection, logs, robustness, sql  # noqa: F401

__all__ = ["errors", "injection", "logs", "robustness", "sql"]
