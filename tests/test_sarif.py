"""The SARIF formatter: schema-valid logs, what code scanning needs, stable order."""

from __future__ import annotations

import ast
import json
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from flake8_secure.registry import RULES, Rule, split_source
from flake8_secure.sarif import SRCROOT, Reported, artifact_uri, reported, sarif_log

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
CWE_TAG = "external/cwe/cwe-{}"

SQL = "cur.execute(f\"SELECT * FROM t WHERE n = '{name}'\")"
APP = (
    "import os\n"
    "import sqlite3\n"
    "def find(name):\n"
    "    cur = sqlite3.connect('app.db').cursor()\n"
    f"    {SQL}\n"
)


def validate(log: dict[str, Any]) -> None:
    """Fails with the schema's complaint when ``log`` is not SARIF 2.1.0."""
    jsonschema.Draft4Validator.check_schema(SCHEMA)
    jsonschema.Draft4Validator(SCHEMA).validate(log)


def sec_item(line: int = 5, column: int = 5, uri: str = "app.py", text: str | None = None) -> Reported:
    rule = next(iter(RULES))
    return Reported(uri, line, column, rule.code, text or f"something about `name` (CWE-{rule.cwe[0]})")


def the_run(log: dict[str, Any]) -> dict[str, Any]:
    assert len(log["runs"]) == 1
    run: dict[str, Any] = log["runs"][0]
    return run


def test_schema_copy_is_the_sarif_2_1_0_schema() -> None:
    assert SCHEMA["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    assert SCHEMA["properties"]["version"]["enum"] == ["2.1.0"]


def test_empty_run_is_valid_and_lists_every_rule(tmp_path: Path) -> None:
    log = sarif_log([], tmp_path)
    validate(log)
    run = the_run(log)
    assert run["results"] == []
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == RULES.codes()


def test_results_of_every_kind_are_schema_valid(tmp_path: Path) -> None:
    outside = tmp_path.parent / "elsewhere.py"
    items = [
        sec_item(),
        sec_item(text="taint reaches a sink (CWE-89) [source: line 2, col 9]"),
        reported("F401", str(tmp_path / "app.py"), 1, 1, "'os' imported but unused", tmp_path),
        reported("E999", str(outside), 3, 0, "SyntaxError: invalid syntax", tmp_path),
    ]
    validate(sarif_log(items, tmp_path))


@pytest.mark.parametrize("rule", list(RULES), ids=lambda r: r.code)
def test_rule_metadata_comes_from_the_registry(rule: type[Rule], tmp_path: Path) -> None:
    rules = the_run(sarif_log([], tmp_path))["tool"]["driver"]["rules"]
    entry = next(r for r in rules if r["id"] == rule.code)
    assert entry["name"] == rule.name
    assert entry["shortDescription"]["text"] and entry["fullDescription"]["text"]
    assert entry["shortDescription"]["text"] in entry["fullDescription"]["text"]
    assert rule.code in entry["help"]["text"] and entry["help"]["markdown"]
    assert entry["helpUri"].endswith(f"/docs/rules/{rule.code}.md")
    assert (ROOT / "docs" / "rules" / f"{rule.code}.md").is_file()
    assert entry["defaultConfiguration"]["enabled"] is rule.default_on
    tags = entry["properties"]["tags"]
    assert [t for t in tags if t.startswith("external/cwe/")] == [CWE_TAG.format(n) for n in rule.cwe]
    assert 0.0 < float(entry["properties"]["security-severity"]) <= 10.0


def test_code_scanning_required_fields(tmp_path: Path) -> None:
    """What GitHub code scanning requires of an uploaded log (its "SARIF support" page)."""
    log = sarif_log([sec_item(), sec_item(line=7, column=1)], tmp_path)
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-2.1.0.json")
    run = the_run(log)
    assert run["tool"]["driver"]["name"] == "flake8-secure"
    rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    for res in run["results"]:
        assert res["message"]["text"]
        assert rule_ids[res["ruleIndex"]] == res["ruleId"]
        (location,) = res["locations"]
        physical = location["physicalLocation"]
        assert physical["artifactLocation"]["uri"] == "app.py"
        assert physical["region"]["startLine"] >= 1 and physical["region"]["startColumn"] >= 1
    assert SRCROOT in run["originalUriBaseIds"]


def test_other_plugins_codes_get_their_own_rule_entry(tmp_path: Path) -> None:
    items = [reported("F401", "app.py", 1, 1, "'os' imported but unused", tmp_path), sec_item()]
    run = the_run(sarif_log(items, tmp_path))
    rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert rule_ids == [*RULES.codes(), "F401"]
    f401 = next(r for r in run["results"] if r["ruleId"] == "F401")
    assert rule_ids[f401["ruleIndex"]] == "F401" and f401["level"] == "warning"


def test_order_is_deterministic(tmp_path: Path) -> None:
    items = [
        reported(code, name, line, col, f"message {code}", tmp_path)
        for code in ("F401", "E302", RULES.codes()[0])
        for name in ("b.py", "a.py", "pkg/z.py")
        for line, col in ((3, 1), (1, 5), (1, 2))
    ]
    expected = json.dumps(sarif_log(items, tmp_path))
    for seed in range(5):
        random.Random(seed).shuffle(items)
        assert json.dumps(sarif_log(items, tmp_path)) == expected
    positions = [
        (r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
         r["locations"][0]["physicalLocation"]["region"]["startLine"],
         r["locations"][0]["physicalLocation"]["region"]["startColumn"])
        for r in the_run(json.loads(expected))["results"]
    ]
    assert positions == sorted(positions)


def test_uris_are_relative_with_forward_slashes(tmp_path: Path) -> None:
    nested = tmp_path / "src" / "my app" / "views.py"
    assert artifact_uri(str(nested), tmp_path) == ("src/my%20app/views.py", SRCROOT)
    assert artifact_uri("./src/views.py", Path.cwd()) == ("src/views.py", SRCROOT)
    outside = tmp_path.parent / "other.py"
    assert artifact_uri(str(outside), tmp_path) == (outside.as_uri(), "")


def test_columns_are_one_based(tmp_path: Path) -> None:
    """flake8 hands formatters 1-based columns; a column 0 (some plugins) becomes 1."""
    first = reported("X100", "a.py", 0, 0, "t", tmp_path)
    assert (first.line, first.column) == (1, 1)
    later = reported("X100", "a.py", 4, 9, "t", tmp_path)
    assert (later.line, later.column) == (4, 9)


class _TaintLike(Rule):
    code, name, message, cwe = "SEC999", "taint-like", "`{name}` reaches a sink; do not", (78,)


def test_source_marker_round_trips_to_related_locations(tmp_path: Path) -> None:
    tree = ast.parse("name = request.args['q']\nos.system(name)\n")
    source, sink = tree.body[0].value, tree.body[1].value  # type: ignore[attr-defined]
    finding = _TaintLike().finding_from(source, sink, name="name")
    text, where = split_source(finding.text)
    assert text == "SEC999 `name` reaches a sink; do not (CWE-78)"
    assert where is not None and (where.line, where.column) == (1, 8)
    # reported under a registered code: the formatter indexes rules by code
    item = reported("SEC001", "app.py", finding.line, finding.col + 1, finding.text.split(" ", 1)[1], tmp_path)
    log = sarif_log([item], tmp_path)
    validate(log)
    (res,) = the_run(log)["results"]
    assert res["message"]["text"].endswith("(CWE-78); it comes from this [source](1)")
    (related,) = res["relatedLocations"]
    assert related["id"] == 1 and related["physicalLocation"]["region"] == {"startLine": 1, "startColumn": 8}
    steps = res["codeFlows"][0]["threadFlows"][0]["locations"]
    regions = [s["location"]["physicalLocation"]["region"] for s in steps]
    assert regions == [{"startLine": 1, "startColumn": 8}, {"startLine": 2, "startColumn": 1}]


def test_findings_without_a_source_have_no_flow(tmp_path: Path) -> None:
    assert split_source("SEC001 plain message (CWE-89)") == ("SEC001 plain message (CWE-89)", None)
    (res,) = the_run(sarif_log([sec_item()], tmp_path))["results"]
    assert "relatedLocations" not in res and "codeFlows" not in res


def flake8(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "flake8", "--isolated", *args]
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=300)


def test_cli_writes_one_valid_log(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "app.py").write_text(APP)
    args = ("--select", "SEC,F401", "--format=sarif", "--output-file=out/results.sarif", "--statistics", ".")
    for _ in range(2):  # a second run replaces the file instead of appending to it
        proc = flake8(tmp_path, *args)
        assert proc.returncode == 1 and "Traceback" not in proc.stderr
    log = json.loads((tmp_path / "out" / "results.sarif").read_text(encoding="utf-8"))
    validate(log)
    results = the_run(log)["results"]
    assert [(r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]) for r in results] == [
        ("F401", "pkg/app.py"), ("SEC001", "pkg/app.py")
    ]
    assert results[1]["locations"][0]["physicalLocation"]["region"] == {"startLine": 5, "startColumn": 5}


def test_cli_writes_to_stdout_without_output_file(tmp_path: Path) -> None:
    (tmp_path / "clean.py").write_text("x = 1\n")
    proc = flake8(tmp_path, "--select", "SEC", "--format=sarif", "clean.py")
    assert proc.returncode == 0, proc.stderr
    log = json.loads(proc.stdout)
    validate(log)
    assert the_run(log)["results"] == []


def test_cli_log_does_not_depend_on_jobs(tmp_path: Path) -> None:
    for i in range(6):
        (tmp_path / f"mod{i}.py").write_text(APP)
    logs = []
    for jobs in ("1", "2"):
        out = f"j{jobs}.sarif"
        proc = flake8(tmp_path, "--select", "SEC,F401", "-j", jobs, "--format=sarif", f"--output-file={out}", ".")
        assert proc.returncode == 1, proc.stderr
        logs.append((tmp_path / out).read_text(encoding="utf-8"))
    assert logs[0] == logs[1]
    assert len(the_run(json.loads(logs[0]))["results"]) == 12


def test_taint_finding_carries_its_source(tmp_path: Path) -> None:
    from flake8_secure.registry import SourceLocation, split_source

    text = "SEC012 request.args['h'] (line 6) reaches os.system(); pass an argument list without a shell (CWE-78)"
    assert split_source(text) == (text, SourceLocation(6, 1))
    assert split_source("SEC001 SQL built with an f-string from `x` reaches c.execute(); ... (CWE-89)")[1] is None
