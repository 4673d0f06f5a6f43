"""SEC043, SEC046: cookies without Secure/HttpOnly, CORS open with credentials."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from flake8_secure.analysis.constants import UNKNOWN
from flake8_secure.analysis.context import ModuleContext
from flake8_secure.analysis.frameworks import web
from flake8_secure.analysis.receivers import origin_of
from flake8_secure.registry import Finding, Rule, Severity, register
from flake8_secure.rules.privileges import argument

_DEV_SETTINGS = re.compile(web.DEV_SETTINGS)
_DEV_CLASS = re.compile(web.DEV_CLASS)
_SCRIPT_COOKIE = re.compile(web.SCRIPT_READABLE_COOKIE)


def is_response(receiver: ast.expr, ctx: ModuleContext) -> bool:
    """A Flask/Django/Starlette/FastAPI response, by the call or type that made it."""
    origin = origin_of(receiver, ctx) or ""
    return origin in web.RESPONSE_ORIGINS or origin.startswith(web.RESPONSE_PREFIXES)


def in_dev_settings(ctx: ModuleContext) -> bool:
    """A settings module or config class meant for development or tests."""
    if _DEV_SETTINGS.search(ctx.filename.replace("\\", "/").rsplit("/", 2)[-1] if ctx.filename else ""):
        return True
    return any(isinstance(s, ast.ClassDef) and _DEV_CLASS.search(s.name) for s in ctx.scopes)


def _flag(node: ast.Call, position: int, name: str, ctx: ModuleContext) -> object:
    """True/False when the flag is known, None when missing, UNKNOWN otherwise."""
    if any(kw.arg is None for kw in node.keywords):
        return UNKNOWN  # **options: may carry it
    arg = argument(node, position, name)
    if arg is None:
        return None
    return ctx.const_value(arg)


@register
class CookieWithoutSecureFlags(Rule):
    """## What it does
    Flags `set_cookie()`/`set_signed_cookie()` on a Flask, Django, Starlette
    or FastAPI response object without `secure=True` and `httponly=True`,
    and the settings that turn these flags off: `SESSION_COOKIE_SECURE`,
    `SESSION_COOKIE_HTTPONLY`, `CSRF_COOKIE_SECURE`, `REMEMBER_COOKIE_SECURE`
    set to `False` in a settings module, a config class, `app.config[...]`
    or `app.config.update(...)`.  The receiver counts as a response by
    where it comes from (`make_response`, `HttpResponse`, `JSONResponse`,
    a `Response`-annotated parameter...), not by its name.

    ## Why is this bad?
    Without `Secure` the browser also sends the cookie over plain HTTP,
    where anyone on the network can copy the session.  Without `HttpOnly`
    any injected script can read it and hijack the session.

    ## Example
    ```python
    from flask import make_response

    def login_ok(token: str):
        resp = make_response("welcome")
        resp.set_cookie("session", token)
        return resp
    ```

    ## Use instead
    ```python
    from flask import make_response

    def login_ok(token: str):
        resp = make_response("welcome")
        resp.set_cookie("session", token, secure=True, httponly=True, samesite="Lax")
        return resp
    ```

    Flags read from configuration (not inferable), cookies being deleted
    (empty value with `max_age=0` or `expires=0`), the missing `HttpOnly` of
    CSRF/XSRF token cookies (scripts must read them), and settings in
    development/test settings modules (`settings/dev.py`,
    `local_settings.py`) or config classes (`DevelopmentConfig`) are not
    reported.

    ## Options
    None.

    ## References
    - [CWE-614: Sensitive Cookie in HTTPS Session Without 'Secure' Attribute](https://cwe.mitre.org/data/definitions/614.html)
    - [CWE-1004: Sensitive Cookie Without 'HttpOnly' Flag](https://cwe.mitre.org/data/definitions/1004.html)
    - [Django: SESSION_COOKIE_SECURE](https://docs.djangoproject.com/en/stable/ref/settings/#session-cookie-secure)
    """

    code = "SEC043"
    name = "cookie-without-secure-flags"
    message = "{what}; {fix}"
    cwe = (614, 1004)
    severity = Severity.MEDIUM
    node_types = (ast.Call, ast.Assign)
    call_names = web.COOKIE_SETTERS | web.CONFIG_UPDATE_METHODS

    prefiltered = frozenset({ast.Assign})
    target_driven = True

    def wants(self, node: ast.Assign, ctx: ModuleContext) -> bool:
        """A cookie setting assigned by name, or an item of a ``config``."""
        return any(isinstance(t, ast.Name) and t.id in web.COOKIE_SETTINGS
                   or isinstance(t, ast.Subscript) and (ctx.names.chain(t.value) or "").endswith("config")
                   for t in node.targets)

    def wants_target(self, kind: str, name: str) -> bool:
        return kind == "name" and name in web.COOKIE_SETTINGS or kind == "base" and name.endswith("config")

    def check(self, node: ast.Call | ast.Assign, ctx: ModuleContext) -> Iterator[Finding]:
        if isinstance(node, ast.Assign):
            with ctx.at_statement(node):
                found = list(self._setting_assign(node, ctx))
            yield from found
            return
        func = node.func
        if not isinstance(func, ast.Attribute):
            return
        if func.attr in web.COOKIE_SETTERS and is_response(func.value, ctx):
            yield from self._set_cookie(node, func.attr, ctx)
        elif func.attr in web.CONFIG_UPDATE_METHODS and (ctx.names.chain(func.value) or "").endswith("config"):
            settings = {kw.arg: kw.value for kw in node.keywords if kw.arg}
            if node.args and isinstance(node.args[0], ast.Dict):
                d = node.args[0]
                settings.update({k.value: v for k, v in zip(d.keys, d.values)
                                 if isinstance(k, ast.Constant) and isinstance(k.value, str)})
            for key, value in settings.items():
                yield from self._setting(node, key, value, ctx)

    def _set_cookie(self, node: ast.Call, method: str, ctx: ModuleContext) -> Iterator[Finding]:
        value = ctx.const_value(argument(node, 1, "value") or ast.Constant(""))
        for name in ("max_age", "expires"):
            arg = argument(node, 2 if name == "max_age" else 3, name)
            if arg is not None and ctx.const_value(arg) == 0 and value == "":
                return  # deleting the cookie
        cookie = ctx.const_value(argument(node, 0, "key") or node)
        missing = []
        if _flag(node, web.SECURE_POSITION, "secure", ctx) in (None, False):
            missing.append("Secure")
        script_cookie = isinstance(cookie, str) and _SCRIPT_COOKIE.search(cookie)
        if _flag(node, web.HTTPONLY_POSITION, "httponly", ctx) in (None, False) and not script_cookie:
            missing.append("HttpOnly")
        if missing:
            shown = f" {cookie!r}" if isinstance(cookie, str) else ""
            yield self.finding(node, what=f"{method}() sets cookie{shown} without {' and '.join(missing)}",
                               fix="pass " + ", ".join(f"{m.lower()}=True" for m in missing))

    def _setting_assign(self, node: ast.Assign, ctx: ModuleContext) -> Iterator[Finding]:
        for target in node.targets:
            if isinstance(target, ast.Name) and ctx.function() is None:
                yield from self._setting(node, target.id, node.value, ctx)
            elif isinstance(target, ast.Subscript) and (ctx.names.chain(target.value) or "").endswith("config"):
                key = ctx.const_value(target.slice)
                if isinstance(key, str):
                    yield from self._setting(node, key, node.value, ctx)

    def _setting(self, node: ast.AST, key: str, value: ast.expr, ctx: ModuleContext) -> Iterator[Finding]:
        if key in web.COOKIE_SETTINGS and ctx.const_value(value) is False and not in_dev_settings(ctx):
            flag = "HttpOnly" if key.endswith("HTTPONLY") else "Secure"
            yield self.finding(node, what=f"{key} = False sends the cookie without {flag}",
                               fix="set it to True (read it from the environment for local development)")


@register
class CorsAnyOriginWithCredentials(Rule):
    """## What it does
    Flags CORS configured to accept any origin together with credentials:
    Flask-CORS `CORS(app, supports_credentials=True)` or `cross_origin(...)`
    with the default or a `"*"` origin, Starlette/FastAPI `CORSMiddleware`
    with `allow_origins=["*"]` (or a match-all `allow_origin_regex`) and
    `allow_credentials=True`, and django-cors-headers
    `CORS_ALLOW_ALL_ORIGINS = True` with `CORS_ALLOW_CREDENTIALS = True`.

    ## Why is this bad?
    These libraries answer such a configuration by echoing the caller's
    `Origin`, so any web site a logged-in user visits can send requests with
    the user's cookies and read the responses: their data and CSRF tokens.

    ## Example
    ```python
    from fastapi import FastAPI
    from fastapi.middleware.cors import CORSMiddleware

    app = FastAPI()
    app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=True)
    ```

    ## Use instead
    ```python
    from fastapi import FastAPI
    from fastapi.middleware.cors import CORSMiddleware

    app = FastAPI()
    app.add_middleware(CORSMiddleware, allow_origins=["https://app.shop.io"], allow_credentials=True)
    ```

    Explicit origin lists, any origin without credentials, and origins read
    from configuration are not reported.

    ## Options
    None.

    ## References
    - [CWE-942: Permissive Cross-domain Policy with Untrusted Domains](https://cwe.mitre.org/data/definitions/942.html)
    - [MDN: CORS requests with credentials](https://developer.mozilla.org/en-US/docs/Web/HTTP/CORS#requests_with_credentials)
    """

    code = "SEC046"
    name = "cors-any-origin-with-credentials"
    message = "{what} lets any web site make credentialed requests and read the answers; list the allowed origins"
    cwe = (942,)
    severity = Severity.HIGH
    node_types = (ast.Call, ast.Module)
    # flask_cors, CORSMiddleware, Django's CORS_* settings: qualified names
    # resolve imports only, so the file itself names them.
    source_hints = ("CORS", "cors")

    def check(self, node: ast.Call | ast.Module, ctx: ModuleContext) -> Iterator[Finding]:
        if isinstance(node, ast.Module):
            yield from self._django_settings(node, ctx)
            return
        call = ctx.qualified(node.func) or ""
        if call in web.FLASK_CORS:
            if _truthy(node, "supports_credentials", ctx) and self._flask_any_origin(node, ctx):
                yield self.finding(node, what=f"{call.rsplit('.', 1)[-1]}(supports_credentials=True) "
                                   "with any origin")
            return
        if call not in web.CORS_MIDDLEWARE:
            first = node.args[0] if node.args else None
            if first is None or ctx.qualified(first) not in web.CORS_MIDDLEWARE:
                return
        if not _truthy(node, "allow_credentials", ctx):
            return
        origins = _keyword(node, "allow_origins")
        regex = _keyword(node, "allow_origin_regex")
        values = ctx.const_value(origins) if origins is not None else ()
        if (isinstance(values, (list, tuple)) and "*" in values) or (
                regex is not None and ctx.const_value(regex) in web.ANY_ORIGIN_REGEX):
            yield self.finding(node, what="CORSMiddleware(allow_credentials=True) with any origin")

    def _flask_any_origin(self, node: ast.Call, ctx: ModuleContext) -> bool:
        origins = _keyword(node, "origins")
        if origins is None:
            # Default "*", unless origins come from app.config or resources=.
            source = "".join(ctx.lines)
            return _keyword(node, "resources") is None and "CORS_ORIGINS" not in source \
                and not any(kw.arg is None for kw in node.keywords)
        value = ctx.const_value(origins)
        return value == "*" or (isinstance(value, (list, tuple)) and "*" in value)

    def _django_settings(self, module: ast.Module, ctx: ModuleContext) -> Iterator[Finding]:
        if in_dev_settings(ctx):
            return
        allow_all: ast.Assign | None = None
        credentials = False
        for stmt in module.body:
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
                name = stmt.targets[0].id
                value = stmt.value.value if isinstance(stmt.value, ast.Constant) else None
                if name in web.DJANGO_CORS_ALLOW_ALL and value is True:
                    allow_all = stmt
                elif name == web.DJANGO_CORS_CREDENTIALS:
                    credentials = value is True
        if allow_all is not None and credentials:
            name = allow_all.targets[0].id  # type: ignore[attr-defined]
            yield self.finding(allow_all, what=f"{name} = True with CORS_ALLOW_CREDENTIALS = True")


def _keyword(node: ast.Call, name: str) -> ast.expr | None:
    return next((kw.value for kw in node.keywords if kw.arg == name), None)


def _truthy(node: ast.Call, name: str, ctx: ModuleContext) -> bool:
    value = _keyword(node, name)
    return value is not None and ctx.const_value(value) is True
