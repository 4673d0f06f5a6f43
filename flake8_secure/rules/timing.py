"""SEC056: secrets compared with request data in non-constant time."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from flake8_secure.analysis.context import ModuleContext
from flake8_secure.registry import Finding, Rule, Severity, register

# Name parts of values an attacker must not learn byte by byte.
SECRET_PART = re.compile(
    r"(?:^|_)(?:token|signature|sig|digest|hmac|mac|secret|api_?key|password_?hash|pw_?hash|"
    r"otp|nonce|csrf|webhook_?secret)(?:$|_)",
    re.IGNORECASE,
)
# Calls producing a MAC or digest: their result is secret-derived whatever its name.
DIGEST_METHODS = frozenset({"hexdigest", "digest"})
DIGEST_CALLS = frozenset({"hmac.new", "hmac.digest", "hashlib.sha256", "hashlib.sha512", "hashlib.sha1"})


def _name_of(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str):
        return node.slice.value
    return None


def is_secret(node: ast.expr, ctx: ModuleContext) -> bool:
    """A value named like a secret, or computed as a digest/MAC."""
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in DIGEST_METHODS:
            return True
        name = _name_of(func)
        return (ctx.qualified(func) or "") in DIGEST_CALLS or bool(name and SECRET_PART.search(name))
    name = _name_of(node)
    if name is None or not isinstance(node, ast.Name):
        return bool(name and SECRET_PART.search(name))
    if SECRET_PART.search(name):
        return True
    # A local variable holding a digest (expected = hmac.new(...).hexdigest()):
    # only then is the flow layer asked, and only for names.
    origin = ctx.value(node).origin or ""
    return origin.rsplit(".", 1)[-1] in DIGEST_METHODS or origin in DIGEST_CALLS


@register
class SecretComparedInNonConstantTime(Rule):
    """## What it does
    Flags `==` and `!=` between request data and a secret-bearing value:
    a token, signature, HMAC or digest (`hmac.new(...).hexdigest()`), an
    API key or a password hash.

    ## Why is this bad?
    `==` stops at the first differing byte, so the time a comparison takes
    tells an attacker how many leading bytes were right; with enough
    requests they recover a valid signature or token byte by byte.

    ## Example
    ```python
    import hashlib
    import hmac

    from flask import Flask, abort, request

    app = Flask(__name__)
    WEBHOOK_KEY = b"..."

    @app.post("/hook")
    def hook():
        expected = hmac.new(WEBHOOK_KEY, request.get_data(), hashlib.sha256).hexdigest()
        if request.headers["X-Signature"] != expected:
            abort(403)
        return "ok"
    ```

    ## Use instead
    ```python
    import hashlib
    import hmac

    from flask import Flask, abort, request

    app = Flask(__name__)
    WEBHOOK_KEY = b"..."

    @app.post("/hook")
    def hook():
        expected = hmac.new(WEBHOOK_KEY, request.get_data(), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(request.headers["X-Signature"], expected):
            abort(403)
        return "ok"
    ```

    ## Options
    None.

    ## Known limitations
    The secret side is recognised by name parts (token, signature, digest,
    hmac, secret, api_key, password_hash, otp, nonce, csrf) or by being a
    digest/MAC computation; request data is recognised by the taint engine.

    ## References
    - [CWE-208: Observable Timing Discrepancy](https://cwe.mitre.org/data/definitions/208.html)
    - [hmac.compare_digest](https://docs.python.org/3/library/hmac.html#hmac.compare_digest)
    """

    code = "SEC056"
    name = "secret-compared-in-non-constant-time"
    message = "{source} (line {line}) is compared with {secret} using {op}; use hmac.compare_digest()"
    cwe = (208,)
    severity = Severity.MEDIUM
    node_types = (ast.Compare,)

    prefiltered = frozenset({ast.Compare})

    def wants(self, node: ast.Compare, ctx: ModuleContext) -> bool:
        if len(node.ops) != 1 or not isinstance(node.ops[0], (ast.Eq, ast.NotEq)):
            return False
        # Comparing with a literal leaks nothing secret.
        return not isinstance(node.left, ast.Constant) and not isinstance(node.comparators[0], ast.Constant)

    def check(self, node: ast.Compare, ctx: ModuleContext) -> Iterator[Finding]:
        if not self.wants(node, ctx):
            return
        left, right = node.left, node.comparators[0]
        if not ctx.may_taint("timing"):
            return
        for data, secret in ((left, right), (right, left)):
            if not is_secret(secret, ctx):
                continue
            live = ctx.value(data).live_taint("timing")
            if live:
                op = "==" if isinstance(node.ops[0], ast.Eq) else "!="
                yield self.finding(node, source=live[0].label, line=live[0].line,
                                   secret=f"`{ast.unparse(secret)[:40]}`", op=op)
                return
