"""SEC020 (exception details in responses) and SEC021 (debug mode), each positive with a safe twin."""

from __future__ import annotations

import pytest

from tests.helpers import Case, case, lint, run_checker

FLASK = "import logging, sys, traceback\nfrom flask import Flask, jsonify, abort, make_response\napp = Flask(__name__)\n"


def flask(body: str, expected: list[tuple[int, int, str]], id: str, header: str = "") -> Case:
    """A Flask handler wrapping ``body`` in try/except Exception as e;
    expected lines count from the first line of ``body`` (line 9)."""
    lines = "".join(f"        {ln}\n" for ln in body.strip("\n").splitlines())
    src = FLASK + header + "@app.route('/x')\ndef view():\n    try:\n        work()\n    except Exception as e:\n" + lines
    offset = 8 + header.count("\n")
    return Case(id, src, [(line + offset, col + 8, code) for line, col, code in expected])


SEC020_CASES = [
    flask("return jsonify(error=str(e)), 500", [(1, 7, "SEC020")], "jsonify-str-e"),
    flask("logging.exception('failed')\nreturn jsonify(error='internal error'), 500", [], "logged-generic-message"),
    flask("return {'error': repr(e)}", [(1, 0, "SEC020")], "returned-dict-repr"),
    flask("return {'error': 'failed', 'kind': type(e).__name__}", [], "exception-class-name-only"),
    flask("return {'error': e.__class__.__name__}", [], "dunder-class-name-only"),
    flask("msg = f'failed: {e}'\nbody = {'detail': msg}\nreturn body, 500", [(3, 0, "SEC020")],
          "fstring-through-locals-and-dict"),
    flask("return {'error': e.args[0]}", [(1, 0, "SEC020")], "exception-args"),
    flask("return make_response(traceback.format_exc(), 500)", [(1, 7, "SEC020")], "format-exc-make-response"),
    flask("tb = traceback.format_exception(*sys.exc_info())\nreturn '<pre>' + ''.join(tb) + '</pre>'",
          [(2, 0, "SEC020")], "format-exception-joined"),
    flask("abort(500, str(e))", [(1, 0, "SEC020")], "abort-with-message"),
    flask("abort(500)", [], "abort-without-message"),
    flask("abort(500, description=f'{e!r}')", [(1, 0, "SEC020")], "abort-description-keyword"),
    flask("print(e)\nreturn 'error', 500", [], "printed-not-returned"),
    flask("import sentry_sdk\nevent = sentry_sdk.capture_exception(e)\nreturn {'error': 'internal', 'id': event}",
          [], "sentry-event-id"),
    case("helper-builds-response", FLASK + """
def error_response(message):
    return jsonify(error=message), 500

@app.route('/x')
def view():
    try:
        work()
    except KeyError as e:
        return error_response(str(e))
""", [(13, 15, "SEC020")]),
    case("helper-gets-fixed-message", FLASK + """
def error_response(message):
    return jsonify(error=message), 500

@app.route('/x')
def view():
    try:
        work()
    except KeyError:
        return error_response('missing field')
""", []),
    case("helper-returns-exception-text", FLASK + """
def run():
    try:
        return work()
    except Exception as exc:
        return {'error': str(exc)}

@app.route('/x')
def view():
    return run()
""", [(13, 4, "SEC020")]),
    case("plain-function-return-is-not-a-response", FLASK + """
def describe():
    try:
        return work()
    except Exception as exc:
        return str(exc)
""", []),
    case("validation-error-is-client-facing", FLASK + """
from pydantic import ValidationError

@app.route('/x')
def view():
    try:
        work()
    except ValidationError as e:
        return jsonify(errors=str(e)), 400
""", []),
    case("mixed-tuple-is-still-a-source", FLASK + """
from pydantic import ValidationError

@app.route('/x')
def view():
    try:
        work()
    except (ValidationError, OSError) as e:
        return jsonify(errors=str(e)), 400
""", [(12, 15, "SEC020")]),
    case("decorator-wrapper-constructs-response", FLASK + """
import functools

def json_errors(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except Exception as exc:
            return jsonify(error=str(exc)), 500
    return wrapper
""", [(13, 19, "SEC020")]),
    case("errorhandler-exception", FLASK + """
@app.errorhandler(Exception)
def on_error(e):
    return jsonify(error=str(e)), 500
""", [(7, 11, "SEC020")]),
    case("errorhandler-status-code", FLASK + """
@app.errorhandler(404)
def on_404(e):
    return jsonify(error=str(e)), 404
""", []),
    case("django-view-httpresponse", """
from django.http import HttpResponse, JsonResponse

def view(request):
    try:
        work()
    except Exception as e:
        return HttpResponse(f"Error: {e}", status=500)
""", [(7, 15, "SEC020")]),
    case("django-view-generic", """
import logging
from django.http import JsonResponse

def view(request):
    try:
        work()
    except Exception:
        logging.getLogger(__name__).exception("view failed")
        return JsonResponse({"error": "internal error"}, status=500)
""", []),
    case("drf-response", """
from rest_framework.response import Response
from rest_framework.views import APIView

class Orders(APIView):
    def get(self, request):
        try:
            work()
        except Exception as e:
            return Response({"detail": str(e)}, status=500)
""", [(9, 19, "SEC020")]),
    case("fastapi-httpexception-detail", """
from fastapi import FastAPI, HTTPException
app = FastAPI()

@app.get("/items/{item_id}")
async def item(item_id: int):
    try:
        return load(item_id)
    except Exception as e:
        raise HTTPException(status_code=500, detail=str(e))
""", [(9, 14, "SEC020")]),
    case("fastapi-httpexception-generic", """
from fastapi import FastAPI, HTTPException
app = FastAPI()

@app.get("/items/{item_id}")
async def item(item_id: int):
    try:
        return load(item_id)
    except Exception:
        raise HTTPException(status_code=500, detail="internal error")
""", []),
    case("fastapi-exception-handler", """
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
app = FastAPI()

@app.exception_handler(Exception)
async def on_error(request: Request, exc: Exception):
    return JSONResponse(status_code=500, content={"detail": repr(exc)})
""", [(7, 11, "SEC020")]),
    case("starlette-http-exception-handler", """
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
app = FastAPI()

@app.exception_handler(HTTPException)
async def on_http(request: Request, exc: HTTPException):
    return JSONResponse(status_code=exc.status_code, content={"detail": exc.detail})
""", []),
    case("exception-does-not-feed-injection-rules", FLASK + """
import os

@app.route('/x')
def view():
    try:
        work()
    except Exception as e:
        os.system('echo ' + str(e))
        return 'failed'
""", []),
]

SETTINGS = "INSTALLED_APPS = ['django.contrib.admin']\nROOT_URLCONF = 'site.urls'\n"

SEC021_CASES = [
    case("flask-run-debug", "from flask import Flask\napp = Flask(__name__)\napp.run(debug=True)\n",
         [(3, 0, "SEC021")]),
    case("flask-run-debug-from-env", "import os\nfrom flask import Flask\napp = Flask(__name__)\n"
         "app.run(debug=os.environ.get('FLASK_DEBUG') == '1')\n", []),
    case("flask-run-debug-constant-name", "from flask import Flask\nDEBUG = True\napp = Flask(__name__)\n"
         "if __name__ == '__main__':\n    app.run(host='127.0.0.1', debug=DEBUG)\n", [(5, 4, "SEC021")]),
    case("flask-run-debug-false-constant", "from flask import Flask\nDEBUG = False\napp = Flask(__name__)\n"
         "app.run(debug=DEBUG)\n", []),
    case("flask-run-debug-getenv", "import os\nfrom flask import Flask\nDEBUG = os.getenv('DEBUG')\n"
         "app = Flask(__name__)\napp.run(debug=DEBUG)\n", []),
    case("flask-app-factory", "from flask import Flask\nfrom myapp import create_app\napp = create_app()\n"
         "app.run(debug=True)\n", [(4, 0, "SEC021")]),
    case("flask-debug-attribute", "from flask import Flask\napp = Flask(__name__)\napp.debug = True\n",
         [(3, 0, "SEC021")]),
    case("flask-debug-attribute-from-config", "from flask import Flask\nfrom config import settings\n"
         "app = Flask(__name__)\napp.debug = settings.DEBUG\n", []),
    case("self-debug-is-not-an-app", "from flask import Flask\nclass Runner:\n    def __init__(self):\n"
         "        self.debug = True\n", []),
    case("flask-config-debug", "from flask import Flask\napp = Flask(__name__)\napp.config['DEBUG'] = True\n",
         [(3, 0, "SEC021")]),
    case("flask-config-update", "from flask import Flask\napp = Flask(__name__)\napp.config.update(DEBUG=True)\n",
         [(3, 0, "SEC021")]),
    case("flask-config-testing-key", "from flask import Flask\napp = Flask(__name__)\napp.config['TESTING'] = True\n",
         []),
    case("fastapi-debug", "from fastapi import FastAPI\napp = FastAPI(debug=True)\n", [(2, 6, "SEC021")]),
    case("fastapi-debug-env", "import os\nfrom fastapi import FastAPI\napp = FastAPI(debug=bool(os.getenv('DEBUG')))\n",
         []),
    case("starlette-debug", "from starlette.applications import Starlette\napp = Starlette(debug=True, routes=[])\n",
         [(2, 6, "SEC021")]),
    case("werkzeug-run-simple", "from werkzeug.serving import run_simple\nrun_simple('localhost', 5000, app, "
         "use_reloader=True, use_debugger=True)\n", [(2, 0, "SEC021")]),
    case("werkzeug-run-simple-positional", "from werkzeug.serving import run_simple\n"
         "run_simple('localhost', 5000, app, True, True)\n", [(2, 0, "SEC021")]),
    case("werkzeug-run-simple-no-debugger", "from werkzeug.serving import run_simple\n"
         "run_simple('localhost', 5000, app, use_reloader=True)\n", []),
    case("unrelated-run-debug", "import unittest\nrunner = unittest.TextTestRunner()\nrunner.run(debug=True)\n", []),
]


def settings_case(id: str, filename: str, source: str, expected: list[tuple[int, int, str]]) -> tuple[str, str, str, list[tuple[int, int, str]]]:
    return id, filename, source, expected


SETTINGS_CASES = [
    settings_case("settings-py", "mysite/settings.py", "DEBUG = True\n", [(1, 0, "SEC021")]),
    settings_case("settings-package", "mysite/settings/production.py", "from .base import *\nDEBUG = True\n",
                  [(2, 0, "SEC021")]),
    settings_case("django-names", "mysite/conf.py", SETTINGS + "DEBUG = True\n", [(3, 0, "SEC021")]),
    settings_case("settings-from-env", "mysite/settings.py",
                  "import os\nDEBUG = os.environ.get('DJANGO_DEBUG', '') == '1'\n", []),
    settings_case("settings-from-environ-lib", "mysite/settings.py",
                  "import environ\nenv = environ.Env()\nDEBUG = env.bool('DEBUG', default=False)\n", []),
    settings_case("development-settings", "mysite/settings/dev.py", "DEBUG = True\n", []),
    settings_case("local-settings", "mysite/local_settings.py", SETTINGS + "DEBUG = True\n", []),
    settings_case("not-django", "tool/options.py", "DEBUG = True\n", []),
    settings_case("function-local", "mysite/settings.py", "def f():\n    DEBUG = True\n    return DEBUG\n", []),
    settings_case("settings-configure", "manage.py",
                  "from django.conf import settings\nsettings.configure(DEBUG=True)\n", [(2, 0, "SEC021")]),
]

CASES = {"SEC020": SEC020_CASES, "SEC021": SEC021_CASES}


@pytest.mark.parametrize("c", SEC020_CASES, ids=lambda c: c.id)
def test_sec020(c: Case) -> None:
    assert lint(c.source, select="SEC0") == c.expected


@pytest.mark.parametrize("c", SEC021_CASES, ids=lambda c: c.id)
def test_sec021(c: Case) -> None:
    assert lint(c.source, select="SEC021") == c.expected


@pytest.mark.parametrize(("id", "filename", "source", "expected"), SETTINGS_CASES, ids=[c[0] for c in SETTINGS_CASES])
def test_sec021_django_settings(id: str, filename: str, source: str, expected: list[tuple[int, int, str]]) -> None:
    assert lint(source, select="SEC021", filename=filename) == expected


def test_sec020_message_names_exception_and_response() -> None:
    [(_, _, text)] = run_checker(SEC020_CASES[0].source, select="SEC020")
    assert text == (
        "SEC020 exception `e` (Exception) (line 8) reaches flask.jsonify(); "
        "log the exception and return a generic error message (CWE-209)"
    )


def test_sec020_return_message_names_the_handler() -> None:
    [(_, _, text)] = run_checker(SEC020_CASES[2].source, select="SEC020")
    assert "reaches the response of view()" in text


def test_sec021_message_shows_the_argument() -> None:
    [(_, _, text)] = run_checker(SEC021_CASES[2].source, select="SEC021")
    assert text.startswith("SEC021 app.run(debug=DEBUG) turns debug mode on;")
