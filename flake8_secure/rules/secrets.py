"""SEC053: hard-coded secrets, found by how a literal is used and by known
credential formats."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from flake8_secure.analysis.calls import call_arg, is_test_path, target_name
from flake8_secure.analysis.context import ModuleContext
from flake8_secure.analysis.frameworks import crypto as cf
from flake8_secure.analysis.frameworks import secrets as sf
from flake8_secure.registry import Finding, Rule, Severity, register

_SPLIT = re.compile(r"[^A-Za-z0-9]+")
_CAMEL = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z0-9]+(?![a-z])")
_CREDENTIAL_SHAPE = re.compile(r"(?=.*[0-9])(?=.*[A-Za-z])[A-Za-z0-9_\-.+/=:]{12,}")
_TEMPLATE = re.compile(r"\{[^{}]*\}|%\(\w+\)|\$\{|^<.*>$|^\$\w+$|%s")


_SETTING_NAME = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+")


def value_words(text: str) -> list[str]:
    return [w.lower() for part in _SPLIT.split(text) for w in _CAMEL.findall(part)]


def secret_literal(value: object, name: str = "") -> str | None:
    """The text of a literal that looks like a real secret, or None for what
    is a label, a placeholder template, a message or empty."""
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    if not isinstance(text, str) or not text.strip() or not any(c.isalnum() for c in text):
        return None
    if _TEMPLATE.search(text) or len(text.split()) >= 3 or sf.known_format(text):
        return None
    if _SETTING_NAME.fullmatch(text):
        return None  # the name of a setting or environment variable: "CORS_ALLOW_CREDENTIALS"
    words = value_words(text)
    if "EXAMPLE" in text.upper() or any(w in sf.FAKE_WORDS for w in words):
        return None  # documentation and mock values say so ("...EXAMPLEKEY", "dummy-secret")
    if any(w in sf.LABEL_WORDS for w in words) or (name and set(words) <= set(cf.name_words(name))):
        return None  # "Bearer", "X-Auth-Token", REFRESH_TOKEN = "refresh"
    name_words = cf.name_words(name)
    ambiguous = bool(name_words) and (
        name_words[-1] in cf.AMBIGUOUS_NOUNS
        or (name_words[-1] == "key" and len(name_words) > 1 and name_words[-2] in cf.STORE_WORDS)
    )
    if ambiguous and not _CREDENTIAL_SHAPE.fullmatch(text):
        return None  # a lexer's token = "async", SESSION_KEY = "_auth_user_id": a credential is long and mixed
    return text


@register
class HardCodedSecret(Rule):
    """## What it does
    Flags string literals that reach a secret-bearing place: a variable,
    attribute, dictionary key or keyword named like a secret (`SECRET_KEY`,
    `app.secret_key`, `app.config["SECRET_KEY"]`, `password=`, `api_key=`,
    `aws_secret_access_key=`, `token=`), the key of `jwt.encode`/`jwt.decode`,
    `Fernet(...)`, `hmac.new`, itsdangerous signers, HTTP basic-auth
    passwords, `login(user, password)`, or a comparison with a secret
    (`if password == "admin"`).  Literals in a known credential format (AWS
    `AKIA...` key ids, GitHub `ghp_...` tokens, Slack `xox[bap]-...` tokens,
    Stripe `sk_live_...` keys, PEM private keys) are flagged anywhere.

    ## Why is this bad?
    A secret in source code is in every clone, fork, backup and CI log of the
    repository, cannot be rotated without a release, and is shared by every
    deployment.  Leaked signing keys let attackers forge sessions and tokens.

    ## Example
    ```python
    from flask import Flask

    app = Flask(__name__)
    app.config["SECRET_KEY"] = "s3cr3t-k3y-d0nt-sh4re"
    ```

    ## Use instead
    ```python
    import os

    from flask import Flask

    app = Flask(__name__)
    app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
    token_type = "Bearer"
    ```

    Not reported: empty strings, values read from the environment, labels
    (`token_type = "Bearer"`, `PASSWORD_FIELD = "password"`,
    `AUTH_HEADER = "X-Auth-Token"`), templates (`"{password}"`, `"${TOKEN}"`),
    messages of several words, values marked as fake (`EXAMPLE`, `dummy`,
    `fake`, `mock`, `placeholder`), and name-based findings in test files
    (`tests/`, `test_*.py`, `conftest.py`).  Placeholders such as
    `"changeme"` are still reported: they end up deployed.

    ## Options
    None.

    ## Known limitations
    Secrets are found by the name of where they go, not by entropy: a
    literal assigned to `config` or passed positionally to an unknown client
    is not reported.

    ## References
    - [CWE-798: Use of Hard-coded Credentials](https://cwe.mitre.org/data/definitions/798.html)
    - [OWASP Secrets Management Cheat Sheet](https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html)
    """

    code = "SEC053"
    name = "hard-coded-secret"
    message = "{what} is hard-coded; load it from the environment or a secrets manager"
    cwe = (798,)
    severity = Severity.HIGH
    node_types = (ast.Assign, ast.AnnAssign, ast.Call, ast.Dict, ast.Compare, ast.Constant)
    node_type_hints = {ast.Constant: sf.FORMAT_SOURCE_HINTS}  # literals in a known credential format

    prefiltered = frozenset({ast.Assign, ast.AnnAssign, ast.Call, ast.Dict, ast.Compare})
    target_driven = True
    _SECRET_CALLEES = frozenset(name.rsplit(".", 1)[-1] for name in sf.SECRET_ARGUMENTS)
    call_names = _SECRET_CALLEES | {"login"}
    keyword_driven = True

    def wants_keyword(self, name: str) -> bool:
        return cf.is_secret_name(name)

    def wants(self, node: ast.AST, ctx: ModuleContext) -> bool:
        """A secret-named target, keyword or dictionary key, a callee taking a
        secret, ``login()``, a secret-named value compared with a literal."""
        if isinstance(node, ast.Dict):
            return cf.has_secret_key(node)
        if isinstance(node, ast.Compare):
            return len(node.comparators) == 1 and (
                isinstance(node.left, ast.Constant) or isinstance(node.comparators[0], ast.Constant))
        if isinstance(node, ast.Call):
            func = node.func
            return any(kw.arg and cf.is_secret_name(kw.arg) for kw in node.keywords) \
                or ctx.names.may_end_in(func, self._SECRET_CALLEES) \
                or isinstance(func, ast.Attribute) and func.attr == "login"
        assert isinstance(node, (ast.Assign, ast.AnnAssign))
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        return node.value is not None and any(
            (name := target_name(t)) is not None and cf.is_secret_name(name) for t in targets)

    def wants_target(self, kind: str, name: str) -> bool:
        """``target_name``'s kinds."""
        return kind in ("name", "attr", "item") and cf.is_secret_name(name)

    def check(self, node: ast.AST, ctx: ModuleContext) -> Iterator[Finding]:
        if isinstance(node, ast.Constant):
            kind = sf.known_format(node.value) if isinstance(node.value, (str, bytes)) else None
            stmt = ctx.statement
            if kind and not (isinstance(stmt, ast.Expr) and stmt.value is node):  # docstrings show examples
                yield self.finding(node, what=kind)
            return
        if is_test_path(ctx.filename):
            return
        for what, value, name in self._sinks(node, ctx):
            if self._literal(value, name, ctx, node if isinstance(node, ast.stmt) else None):
                yield self.finding(value if isinstance(node, (ast.Call, ast.Dict)) else node, what=what)
                return

    def _literal(self, value: ast.expr, name: str, ctx: ModuleContext, at: ast.stmt | None) -> bool:
        if isinstance(value, ast.Constant):
            return secret_literal(value.value, name) is not None
        # A name holding a constant: reported here unless its own name says
        # it is a secret (then its assignment is the finding).
        own = target_name(value) if isinstance(value, (ast.Name, ast.Attribute)) else None
        if own is None or cf.is_secret_name(own):
            return False
        consts = ctx.value(value, infer=True, at=at).consts or ()
        return len(consts) == 1 and secret_literal(consts[0], name) is not None

    def _sinks(self, node: ast.AST, ctx: ModuleContext) -> Iterator[tuple[str, ast.expr, str]]:
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
                name = target_name(target)
                if name and cf.is_secret_name(name):
                    yield f"`{ast.unparse(target)}`", node.value, name
        elif isinstance(node, ast.Call):
            for kw in node.keywords:
                if kw.arg and cf.is_secret_name(kw.arg):
                    yield f"{kw.arg}=", kw.value, kw.arg
            call = ctx.qualified(node.func) or ""
            if call in sf.SECRET_ARGUMENTS:
                index, keyword = sf.SECRET_ARGUMENTS[call]
                arg = call_arg(node, index, None)  # keywords were checked above
                if arg is not None:
                    yield f"the {keyword} of {call}()", arg, keyword
            elif isinstance(node.func, ast.Attribute) and node.func.attr == "login" and len(node.args) == 2:
                yield "the password given to login()", node.args[1], "password"
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values):
                if isinstance(key, ast.Constant) and isinstance(key.value, str) and cf.is_secret_name(key.value):
                    yield f'the "{key.value}" entry', value, key.value
        elif isinstance(node, ast.Compare) and len(node.comparators) == 1:
            left, right = node.left, node.comparators[0]
            for side, other in ((left, right), (right, left)):
                name = target_name(side) if isinstance(side, (ast.Name, ast.Attribute, ast.Subscript)) else None
                if name and cf.is_secret_name(name) and isinstance(other, ast.Constant):
                    yield f"the expected {name} in a comparison", other, name
