"""Web frameworks: where request data enters, and what cleans it.

Tables, not code: adding a framework is adding rows.  Users extend them with
``--secure-extra-sources`` and ``--secure-extra-sanitizers``.
"""

from __future__ import annotations

# Module-level request proxies: every attribute listed is attacker data.
# (Flask/Werkzeug docs, "The Request Object".)
REQUEST_PROXIES = frozenset({"flask.request", "werkzeug.local.request", "quart.request"})

# Attributes of a request object (proxy, Django/DRF/Starlette request) that
# carry attacker data.  Methods are listed too: their result is tainted.
REQUEST_SOURCE_ATTRS = frozenset(
    {
        # Flask / Werkzeug
        "args", "form", "values", "json", "data", "cookies", "headers", "files", "view_args",
        "get_json", "get_data", "stream", "path", "full_path", "url", "base_url", "query_string",
        "host", "remote_user", "authorization",
        # Django / DRF
        "GET", "POST", "COOKIES", "META", "FILES", "body", "path_info", "get_full_path",
        "get_host", "query_params", "read", "readline", "readlines",
        # Starlette / FastAPI
        "query_params", "path_params", "form", "body",
    }
)

# Classes whose instances are request objects (annotations of handler
# parameters, ``self.request`` in class-based views).
REQUEST_CLASSES = frozenset(
    {
        "django.http.HttpRequest", "django.http.request.HttpRequest",
        "rest_framework.request.Request",
        "starlette.requests.Request", "fastapi.Request", "fastapi.requests.Request",
        "flask.Request", "werkzeug.wrappers.Request",
    }
)

# Handler detection: decorators that register a function as an endpoint, by
# the last component of the decorator name (``@app.route``, ``@bp.get``,
# ``@router.post``, ``@api_view``), applied to an object created from one of
# APP_FACTORIES in the module or imported.
ROUTE_DECORATORS = frozenset(
    {"route", "get", "post", "put", "patch", "delete", "head", "options", "api_route",
     "websocket", "api_view", "action"}
)
APP_FACTORIES = frozenset(
    {
        "flask.Flask", "flask.Blueprint", "quart.Quart",
        "fastapi.FastAPI", "fastapi.APIRouter", "fastapi.routing.APIRouter",
        "starlette.applications.Starlette", "starlette.routing.Router",
    }
)
FASTAPI_APPS = frozenset({"fastapi.FastAPI", "fastapi.APIRouter", "fastapi.routing.APIRouter"})
# Django/DRF class-based views: methods of subclasses receive ``request``.
VIEW_BASES = frozenset(
    {
        "View", "TemplateView", "FormView", "DetailView", "ListView", "CreateView", "UpdateView",
        "DeleteView", "RedirectView", "APIView", "GenericAPIView", "ViewSet", "ModelViewSet",
        "GenericViewSet", "ReadOnlyModelViewSet", "HTTPEndpoint",
    }
)
VIEW_METHODS = frozenset(
    {"get", "post", "put", "patch", "delete", "head", "options", "dispatch", "list", "create",
     "retrieve", "update", "partial_update", "destroy", "form_valid", "get_queryset",
     "get_context_data", "get_object"}
)
# View methods the URL dispatcher calls with the captured URL parameters
# after ``request`` (``def get(self, request, slug)``, ``retrieve(self, request, pk=None)``).
URL_PARAMETER_METHODS = frozenset(
    {"get", "post", "put", "patch", "delete", "head", "options", "list", "create", "retrieve", "update",
     "partial_update", "destroy"}
)
# Calls that parse a JSON document: what they return is a whole client payload
# when their argument is request data (``json.loads(request.body)``).
JSON_PARSERS = frozenset({"json.loads", "orjson.loads", "ujson.loads", "simplejson.loads", "rapidjson.loads"})

# Annotations under which FastAPI validates a parameter into a non-string
# value: such parameters carry no injection taint.
VALIDATED_TYPES = frozenset(
    {"int", "float", "bool", "UUID", "uuid.UUID", "Decimal", "decimal.Decimal", "date",
     "datetime", "datetime.date", "datetime.datetime", "Literal", "typing.Literal", "conint",
     "confloat", "PositiveInt", "NegativeInt"}
)
# FastAPI parameter markers: the default of a parameter taken from the request.
PARAM_MARKERS = frozenset({"Query", "Path", "Body", "Form", "Header", "Cookie", "File"})

# Calls returning values that cannot carry text: they clean every category.
NON_STRING_CALLS = frozenset(
    {"int", "float", "bool", "len", "hash", "abs", "round", "ord", "id", "complex",
     "decimal.Decimal", "uuid.UUID", "math.floor", "math.ceil", "isinstance", "callable"}
)

# Sanitizers by category: what each one makes safe (and nothing else).
SANITIZERS: dict[str, frozenset[str]] = {
    "shlex.quote": frozenset({"command"}),
    "pipes.quote": frozenset({"command"}),
    "html.escape": frozenset({"xss"}),
    "markupsafe.escape": frozenset({"xss"}),
    "flask.escape": frozenset({"xss"}),
    "jinja2.escape": frozenset({"xss"}),
    "django.utils.html.escape": frozenset({"xss"}),
    "django.utils.html.conditional_escape": frozenset({"xss"}),
    "bleach.clean": frozenset({"xss"}),
    "cgi.escape": frozenset({"xss"}),
    "werkzeug.utils.secure_filename": frozenset({"path"}),
    "django.utils.text.get_valid_filename": frozenset({"path"}),
    "os.path.basename": frozenset({"path"}),
    "werkzeug.security.safe_join": frozenset({"path"}),
    "werkzeug.utils.safe_join": frozenset({"path"}),
    "flask.safe_join": frozenset({"path"}),
    "django.utils._os.safe_join": frozenset({"path"}),
    "ldap3.utils.conv.escape_filter_chars": frozenset({"ldap"}),
    "ldap.filter.escape_filter_chars": frozenset({"ldap"}),
    "ldap.dn.escape_dn_chars": frozenset({"ldap"}),
    "ldap.filter.filter_format": frozenset({"ldap"}),  # escapes every assertion value it inserts
    "ldap3.utils.dn.escape_rdn": frozenset({"ldap"}),
    "ast.literal_eval": frozenset({"code"}),
    "flask.url_for": frozenset({"redirect"}),
    "django.urls.reverse": frozenset({"redirect"}),
    "django.shortcuts.resolve_url": frozenset({"redirect"}),
    "urllib.parse.quote": frozenset({"xss", "redirect", "command"}),
    "urllib.parse.quote_plus": frozenset({"xss", "redirect", "command"}),
    # Text marked safe for HTML: SEC015 reports request data at the marking
    # call itself, so what comes out is not reported again downstream.
    "markupsafe.Markup": frozenset({"xss"}),
    "flask.Markup": frozenset({"xss"}),
    "jinja2.Markup": frozenset({"xss"}),
    "django.utils.safestring.mark_safe": frozenset({"xss"}),
    "django.utils.html.format_html": frozenset({"xss"}),
    # Template files rendered with autoescaping on (the frameworks' default
    # for .html templates): the page escapes what the context carries.
    "flask.render_template": frozenset({"xss"}),
    "quart.render_template": frozenset({"xss"}),
    "django.shortcuts.render": frozenset({"xss"}),
    "django.template.loader.render_to_string": frozenset({"xss"}),
    # JSON responses are served as application/json, never rendered as HTML.
    "flask.jsonify": frozenset({"xss"}),
    "quart.jsonify": frozenset({"xss"}),
    "bson.objectid.ObjectId": frozenset({"nosql"}),
    "bson.ObjectId": frozenset({"nosql"}),
    # A type carries no data: ``type(e).__name__`` names the class only.
    "type": frozenset({"*"}),
    # Error trackers return an event id, not the exception.
    "sentry_sdk.capture_exception": frozenset({"exception"}),
    "sentry_sdk.capture_message": frozenset({"exception"}),
}

# -- Responses, cookies, CORS and plaintext protocols (SEC043-SEC046) ------

# Calls and types producing a response object (exact names or prefixes).
RESPONSE_ORIGINS = frozenset(
    {
        "flask.make_response", "flask.Response", "flask.jsonify", "flask.redirect", "flask.send_file",
        "flask.send_from_directory", "flask.wrappers.Response", "flask.helpers.make_response",
        "flask.current_app.make_response", "flask.current_app.response_class",
        "werkzeug.Response", "werkzeug.wrappers.Response", "werkzeug.utils.redirect",
        "quart.make_response", "quart.Response",
        "django.shortcuts.render", "django.shortcuts.redirect", "django.shortcuts.render_to_response",
        "django.template.response.TemplateResponse", "rest_framework.response.Response",
        "fastapi.Response",
    }
)
RESPONSE_PREFIXES = ("django.http.", "starlette.responses.", "fastapi.responses.")
COOKIE_SETTERS = frozenset({"set_cookie", "set_signed_cookie"})
# Methods of a Flask ``app.config`` that set several settings at once.
CONFIG_UPDATE_METHODS = frozenset({"update", "from_mapping"})
# Positions of secure/httponly in set_cookie (Flask, Django and Starlette agree).
SECURE_POSITION = 6
HTTPONLY_POSITION = 7
# Cookies JavaScript must read (CSRF double-submit tokens): HttpOnly would break them.
SCRIPT_READABLE_COOKIE = r"(?i)csrf|xsrf"

# Flask/Django settings that must stay True in production.
COOKIE_SETTINGS = frozenset(
    {"SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "CSRF_COOKIE_SECURE",
     "REMEMBER_COOKIE_SECURE", "REMEMBER_COOKIE_HTTPONLY", "LANGUAGE_COOKIE_SECURE"}
)
# Settings modules and config classes for local development or tests.
DEV_SETTINGS = r"(?i)(?:^|[_./\\])(?:dev|develop|development|local|test|tests|testing|ci)(?:$|[_./\\]|settings)"
DEV_CLASS = r"(?i)dev|local|test"

# CORS.
FLASK_CORS = frozenset({"flask_cors.CORS", "flask_cors.cross_origin", "flask_cors.extension.CORS"})
CORS_MIDDLEWARE = frozenset(
    {"starlette.middleware.cors.CORSMiddleware", "fastapi.middleware.cors.CORSMiddleware"}
)
ANY_ORIGIN_REGEX = frozenset({".*", "^.*$", ".+", "^.+$", "https?://.*", "https://.*"})
DJANGO_CORS_ALLOW_ALL = frozenset({"CORS_ALLOW_ALL_ORIGINS", "CORS_ORIGIN_ALLOW_ALL"})
DJANGO_CORS_CREDENTIALS = "CORS_ALLOW_CREDENTIALS"

# Plaintext protocol clients -> what to use instead.
PLAINTEXT_CLIENTS: dict[str, str] = {
    "ftplib.FTP": "ftplib.FTP_TLS (or SFTP)",
    "telnetlib.Telnet": "SSH",
    "poplib.POP3": "poplib.POP3_SSL, or stls() before logging in",
    "imaplib.IMAP4": "imaplib.IMAP4_SSL, or starttls() before logging in",
}
STARTTLS = frozenset({"starttls", "stls"})
SMTP_TYPES = frozenset({"smtplib.SMTP", "smtplib.LMTP"})
SMTP_LOGINS = frozenset({"login", "auth", "auth_plain", "auth_login"})

# paramiko policies that accept unknown host keys.
TRUSTING_HOST_KEY_POLICIES = frozenset(
    {"paramiko.AutoAddPolicy", "paramiko.client.AutoAddPolicy",
     "paramiko.WarningPolicy", "paramiko.client.WarningPolicy"}
)
# lxml parser classes: a parse call's ``parser=`` built from one of these is
# judged by its ``resolve_entities``/``no_network`` keywords (SEC019).
LXML_PARSERS = frozenset({"lxml.etree.XMLParser", "lxml.etree.ETCompatXMLParser", "lxml.etree.XMLPullParser"})
# Attributes (or methods) of a request object that hold the whole parsed
# body, and its kind: "json" bodies hold any JSON value per key (objects
# too), "form" bodies only strings.  ``data`` is the parsed body in DRF but
# raw bytes in Flask (see flow: the Flask proxy's ``data`` is not a payload).
PAYLOAD_ATTRS: dict[str, str] = {
    "json": "json", "get_json": "json", "data": "json", "media": "json",
    "form": "form", "POST": "form", "values": "form",
}
# FastAPI parameter annotations that take the body unvalidated.
UNVALIDATED_BODY_TYPES = frozenset(
    {"dict", "Dict", "typing.Dict", "Any", "typing.Any", "Mapping", "typing.Mapping", "collections.abc.Mapping"}
)
# Calls that validate what they are given (by the last part of the name):
# pydantic/marshmallow/Django Form/DRF serializer/validator functions.  Their
# result is cleaned for "validation" and "trust" (SEC010, SEC011).
VALIDATING_METHODS = frozenset(
    {"model_validate", "model_validate_json", "parse_obj", "parse_raw", "validate_python", "validate_json"}
)
# Attributes holding validated data.
VALIDATED_ATTRS = frozenset({"cleaned_data", "validated_data"})
# Name prefixes of functions that validate or reject a value.
VALIDATOR_PREFIXES = ("validate", "is_valid", "clean_")
# Categories cleaned by a validator, and cleaned in values derived from
# request data by an unknown call that takes it as an argument
# (``User.query.get(request.args["id"])`` is a database row, not the data).
VALIDATION_CATEGORIES = frozenset({"validation", "trust"})
