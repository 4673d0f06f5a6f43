"""Library calls that are unsafe by their configuration alone, no request data
needed: template engines that do not escape, YAML loaders that build objects.
"""

from __future__ import annotations

# Jinja2 environments: ``autoescape`` defaults to False, and templates render
# variables unescaped unless it is on (Jinja2 docs, "Autoescaping").
JINJA_ENVIRONMENTS = frozenset(
    {"jinja2.Environment", "jinja2.environment.Environment", "jinja2.sandbox.SandboxedEnvironment",
     "jinja2.Template", "jinja2.environment.Template"}
)

# PyYAML: ``load``/``load_all`` build whatever the Loader allows; the loader is
# the second positional argument or ``Loader=``.
YAML_LOADS = frozenset({"yaml.load", "yaml.load_all"})
# Explicitly unsafe entry points (they use UnsafeLoader).
YAML_UNSAFE_LOADS = frozenset({"yaml.unsafe_load", "yaml.unsafe_load_all"})
# Loaders that never call Python constructors: SafeLoader and BaseLoader build
# only plain data; FullLoader is "the full YAML language, avoiding arbitrary
# code execution" (PyYAML >= 5.1; hardened in 5.4 after CVE-2020-14343).
SAFE_YAML_LOADERS = frozenset(
    {"yaml.SafeLoader", "yaml.CSafeLoader", "yaml.BaseLoader", "yaml.CBaseLoader", "yaml.FullLoader",
     "yaml.CFullLoader", "yaml.loader.SafeLoader", "yaml.loader.BaseLoader", "yaml.loader.FullLoader",
     "yaml.cyaml.CSafeLoader", "yaml.cyaml.CBaseLoader", "yaml.cyaml.CFullLoader"}
)
# Loaders that construct arbitrary Python objects (``!!python/object/apply``).
UNSAFE_YAML_LOADERS = frozenset(
    {"yaml.Loader", "yaml.UnsafeLoader", "yaml.CLoader", "yaml.CUnsafeLoader", "yaml.loader.Loader",
     "yaml.loader.UnsafeLoader", "yaml.cyaml.CLoader", "yaml.cyaml.CUnsafeLoader"}
)

# Response headers that send the browser elsewhere (SEC016), and the header
# mapping methods that write one.
REDIRECT_HEADERS = frozenset({"location"})
HEADER_WRITERS = frozenset({"set", "add", "setdefault", "__setitem__", "add_header"})
# Calls (by last name component) that make a response object, whose items or
# ``headers`` are its headers.
RESPONSE_FACTORIES = frozenset(
    {"make_response", "Response", "HttpResponse", "HTMLResponse", "JSONResponse", "PlainTextResponse",
     "StreamingResponse", "HttpResponseRedirect", "redirect"}
)

# Web apps that serve a string returned by a handler as an HTML page
# (Flask/Quart: text/html by default); FastAPI does so only with
# ``response_class=HTMLResponse``.
STRING_RESPONSE_APPS = frozenset({"flask.Flask", "flask.Blueprint", "quart.Quart", "quart.Blueprint"})
HTML_RESPONSE_CLASSES = frozenset({"fastapi.responses.HTMLResponse", "starlette.responses.HTMLResponse"})
# Markup classes: their ``%`` and ``format`` escape the inserted values.
MARKUP_CLASSES = frozenset({"markupsafe.Markup", "flask.Markup", "jinja2.Markup"})
