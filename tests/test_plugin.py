"""Checker behaviour: which rules run, the per-file time guard, output order."""

from __future__ import annotations

import ast
import gc
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest
from flake8.api import legacy

from flake8_secure import registry
from flake8_secure.analysis.context import ModuleContext
from flake8_secure.plugin import Checker, enabled_codes
from flake8_secure.registry import RULES, Finding, Rule, Severity
from flake8_secure.settings import Settings
from tests.helpers import checks_asked


class _DefaultOff(Rule):
    """A stand-in default-off rule (no real one exists in this family yet)."""

    code = "SEC098"
    name = "stand-in-default-off"
    message = "stand-in"
    cwe = ()
    severity = Severity.LOW
    node_types = (ast.Module,)
    default_on = False

    def check(self, node: ast.Module, ctx: object) -> Iterator[Finding]:
        yield self.finding(node)


@pytest.fixture()
def default_off_rule(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setitem(RULES._rules, "SEC098", _DefaultOff)
    yield


def options(**kwargs: object) -> object:
    return legacy.get_style_guide(**kwargs).options


@pytest.mark.parametrize(
    ("config", "default_off_runs"),
    [
        ({"select": ["SEC"]}, False),
        ({}, False),
        ({"select": ["SEC", "SEC098"]}, True),
        ({"select": ["SEC09"]}, True),
        ({"extend_select": ["SEC098"]}, True),
        ({"select": ["SEC098"], "extend_ignore": ["SEC098"]}, False),
    ],
    ids=["select-sec", "no-select", "named-by-code", "longer-prefix", "extend-select", "ignored"],
)
def test_default_off_rules_need_their_own_code(
    default_off_rule: None, config: dict[str, list[str]], default_off_runs: bool
) -> None:
    codes = enabled_codes(options(**config))  # type: ignore[arg-type]
    assert ("SEC098" in codes) is default_off_runs


def test_select_sec_runs_default_on_rules_and_other_selects_run_none() -> None:
    assert enabled_codes(options(select=["SEC"])) >= {"SEC001", "SEC002"}  # type: ignore[arg-type]
    assert enabled_codes(options(select=["E9"])) == frozenset()  # type: ignore[arg-type]
    assert enabled_codes(options(select=["SEC"], extend_ignore=["SEC002"])) >= {"SEC001"}  # type: ignore[arg-type]
    assert "SEC002" not in enabled_codes(options(select=["SEC"], extend_ignore=["SEC002"]))  # type: ignore[arg-type]


def test_default_off_codes_are_on_flake8s_default_ignore(default_off_rule: None) -> None:
    assert "SEC098" in RULES.default_off_codes()
    assert registry.RULES["SEC098"] is _DefaultOff


SOURCE = "def f(cur, n):\n    cur.execute(f'SELECT * FROM t WHERE n = {n}')\n" * 3


def run(source: str, settings: Settings) -> list[tuple[int, int, str]]:
    original = Checker.settings
    Checker.settings = settings
    try:
        checker = Checker(ast.parse(source), source.splitlines(True), "t.py")
        return [(line, col, text) for line, col, text, _ in checker.run()]
    finally:
        Checker.settings = original


def test_time_guard_reports_nothing_for_the_file() -> None:
    codes = frozenset({"SEC001"})
    assert len(run(SOURCE, Settings(enabled_codes=codes))) == 3
    assert run(SOURCE, Settings(enabled_codes=codes, file_time_limit=0.0)) == []


def test_findings_come_out_sorted_and_unique() -> None:
    found = run(SOURCE, Settings(enabled_codes=frozenset({"SEC001"})))
    assert found == sorted(set(found))


def test_rule_errors_are_swallowed_unless_strict(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(self: Rule, node: ast.AST, ctx: object) -> Iterator[Finding]:
        raise ValueError("bug in a rule")

    monkeypatch.setattr(RULES["SEC001"], "check", boom)
    Checker._dispatch.clear()
    try:
        assert run(SOURCE, Settings(enabled_codes=frozenset({"SEC001"}))) == []
        with pytest.raises(ValueError):
            run(SOURCE, Settings(enabled_codes=frozenset({"SEC001"}), strict=True))
    finally:
        Checker._dispatch.clear()


def contexts_made(monkeypatch: pytest.MonkeyPatch) -> list[weakref.ref[ModuleContext]]:
    """Weak references to every ``ModuleContext`` made from now on."""
    made: list[weakref.ref[ModuleContext]] = []
    original = ModuleContext.__init__

    def remember(self: ModuleContext, *args: object, **kwargs: object) -> None:
        original(self, *args, **kwargs)  # type: ignore[arg-type]
        made.append(weakref.ref(self))

    monkeypatch.setattr(ModuleContext, "__init__", remember)
    return made


def test_a_files_analysis_is_freed_without_the_cyclic_gc(monkeypatch: pytest.MonkeyPatch) -> None:
    """What a file's context built (flows, summaries, seeds) must not outlive
    it until a full collection: that collection would walk it first."""
    made = contexts_made(monkeypatch)
    source = SOURCE + "\ndef view(request):\n    import os\n    os.system(request.args['cmd'])\n"
    gc.disable()
    try:
        assert run(source, Settings(enabled_codes=frozenset(r.code for r in RULES if r.default_on)))
        assert made and all(ref() is None for ref in made)
    finally:
        gc.enable()


def test_project_helpers_skeletons_are_freed_with_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The contexts built to summarise another module's helpers go when the
    file that asked is done, without the cyclic GC; the helper's summary
    stays (``ProjectHelper``), so the next file asks nothing again."""
    from flake8_secure.analysis import context

    pkg = tmp_path / "shop"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "parts.py").write_text("def columns():\n    return 'id, name'\n\n\ndef other():\n    return 1\n")
    source = "from shop.parts import columns\n\n\ndef rows(cur):\n    cur.execute('SELECT %s FROM t' % columns())\n"
    (pkg / "report.py").write_text(source)
    made = contexts_made(monkeypatch)
    monkeypatch.setattr(Checker, "settings", Settings(enabled_codes=frozenset({"SEC001"})))
    gc.disable()
    try:
        found = list(Checker(ast.parse(source), source.splitlines(True), str(pkg / "report.py")).run())
        assert found == []  # columns() returns a constant: its summary said so
        assert len(made) == 2  # the file's context and the helper's skeleton
        assert all(ref() is None for ref in made) and not context._FUNCTION_CONTEXTS
        assert list(Checker(ast.parse(source), source.splitlines(True), str(pkg / "report.py")).run()) == []
        assert len(made) == 3  # the helper's summary was kept: no skeleton again
    finally:
        gc.enable()


def test_a_file_needing_no_inference_never_imports_astroid() -> None:
    """Editor latency: astroid is imported only when a finding depends on it."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from tests.helpers import lint\n"
        "src = 'import os, sqlite3\\n"
        "def f(cur, n):\\n"
        "    cur.execute(f\"SELECT * FROM t WHERE n = {n}\")\\n"
        "    cur.execute(\"SELECT 1\")\\n"
        "    os.system(\"ls\")\\n'\n"
        "assert lint(src) == [(3, 4, 'SEC001')], lint(src)\n"
        "print('astroid' in sys.modules)\n"
    )
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=root)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "False"


def test_keyed_dispatch_indexes_rules_by_callee_last_name() -> None:
    codes = frozenset(r.code for r in RULES if r.default_on)
    table = Checker.keyed(codes)[ast.Call]
    every = {r.code for r in table.every}
    assert "SEC053" not in every  # secret keywords of any call: indexed by keyword
    assert {r.code for r in table.by_keyword} == {"SEC050", "SEC052", "SEC053"}
    login = table.by_key["login"]
    assert "SEC053" in {r.code for r in login}
    assert table.with_keywords(login, ("timeout",)) is login
    keyed = [r.code for r in table.with_keywords(table.by_key["chmod"], ("timeout", "password", None))]
    assert keyed == sorted(every | {"SEC030", "SEC050", "SEC052", "SEC053"})  # password= is a secret, a store
    assert not every & {"SEC012", "SEC030", "SEC031", "SEC051"}  # SEC012 runs behind the taint gate
    assert {"SEC012", "SEC003", "SEC020"} <= {r.code for r in table.gated}
    assert "SEC003" in {r.code for r in table.by_key["find"]}  # its own Mongo filter check
    chmod = [r.code for r in table.by_key["chmod"]]
    assert chmod == sorted(every | {"SEC030"})  # the always-run rules too, in code order
    gated = [r.code for r in table.with_gated(table.by_key["chmod"])]
    assert gated == sorted(set(chmod) | {r.code for r in table.gated})
    # Where no request data can be, only the gated rule on exception details runs.
    without = [r.code for r in table.with_gated(table.by_key["chmod"], request_data=False)]
    assert without == sorted(set(chmod) | {"SEC020"})
    only_request = [r.code for r in table.with_gated(table.by_key["chmod"], exception_details=False)]
    assert only_request == sorted(set(gated) - {"SEC020"})
    assert table.with_gated(table.by_key["chmod"], False, False) == table.by_key["chmod"]
    assert table.select(("ch", "chmod")) == table.by_key["chmod"]
    assert table.select(("ch",)) == table.every
    names = Checker.keyed(codes)[ast.Name]
    assert names.every == () and [r.code for r in names.by_key["_create_unverified_context"]] == ["SEC041"]
    assert ast.Assign not in Checker.keyed(codes)  # only Call, Name and Attribute are keyed
    assert Checker.keyed(codes) is Checker.keyed(codes)
    assert Checker.targeted(codes) is Checker.targeted(codes)  # assignments: by their targets


def test_a_keyed_rule_runs_only_on_calls_named_like_its_callees(monkeypatch: pytest.MonkeyPatch) -> None:
    source = (
        "import os\n"
        "from os import umask as set_mask\n"
        "def f(mask):\n"
        "    import os as system\n"
        "    os.umask(0)\n"
        "    set_mask(0)\n"
        "    system.umask(0)\n"
        "    print(mask)\n"
        "    mask.apply()\n"
        "    (lambda: 0)()\n"
    )
    seen = checks_asked(monkeypatch, ["SEC031"], source, lambda code, node: ast.unparse(node.func))  # type: ignore[attr-defined]
    assert seen == ["os.umask", "set_mask", "system.umask"]


def test_taint_rules_skip_gated_calls_where_no_request_data_can_be(monkeypatch: pytest.MonkeyPatch) -> None:
    source = (
        "import os\n"
        "from flask import Flask, request\n"
        "app = Flask(__name__)\n"
        "def housekeeping(path):\n"
        "    os.system('rm -rf ' + path)\n"  # no request data anywhere: skipped
        "@app.route('/run')\n"
        "def run_it():\n"
        "    os.system(request.args['cmd'])\n"
    )
    assert checks_asked(monkeypatch, ["SEC012"], source, lambda code, node: str(node.lineno)) == ["8"]  # type: ignore[attr-defined]


def test_a_call_named_like_a_sink_runs_only_the_rules_of_its_categories(monkeypatch: pytest.MonkeyPatch) -> None:
    """``cache.get(key)`` is named like a client's ``get`` (SSRF), not like a
    response: SEC020 is not asked about it, even where exception details are."""
    source = (
        "from django.http import HttpResponse\n"
        "def view(request, cache):\n"
        "    try:\n"
        "        value = cache.get(request.GET['key'])\n"
        "    except KeyError as exc:\n"
        "        return HttpResponse(str(exc))\n"
        "    return HttpResponse(value)\n"
    )
    seen = checks_asked(monkeypatch, ["SEC018", "SEC020"], source,
                        lambda code, node: f"{code} {ast.unparse(node) if isinstance(node, ast.Call) else 'return'}")
    assert seen == ["SEC018 cache.get(request.GET['key'])", "SEC020 HttpResponse(str(exc))",
                    "SEC020 HttpResponse(value)", "SEC020 return", "SEC020 return"]


def test_minimal_hints_find_a_hint_exactly_when_the_full_list_does() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from flake8_secure.plugin import minimal_hints

    assert minimal_hints(("PROTOCOL_TLSv1_1", "TLSv1", "SSLv3", "TLSv1")) == ("TLSv1", "SSLv3")
    hints = st.lists(st.text(alphabet="abc_", min_size=1, max_size=4), min_size=1, max_size=6).map(tuple)

    @settings(max_examples=300, deadline=None)
    @given(hints, st.text(alphabet="abc_ ", max_size=30))
    def agree(found: tuple[str, ...], text: str) -> None:
        assert any(h in text for h in minimal_hints(found)) == any(h in text for h in found)

    agree()
