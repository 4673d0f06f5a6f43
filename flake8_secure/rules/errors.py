"""SEC020-SEC021: exception details sent to the client, debug mode left on."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import PurePath

from flake8_secure.analysis.constants import UNKNOWN
from flake8_secure.analysis.context import ModuleContext
from flake8_secure.analysis.frameworks import errors, web
from flake8_secure.analysis.values import EXCEPTION, label_of
from flake8_secure.registry import Finding, Rule, Severity, last_names, register
from flake8_secure.rules.taint_base import TaintRule


@register
class ExceptionDetailsInResponse(TaintRule):
    """## What it does
    Flags the details of a caught exception that reach what the client
    receives: the exception bound by `except ... as e` (its `str()`,
    `repr()`, `args`, an f-string or dict holding it) or the result of
    `traceback.format_exc()`, `format_exception()`, `sys.exc_info()`,
    followed through variables, containers and functions of the same
    module into a response:

    - the value a request handler returns (a routed Flask/FastAPI function,
      a Django view, a class-based view method, an error handler), including
      what functions of the module called by it return;
    - response constructors wherever they are called: `jsonify`,
      `make_response`, `Response`, `abort(code, ...)`, Django
      `HttpResponse`/`JsonResponse`, DRF `Response`/`APIException`,
      Starlette/FastAPI `JSONResponse` & co. and `HTTPException(detail=...)`
      (they build nothing but responses: decorators and error helpers too);
    - the exception parameter of `@app.errorhandler(Exception)` and FastAPI
      `@app.exception_handler(Exception)` functions.

    Exceptions made to carry a message for the client are not followed:
    catching only `ValidationError`, `HTTPException`, DRF `APIException`
    subclasses and the like.

    ## Why is this bad?
    Exception messages and tracebacks describe the server: SQL text and
    table names, file paths, library versions, hostnames, sometimes the
    data being processed or a secret in a connection string.  An attacker
    provokes errors on purpose to map the system and tune the next attack;
    crypto errors returned verbatim have made padding oracles.

    ## Example
    ```python
    from flask import Flask, jsonify

    app = Flask(__name__)

    @app.route("/orders/<order_id>")
    def order(order_id):
        try:
            return jsonify(load_order(order_id))
        except Exception as e:
            return jsonify(error=str(e)), 500
    ```

    ## Use instead
    ```python
    import logging

    from flask import Flask, jsonify

    app = Flask(__name__)
    log = logging.getLogger(__name__)

    @app.route("/orders/<order_id>")
    def order(order_id):
        try:
            return jsonify(load_order(order_id))
        except Exception:
            log.exception("loading order %s failed", order_id)
            return jsonify(error="internal error"), 500
    ```

    Log the exception on the server and answer with a fixed message (and,
    if useful, an error id the logs can be searched for).

    ## Options
    None.

    ## Known limitations
    A plain `return` counts only in a request handler (where the returned
    value is the response); a helper's return value counts where a handler
    returns it.  `ValueError` and `KeyError` are followed like any other
    exception: library messages echo input and internals.  Exception text
    passed to a template (`render_template(..., error=str(e))`) and
    returned by the handler is reported at the `return`.

    ## References
    - [CWE-209: Generation of Error Message Containing Sensitive Information](https://cwe.mitre.org/data/definitions/209.html)
    - [OWASP Error Handling Cheat Sheet](https://cheatsheetseries.owasp.org/cheatsheets/Error_Handling_Cheat_Sheet.html)
    - [Flask: handling application errors](https://flask.palletsprojects.com/en/stable/errorhandling/)
    """

    code = "SEC020"
    name = "exception-details-in-response"
    category = EXCEPTION
    needs_request_data = False
    fix = "log the exception and return a generic error message"
    cwe = (209, 497)
    severity = Severity.MEDIUM
    node_types = (ast.Call, ast.Return)
    source_hints = ("except", "traceback", "exc_info", "sys.exception")
    prefiltered = frozenset({ast.Return})

    def wants(self, node: ast.Return, ctx: ModuleContext) -> bool:
        """A value returned by a handler (its response); a literal carries
        no exception details."""
        if node.value is None or isinstance(node.value, ast.Constant):
            return False
        return ctx.is_handler()

    def check(self, node: ast.Call | ast.Return, ctx: ModuleContext) -> Iterator[Finding]:
        if isinstance(node, ast.Call):
            yield from super().check(node, ctx)
            return
        func = ctx.function()
        if node.value is None or func is None or not ctx.taint.is_handler(func, ctx.scopes) \
                or not ctx.may_taint(EXCEPTION):
            return
        # A response constructor in the returned expression reports on its own.
        if any(ctx.tainted_sinks(call, EXCEPTION) for call in ast.walk(node.value) if isinstance(call, ast.Call)):
            return
        live = ctx.value(node.value).live_taint(EXCEPTION)
        if live:
            yield self.finding(node, source=live[0].label, line=live[0].line,
                               sink=f"the response of {func.name}()", where="", fix=self.fix)


def _truthy_arg(expr: ast.expr | None, ctx: ModuleContext) -> bool:
    return expr is not None and _truthy(ctx.const_value(expr))


def _truthy(value: object) -> bool:
    """``True`` or a non-zero number (``debug=1``); unknown values never are."""
    return value is not UNKNOWN and isinstance(value, (bool, int)) and bool(value)


@register
class DebugModeEnabled(Rule):
    """## What it does
    Flags debug mode switched on with a value that is constant (a literal,
    or a name that resolves to one, such as `app.run(debug=DEBUG)` with
    `DEBUG = True`):

    - Flask/Quart/Dash/Flask-SocketIO `app.run(debug=True)`, `app.debug = True`,
      `app.config["DEBUG"] = True`, `app.config.update(DEBUG=True)`;
    - `FastAPI(debug=True)`, `Starlette(debug=True)`;
    - Werkzeug `run_simple(..., use_debugger=True)`;
    - `DEBUG = True` at module level of a Django settings module:
      `settings.py`, any module in a `settings/` package, or any module that
      assigns Django-only settings (`INSTALLED_APPS`, `MIDDLEWARE`,
      `ROOT_URLCONF`, `DATABASES`, ...), and `settings.configure(DEBUG=True)`.

    Values read from the environment or a configuration object
    (`os.environ.get("DEBUG")`, `env.bool("DEBUG")`, `config.DEBUG`) are not
    reported: they are decided at deployment.  Settings modules whose name
    says they are for development (`dev`, `development`, `local`, `test`,
    `testing`, `ci` as a word of the file name: `settings/dev.py`,
    `local_settings.py`) are skipped too.

    ## Why is this bad?
    The Werkzeug debugger runs arbitrary Python typed into a browser (the
    PIN is guessable from server details); Django, Starlette and FastAPI in
    debug mode show tracebacks with source, settings and local variables
    to anyone who triggers an error.  Debug settings written into code reach
    production with it.

    ## Example
    ```python
    from flask import Flask

    app = Flask(__name__)
    app.run(debug=True)
    ```

    ## Use instead
    ```python
    import os

    from flask import Flask

    app = Flask(__name__)
    app.run(debug=os.environ.get("FLASK_DEBUG") == "1")
    ```

    ## Options
    None.

    ## Known limitations
    `DEBUG = True` in a Flask configuration class or a `config.py` loaded
    with `from_pyfile` is not reported: nothing in the module says it is
    used in production.

    ## References
    - [CWE-215: Insertion of Sensitive Information Into Debugging Code](https://cwe.mitre.org/data/definitions/215.html)
    - [CWE-489: Active Debug Code](https://cwe.mitre.org/data/definitions/489.html)
    - [Flask: debug mode](https://flask.palletsprojects.com/en/stable/quickstart/#debug-mode)
    - [Django deployment checklist: DEBUG](https://docs.djangoproject.com/en/stable/howto/deployment/checklist/#debug)
    """

    code = "SEC021"
    name = "debug-mode-enabled"
    message = "{what} turns debug mode on; read it from the environment, off by default"
    cwe = (215, 489)
    severity = Severity.HIGH
    node_types = (ast.Call, ast.Assign)
    source_hints = ("debug", "DEBUG", "run_simple")
    call_names = (last_names(errors.DEBUG_CONSTRUCTORS, errors.DEBUGGER_SWITCHES) | errors.DEBUG_RUN_METHODS
                  | web.CONFIG_UPDATE_METHODS)

    def check(self, node: ast.Call | ast.Assign, ctx: ModuleContext) -> Iterator[Finding]:
        if isinstance(node, ast.Call):
            what = self._call(node, ctx)
        else:
            what = self._assign(node, ctx)
        if what:
            yield self.finding(node, what=what)

    def _call(self, node: ast.Call, ctx: ModuleContext) -> str | None:
        keywords = {kw.arg: kw.value for kw in node.keywords if kw.arg}
        func = node.func
        qualified = ctx.qualified(func) or ""
        if qualified in errors.DEBUG_CONSTRUCTORS and _truthy_arg(keywords.get("debug"), ctx):
            return f"{qualified.rsplit('.', 1)[-1]}(debug=True)"
        switch = errors.DEBUGGER_SWITCHES.get(qualified)
        if switch is not None:
            index, keyword = switch
            arg = keywords.get(keyword)
            if arg is None and 0 <= index < len(node.args):
                arg = node.args[index]
            if arg is not None and _truthy(ctx.const_value(arg)):
                return f"{qualified.rsplit('.', 1)[-1]}({keyword}=True)"
            return None
        if not isinstance(func, ast.Attribute):
            return None
        if func.attr in errors.DEBUG_RUN_METHODS and self._is_app(func.value, ctx):
            debug = keywords.get("debug")
            if debug is not None and _truthy(ctx.const_value(debug)):
                return f"{label_of(func)}(debug={label_of(debug)})"
        elif func.attr in web.CONFIG_UPDATE_METHODS and self._is_config(func.value, ctx):
            if _truthy_arg(keywords.get("DEBUG"), ctx):
                return f"{label_of(func)}(DEBUG=True)"
        return None

    def _assign(self, node: ast.Assign, ctx: ModuleContext) -> str | None:
        if not any(_debug_target(t) for t in node.targets) or not _truthy(ctx.const_value(node.value)):
            return None
        for target in node.targets:
            if (isinstance(target, ast.Attribute) and target.attr == "debug"
                    and self._is_app(target.value, ctx, loose=isinstance(target.value, ast.Name))):
                return f"{label_of(target)} = True"
            if (isinstance(target, ast.Subscript) and isinstance(target.slice, ast.Constant)
                    and target.slice.value == "DEBUG" and self._is_config(target.value, ctx)):
                return f"{label_of(target)} = True"
            if (isinstance(target, ast.Name) and target.id == "DEBUG" and not ctx.scopes
                    and self._is_django_settings(ctx)):
                return "DEBUG = True in a Django settings module"
        return None

    def _is_app(self, expr: ast.expr, ctx: ModuleContext, loose: bool = True) -> bool:
        """A web application object: made by a known factory, or (``loose``)
        any object but ``self`` in a module that imports a framework with a
        development server (``app = create_app()``)."""
        if ctx.value(expr, infer=False).origin in errors.DEBUG_APP_FACTORIES:
            return True
        if not loose or (isinstance(expr, ast.Name) and expr.id in ("self", "cls")):
            return False
        tops = {v.split(".")[0] for v in ctx.names.module_imports().values()}
        return bool(tops & errors.DEBUG_SERVER_MODULES) and isinstance(expr, (ast.Name, ast.Attribute))

    def _is_config(self, expr: ast.expr, ctx: ModuleContext) -> bool:
        """``app.config`` of a web application object."""
        return isinstance(expr, ast.Attribute) and expr.attr == "config" and self._is_app(expr.value, ctx)

    def _is_django_settings(self, ctx: ModuleContext) -> bool:
        path = PurePath(ctx.filename)
        words = set(re.split(r"[_\W]+", path.stem.lower()))
        if words & errors.DEVELOPMENT_MODULE_WORDS:
            return False
        if path.name == "settings.py" or path.parent.name == "settings":
            return True
        assigned = {
            t.id for stmt in ctx.tree.body if isinstance(stmt, (ast.Assign, ast.AnnAssign))
            for t in (stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]) if isinstance(t, ast.Name)
        }
        return bool(assigned & errors.DJANGO_SETTING_NAMES)


def _debug_target(target: ast.expr) -> bool:
    """``x.debug``, ``x["DEBUG"]`` or ``DEBUG``: what SEC021 reads an assignment to."""
    if isinstance(target, ast.Attribute):
        return target.attr == "debug"
    if isinstance(target, ast.Subscript):
        return isinstance(target.slice, ast.Constant) and target.slice.value == "DEBUG"
    return isinstance(target, ast.Name) and target.id == "DEBUG"
