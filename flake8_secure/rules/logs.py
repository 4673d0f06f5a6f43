"""SEC022: secrets and whole request payloads written to logs."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from flake8_secure.analysis.context import ModuleContext
from flake8_secure.analysis.frameworks import logs
from flake8_secure.analysis.names import scope_statements
from flake8_secure.analysis.taint import PYDANTIC, REQUEST
from flake8_secure.analysis.values import NUM, label_of
from flake8_secure.registry import Finding, Rule, Severity, last_names, register

MAX_DEPTH = 8


@register
class SensitiveValueLogged(Rule):
    """## What it does
    Flags a secret, or a whole request payload, passed to a logging call
    (`logging.info(...)`, `logger.warning(...)` on a logger from
    `logging.getLogger`/structlog/loguru or a receiver named `log`/`logger`
    such as `self.log` and `app.logger`; `%`-style arguments, f-strings,
    `.format()`, `extra=` and structlog keywords), to `print()` or to
    `warnings.warn()`.  A value counts as a secret when:

    - its name is sensitive (a variable, attribute, dict key, `.get()` or
      header key: `password`, `user.api_key`, `data["token"]`,
      `request.headers["Authorization"]`, `request.META["HTTP_COOKIE"]`),
      including a local variable assigned once from such an expression;
    - or it is a whole payload: `request.json`, `get_json()`, `request.form`,
      `request.data`, `request.POST`, `request.body`, `await request.json()`,
      all headers or cookies, `request.META`.

    A name is sensitive when a run of its *parts* matches the
    sensitive-names pattern in full and only value words follow it.  Parts
    are the name split at `_`, `-`, `.` and camelCase boundaries, lower-cased,
    digits dropped (`DB_PASSWORD` -> `db`, `password`; `apiKey2` -> `api`,
    `key`); a run is joined with `_`.  The built-in pattern is
    `passw(or)?d|pass_?phrase|pwd|secret|token|api_?key|private_?key|access_?key|credit_?card|card_?number|cvv|ssn|otp|authorization|cookie|session_?id|credentials?`.
    Value words that may follow are `value`, `val`, `str`, `string`,
    `text`, `raw`, `plain`, `plaintext`, `clear`, `cleartext`, `b64`,
    `base64`, `hex`, `bytes`, `encoded`, `data`.  Names starting with `is`,
    `has`, `num`, `n`, `count`, `len`, `length`, `max`, `min`, `total`,
    `no`, `use`, `should`, `require(s)`, `validate`, `check`, `show`,
    `allow`, `enable` hold a fact about a value, not the value.  So
    `password`, `user_password`, `apiKey`, `token_value` and
    `HTTP_AUTHORIZATION` are sensitive; `password_policy`, `token_count`,
    `secret_name`, `password_hash`, `tokenizer`, `is_secret` are not.

    Not reported: constants, numbers (`len(password)`), the result of any
    call that is not a plain text conversion (`mask(token)`, `hash_token(t)`,
    `bool(password)`, `sha256(...)`), slices (`token[:4]`), values whose
    type prints masked (`pydantic.SecretStr`, `SecretBytes`, including
    fields of a module's Pydantic models declared with those types), and
    variables last assigned from a call named like masking (`mask`,
    `redact`, `hash`, `digest`, `encrypt`, `truncate`, ...).

    ## Why is this bad?
    Logs are copied to aggregators, tickets and backups, and read by far
    more people than the database.  A password or token in a log line is a
    credential leak that outlives any rotation policy; whole payloads carry
    passwords, card numbers and personal data, and headers carry session
    cookies and bearer tokens.

    ## Example
    ```python
    import logging

    log = logging.getLogger(__name__)

    def login(username, password):
        log.info("login attempt %s / %s", username, password)
    ```

    ## Use instead
    ```python
    import logging

    log = logging.getLogger(__name__)

    def login(username, password):
        log.info("login attempt %s (password length %d)", username, len(password))
    ```

    ## Options
    `--secure-sensitive-names`: a regular expression replacing the built-in
    pattern (matched in full against runs of name parts, case-insensitively).

    ## Known limitations
    A variable assigned more than once is judged by its name and its value
    at the call, not by every assignment.  Custom log wrappers are not
    followed.

    ## References
    - [CWE-532: Insertion of Sensitive Information into Log File](https://cwe.mitre.org/data/definitions/532.html)
    - [OWASP Logging Cheat Sheet: data to exclude](https://cheatsheetseries.owasp.org/cheatsheets/Logging_Cheat_Sheet.html#data-to-exclude)
    - [pydantic SecretStr](https://docs.pydantic.dev/latest/api/types/#pydantic.types.SecretStr)
    """

    code = "SEC022"
    name = "sensitive-value-logged"
    message = "{what} is written to {sink}; log a masked value or leave it out"
    cwe = (532,)
    severity = Severity.MEDIUM
    node_types = (ast.Call,)
    call_names = last_names(logs.OUTPUT_FUNCTIONS, logs.LOGGING_FUNCTIONS) | logs.LOG_METHODS
    options = ("--secure-sensitive-names",)

    def check(self, node: ast.Call, ctx: ModuleContext) -> Iterator[Finding]:
        sink, args, receiver = self._sink(node, ctx)
        if sink is None:
            return
        pattern = getattr(ctx.settings, "sensitive_names", None) or logs.DEFAULT_SENSITIVE_NAMES
        keyed = [(kw.arg, kw.value) for kw in node.keywords if kw.arg and kw.value in args]
        for arg in args:
            what = self._sensitive(arg, ctx, pattern, 0)
            if what is None:
                what = self._keyed(keyed, arg, ctx, pattern)
            if what:
                # Whether ``x.info()`` is a logger's may take the function's
                # flow: asked only now that a value would be worth reporting.
                if receiver is None or self._is_logger(receiver, ctx):
                    yield self.finding(node, what=what, sink=sink)
                return

    # -- where the values go --------------------------------------------------
    def _sink(self, node: ast.Call, ctx: ModuleContext) -> tuple[str | None, list[ast.expr], ast.expr | None]:
        """The sink's label and the arguments it writes out; and the receiver
        of a log method that is a logger only if ``_is_logger`` says so."""
        func = node.func
        qualified = ctx.qualified(func) or ""
        keywords = [kw for kw in node.keywords if kw.arg not in logs.NON_VALUE_KEYWORDS and kw.arg is not None]
        if qualified in logs.OUTPUT_FUNCTIONS:
            positions = logs.OUTPUT_FUNCTIONS[qualified]
            args = [a for i, a in enumerate(node.args) if not positions or i in positions]
            return f"{qualified}()", [a.value if isinstance(a, ast.Starred) else a for a in args], None
        receiver: ast.expr | None = None
        if qualified not in logs.LOGGING_FUNCTIONS:
            if not isinstance(func, ast.Attribute) or func.attr not in logs.LOG_METHODS:
                return None, [], None
            receiver = func.value
        if not isinstance(func, ast.Attribute):
            return None, [], None
        args = list(node.args[1:] if func.attr == "log" else node.args)
        return f"{label_of(func)}()", [a.value if isinstance(a, ast.Starred) else a for a in args] + [
            kw.value for kw in keywords], receiver

    def _is_logger(self, receiver: ast.expr, ctx: ModuleContext) -> bool:
        if (ctx.qualified(receiver) or "") in logs.LOGGER_OBJECTS:
            return True
        name = receiver.attr if isinstance(receiver, ast.Attribute) else getattr(receiver, "id", "")
        if logs.LOGGER_NAME.fullmatch(name):
            return True
        origin = ctx.value(receiver).origin or ""  # last: it may need the function's flow
        return origin in logs.LOGGER_FACTORIES or origin.endswith((".getLogger", ".get_logger"))

    # -- what the values are ----------------------------------------------------
    def _sensitive(self, expr: ast.expr, ctx: ModuleContext, pattern: str, depth: int) -> str | None:
        """How ``expr`` is described if it shows a secret or a whole payload."""
        if depth > MAX_DEPTH:
            return None
        payload = self._payload(expr, ctx)
        if payload:
            return f"the whole request payload {payload}"
        deeper = [] if depth + 1 > MAX_DEPTH else self._parts(expr)
        for part in deeper:
            found = self._sensitive(part, ctx, pattern, depth + 1)
            if found:
                return found
        named = self._named(expr, ctx)
        if named is not None:
            key, shown = named
            if logs.sensitive_part(key, pattern) and not self._masked(expr, ctx):
                return f"`{shown}`"
        if isinstance(expr, ast.Name):
            assigned = self._single_assignment(expr.id, ctx)
            if assigned is not None and depth < 2:
                return self._sensitive(assigned, ctx, pattern, depth + 2)
        return None

    def _keyed(self, pairs: list[tuple[str, ast.expr]], arg: ast.expr, ctx: ModuleContext,
               pattern: str) -> str | None:
        """A value logged under a sensitive key: ``password=pw`` (structlog),
        ``extra={"token": t}``."""
        if isinstance(arg, ast.Dict):
            pairs = pairs + [(k.value, v) for k, v in zip(arg.keys, arg.values)
                             if isinstance(k, ast.Constant) and isinstance(k.value, str)]
        for key, value in pairs:
            if (value is arg or isinstance(arg, ast.Dict)) and logs.sensitive_part(key, pattern):
                if not self._masked(value, ctx) and not isinstance(value, ast.Call):
                    return f"`{label_of(value)}` (as `{key}`)"
        return None

    def _parts(self, expr: ast.expr) -> list[ast.expr]:
        """Sub-expressions whose text shows up in ``expr``'s text."""
        if isinstance(expr, ast.JoinedStr):
            return [v.value for v in expr.values if isinstance(v, ast.FormattedValue)]
        if isinstance(expr, ast.BinOp):
            return [expr.left, expr.right]
        if isinstance(expr, ast.BoolOp):
            return list(expr.values)
        if isinstance(expr, ast.IfExp):
            return [expr.body, expr.orelse]
        if isinstance(expr, (ast.List, ast.Tuple, ast.Set)):
            return [e.value if isinstance(e, ast.Starred) else e for e in expr.elts]
        if isinstance(expr, ast.Dict):
            return [v for v in expr.values]
        if isinstance(expr, ast.Subscript) and not isinstance(expr.slice, (ast.Slice, ast.Constant)):
            return [expr.value]
        if isinstance(expr, ast.Call):
            func = expr.func
            name = func.id if isinstance(func, ast.Name) else None
            method = func.attr if isinstance(func, ast.Attribute) else None
            if name in logs.TRANSPARENT_CALLS or (
                    isinstance(func, ast.Attribute) and (label_of(func) in logs.TRANSPARENT_CALLS)):
                return [*expr.args, *(kw.value for kw in expr.keywords)]
            if method in logs.TRANSPARENT_METHODS and isinstance(func, ast.Attribute):
                return [func.value, *expr.args, *(kw.value for kw in expr.keywords)]
        return []

    def _named(self, expr: ast.expr, ctx: ModuleContext) -> tuple[str, str] | None:
        """(name, shown) of a value read by name: variable, attribute, key, ``.get()``."""
        if isinstance(expr, ast.Name):
            return expr.id, expr.id
        if isinstance(expr, ast.Attribute):
            return expr.attr, label_of(expr)
        if isinstance(expr, ast.Subscript) and isinstance(expr.slice, ast.Constant):
            key = expr.slice.value
            return (key, label_of(expr)) if isinstance(key, str) else None
        if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.args:
            first = expr.args[0]
            if expr.func.attr in ("get", "getlist", "pop") and isinstance(first, ast.Constant):
                return (first.value, label_of(expr)) if isinstance(first.value, str) else None
        if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name) and expr.func.id == "getattr":
            if len(expr.args) >= 2 and isinstance(expr.args[1], ast.Constant) and isinstance(expr.args[1].value, str):
                return expr.args[1].value, label_of(expr)
        return None

    def _masked(self, expr: ast.expr, ctx: ModuleContext) -> bool:
        """Constants, numbers, masked types and values last made by a masking call."""
        val = ctx.value(expr)
        if val.consts is not None or val.kind == NUM:
            return True
        origin = (val.origin or "").rsplit(".", 1)[-1]
        if origin in logs.SECRET_TYPES or (origin and logs.MASKING_CALL.search(origin)):
            return True
        return self._secret_typed(expr, ctx)

    def _secret_typed(self, expr: ast.expr, ctx: ModuleContext) -> bool:
        """A parameter or Pydantic field annotated ``SecretStr``/``SecretBytes``."""
        annotation: ast.expr | None = None
        func = ctx.function()
        if isinstance(expr, ast.Name) and func is not None:
            args = func.args
            for a in args.posonlyargs + args.args + args.kwonlyargs:
                if a.arg == expr.id:
                    annotation = a.annotation
        elif isinstance(expr, ast.Attribute):
            origin = ctx.value(expr.value).origin or ""
            model = ctx.taint.classes().get(origin[len(PYDANTIC):] if origin.startswith(PYDANTIC) else "")
            if model is None and isinstance(expr.value, ast.Name) and func is not None:
                for a in func.args.posonlyargs + func.args.args + func.args.kwonlyargs:
                    if a.arg == expr.value.id and a.annotation is not None:
                        model = ctx.taint.classes().get(label_of(a.annotation))
            for stmt in model.body if model is not None else []:
                if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.target.id == expr.attr:
                    annotation = stmt.annotation
        if annotation is None:
            return False
        return any(
            (isinstance(n, ast.Name) and n.id in logs.SECRET_TYPES)
            or (isinstance(n, ast.Attribute) and n.attr in logs.SECRET_TYPES)
            for n in ast.walk(annotation)
        )

    def _payload(self, expr: ast.expr, ctx: ModuleContext) -> str | None:
        """``request.json``, ``request.get_json()``, ``await request.json()``,
        ``request.form.to_dict()``, ``json.loads(request.body)``: the label, or None."""
        inner = expr.value if isinstance(expr, ast.Await) else expr
        if isinstance(inner, ast.Call):
            func = inner.func
            if isinstance(func, ast.Attribute) and func.attr in logs.PAYLOAD_PRESERVING_METHODS:
                return self._payload(func.value, ctx)
            if (ctx.qualified(func) or "") in logs.PAYLOAD_PRESERVING_CALLS and inner.args:
                return self._payload(inner.args[0], ctx)
            if inner.args or inner.keywords:
                return None
            inner = func
        if isinstance(inner, ast.Attribute) and inner.attr in logs.PAYLOAD_ATTRS:
            base = ctx.value(inner.value)
            if base.origin == REQUEST:
                return label_of(expr)
        return None

    def _single_assignment(self, name: str, ctx: ModuleContext) -> ast.expr | None:
        """The value of a local variable assigned exactly once in the function."""
        func = ctx.function()
        if func is None:
            return None
        params = func.args.posonlyargs + func.args.args + func.args.kwonlyargs
        if any(p.arg == name for p in params):
            return None
        values = [
            stmt.value for stmt in scope_statements(func.body)
            if isinstance(stmt, (ast.Assign, ast.AnnAssign)) and stmt.value is not None
            for target in (stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target])
            if isinstance(target, ast.Name) and target.id == name
        ]
        return values[0] if len(values) == 1 else None
