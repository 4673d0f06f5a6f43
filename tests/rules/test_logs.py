"""SEC022 (sensitive values in logs), each positive with a safe twin, and the name rule."""

from __future__ import annotations

import ast

import pytest

from flake8_secure.analysis.frameworks.logs import name_parts, sensitive_part
from flake8_secure.plugin import Checker
from flake8_secure.settings import Settings
from tests.helpers import Case, case, lint

LOG = "import logging\nlog = logging.getLogger(__name__)\n"


def fn(body: str, expected: list[tuple[int, int, str]], id: str, params: str = "user, password, token") -> Case:
    """``body`` inside ``def f(params)``; expected lines count from the body's first line (line 4)."""
    lines = "".join(f"    {ln}\n" for ln in body.strip("\n").splitlines())
    return Case(id, LOG + f"def f({params}):\n" + lines, [(line + 3, col + 4, c) for line, col, c in expected])


SEC022_CASES = [
    fn("log.info('login %s %s', user, password)", [(1, 0, "SEC022")], "percent-style-argument"),
    fn("log.info('login %s (password length %d)', user, len(password))", [], "length-only"),
    fn("log.info(f'login {user} with {password}')", [(1, 0, "SEC022")], "fstring"),
    fn("log.info('login {}'.format(token))", [(1, 0, "SEC022")], "str-format"),
    fn("log.info('token ' + mask(token))", [], "masked-call"),
    fn("log.info('token %s', token[:4] + '...')", [], "slice-prefix"),
    fn("log.info('token %s', '***')", [], "constant-mask"),
    fn("log.info('password reset requested for %s', user.email)", [], "word-only-in-constant-message"),
    fn("logging.warning('user %s', user.api_key)", [(1, 0, "SEC022")], "module-logging-attribute"),
    fn("logging.warning('user %s', user.api_key_id)", [], "key-id-metadata"),
    fn("log.info('policy %s', user.password_policy)", [], "password-policy"),
    fn("log.info('count %d', token_count)", [], "token-count", params="token_count"),
    fn("log.info('name %s', secret_name)", [], "secret-name", params="secret_name"),
    fn("log.info('hash %s', user.password_hash)", [], "password-hash"),
    fn("log.info('has %s', has_password)", [], "value-free-prefix", params="has_password"),
    fn("log.info('raw %s', token_value)", [(1, 0, "SEC022")], "value-word-suffix", params="token_value"),
    fn("log.info('db %s', DB_PASSWORD)", [(1, 0, "SEC022")], "upper-case-name", params="DB_PASSWORD"),
    fn("log.info('key %s', apiKey)", [(1, 0, "SEC022")], "camel-case-name", params="apiKey"),
    fn("log.info('t %s', tokenizer)", [], "tokenizer", params="tokenizer"),
    fn("log.debug('login', extra={'password': password})", [(1, 0, "SEC022")], "extra-dict"),
    fn("log.debug('login', extra={'user': user.name})", [], "extra-dict-safe"),
    fn("log.info('login', pwd=user.pw)", [(1, 0, "SEC022")], "structlog-style-keyword"),
    fn("log.info('ok %s', bool(password))", [], "bool-of-secret"),
    fn("log.info('creds %s', data['password'])", [(1, 0, "SEC022")], "dict-key", params="data"),
    fn("log.info('creds %s', data.get('password'))", [(1, 0, "SEC022")], "dict-get", params="data"),
    fn("log.info('creds %s', data.get('username'))", [], "dict-get-safe", params="data"),
    fn("print('token:', token)", [(1, 0, "SEC022")], "print"),
    fn("print('token set:', token is not None)", [], "print-comparison"),
    fn("import warnings\nwarnings.warn(f'bad password {password}')", [(2, 0, "SEC022")], "warnings-warn"),
    fn("password = hash_password(password)\nlog.info('stored %s', password)", [], "reassigned-from-hash"),
    fn("secret = user.secret\nlog.info('s %s', secret)", [(2, 0, "SEC022")], "local-from-attribute"),
    fn("self.logger.info('t %s', token)", [(1, 0, "SEC022")], "self-logger", params="self, token"),
    fn("log.exception('failed for %s', user, exc_info=True)", [], "exc-info-keyword"),
    fn("cache.info('t %s', token)", [], "not-a-logger", params="cache, token"),
    case("secretstr-parameter", LOG + """
from pydantic import SecretStr

def f(password: SecretStr):
    log.info("password %s", password)
""", []),
    case("secretstr-model-field", LOG + """
from pydantic import BaseModel, SecretStr

class Login(BaseModel):
    username: str
    password: SecretStr
    token: str

def f(body: Login):
    log.info("login %s %s", body.username, body.password)
    log.info("token %s", body.token)
""", [(13, 4, "SEC022")]),
    case("flask-authorization-header", LOG + """
from flask import Flask, request
app = Flask(__name__)

@app.route("/x")
def view():
    auth = request.headers.get("Authorization")
    log.info("auth header %s", auth)
    log.info("agent %s", request.headers.get("User-Agent"))
""", [(10, 4, "SEC022")]),
    case("flask-whole-payload", LOG + """
from flask import Flask, request
app = Flask(__name__)

@app.route("/x", methods=["POST"])
def view():
    data = request.get_json()
    app.logger.info("payload %s", data)
    app.logger.info("user %s", data["username"])
""", [(10, 4, "SEC022")]),
    case("django-cookie-header-and-post", LOG + """
from django.http import HttpResponse

def view(request):
    log.info("cookies %s", request.META["HTTP_COOKIE"])
    log.info("form %s", request.POST)
    log.info("path %s", request.path)
""", [(7, 4, "SEC022"), (8, 4, "SEC022")]),
    case("starlette-await-json", LOG + """
from fastapi import FastAPI, Request
app = FastAPI()

@app.post("/x")
async def view(request: Request):
    log.info("body %s", await request.json())
    log.info("method %s", request.method)
""", [(9, 4, "SEC022")]),
]

CASES = {"SEC022": SEC022_CASES}


@pytest.mark.parametrize("c", SEC022_CASES, ids=lambda c: c.id)
def test_sec022(c: Case) -> None:
    assert lint(c.source, select="SEC022") == c.expected


@pytest.mark.parametrize(
    ("name", "parts"),
    [("DB_PASSWORD", ["db", "password"]), ("apiKey2", ["api", "key"]), ("HTTPAuthorization", ["http", "authorization"]),
     ("X-Api-Key", ["x", "api", "key"]), ("password1", ["password"])],
)
def test_name_parts(name: str, parts: list[str]) -> None:
    assert name_parts(name) == parts


@pytest.mark.parametrize(
    ("name", "run"),
    [("password", "password"), ("user_password", "password"), ("apiKey", "api_key"), ("APIKEY", "apikey"),
     ("HTTP_AUTHORIZATION", "authorization"), ("token_value", "token"), ("session_id", "session_id"),
     ("password_policy", None), ("token_count", None), ("secret_name", None), ("password_hash", None),
     ("tokenizer", None), ("is_secret", None), ("max_tokens", None), ("sort_key", None), ("Cookie", "cookie")],
)
def test_sensitive_part_matches_whole_name_parts(name: str, run: str | None) -> None:
    assert sensitive_part(name) == run


def test_sensitive_names_option_replaces_the_pattern() -> None:
    source = LOG + "def f(pin, password):\n    log.info('%s %s', pin, password)\n    log.info('%s', password)\n"
    settings = Settings(enabled_codes=frozenset({"SEC022"}), strict=True, sensitive_names="pin")
    original = Checker.settings
    Checker.settings = settings
    try:
        checker = Checker(ast.parse(source), source.splitlines(True), "t.py")
        found = [(line, text.split()[0]) for line, _, text, _ in checker.run()]
    finally:
        Checker.settings = original
    assert found == [(4, "SEC022")]
