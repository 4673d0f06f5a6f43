"""In one process, a file's findings do not depend on which files were linted
before it: caches (summaries, resolved names, astroid trees) never leak."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import ALL_CODES, run_checker

ROOT = Path(__file__).resolve().parent.parent
SELECT = ",".join(sorted(ALL_CODES))


def corpus() -> list[Path]:
    files = sorted((ROOT / "tests" / "fixtures").rglob("*.py")) + sorted((ROOT / "examples").rglob("*.py"))
    assert len(files) >= 5
    return files


def lint_in_order(files: list[Path]) -> dict[str, list[tuple[int, int, str]]]:
    return {str(p): run_checker(p.read_text(encoding="utf-8"), select=SELECT, filename=str(p)) for p in files}


def test_findings_do_not_depend_on_file_order() -> None:
    files = corpus()
    forward = lint_in_order(files)
    backward = lint_in_order(list(reversed(files)))
    interleaved = lint_in_order(files[::2] + files[1::2])
    assert any(forward.values())
    assert forward == backward == interleaved


def test_same_package_name_in_two_projects_never_shares_modules(tmp_path: Path) -> None:
    """A monorepo with two ``shop`` packages: each file sees its own siblings."""
    query = "from .settings import TABLE\ndef f(cur):\n    cur.execute('SELECT * FROM ' + TABLE)\n"
    apps = []
    for name, table in (("one", "'orders'"), ("two", "input()")):
        pkg = tmp_path / name / "shop"
        pkg.mkdir(parents=True)
        (pkg / "__init__.py").write_text("")
        (pkg / "settings.py").write_text(f"TABLE = {table}\n")
        (pkg / "repo.py").write_text(query)
        apps.append(pkg / "repo.py")
    for order in (apps, apps[::-1]):
        found = {p.parent.parent.name: run_checker(p.read_text(), select="SEC001", filename=str(p)) for p in order}
        assert found["one"] == []  # a constant table name from its own settings
        assert [line for line, _, _ in found["two"]] == [3]  # input() is not proven constant
