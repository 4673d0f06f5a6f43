"""SEC023-SEC024 (default off): failures hidden from operators, checks that vanish under -O."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import PurePath

from flake8_secure.analysis.context import ModuleContext
from flake8_secure.registry import Finding, Rule, Severity, register

BROAD_EXCEPTIONS = frozenset({"Exception", "BaseException", "builtins.Exception", "builtins.BaseException"})
# Attribute and function names that decide who may do what.
PERMISSION_NAME = re.compile(
    r"is_(authenticated|anonymous|superuser|staff|admin|active|owner|authorized|authorised|allowed)|"
    r"has_(perm|perms|permission|permissions|object_permission|role|access|scope)|check_(password|permission|"
    r"permissions|token|auth)|can_\w+|authenticate|authorize|authorise|verify_(password|token|signature)"
)
_TEST_FILE = re.compile(r"(^test_.*|.*_tests?|^conftest|^tests?)\.py$")


def _silent(body: list[ast.stmt]) -> bool:
    """Only ``pass``, ``continue``, ``break``, ``...``, a docstring or ``return <constant>``."""
    for stmt in body:
        if isinstance(stmt, (ast.Pass, ast.Continue, ast.Break)):
            continue
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant):
            continue
        if isinstance(stmt, ast.Return) and (stmt.value is None or isinstance(stmt.value, ast.Constant)):
            continue
        return False
    return True


@register
class BroadExceptionSwallowed(Rule):
    """## What it does
    Flags `except:`, `except Exception:` and `except BaseException:`
    (alone or in a tuple) whose body only `pass`es, `continue`s, `break`s
    or returns a constant.  Default off: enable it with
    `--extend-select SEC023` (or `--select SEC,SEC023`).

    ## Why is this bad?
    Every failure, including a failed permission check, a broken signature
    verification or a database error mid-transaction, disappears without a
    trace: the code carries on in a state nobody checked, and an attack
    that trips errors on purpose leaves nothing in the logs.

    ## Example
    ```python
    def load(path):
        try:
            return parse(path)
        except Exception:
            pass
    ```

    ## Use instead
    ```python
    import logging

    log = logging.getLogger(__name__)

    def load(path):
        try:
            return parse(path)
        except Exception:
            log.exception("cannot parse %s", path)
    ```

    Narrow the exception (`except FileNotFoundError:`), log it, or re-raise.

    ## Options
    None.

    ## References
    - [CWE-390: Detection of Error Condition Without Action](https://cwe.mitre.org/data/definitions/390.html)
    - [CWE-703: Improper Check or Handling of Exceptional Conditions](https://cwe.mitre.org/data/definitions/703.html)
    - [OWASP Error Handling Cheat Sheet](https://cheatsheetseries.owasp.org/cheatsheets/Error_Handling_Cheat_Sheet.html)
    """

    code = "SEC023"
    name = "broad-exception-swallowed"
    message = "{what} swallows every error silently; catch the exceptions you expect, or log and re-raise"
    cwe = (390, 703)
    severity = Severity.LOW
    node_types = (ast.ExceptHandler,)
    default_on = False

    def check(self, node: ast.ExceptHandler, ctx: ModuleContext) -> Iterator[Finding]:
        if not _silent(node.body):
            return
        if node.type is None:
            yield self.finding(node, what="bare except:")
            return
        types = node.type.elts if isinstance(node.type, ast.Tuple) else [node.type]
        for t in types:
            name = ctx.qualified(t) or ""
            if name in BROAD_EXCEPTIONS:
                yield self.finding(node, what=f"except {name.rsplit('.', 1)[-1]}:")
                return


def is_test_file(filename: str) -> bool:
    path = PurePath(filename)
    return bool(_TEST_FILE.match(path.name)) or any(p in ("tests", "test", "testing") for p in path.parts[:-1])


@register
class AssertUsedForSecurity(Rule):
    """## What it does
    Flags `assert` statements outside tests whose condition reads request
    data (followed by the taint engine: `request.args`, handler parameters,
    Django/DRF/Starlette request objects) or decides a permission or an
    authentication (`is_authenticated`, `is_superuser`, `has_perm(...)`,
    `check_password(...)`, `can_edit(...)`, ...).  Default off: enable it with
    `--extend-select SEC024` (or `--select SEC,SEC024`).

    Test files (`test_*.py`, `*_test.py`, `conftest.py`, anything under a
    `tests/`/`test/` directory) and asserts on other values (type narrowing,
    internal invariants) are not reported.

    ## Why is this bad?
    `python -O` (and `PYTHONOPTIMIZE`, set by some container images) strips
    every `assert`: the check disappears and the request goes through
    unvalidated or unauthorised.

    ## Example
    ```python
    from flask import Flask, request

    app = Flask(__name__)

    @app.route("/admin/delete", methods=["POST"])
    def delete():
        assert request.form["confirm"] == "yes"
        return "deleted"
    ```

    ## Use instead
    ```python
    from flask import Flask, abort, request

    app = Flask(__name__)

    @app.route("/admin/delete", methods=["POST"])
    def delete():
        if request.form["confirm"] != "yes":
            abort(400)
        return "deleted"
    ```

    ## Options
    None.

    ## References
    - [CWE-617: Reachable Assertion](https://cwe.mitre.org/data/definitions/617.html)
    - [The assert statement (removed under -O)](https://docs.python.org/3/reference/simple_stmts.html#the-assert-statement)
    """

    code = "SEC024"
    name = "assert-used-for-security"
    message = "assert on {what} is removed under python -O; raise or return an error instead"
    cwe = (617,)
    severity = Severity.MEDIUM
    node_types = (ast.Assert,)
    default_on = False

    def check(self, node: ast.Assert, ctx: ModuleContext) -> Iterator[Finding]:
        if is_test_file(ctx.filename):
            return
        for sub in ast.walk(node.test):
            if isinstance(sub, (ast.Name, ast.Attribute, ast.Subscript, ast.Call)):
                name = sub.attr if isinstance(sub, ast.Attribute) else getattr(sub, "id", "")
                if PERMISSION_NAME.fullmatch(name):
                    yield self.finding(node, what=f"a permission check ({name})")
                    return
                taint = [s for s in ctx.value(sub).all_taint() if not s.exception and s.param is None]
                if taint:
                    yield self.finding(node, what=f"request data ({taint[0].label})")
                    return
