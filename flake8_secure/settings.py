"""Options parsed once per flake8 run into a frozen Settings object."""

from __future__ import annotations

from dataclasses import dataclass, field

DEFAULT_FILE_TIME_LIMIT = 10.0


@dataclass(frozen=True)
class Settings:
    """What the checker needs to know about the user's configuration.

    ``enabled_codes`` is computed by the plugin from flake8's select/ignore
    options: rules outside it are dropped before the walk, so an unselected
    rule costs nothing.
    """

    enabled_codes: frozenset[str] = field(default_factory=frozenset)
    # Re-raise internal errors instead of logging them (tests, development).
    strict: bool = False
    # Seconds of analysis per file before the plugin gives up on that file.
    file_time_limit: float = DEFAULT_FILE_TIME_LIMIT
    # Host globs where plain HTTP is acceptable (SEC040, SEC044), beyond the built-in list.
    allowed_hosts: tuple[str, ...] = ()
