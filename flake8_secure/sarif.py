"""SARIF 2.1.0 output for code scanning: ``flake8 --format=sarif``.

A flake8 report formatter (entry point ``flake8.report``, name ``sarif``).  It
collects every violation flake8 reports, flake8-secure's and other plugins',
and writes one SARIF log with one run when flake8 stops reporting.  The rule
metadata comes from the registry; other plugins' codes get a bare rule entry.
The log is built by plain functions (``sarif_log``) so it can be tested
without running flake8.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from flake8.formatting.base import BaseFormatter

from flake8_secure import __version__
from flake8_secure.docs import DOC_URL, render, sections
from flake8_secure.registry import RULES, Rule, Severity, SourceLocation, load_rules, split_source

load_rules()

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
INFORMATION_URI = "https://github.com/flake8-secure/flake8-secure"

# GitHub code scanning reads ``security-severity`` (a number 0.0-10.0, as a
# string) to rank alerts: over 9.0 critical, 7.0-8.9 high, 4.0-6.9 medium.
SECURITY_SEVERITY = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "3.0",
}
LEVEL = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
}
# Other plugins' codes carry no severity: report them as warnings.
OTHER_LEVEL = "warning"

_SENTENCE_END = re.compile(r"(?<=[.!?])\s")

Json = dict[str, Any]


@dataclass(frozen=True, order=True)
class Reported:
    """One violation as flake8 reported it; ordered as the results are written."""

    uri: str
    line: int
    column: int
    code: str
    text: str
    # "%SRCROOT%" for a uri relative to the working directory, "" for an absolute one
    base: str = SRCROOT


def plain(text: str) -> str:
    """A doc section as one line of text."""
    return " ".join(text.split())


def rule_descriptor(rule: type[Rule]) -> Json:
    """The ``reportingDescriptor`` of one registered rule."""
    what = plain(sections(rule.__doc__).get("What it does", rule.name))
    page = render(rule)
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": _SENTENCE_END.split(what, 1)[0]},
        "fullDescription": {"text": what},
        "help": {"text": page, "markdown": page},
        "helpUri": DOC_URL.format(code=rule.code),
        "defaultConfiguration": {"enabled": rule.default_on, "level": LEVEL[rule.severity]},
        "properties": {
            "tags": ["security", *(f"external/cwe/cwe-{n}" for n in rule.cwe)],
            "security-severity": SECURITY_SEVERITY[rule.severity],
            "problem.severity": "error" if LEVEL[rule.severity] == "error" else "warning",
        },
    }


def other_descriptor(code: str) -> Json:
    """The ``reportingDescriptor`` of another plugin's code: only what is known."""
    return {"id": code, "defaultConfiguration": {"level": OTHER_LEVEL}}


def artifact_uri(filename: str, root: Path) -> tuple[str, str]:
    """(uri, uriBaseId): relative to ``root`` under %SRCROOT%, forward slashes,
    percent-encoded; an absolute ``file:`` URI (no base) for files outside it."""
    path = Path(os.path.abspath(filename))
    try:
        rel = os.path.relpath(path, root)
    except ValueError:  # another drive on Windows
        rel = os.pardir
    if rel == os.pardir or rel.startswith(os.pardir + os.sep):
        return path.as_uri(), ""
    return quote(rel.replace(os.sep, "/")), SRCROOT


def reported(code: str, filename: str, line: int, column: int, text: str, root: Path) -> Reported:
    """A violation's fields (flake8's 1-based line and column) as a ``Reported``."""
    uri, base = artifact_uri(filename, root)
    return Reported(uri, max(line, 1), max(column, 1), code, text, base)


def _location(item: Reported, line: int, column: int, message: str | None = None) -> Json:
    artifact = {"uri": item.uri, "uriBaseId": item.base} if item.base else {"uri": item.uri}
    location: Json = {
        "physicalLocation": {
            "artifactLocation": artifact,
            "region": {"startLine": line, "startColumn": column},
        }
    }
    if message:
        location["message"] = {"text": message}
    return location


def result(item: Reported, rule_index: int, level: str) -> Json:
    """One ``result``; a finding naming its source gets the source as a related
    location (linked from the message, as code scanning shows it) and a
    two-step code flow from the source to the reported line."""
    text, source = split_source(item.text)
    entry: Json = {
        "ruleId": item.code,
        "ruleIndex": rule_index,
        "level": level,
        "message": {"text": text},
        "locations": [_location(item, item.line, item.column)],
    }
    if source is not None:
        entry.update(source_flow(item, text, source))
    return entry


def source_flow(item: Reported, text: str, source: SourceLocation) -> Json:
    origin = _location(item, source.line, source.column, "source")
    return {
        "message": {"text": f"{text}; it comes from this [source](1)"},
        "relatedLocations": [{"id": 1, **origin}],
        "codeFlows": [{
            "threadFlows": [{
                "locations": [
                    {"location": origin},
                    {"location": _location(item, item.line, item.column, "reported here")},
                ]
            }]
        }],
    }


def sarif_log(items: Iterable[Reported], root: Path) -> Json:
    """The whole SARIF log: one run, every registered rule, results sorted."""
    ordered = sorted(set(items))
    descriptors = [rule_descriptor(rule) for rule in RULES]
    known = {rule.code for rule in RULES}
    others = sorted({item.code for item in ordered} - known)
    descriptors += [other_descriptor(code) for code in others]
    index = {d["id"]: i for i, d in enumerate(descriptors)}
    results = []
    for item in ordered:
        level = LEVEL[RULES[item.code].severity] if item.code in known else OTHER_LEVEL
        results.append(result(item, index[item.code], level))
    return {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [{
            "tool": {
                "driver": {
                    "name": "flake8-secure",
                    "version": __version__,
                    "semanticVersion": __version__,
                    "informationUri": INFORMATION_URI,
                    "rules": descriptors,
                }
            },
            "originalUriBaseIds": {SRCROOT: {"uri": root.as_uri().rstrip("/") + "/"}},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }


class SarifFormatter(BaseFormatter):  # type: ignore[misc]  # flake8 ships no types
    """``--format=sarif``: one SARIF 2.1.0 log, written when reporting stops."""

    def after_init(self) -> None:
        self.items: list[Reported] = []
        self.root = Path.cwd()

    def start(self) -> None:
        # The base class appends to --output-file; a SARIF file must hold one log.
        if self.filename:
            os.makedirs(os.path.dirname(os.path.abspath(self.filename)), exist_ok=True)
            self.output_fd = open(self.filename, "w", encoding="utf-8")

    def handle(self, error: Any) -> None:
        self.items.append(reported(
            error.code, error.filename, error.line_number, error.column_number, error.text, self.root
        ))

    def format(self, error: Any) -> str | None:
        return None

    def show_statistics(self, statistics: Any) -> None:
        """``--statistics`` has no place in a SARIF log; it would break the JSON."""

    def show_benchmarks(self, benchmarks: Any) -> None:
        """``--benchmark`` likewise."""

    def stop(self) -> None:
        self._write(json.dumps(sarif_log(self.items, self.root), indent=2, ensure_ascii=False))
        super().stop()
