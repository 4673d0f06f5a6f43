"""``Rule.wants``: the checker's cheap test before a rule's ``check`` must
never hide a finding, and must spare the check on the nodes it rejects."""

from __future__ import annotations

import ast
import importlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from flake8_secure.plugin import Checker, walk
from flake8_secure.registry import RULES, Finding, Rule
from flake8_secure.settings import Settings
from tests.helpers import Case, checks_asked, run_checker

FIXTURES = sorted((Path(__file__).parent / "fixtures").rglob("*.py"))


def without_prefilters(monkeypatch: pytest.MonkeyPatch) -> None:
    """No ``wants``, keyword-driven rules on every call and target-driven
    rules on every assignment (their callee names, keywords and targets
    index them by what their ``wants`` accepts)."""
    for rule in RULES:
        monkeypatch.setattr(rule, "prefiltered", frozenset())
        if rule.keyword_driven:
            monkeypatch.setattr(rule, "call_names", None)
            monkeypatch.setattr(rule, "keyword_driven", False)
        monkeypatch.setattr(rule, "target_driven", False)
    monkeypatch.setattr(Checker, "_dispatch", {})  # tables of the patched rules, for this test only
    monkeypatch.setattr(Checker, "_indexed", {})


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: str(p.relative_to(p.parents[2])))
@pytest.mark.parametrize("strict_validation", [False, True])
def test_prefilters_hide_no_finding_of_the_fixture_apps(
    path: Path, strict_validation: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = path.read_text(encoding="utf-8")
    filtered = run_checker(source, filename=str(path), strict_validation=strict_validation)
    without_prefilters(monkeypatch)
    assert run_checker(source, filename=str(path), strict_validation=strict_validation) == filtered


def rule_cases() -> list[Case]:
    """Every ``Case`` of the rule tests (module globals: lists, dicts of lists)."""
    found: dict[str, Case] = {}

    def collect(value: object) -> None:
        if isinstance(value, Case):
            found.setdefault(value.source, value)
        elif isinstance(value, (list, tuple)):
            for item in value:
                collect(item)
        elif isinstance(value, dict):
            for item in value.values():
                collect(item)

    for path in sorted((Path(__file__).parent / "rules").glob("test_*.py")):
        module = importlib.import_module(f"tests.rules.{path.stem}")
        for value in vars(module).values():
            collect(value)
    return list(found.values())


def test_prefilters_hide_no_finding_of_the_rule_cases(monkeypatch: pytest.MonkeyPatch) -> None:
    cases = rule_cases()
    assert len(cases) > 300
    options = [{}, {"strict_validation": True}]
    filtered = {(n, i): run_checker(c.source, **o) for n, c in enumerate(cases) for i, o in enumerate(options)}
    assert sum(bool(v) for v in filtered.values()) > 200  # the cases do report things
    without_prefilters(monkeypatch)
    for n, c in enumerate(cases):
        for i, o in enumerate(options):
            assert run_checker(c.source, **o) == filtered[n, i], c.id


def test_the_prefiltered_rules_cover_the_hot_node_types() -> None:
    prefiltered = {r.code: r.prefiltered for r in RULES if r.prefiltered}
    assert {ast.Assign, ast.AugAssign} <= prefiltered["SEC011"]
    assert {ast.Call, ast.Assign} <= prefiltered["SEC042"]
    assert ast.Compare in prefiltered["SEC056"]
    for code, types in prefiltered.items():
        assert types <= set(RULES[code].node_types), code


def test_a_rejected_node_never_reaches_check(monkeypatch: pytest.MonkeyPatch) -> None:
    source = ("from flask import g, session as store\n"
              "x = 1\nstore['user'] = name\ncount += 1\nobj.attr = 2\ng.user = name\nself.cache[k] = v\n")
    seen = checks_asked(monkeypatch, ["SEC011"], source, lambda code, node: ast.unparse(node))
    assert seen == ["g.user = name", "store['user'] = name"]


ASSIGNMENTS = """
import os
from flask import session as store, g
from app import config as cfg

API_BASE_URL = "http://api.example.com"
SESSION_COOKIE_SECURE = False
api_key = "k"
user.password = md5(raw).hexdigest()
row["hashed_password"] = digest
store["user"] = name
g.user = name
request.session["k"]["x"] = v
os.environ["PYTHONHTTPSVERIFY"] = "0"
requests_session.verify = False
info.external_attr = 0o777 << 16
response["Location"] = target
cfg["SESSION_COOKIE_HTTPONLY"] = False
app.config.get_namespace()["X"] = 1
app.config["SESSION"]["SECURE"] = False
a, b = pair
x = y = 1
self.items[k] = v
"""


def test_target_keys_are_a_superset_of_what_wants_accepts() -> None:
    """Every assignment of the rule cases, the fixture apps, the examples
    above and a standard-library module: a target-driven rule whose
    ``wants`` accepts it is among the rules its targets select."""
    from flake8_secure.analysis.context import ModuleContext
    from flake8_secure.registry import index_by_target

    codes = frozenset(r.code for r in RULES)
    by_type = RULES.for_node_types(codes)
    targeted = index_by_target(by_type)
    assert targeted is not None and {r.code for r in targeted.driven} >= {"SEC011", "SEC043", "SEC052", "SEC053"}
    sources = [ASSIGNMENTS] + [c.source for c in rule_cases()] + [p.read_text(encoding="utf-8") for p in FIXTURES]
    sources.append(Path(ast.__file__).with_name("argparse.py").read_text(encoding="utf-8"))
    accepted = skipped = 0
    for source in sources:
        tree = ast.parse(source)
        ctx = ModuleContext(tree, source.splitlines(True), "example.py", Settings(enabled_codes=codes))
        aliases = ctx.names.alias_targets()
        for node, scopes, stmt in walk(tree, {ast.Assign}):
            ctx.scopes, ctx.statement = scopes, stmt
            selected = targeted.for_targets(node.targets, aliases)
            for rule in targeted.driven:
                if rule.wants(node, ctx):
                    assert rule in selected, (rule.code, ast.unparse(node))
                    accepted += 1
                elif rule not in selected:
                    skipped += 1
    assert accepted > 300 and skipped > 10 * accepted


def test_an_assignment_selects_the_target_driven_rules_its_targets_may_interest() -> None:
    from flake8_secure.registry import index_by_target

    targeted = index_by_target(RULES.for_node_types(frozenset(r.code for r in RULES)))
    assert targeted is not None
    assert {r.code for r in targeted.every} == {"SEC010", "SEC021", "SEC042"}  # their wants read more than targets
    aliases = {"store": ("session", "store"), "cfg": ("cfg", "config")}
    selected = {
        ast.unparse(node): [r.code for r in targeted.for_targets(node.targets, aliases) if r.target_driven]
        for node in ast.parse(ASSIGNMENTS).body if isinstance(node, ast.Assign)
    }
    assert selected == {
        "API_BASE_URL = 'http://api.example.com'": ["SEC040"],
        "SESSION_COOKIE_SECURE = False": ["SEC043"],
        "api_key = 'k'": ["SEC052", "SEC053"],
        "user.password = md5(raw).hexdigest()": ["SEC050", "SEC052", "SEC053"],
        "row['hashed_password'] = digest": ["SEC050", "SEC052", "SEC053"],
        "store['user'] = name": ["SEC011", "SEC052"],  # through the import alias
        "g.user = name": ["SEC011"],
        "request.session['k']['x'] = v": ["SEC011", "SEC052"],  # the base through subscripts
        "os.environ['PYTHONHTTPSVERIFY'] = '0'": ["SEC041", "SEC052"],
        "requests_session.verify = False": ["SEC041"],
        "info.external_attr = 511 << 16": ["SEC030"],
        "response['Location'] = target": ["SEC016", "SEC052"],
        "cfg['SESSION_COOKIE_HTTPONLY'] = False": ["SEC043", "SEC052"],
        "app.config.get_namespace()['X'] = 1": ["SEC052"],  # the base through a call: get_namespace
        "app.config['SESSION']['SECURE'] = False": ["SEC043", "SEC052"],  # through a subscript: config
        "a, b = pair": [],
        "x = y = 1": [],
        "self.items[k] = v": ["SEC052"],
    }
    plain = ast.parse("total = 0").body[0]
    assert isinstance(plain, ast.Assign) and targeted.for_targets(plain.targets, {}) is targeted.every
    targeted = index_by_target(RULES.for_node_types(frozenset(r.code for r in RULES)))
    assert targeted is not None
    targeted.MAX_KEYS = 2  # a long-lived editor's table forgets names, and answers the same
    again = {ast.unparse(node): [r.code for r in targeted.for_targets(node.targets, aliases) if r.target_driven]
             for node in ast.parse(ASSIGNMENTS).body if isinstance(node, ast.Assign)}
    assert again == selected and len(targeted._by_name) <= 2


def test_rules_answer_about_a_name_once_per_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """``wants_target``/``wants_keyword`` depend on the name alone: asked
    once per name for every table the checker builds (one per set of rules
    a file activates), in a bounded table."""
    from flake8_secure import registry

    asked: list[str] = []
    wants_target = RULES["SEC053"].wants_target

    def recording(self: Rule, kind: str, name: str) -> bool:
        asked.append(name)
        return wants_target(self, kind, name)

    monkeypatch.setattr(RULES["SEC053"], "wants_target", recording)
    registry.forget_answers()
    try:
        for codes in ({"SEC053"}, {"SEC053", "SEC052"}, {"SEC053", "SEC011"}):
            targeted = registry.index_by_target(RULES.for_node_types(frozenset(codes)))
            assert targeted is not None
            for node in ast.parse("api_token = 'x'\ntotal = 0\n").body:
                assert isinstance(node, ast.Assign)
                found = [r.code for r in targeted.for_targets(node.targets, {})]
                assert ("SEC053" in found) == (node.lineno == 1)
        assert asked == ["api_token", "total"]
        assert registry.codes_wanting("keyword", ("password",)) >= {"SEC050", "SEC053"}
        # Names with the same answer share it (fewer objects for the collector to visit).
        assert registry.codes_wanting("target", ("name", "db_password")) \
            is registry.codes_wanting("target", ("name", "smtp_password"))
        monkeypatch.setattr(registry, "MAX_ANSWERS", 3)
        for n in range(10):
            registry.codes_wanting("target", ("name", f"n{n}"))
        assert len(registry._ANSWERS) <= 3
    finally:
        registry.forget_answers()


def test_returns_dicts_and_comparisons_reach_only_the_checks_that_can_report_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    source = (
        "from flask import Flask, request\n"
        "import traceback\n"
        "app = Flask(__name__)\n"
        "def helper(x):\n"
        "    try:\n"
        "        return x.strip()\n"
        "    except ValueError:\n"
        "        return traceback.format_exc()\n"
        "@app.route('/')\n"
        "def index():\n"
        "    options = {'timeout': 3, 'api_key': KEY}\n"
        "    if request.args.get('mode') == 'raw' or options['timeout'] > limit:\n"
        "        return helper(request.args['q'])\n"
        "    return 'ok'\n"
    )
    seen = checks_asked(monkeypatch, ["SEC015", "SEC020", "SEC052", "SEC053"], source,
                        lambda code, node: f"{code} {type(node).__name__} {node.lineno}")
    # Returns: only the handler's non-literal one; dicts: the one with a
    # secret-named key; comparisons: those with a literal side.
    assert [s for s in seen if "Call" not in s] == [
        "SEC015 Return 13", "SEC020 Return 13", "SEC052 Dict 11", "SEC053 Compare 12", "SEC053 Dict 11"]


def test_a_failing_prefilter_lets_the_rule_run(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(self: Rule, node: ast.AST, ctx: object) -> bool:
        raise RuntimeError("bug in a prefilter")

    monkeypatch.setattr(RULES["SEC042"], "wants", broken)
    # Not strict (``run_checker`` is): a user's lint logs the bug and goes on.
    monkeypatch.setattr(Checker, "settings", Settings(enabled_codes=frozenset({"SEC042"})))
    Checker._dispatch.clear()
    source = "import ssl\nctx = ssl.SSLContext(ssl.PROTOCOL_TLSv1)\n"
    try:
        found = list(Checker(ast.parse(source), source.splitlines(True), "tls.py").run())
    finally:
        Checker._dispatch.clear()
    assert [text.split(" ", 1)[0] for _, _, text, _ in found] == ["SEC042"]


def test_string_literals_are_checked_for_credential_formats_only_where_one_can_be(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[object] = []
    check = RULES["SEC053"].check

    def record(self: Rule, node: ast.AST, ctx: object) -> Iterator[Finding]:
        if isinstance(node, ast.Constant):
            seen.append(node.value)
        return check(self, node, ctx)  # type: ignore[arg-type]

    monkeypatch.setattr(RULES["SEC053"], "check", record)
    Checker._dispatch.clear()
    try:
        assert run_checker('GREETING = "hello, world"\nLIMIT = 3\n', select="SEC053") == []
        assert seen == []  # no credential prefix anywhere in the file: no literal asked
        pem = ('KEY = ("-----BEGIN RSA PRIVATE KEY-----\\n"\n'
               '       "MIIEowIBAAKCAQEA0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4"\n'
               '       "-----END RSA PRIVATE KEY-----\\n")\n')
        found = run_checker(pem, select="SEC053")
    finally:
        Checker._dispatch.clear()
    assert [text.split(" ", 1)[0] for _, _, text in found] == ["SEC053"]
    assert any(isinstance(v, str) and "PRIVATE KEY" in v for v in seen)


def gate_answers(source: str, full: bool, text: bool = True) -> list[frozenset[str]]:
    """The taint gate's categories for every call of ``source``; with
    ``full``, without its check of the callee's last name; without
    ``text``, without its check of the sink names the module's text holds."""
    from flake8_secure.analysis.context import ModuleContext
    from flake8_secure.analysis.taint import CATEGORY_SINKS, SINKS

    categories = tuple(sorted({s.category for s in SINKS.values()} | set(CATEGORY_SINKS)))
    tree = ast.parse(source)
    ctx = ModuleContext(tree, source.splitlines(True), "example.py", Settings(enabled_codes=frozenset()))
    if not text:
        ctx.taint.source = None
    found = []
    for node, scopes, _ in walk(tree):
        if isinstance(node, ast.Call):
            if full:
                ctx.taint._candidates[id(node)] = ctx.taint._candidate(node, scopes)
            found.append(ctx.taint.sink_categories_of(node, scopes, categories))
    return found


WRAPPERS = """
import os
from subprocess import run as sh


def launch(cmd):
    os.system(cmd)


class Jobs:
    def start(self, cmd):
        return self.enqueue(cmd)

    def enqueue(self, cmd):
        sh(cmd, shell=True)

    @classmethod
    def go(cls, cmd):
        cls.enqueue(None, cmd)
        launch(cmd)
"""


def test_the_gates_name_check_hides_no_category() -> None:
    assert any(gate_answers(WRAPPERS, full=False)[:2])  # self.enqueue(), cls.enqueue() reach a command sink
    sources = [WRAPPERS] + [c.source for c in rule_cases()] + [p.read_text(encoding="utf-8") for p in FIXTURES]
    answers = 0
    for source in sources:
        quick = gate_answers(source, full=False)
        assert quick == gate_answers(source, full=True) == gate_answers(source, full=False, text=False)
        answers += sum(bool(a) for a in quick)
    assert answers > 500  # calls the gate lets through
