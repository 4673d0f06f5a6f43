"""The rule explorer (``python -m flake8_secure``) reads the registry."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest

from flake8_secure.docs import render
from flake8_secure.explorer import main
from flake8_secure.registry import RULES, Rule


def explore(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    status = main(list(argv), out)
    return status, out.getvalue()


def test_listing_has_one_line_per_rule_in_code_order() -> None:
    status, text = explore()
    lines = text.splitlines()
    assert status == 0 and lines[0].split() == ["CODE", "NAME", "DEFAULT", "CWE"]
    listed = [line.split() for line in lines[1: len(RULES) + 1]]
    assert [row[0] for row in listed] == RULES.codes()
    for row, rule in zip(listed, RULES):
        default = "on" if rule.default_on else "off"
        assert row[:3] == [rule.code, rule.name, default]
        assert " ".join(row[3:]) == (", ".join(f"CWE-{n}" for n in rule.cwe) or "no CWE")


@pytest.mark.parametrize("rule", list(RULES), ids=lambda r: r.code)
def test_rule_page_by_code_or_name(rule: type[Rule]) -> None:
    assert explore(rule.code) == (0, render(rule))
    assert explore(rule.code.lower()) == (0, render(rule))
    assert explore(rule.name) == (0, render(rule))


def test_unknown_rule_fails_with_a_hint(capsys: pytest.CaptureFixture[str]) -> None:
    status, text = explore("SEC9")
    assert status == 2 and text == ""
    assert "no rule 'SEC9'" in capsys.readouterr().err


def test_runs_as_a_module() -> None:
    proc = subprocess.run([sys.executable, "-m", "flake8_secure"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert all(code in proc.stdout for code in RULES.codes())
    first = RULES.codes()[0]
    proc = subprocess.run([sys.executable, "-m", "flake8_secure", first], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and proc.stdout.startswith(f"# {first} ")
