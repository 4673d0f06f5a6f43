"""The GitHub Actions workflow (it cannot run here): its shape, read as YAML."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent


def workflow() -> dict[str, Any]:
    data = yaml.safe_load((ROOT / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def runs(job: dict[str, Any]) -> list[str]:
    return [step["run"] for step in job["steps"] if "run" in step]


def test_tests_run_on_the_oldest_and_newest_python() -> None:
    test = workflow()["jobs"]["test"]
    assert test["strategy"]["matrix"]["python-version"] == ["3.10", "3.13"]
    assert "python -m pytest" in runs(test)
    assert any(r.startswith("python -m flake8 --select SEC ") for r in runs(test))


def test_sarif_is_written_then_uploaded() -> None:
    job = workflow()["jobs"]["code-scanning"]
    assert job["permissions"]["security-events"] == "write"
    lint = next(r for r in runs(job) if "--format=sarif" in r)
    assert "--output-file=results.sarif" in lint
    upload = next(s for s in job["steps"] if s.get("uses", "").startswith("github/codeql-action/upload-sarif@"))
    assert upload["with"]["sarif_file"] == "results.sarif"
