"""Render each rule's doc page (docs/rules/SECnnn.md) from its docstring.

``python -m flake8_secure.docs`` rewrites the committed pages; a test fails
when a page differs from what the registry renders.
"""

from __future__ import annotations

import inspect
import re
import sys
from pathlib import Path

from flake8_secure.registry import RULES, Rule, load_rules

REQUIRED_HEADINGS = ("What it does", "Why is this bad?", "Example", "Use instead", "Options", "References")
_HEADING = re.compile(r"^## (.+)$", re.MULTILINE)
_FENCE = re.compile(r"```python\n(.*?)```", re.DOTALL)
# Where each rule's rendered page is published (the SARIF helpUri).
DOC_URL = "https://github.com/flake8-secure/flake8-secure/blob/main/docs/rules/{code}.md"


def sections(doc: str | None) -> dict[str, str]:
    """Docstring sections by heading (``## What it does`` -> ``What it does``)."""
    text = inspect.cleandoc(doc or "")
    parts = _HEADING.split(text)
    return {parts[i].strip(): parts[i + 1].strip() for i in range(1, len(parts) - 1, 2)}


def code_block(section: str) -> str:
    """The first ```python block of a section."""
    match = _FENCE.search(section)
    return match.group(1) if match else ""


def cwe_links(rule: type[Rule]) -> str:
    return ", ".join(f"CWE-{n}" for n in rule.cwe) or "no CWE"


def render(rule: type[Rule]) -> str:
    default = "On by default" if rule.default_on else "Off by default (select it by code)"
    lines = [
        f"# {rule.code} {rule.name}",
        "",
        f"Severity: {rule.severity.value} · {cwe_links(rule)} · {default} · Added in {rule.added_in}",
        "",
        inspect.cleandoc(rule.__doc__ or ""),
        "",
    ]
    return "\n".join(lines)


def readme_table() -> str:
    rows = ["| Code | Name | Default | CWE |", "|---|---|---|---|"]
    for rule in RULES:
        rows.append(
            f"| [{rule.code}](docs/rules/{rule.code}.md) | {rule.name} | "
            f"{'on' if rule.default_on else 'off'} | {cwe_links(rule)} |"
        )
    return "\n".join(rows)


def write_all(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for rule in RULES:
        path = directory / f"{rule.code}.md"
        path.write_text(render(rule), encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    load_rules()
    args = sys.argv[1:] if argv is None else argv
    target = Path(args[0]) if args else Path(__file__).resolve().parent.parent / "docs" / "rules"
    for path in write_all(target):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
