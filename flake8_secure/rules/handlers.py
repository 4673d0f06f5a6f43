"""SEC010-SEC011: request data used without validation at handlers."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from flake8_secure.analysis import payload
from flake8_secure.analysis.context import ModuleContext
from flake8_secure.analysis.frameworks import handlers as hf
from flake8_secure.analysis.frameworks.sinks import Sink, arguments
from flake8_secure.analysis.taint import REQUEST
from flake8_secure.analysis.values import MAP, Source, label_of
from flake8_secure.registry import Finding, Rule, Severity, last_names, register

_TAINT_OPTIONS = ("--secure-extra-sources", "--secure-extra-sanitizers")
_SETATTR = "setattr"
MAX_BASES = 4


def is_validator(func: ast.expr, ctx: ModuleContext) -> bool:
    """A call that validates what it is given: a Pydantic model, a marshmallow
    schema, a Django/WTForms form, a DRF serializer, ``model_validate``..."""
    if isinstance(func, ast.Attribute) and func.attr in ("model_validate", "parse_obj", "load", "validate"):
        return True
    name = ctx.qualified(func) or ctx.names.chain(func) or ""
    return _validator_class(name, ctx, 0)


def _validator_class(name: str, ctx: ModuleContext, depth: int) -> bool:
    if not name or depth > MAX_BASES:
        return False
    cls = ctx.taint.classes().get(name)
    if cls is not None:  # a class of this module: decided by its bases
        return any(_validator_class(ctx.qualified(b) or "", ctx, depth + 1) for b in cls.bases)
    if name.rsplit(".", 1)[-1].endswith(hf.VALIDATOR_SUFFIXES):
        return True
    return any(part in hf.VALIDATOR_MODULE_PARTS for part in name.split(".")[:-1])


def callee_label(func: ast.expr) -> str:
    """``Address.objects.filter(...).update``: a call chain without its arguments."""
    if isinstance(func, ast.Attribute):
        return f"{callee_label(func.value)}.{func.attr}"
    if isinstance(func, ast.Call):
        return f"{callee_label(func.func)}(...)"
    return label_of(func)


@register
class UnvalidatedPayload(Rule):
    """## What it does
    Flags a whole request payload (`request.json`, `get_json()`,
    `request.form`, `request.POST`, `await request.json()`, DRF
    `request.data`, a FastAPI body typed `dict`/`Any`) unpacked into a call
    (`User(**data)`, `User.objects.create(**data)`), merged into an object
    or record (`obj.update(data)`, `insert_one(data)`, `{"$set": data}`,
    SQLAlchemy `.values(data)`), and attribute names taken from the request
    (`setattr(user, key, value)` in a loop over the payload), before any
    schema validation.

    ## Why is this bad?
    Every key the client sends becomes a field: `{"is_admin": true}` or
    `{"owner_id": 1}` in a profile update is privilege escalation (mass
    assignment), and unchecked types and sizes break the code that reads
    the record later.

    ## Example
    ```python
    from flask import Flask, request
    from myapp.models import User, db

    app = Flask(__name__)

    @app.post("/users")
    def create_user():
        user = User(**request.get_json())
        db.session.add(user)
        db.session.commit()
        return {"id": user.id}
    ```

    ## Use instead
    ```python
    from flask import Flask, request
    from pydantic import BaseModel
    from myapp.models import User, db

    app = Flask(__name__)

    class NewUser(BaseModel):
        name: str
        email: str

    @app.post("/users")
    def create_user():
        fields = NewUser(**request.get_json())
        user = User(**fields.model_dump())
        db.session.add(user)
        db.session.commit()
        return {"id": user.id}
    ```

    A payload passed into a validator is accepted: a Pydantic model
    (`Model(**data)`, `Model.model_validate(data)`), a marshmallow
    `Schema().load(data)`, a Django `Form(request.POST)`, a DRF
    `Serializer(data=request.data)` (then `validated_data`), WTForms; so are
    FastAPI bodies typed with a Pydantic model.

    ## Options
    `--secure-strict-validation` (default off): also report single request
    fields written into records (model constructors, `create()`,
    `update()`, `insert_one()`, attribute stores such as `user.email =
    request.form["email"]`) without any validation: a type conversion, an
    allow-list check, `re.fullmatch`, or a validator call (`validate_*`,
    `is_valid_*`, `clean_*`).  `--secure-extra-sources`,
    `--secure-extra-sanitizers` (category `validation`).

    ## Known limitations
    Validators are recognised by name (`*Schema`, `*Form`, `*Serializer`,
    Pydantic models of this module, classes imported from `schemas`,
    `forms`, `serializers`... modules).  A payload checked by
    `schema.validate(data)` whose errors end the handler is still reported
    when used afterwards; use the loaded result instead.

    ## References
    - [CWE-915: Improperly Controlled Modification of Dynamically-Determined Object Attributes](https://cwe.mitre.org/data/definitions/915.html)
    - [CWE-20: Improper Input Validation](https://cwe.mitre.org/data/definitions/20.html)
    - [OWASP Mass Assignment Cheat Sheet](https://cheatsheetseries.owasp.org/cheatsheets/Mass_Assignment_Cheat_Sheet.html)
    """

    code = "SEC010"
    name = "unvalidated-request-payload"
    message = "{source} (line {line}) reaches {sink} without validation; {fix}"
    cwe = (915, 20)
    severity = Severity.MEDIUM
    node_types = (ast.Call, ast.Assign)
    options = ("--secure-strict-validation", *_TAINT_OPTIONS)

    category = "validation"
    PAYLOAD_FIX = "validate it with a Pydantic model, schema, form or serializer and use only its fields"
    FIELD_FIX = "convert or check it first (int(), an allow-list, re.fullmatch, a validator)"

    prefiltered = frozenset({ast.Call, ast.Assign})

    def wants(self, node: ast.AST, ctx: ModuleContext) -> bool:
        strict = bool(getattr(ctx.settings, "strict_validation", False))
        return strict or isinstance(node, ast.Call) and self._may_pass_payload(node)

    def check(self, node: ast.AST, ctx: ModuleContext) -> Iterator[Finding]:
        strict = bool(getattr(ctx.settings, "strict_validation", False))
        if not self.wants(node, ctx):
            return
        if not ctx.may_taint(self.category):
            return
        if isinstance(node, ast.Call):
            found = next(self._payload_use(node, ctx), None)
            if found is None and strict:
                found = self._field_in_record(node, ctx)
            if found is not None:
                yield found
        elif isinstance(node, ast.Assign) and strict:
            yield from self._field_store(node, ctx)

    @staticmethod
    def _may_pass_payload(node: ast.Call) -> bool:
        """The call shapes ``_payload_use`` reports, from syntax alone."""
        func = node.func
        if type(func) is ast.Attribute:
            if func.attr in hf.MERGE_METHODS or (func.attr in hf.UPDATE_DOCUMENT_METHODS and len(node.args) > 1):
                return True
        elif type(func) is ast.Name and func.id == _SETATTR and len(node.args) == 3:
            return True
        for kw in node.keywords:  # asked of every call: no generator
            if kw.arg is None:
                return True
        return False

    def _payload_use(self, node: ast.Call, ctx: ModuleContext) -> Iterator[Finding]:
        func = node.func
        label = callee_label(func)
        for kw in node.keywords:
            if kw.arg is None:
                src = self._payload_source(kw.value, ctx)
                if src and (ctx.qualified(func) or label) not in hf.PAYLOAD_PASSTHROUGH \
                        and not is_validator(func, ctx):
                    yield self._found(node, src, f"{label}(**...)", self.PAYLOAD_FIX)
                    return
        if isinstance(func, ast.Attribute) and func.attr in hf.MERGE_METHODS:
            for arg in node.args:
                src = self._payload_source(arg, ctx)
                if src:
                    yield self._found(node, src, f"{label}()", self.PAYLOAD_FIX)
                    return
        if isinstance(func, ast.Attribute) and func.attr in hf.UPDATE_DOCUMENT_METHODS and len(node.args) > 1:
            doc = node.args[1]
            val = ctx.value(doc)
            candidates = [v for k, v in val.items if k in hf.UPDATE_OPERATORS] if val.kind == MAP else [val]
            for cand in candidates:
                live = cand.live_taint(self.category) if payload.is_payload(cand) else ()
                if live:
                    yield self._found(node, live[0], f"the update of {label}()", self.PAYLOAD_FIX)
                    return
        if isinstance(func, ast.Name) and func.id == _SETATTR and len(node.args) == 3:
            live = ctx.value(node.args[1]).live_taint(self.category)
            if live:
                yield self._found(node, live[0], "the attribute name of setattr()",
                                  "check the name against an allow-list of editable fields")

    def _payload_source(self, expr: ast.expr, ctx: ModuleContext) -> Source | None:
        val = ctx.value(expr)
        if not payload.is_payload(val):
            return None
        live = val.live_taint(self.category)
        return live[0] if live else None

    def _field_in_record(self, node: ast.Call, ctx: ModuleContext) -> Finding | None:
        """--secure-strict-validation: an unvalidated field passed to a record."""
        func = node.func
        label = callee_label(func)
        last = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        is_class = last[:1].isupper() and not last.isupper() and last not in hf.NOT_RECORDS \
            and not last.endswith(("Error", "Exception", "Warning"))
        if not (is_class or (isinstance(func, ast.Attribute) and last in hf.RECORD_WRITE_METHODS)):
            return None
        if is_validator(func, ctx):
            return None
        for arg in [*node.args, *(kw.value for kw in node.keywords)]:
            live = ctx.value(arg).live_taint(self.category)
            if live:
                return self._found(node, live[0], f"{label}()", self.FIELD_FIX)
        return None

    def _field_store(self, node: ast.Assign, ctx: ModuleContext) -> Iterator[Finding]:
        for target in node.targets:
            if not isinstance(target, ast.Attribute) or not isinstance(target.value, ast.Name):
                continue
            if target.value.id in ("self", "cls") or ctx.value(target.value).origin == REQUEST:
                continue
            if ctx.qualified(target.value) in hf.APP_GLOBALS:
                continue  # flask.g: SEC011
            live = ctx.value(node.value).live_taint(self.category)
            if live:
                yield self._found(target, live[0], label_of(target), self.FIELD_FIX)
                return

    def _found(self, node: ast.AST, src: Source, sink: str, fix: str) -> Finding:
        return self.finding(node, source=src.label, line=src.line, sink=sink, fix=fix)


@register
class RequestDataCrossesTrustBoundary(Rule):
    """## What it does
    Flags request data stored, unvalidated, where the application later
    trusts it: the session (`flask.session[...]`, Django/Starlette
    `request.session[...]`, `session.update()`), `flask.g` attributes,
    Django signed cookies (`set_signed_cookie`) and values signed with
    `itsdangerous` (`serializer.dumps()`, `signer.sign()`).

    ## Why is this bad?
    Code that reads the session, `g` or a signed cookie assumes the server
    put the value there: a role, a user id or a redirect target copied from
    the request lets the client choose it (privilege escalation, session
    poisoning), and the signature now vouches for attacker data.

    ## Example
    ```python
    from flask import Flask, request, session

    app = Flask(__name__)

    @app.post("/preferences")
    def preferences():
        session["role"] = request.form["role"]
        return "saved"
    ```

    ## Use instead
    ```python
    from flask import Flask, abort, request, session

    app = Flask(__name__)
    ROLES = {"reader", "editor"}

    @app.post("/preferences")
    def preferences():
        role = request.form["role"]
        if role not in ROLES:
            abort(400)
        session["role"] = role
        return "saved"
    ```

    Validated values are accepted: conversions (`int()`, `bool()`,
    `uuid.UUID()`), allow-list checks and `re.fullmatch` guards, validator
    calls (`validate_*`, `is_valid_*`), Pydantic model fields, form
    `cleaned_data` and serializer `validated_data`; so are values the code
    derives from the request data (a database row looked up by it:
    `session["user_id"] = user.id`).

    ## Options
    `--secure-extra-sources`, `--secure-extra-sanitizers` (category `trust`).

    ## Known limitations
    What a call of another module returns from request data is treated as
    derived data, not the data itself: `session["x"] = parse(raw)` is not
    reported. JSON parsers (`json.loads` and the like) are known to return
    the client's document, so `session["x"] = json.loads(raw)` is.

    ## References
    - [CWE-501: Trust Boundary Violation](https://cwe.mitre.org/data/definitions/501.html)
    - [Flask: sessions](https://flask.palletsprojects.com/en/stable/quickstart/#sessions)
    - [Django: signed cookies](https://docs.djangoproject.com/en/stable/ref/request-response/#django.http.HttpResponse.set_signed_cookie)
    """

    code = "SEC011"
    name = "request-data-crosses-trust-boundary"
    message = "{source} (line {line}) reaches {sink}; validate it (an allow-list, int(), a schema) before storing it"
    cwe = (501,)
    severity = Severity.MEDIUM
    node_types = (ast.Assign, ast.AugAssign, ast.Call)
    options = _TAINT_OPTIONS
    category = "trust"
    call_names = (frozenset({_SETATTR}) | hf.SESSION_WRITE_METHODS | frozenset(hf.SIGNED_COOKIE_METHODS)
                  | frozenset(hf.SIGNING_METHODS))

    prefiltered = frozenset({ast.Assign, ast.AugAssign})
    target_driven = True
    _SESSIONS = last_names(hf.SESSION_OBJECTS) | {hf.REQUEST_SESSION_ATTR}
    _GLOBALS = last_names(hf.APP_GLOBALS)

    def wants(self, node: ast.Assign | ast.AugAssign, ctx: ModuleContext) -> bool:
        """An item of a session or an attribute of the app globals written
        (``_store``: qualified names resolve imports only)."""
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        may_end_in = ctx.names.may_end_in
        return any(isinstance(t, ast.Subscript) and may_end_in(t.value, self._SESSIONS)
                   or isinstance(t, ast.Attribute) and may_end_in(t.value, self._GLOBALS) for t in targets)

    def wants_target(self, kind: str, name: str) -> bool:
        return kind == "base" and (name in self._SESSIONS or name in self._GLOBALS)

    def check(self, node: ast.AST, ctx: ModuleContext) -> Iterator[Finding]:
        if isinstance(node, (ast.Assign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if not self.wants(node, ctx):
                return  # only an item or attribute of a store is written
        if not ctx.may_taint(self.category):
            return
        if isinstance(node, (ast.Assign, ast.AugAssign)):
            for target in targets:
                store = self._store(target, ctx)
                if store is not None:
                    yield from self._report(node, node.value, store, ctx)
                    return
        elif isinstance(node, ast.Call):
            for arg, store in self._call_stores(node, ctx):
                found = list(self._report(node, arg, store, ctx))
                if found:
                    yield found[0]
                    return

    def _report(self, node: ast.AST, value: ast.expr, store: str, ctx: ModuleContext) -> Iterator[Finding]:
        live = ctx.value(value).live_taint(self.category)
        if live:
            yield self.finding(node, source=live[0].label, line=live[0].line, sink=store)

    def _is_session(self, expr: ast.expr, ctx: ModuleContext) -> bool:
        if ctx.qualified(expr) in hf.SESSION_OBJECTS:
            return True
        return (isinstance(expr, ast.Attribute) and expr.attr == hf.REQUEST_SESSION_ATTR
                and ctx.value(expr.value).origin == REQUEST)

    def _store(self, target: ast.expr, ctx: ModuleContext) -> str | None:
        """The trusted store a target writes to, as named in the message."""
        if isinstance(target, ast.Subscript) and self._is_session(target.value, ctx):
            return label_of(target)
        if isinstance(target, ast.Attribute) and ctx.qualified(target.value) in hf.APP_GLOBALS:
            return label_of(target)
        return None

    def _call_stores(self, node: ast.Call, ctx: ModuleContext) -> Iterator[tuple[ast.expr, str]]:
        func = node.func
        if isinstance(func, ast.Name) and func.id == _SETATTR and len(node.args) == 3:
            if ctx.qualified(node.args[0]) in hf.APP_GLOBALS:
                yield node.args[2], f"{label_of(node.args[0])} (setattr)"
            return
        if not isinstance(func, ast.Attribute):
            return
        label = f"{label_of(func)}()"
        if func.attr in hf.SESSION_WRITE_METHODS and self._is_session(func.value, ctx):
            yield from ((arg, label) for arg in [*node.args, *(kw.value for kw in node.keywords)])
        elif func.attr in hf.SIGNED_COOKIE_METHODS:
            yield from ((arg, label) for arg in arguments(node, Sink("", hf.SIGNED_COOKIE_METHODS[func.attr])))
        elif func.attr in hf.SIGNING_METHODS and self._signer(func.value, ctx):
            yield from ((arg, label) for arg in arguments(node, Sink("", hf.SIGNING_METHODS[func.attr])))

    @staticmethod
    def _signer(receiver: ast.expr, ctx: ModuleContext) -> bool:
        made_by = " ".join(filter(None, (ctx.value(receiver).origin, ctx.names.chain(receiver))))
        return any(module in made_by for module in hf.SIGNING_MODULES)
