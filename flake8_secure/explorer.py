"""The rule explorer: ``python -m flake8_secure`` lists the rules and
``python -m flake8_secure SEC001`` prints one rule's doc page."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TextIO

from flake8_secure import __version__
from flake8_secure.docs import cwe_links, render
from flake8_secure.registry import RULES, Rule, load_rules

load_rules()

HEADER = ("CODE", "NAME", "DEFAULT", "CWE")


def rows() -> list[tuple[str, str, str, str]]:
    return [(r.code, r.name, "on" if r.default_on else "off", cwe_links(r)) for r in RULES]


def table() -> str:
    """Every registered rule, one aligned line each, in code order."""
    lines = [HEADER, *rows()]
    widths = [max(len(line[i]) for line in lines) for i in range(len(HEADER) - 1)]
    return "\n".join(
        "  ".join([*(cell.ljust(w) for cell, w in zip(line, widths)), line[-1]]) for line in lines
    )


def find(query: str) -> type[Rule] | None:
    """A rule by code (any case) or by name."""
    wanted = query.strip()
    for rule in RULES:
        if wanted.upper() == rule.code or wanted.lower() == rule.name:
            return rule
    return None


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    parser = argparse.ArgumentParser(
        prog="python -m flake8_secure",
        description="List flake8-secure's rules, or show one rule's documentation.",
    )
    parser.add_argument("rule", nargs="?", help="a rule code (SEC001) or name (sql-built-from-strings)")
    parser.add_argument("--version", action="version", version=f"flake8-secure {__version__}")
    args = parser.parse_args(argv)
    if args.rule is None:
        print(table(), file=out)
        print(f"\n{len(RULES)} rules. Show one with: python -m flake8_secure SECnnn", file=out)
        return 0
    rule = find(args.rule)
    if rule is None:
        print(f"flake8-secure: no rule {args.rule!r}; `python -m flake8_secure` lists them", file=sys.stderr)
        return 2
    print(render(rule), file=out, end="")
    return 0
