"""SEC053: hard-coded secrets by use and by format; the labels, placeholders
and environment lookups other linters flag, asserted quiet."""

from __future__ import annotations

import pytest

from tests.helpers import Case, case, lint

# Built at run time, so that this file does not itself contain credentials.
FAKES = {
    "FAKE_AWS_KEY": "AKIA" + "Z" * 16,
    "FAKE_SLACK": "xox" + "b-1234567890-abcdefghij",
    "FAKE_STRIPE": "sk_" + "live_" + "abcdefghijklmnopqrstuvwx",
    "FAKE_PEM": "-----BEGIN RSA " + "PRIVATE KEY-----",
}


def with_fake_key(c: Case) -> Case:
    source = c.source
    for placeholder, fake in FAKES.items():
        source = source.replace(placeholder, fake)
    return Case(c.id, source, c.expected)


SEC053_CASES = [
    case("setting-name-as-value", 'DJANGO_CORS_CREDENTIALS = "CORS_ALLOW_CREDENTIALS"\nPASSWORD_ENV = "DB_PASSWORD"\n', []),
    case("django-secret-key", """
        SECRET_KEY = "django-insecure-7g#k2!x0"
        """, [(1, 0, "SEC053")]),
    case("flask-secret-key-and-config", """
        from flask import Flask
        app = Flask(__name__)
        app.secret_key = "dev"
        app.config["SECRET_KEY"] = "s3cr3t"
        app.config.update(SECRET_KEY="another")
        """, [(3, 0, "SEC053"), (4, 0, "SEC053"), (5, 29, "SEC053")]),
    case("password-and-api-key-keywords", """
        import boto3, psycopg2
        conn = psycopg2.connect(host="db", user="app", password="hunter2")
        s3 = boto3.client("s3", aws_access_key_id="id", aws_secret_access_key="wJalrXUtnFEMIK7MDENGbPxRfiCY")
        """, [(2, 56, "SEC053"), (3, 70, "SEC053")]),
    case("password-given-to-login", """
        import smtplib
        def notify(host):
            server = smtplib.SMTP(host)
            server.login("alerts@example.com", "Wint3r-2024!")
        """, [(4, 39, "SEC053")]),
    case("changeme-placeholder-is-still-flagged", """
        DB_PASSWORD = "changeme"
        """, [(1, 0, "SEC053")]),
    case("jwt-key-fernet-and-hmac", """
        import hmac, jwt
        from cryptography.fernet import Fernet
        def sign(payload):
            jwt.encode(payload, "my-signing-key", algorithm="HS256")
            Fernet(b"dGhpcyBpcyBub3QgYSByZWFsIGtleQ==")
            return hmac.new(b"static", payload, "sha256")
        """, [(4, 24, "SEC053"), (5, 11, "SEC053"), (6, 20, "SEC053")]),
    case("constant-reaching-a-sink-through-a-name", """
        import jwt
        KEY = "k9f2j3l4m5"
        def sign(payload):
            return jwt.encode(payload, KEY, algorithm="HS256")
        """, [(4, 31, "SEC053")]),
    case("comparison-with-literal", """
        def login(password):
            if password == "admin":
                return True
        """, [(2, 7, "SEC053")]),
    case("settings-dict-and-basic-auth", """
        from requests.auth import HTTPBasicAuth
        DATABASES = {"default": {"NAME": "app", "PASSWORD": "pg-pass-2024"}}
        auth = HTTPBasicAuth("svc", "svc-pass-2024")
        """, [(2, 52, "SEC053"), (3, 28, "SEC053")]),
    with_fake_key(case("known-formats-anywhere", """
        AWS = "FAKE_AWS_KEY"
        GH = ["ghp_" "abcdefghijklmnopqrstuvwxyz0123456789"]
        SLACK = {"url": "FAKE_SLACK"}
        STRIPE = "FAKE_STRIPE"
        PEM = "FAKE_PEM\\nMIIEowIBAAKCAQEAx4jr9Vbq2yqzPDbJ0rXrGgQj"
        """, [(1, 6, "SEC053"), (2, 6, "SEC053"), (3, 16, "SEC053"), (4, 9, "SEC053"), (5, 6, "SEC053")])),
    with_fake_key(case("known-format-in-tests-too", """
        def test_x():
            key = "FAKE_AWS_KEY"
        """, [(2, 10, "SEC053")])),
    case("token-named-credential", """
        GITLAB_TOKEN = "glpat9xK2mN4qR7sT1vW"
        """, [(1, 0, "SEC053")]),
    # --- quiet -------------------------------------------------------------
    case("labels-and-field-names", """
        token_type = "Bearer"
        PASSWORD_FIELD = "password"
        AUTH_HEADER = "X-Auth-Token"
        REFRESH_TOKEN = "refresh_token"
        ACCESS_TOKEN = "access"
        password = "password"
        NEXT_TOKEN = "NextToken"
        password_reset_url = "/accounts/reset/"
        """, []),
    case("empty-and-environment", """
        import os
        password = ""
        SECRET_KEY = os.environ["SECRET_KEY"]
        API_KEY = os.environ.get("API_KEY", "")
        app_password = os.getenv("APP_PASSWORD")
        """, []),
    case("templates-messages-and-masks", """
        password = "{password}"
        token = "${TOKEN}"
        secret = "***"
        password_prompt = "Enter your password"
        password = "Please enter a new password."
        """, []),
    case("lexer-tokens", """
        def lex(token, tokens):
            if token == "def":
                token = "async"
            search_token = "class"
            return {"token": "("}
        """, []),
    case("storage-key-names", """
        SESSION_KEY = "_auth_user_id"
        BACKEND_SESSION_KEY = "_auth_user_backend"
        CACHE_KEY = "users:list"

        class SessionStorage:
            session_key = "_messages"
        """, []),
    case("storage-key-name-holding-a-credential", """
        SESSION_KEY = "9f8a7b6c5d4e3f2a1b0c9d8e"
        """, [(1, 0, "SEC053")]),
    case("test-files-are-not-checked-by-name", """
        def test_login(client):
            client.post("/login", data={"password": "hunter2"})
            assert login(password="s3cret")
        """, []),
    case("documentation-example-and-fake-values", """
        AWS_EXAMPLE = "AKIAIOSFODNN7EXAMPLE"
        AWS_SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY"
        MOCK_SECRET = "dummy-secret-value"
        """, []),
    with_fake_key(case("pem-marker-and-docstring-example", """
        PEM_START = b"FAKE_PEM"
        def load(data):
            \"\"\"Loads a key::

                FAKE_PEM
                MIIEowIBAAKCAQEAx4jr9Vbq2yqzPDbJ0rXrGgQj
            \"\"\"
        """, [])),
    case("secret-named-variable-passed-on", """
        import jwt
        SECRET_KEY = "kx9-dev"
        def sign(payload):
            return jwt.encode(payload, SECRET_KEY, algorithm="HS256")
        """, [(2, 0, "SEC053")]),
]

CASES = {"SEC053": SEC053_CASES}


def _filename(c: Case) -> str:
    return "tests/test_login.py" if c.id.startswith(("test-files", "known-format-in-tests")) else "app/settings.py"


@pytest.mark.parametrize("c", SEC053_CASES, ids=lambda c: c.id)
def test_secrets(c: Case) -> None:
    assert lint(c.source, select="SEC053", filename=_filename(c)) == c.expected
