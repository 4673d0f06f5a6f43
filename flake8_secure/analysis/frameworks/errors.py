"""Errors and debug switches: where exception details come from, which calls
build a response for the client (SEC020), and what turns debug mode on (SEC021).

Tables, not code: adding a framework is adding rows.
"""

from __future__ import annotations

from flake8_secure.analysis.frameworks.sinks import Sink
from flake8_secure.analysis.values import EXCEPTION

# Calls whose result describes the exception being handled (its message,
# type, traceback or the stack).
EXCEPTION_SOURCES = frozenset(
    {
        "traceback.format_exc", "traceback.format_exception", "traceback.format_exception_only",
        "traceback.format_tb", "traceback.format_stack", "traceback.extract_tb",
        "traceback.extract_stack", "traceback.TracebackException",
        "traceback.TracebackException.from_exception", "sys.exc_info", "sys.exception",
    }
)

# Exception classes (by last name component) made to carry a message for the
# client: catching only these and returning their text is the intended use.
CLIENT_FACING_EXCEPTIONS = frozenset(
    {
        "ValidationError", "RequestValidationError", "WebSocketRequestValidationError",
        "HTTPException", "APIException", "Http404", "PermissionDenied", "NotAuthenticated",
        "AuthenticationFailed", "ParseError", "BadRequest", "NotFound", "MethodNotAllowed",
        "Forbidden", "Unauthorized", "NotAcceptable", "UnsupportedMediaType", "Throttled",
        "SuspiciousOperation", "HTTPError", "HTTPClientError",
    }
)

# Decorators registering a function that turns an exception into a response
# (``@app.errorhandler(Exception)``, FastAPI ``@app.exception_handler(Exception)``):
# their exception parameter is a source when the class is not client-facing.
ERROR_HANDLER_DECORATORS = frozenset({"errorhandler", "app_errorhandler", "exception_handler"})


def _rows(names: str, args: tuple[int | str, ...]) -> dict[str, Sink]:
    sink = Sink(EXCEPTION, args)
    return {name: sink for name in names.split()}


_DJANGO_RESPONSES = " ".join(
    f"{module}.{cls}"
    for module in ("django.http", "django.http.response")
    for cls in ("HttpResponse", "HttpResponseBadRequest", "HttpResponseNotFound", "HttpResponseForbidden",
                "HttpResponseServerError", "HttpResponseNotAllowed", "HttpResponseGone")
)
_STARLETTE_RESPONSES = " ".join(
    f"{module}.{cls}"
    for module in ("starlette.responses", "fastapi.responses")
    for cls in ("Response", "JSONResponse", "PlainTextResponse", "HTMLResponse", "ORJSONResponse",
                "UJSONResponse")
) + " fastapi.Response"

# Calls that build what the client receives, and the arguments that become
# its body or message.  "*" is every argument (``jsonify(error=...)``).
RESPONSE_SINKS: dict[str, Sink] = {
    **_rows("flask.jsonify flask.make_response quart.jsonify quart.make_response", ("*",)),
    **_rows("flask.Response werkzeug.Response werkzeug.wrappers.Response quart.Response", (0, "response")),
    **_rows("flask.abort werkzeug.exceptions.abort quart.abort", (1, "description")),
    **_rows(_DJANGO_RESPONSES, (0, "content")),
    **_rows("django.http.JsonResponse django.http.response.JsonResponse", (0, "data")),
    **_rows("rest_framework.response.Response", (0, "data")),
    **_rows("rest_framework.exceptions.APIException", (0, "detail")),
    **_rows(_STARLETTE_RESPONSES, (0, "content")),
    **_rows("fastapi.HTTPException fastapi.exceptions.HTTPException starlette.exceptions.HTTPException",
            (1, "detail")),
}

# SEC021: objects whose ``.run(debug=True)`` starts an interactive debugger
# (``app.run``, Flask-SocketIO ``socketio.run(app, debug=True)``, Dash).
DEBUG_APP_FACTORIES = frozenset(
    {"flask.Flask", "quart.Quart", "flask_socketio.SocketIO", "dash.Dash", "fastapi.FastAPI",
     "starlette.applications.Starlette"}
)
# Modules whose import makes ``<name>.run(debug=True)`` a development server
# even when the app object comes from elsewhere (``app = create_app()``).
DEBUG_SERVER_MODULES = frozenset({"flask", "quart", "flask_socketio", "dash"})
DEBUG_RUN_METHODS = frozenset({"run", "run_server"})
# Constructors taking ``debug=``: tracebacks in every error response.
DEBUG_CONSTRUCTORS = frozenset(
    {"fastapi.FastAPI", "starlette.applications.Starlette", "starlette.Starlette", "quart.Quart"}
)
# Functions and the argument (position, keyword) switching a debugger on.
DEBUGGER_SWITCHES: dict[str, tuple[int, str]] = {
    "werkzeug.serving.run_simple": (4, "use_debugger"),
    "werkzeug.run_simple": (4, "use_debugger"),
    "django.conf.settings.configure": (-1, "DEBUG"),
}
# Names only a Django settings module assigns at module level.
DJANGO_SETTING_NAMES = frozenset(
    {"INSTALLED_APPS", "MIDDLEWARE", "MIDDLEWARE_CLASSES", "ROOT_URLCONF", "WSGI_APPLICATION",
     "ASGI_APPLICATION", "DATABASES", "AUTH_PASSWORD_VALIDATORS", "DEFAULT_AUTO_FIELD"}
)
# Words in a settings module's name saying it is meant for development.
DEVELOPMENT_MODULE_WORDS = frozenset({"dev", "develop", "development", "local", "test", "tests", "testing", "ci"})
