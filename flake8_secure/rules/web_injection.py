"""SEC015-SEC016: request data sent back to the browser as HTML or as a
redirect target, and template engines configured not to escape.

SEC017-SEC019 (what the server itself does with request data) live in
``rules/server_side.py``."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from flake8_secure.analysis.context import ModuleContext
from flake8_secure.analysis.frameworks import unsafe_defaults as defaults
from flake8_secure.analysis.frameworks.web import FASTAPI_APPS
from flake8_secure.analysis.values import STR
from flake8_secure.registry import Finding, Severity, last_names, register
from flake8_secure.rules.taint_base import TaintRule

TAINT_OPTIONS = ("--secure-extra-sources", "--secure-extra-sanitizers", "--secure-extra-sinks")


def plain_finding(rule: TaintRule, node: ast.AST, text: str) -> Finding:
    """A finding that needs no request data (an unsafe configuration)."""
    return Finding(getattr(node, "lineno", 1), getattr(node, "col_offset", 0),
                   f"{rule.code} {text} (CWE-{rule.cwe[0]})")


def keyword(node: ast.Call, name: str, position: int | None = None) -> ast.expr | None:
    for kw in node.keywords:
        if kw.arg == name:
            return kw.value
    if position is not None and position < len(node.args) and not isinstance(node.args[position], ast.Starred):
        return node.args[position]
    return None


@register
class CrossSiteScripting(TaintRule):
    """## What it does
    Flags request data that reaches HTML without escaping: text marked safe
    (`Markup`, `mark_safe`), the format string of `format_html`, a template
    source (`render_template_string`), an HTML response body (`make_response`,
    `HttpResponse`, `HTMLResponse`), or an HTML string built with an f-string,
    `+` or `%` and returned from a Flask handler.  Also flags a Jinja2
    `Environment(autoescape=False)` on its own: every template it renders
    prints variables unescaped.

    ## Why is this bad?
    `<script>` in a parameter runs in the victim's browser with the site's
    origin: it reads their session, acts as them, and rewrites the page.

    ## Example
    ```python
    from flask import Flask, request

    app = Flask(__name__)

    @app.route("/hello")
    def hello():
        name = request.args["name"]
        return f"<h1>Hello {name}</h1>"
    ```

    ## Use instead
    ```python
    from flask import Flask, request
    from markupsafe import escape

    app = Flask(__name__)

    @app.route("/hello")
    def hello():
        name = request.args["name"]
        return f"<h1>Hello {escape(name)}</h1>"
    ```

    Better still, render a template file (`render_template("hello.html",
    name=name)`) with autoescaping on (`autoescape=select_autoescape()`).
    `html.escape`, `markupsafe.escape` and Django's `escape` clean a value for
    HTML only; `jsonify` responses are not HTML.

    ## Options
    `--secure-extra-sources`, `--secure-extra-sanitizers`, `--secure-extra-sinks`.

    ## Known limitations
    A returned string is checked only when it contains markup (`<` in its
    constant text) and the handler belongs to a Flask/Quart app, or to a
    FastAPI route declared with `response_class=HTMLResponse`.
    `Environment()` without an `autoescape` argument is not flagged: it is
    also the normal way to render non-HTML text (code, configuration, mail).

    ## References
    - [CWE-79: Cross-site Scripting](https://cwe.mitre.org/data/definitions/79.html)
    - [Jinja2: Autoescaping](https://jinja.palletsprojects.com/en/stable/api/#autoescaping)
    - [Django: format_html](https://docs.djangoproject.com/en/stable/ref/utils/#django.utils.html.format_html)
    - [OWASP Cross Site Scripting Prevention Cheat Sheet](https://cheatsheetseries.owasp.org/cheatsheets/Cross_Site_Scripting_Prevention_Cheat_Sheet.html)
    """

    code = "SEC015"
    call_names = last_names(defaults.JINJA_ENVIRONMENTS)  # autoescape=False
    name = "cross-site-scripting"
    category = "xss"
    fix = "escape it (markupsafe.escape) or render a template file with autoescaping"
    cwe = (79,)
    severity = Severity.HIGH
    node_types = (ast.Call, ast.Return)
    options = TAINT_OPTIONS
    prefiltered = frozenset({ast.Return})

    def wants(self, node: ast.Return, ctx: ModuleContext) -> bool:
        """A value returned by a request handler (``_returned_html``); a
        literal carries no request data."""
        return node.value is not None and not isinstance(node.value, ast.Constant) and ctx.handler_app() is not None

    def check(self, node: ast.AST, ctx: ModuleContext) -> Iterator[Finding]:
        if isinstance(node, ast.Return):
            yield from self._returned_html(node, ctx)
            return
        assert isinstance(node, ast.Call)
        if ctx.qualified(node.func) in defaults.JINJA_ENVIRONMENTS:
            autoescape = keyword(node, "autoescape")
            if autoescape is not None and ctx.const_value(autoescape) is False:
                yield plain_finding(self, node, f"{ctx.qualified(node.func)}(autoescape=False) renders "
                                    "variables without HTML escaping; use autoescape=select_autoescape()")
                return
        for hit in ctx.tainted_sinks(node, self.category):
            if hit.argument is not None and hit.line == node.lineno and ctx.value(hit.argument).kind in ("map", "seq"):
                continue  # a dict/list body is sent as JSON
            yield self._report(node, hit.source.label, hit.source.line, hit.sink,
                               f" on line {hit.line}" if hit.line != node.lineno else "")
            return

    def _report(self, node: ast.AST, source: str, line: int, sink: str, where: str) -> Finding:
        return self.finding(node, source=source, line=line, sink=sink, where=where, fix=self.fix)

    def _returned_html(self, node: ast.Return, ctx: ModuleContext) -> Iterator[Finding]:
        func = ctx.function()
        if node.value is None or func is None:
            return
        app = ctx.handler_app()
        if app is None or not ctx.may_taint(self.category):
            return
        if app in FASTAPI_APPS:
            if not self._html_route(func, ctx):
                return  # FastAPI serves a returned str as JSON
        elif app not in defaults.STRING_RESPONSE_APPS:
            return
        body = node.value.elts[0] if isinstance(node.value, ast.Tuple) and node.value.elts else node.value
        if self._escaping_markup(body, ctx):
            return
        val = ctx.value(body)
        if val.kind != STR or "<" not in val.text:
            return  # only HTML built from markup text: other strings may be plain text
        live = val.live_taint(self.category)
        if live:
            yield self._report(node, live[0].label, live[0].line, f"the HTML returned by {func.name}()", "")

    @staticmethod
    def _escaping_markup(expr: ast.expr, ctx: ModuleContext) -> bool:
        """``Markup("<b>%s</b>") % value`` / ``Markup(...).format(value)``: Markup
        escapes what it inserts."""
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Mod):
            template = expr.left
        elif isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr == "format":
            template = expr.func.value
        else:
            return False
        return isinstance(template, ast.Call) and ctx.qualified(template.func) in defaults.MARKUP_CLASSES

    @staticmethod
    def _html_route(func: ast.FunctionDef | ast.AsyncFunctionDef, ctx: ModuleContext) -> bool:
        for dec in func.decorator_list:
            if isinstance(dec, ast.Call):
                cls = keyword(dec, "response_class")
                if cls is not None and ctx.qualified(cls) in defaults.HTML_RESPONSE_CLASSES:
                    return True
        return False


@register
class OpenRedirect(TaintRule):
    """## What it does
    Flags request data used as the target of a redirect: `redirect()`
    (Flask, Werkzeug, Django), `HttpResponseRedirect`,
    `HttpResponsePermanentRedirect`, `RedirectResponse`, or a `Location`
    header written on a response.

    ## Why is this bad?
    `/login?next=https://evil.example` sends users, after a real login on
    the real site, to a look-alike page that asks for their password again
    or serves malware: the trusted domain in the link vouches for the
    attacker.

    ## Example
    ```python
    from flask import Flask, redirect, request

    app = Flask(__name__)

    @app.route("/login", methods=["POST"])
    def login():
        return redirect(request.args["next"])
    ```

    ## Use instead
    ```python
    from django.utils.http import url_has_allowed_host_and_scheme
    from flask import Flask, redirect, request, url_for

    app = Flask(__name__)

    @app.route("/login", methods=["POST"])
    def login():
        target = request.args["next"]
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={"example.com"}):
            target = url_for("index")
        return redirect(target)
    ```

    Also safe: `url_for(...)`/`reverse(...)` targets, an allow-list check
    (`if target not in ALLOWED: abort(400)`), a `startswith` check against a
    fixed `https://host/` or `/path`, and targets whose constant start
    already fixes the site (`"/profile/" + user_id`; not `"/" + value`,
    which can become `//evil.example`).

    ## Options
    `--secure-extra-sources`, `--secure-extra-sanitizers`, `--secure-extra-sinks`.

    ## Known limitations
    A host check on a separate variable (`host = urlparse(url).hostname`,
    then `if host in ALLOWED`) does not clean `url`; test
    `urlparse(url).hostname in ALLOWED` directly.  A `Location` header is
    followed when written by item or `headers.set/add`, not inside a
    `headers={...}` literal passed to a response.

    ## References
    - [CWE-601: Open Redirect](https://cwe.mitre.org/data/definitions/601.html)
    - [Django: url_has_allowed_host_and_scheme](https://docs.djangoproject.com/en/stable/ref/utils/#django.utils.http.url_has_allowed_host_and_scheme)
    - [OWASP Unvalidated Redirects and Forwards Cheat Sheet](https://cheatsheetseries.owasp.org/cheatsheets/Unvalidated_Redirects_and_Forwards_Cheat_Sheet.html)
    """

    code = "SEC016"
    call_names = frozenset(defaults.HEADER_WRITERS)  # resp.headers.set("Location", ...)
    name = "open-redirect"
    category = "redirect"
    fix = "redirect to url_for(...) or check the target with url_has_allowed_host_and_scheme()"
    cwe = (601,)
    severity = Severity.MEDIUM
    node_types = (ast.Call, ast.Assign)
    options = TAINT_OPTIONS
    call_names = defaults.HEADER_WRITERS  # resp.headers.set("Location", url)

    prefiltered = frozenset({ast.Assign})
    target_driven = True

    def wants(self, node: ast.Assign, ctx: ModuleContext) -> bool:
        """An item named like a redirect header written: ``resp["Location"] = ...``."""
        return any(isinstance(t, ast.Subscript) and isinstance(t.slice, ast.Constant)
                   and isinstance(t.slice.value, str) and t.slice.value.lower() in defaults.REDIRECT_HEADERS
                   for t in node.targets)

    def wants_target(self, kind: str, name: str) -> bool:
        return kind == "item" and name.lower() in defaults.REDIRECT_HEADERS

    def check(self, node: ast.AST, ctx: ModuleContext) -> Iterator[Finding]:
        if isinstance(node, ast.Call):
            yield from super().check(node, ctx)
            header = self._header_write(node, ctx)
        else:
            assert isinstance(node, ast.Assign)
            header = node.value if any(self._header_item(t, ctx) for t in node.targets) else None
        if header is not None and ctx.may_taint(self.category):
            live = ctx.taint.live_at_sink(ctx.value(header), self.category)
            if live:
                yield self.finding(node, source=live[0].label, line=live[0].line, sink="the Location header",
                                   where="", fix=self.fix)

    @staticmethod
    def _header_item(target: ast.expr, ctx: ModuleContext) -> bool:
        """``resp.headers["Location"] = ...`` / ``response["Location"] = ...``."""
        if isinstance(target, ast.Subscript) and isinstance(target.slice, ast.Constant):
            key = target.slice.value
            if isinstance(key, str) and key.lower() in defaults.REDIRECT_HEADERS:
                return _is_headers(target.value, ctx)
        return False

    @staticmethod
    def _header_write(node: ast.Call, ctx: ModuleContext) -> ast.expr | None:
        """``resp.headers.set("Location", url)``: the value written."""
        func = node.func
        if (isinstance(func, ast.Attribute) and func.attr in defaults.HEADER_WRITERS and len(node.args) >= 2
                and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)
                and node.args[0].value.lower() in defaults.REDIRECT_HEADERS and _is_headers(func.value, ctx)):
            return node.args[1]
        return None


def _is_headers(expr: ast.expr, ctx: ModuleContext) -> bool:
    """A response's header mapping, or the response itself (Django)."""
    if isinstance(expr, ast.Attribute) and expr.attr == "headers":
        return True
    if isinstance(expr, ast.Name) and expr.id.lower().endswith("headers"):
        return True
    origin = (ctx.value(expr).origin or "").rsplit(".", 1)[-1]
    return origin in defaults.RESPONSE_FACTORIES
