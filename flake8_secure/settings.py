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
    # Taint model extensions (dotted names): what a team's own code makes
    # a source, a sanitizer (for categories) or a sink (of a category).
    extra_sources: frozenset[str] = frozenset()
    extra_sanitizers: dict[str, frozenset[str]] = field(default_factory=dict)
    extra_sinks: dict[str, str] = field(default_factory=dict)
    # Host globs where plain HTTP is acceptable (SEC040, SEC044), beyond the built-in list.
    allowed_hosts: tuple[str, ...] = ()
    # SEC022: the regular expression naming secrets (empty: the built-in one).
    sensitive_names: str = ""
    # SEC010: also report single request fields written into records
    # without validation, not only whole payloads.
    strict_validation: bool = False


def parse_extra(values: list[str] | str | None, default: str) -> dict[str, frozenset[str]]:
    """``name`` or ``name:cat1+cat2`` entries (comma or newline separated)."""
    if isinstance(values, str):
        values = [values]
    parsed: dict[str, frozenset[str]] = {}
    for value in values or []:
        for entry in value.replace("\n", ",").split(","):
            entry = entry.strip()
            if not entry:
                continue
            name, _, cats = entry.partition(":")
            parsed[name.strip()] = frozenset(c.strip() for c in (cats or default).split("+") if c.strip())
    return parsed
