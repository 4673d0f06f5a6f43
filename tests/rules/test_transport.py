"""SEC040-SEC046: transport security, and every case that must stay quiet."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import Case, case, lint, run_checker

SEC040_CASES = [
    case("requests-literal", "import requests\nrequests.get('http://api.shop.io/orders')\n", [(2, 0, "SEC040")]),
    case("https", "import requests\nrequests.get('https://api.shop.io/orders')\n", []),
    case("localhost-and-loopback", """
        import requests
        requests.get("http://localhost:8000/health")
        requests.get("http://127.0.0.5/x")
        requests.get("http://[::1]:80/x")
        requests.get("http://web.localhost/x")
        requests.get("http://printer.local/x")
        requests.get("http://api.test/x")
        requests.get("http://www.example.com/x")
        """, []),
    case("fstring-known-host", "import requests\ndef f(p):\n    requests.get(f'http://api.shop.io/{p}')\n",
         [(3, 4, "SEC040")]),
    case("fstring-unknown-host", "import requests\ndef f(host):\n    requests.get(f'http://{host}/x')\n", []),
    case("plus-and-local", """
        import requests
        def f(q):
            url = "http://feeds.news.io/rss"
            return requests.get(url + "?q=" + q)
        """, [(4, 11, "SEC040")]),
    case("urljoin", """
        import requests
        from urllib.parse import urljoin
        def f(s: requests.Session):
            requests.post(urljoin("http://pay.io/api/", "charge"))
        """, [(4, 4, "SEC040")]),
    case("session-method", "import requests\ns = requests.Session()\ns.get('http://pay.io/x')\n", [(3, 0, "SEC040")]),
    case("self-session", """
        import requests
        class Client:
            def __init__(self):
                self.session = requests.Session()
            def ping(self):
                return self.session.get("http://status.vendor.io/ping")
        """, [(6, 15, "SEC040")]),
    case("httpx-base-url", "import httpx\nc = httpx.Client(base_url='http://svc.prod')\n", [(2, 4, "SEC040")]),
    case("websocket", "import websockets\nasync def f():\n    await websockets.connect('ws://feed.io/s')\n",
         [(3, 10, "SEC040")]),
    case("module-base-url-reported-once", """
        import requests
        API_URL = "http://api.vendor.io/v2"
        def users():
            return requests.get(f"{API_URL}/users")
        """, [(2, 0, "SEC040")]),
    case("xml-namespace-constant", "SVG_NS_URL = 'http://www.w3.org/2000/svg'\n", []),
    case("not-a-client", "def f(cache):\n    cache.get('http://api.shop.io/x')\n", []),
    case("http-connection", "import http.client\nhttp.client.HTTPConnection('api.shop.io')\n", [(2, 0, "SEC040")]),
    case("http-connection-local", "import http.client\nhttp.client.HTTPConnection('localhost', 8080)\n", []),
]

SEC041_CASES = [
    case("unverified-context-imported-under-an-alias",
         "from ssl import _create_unverified_context as unverified\nctx = unverified()\n", [(2, 6, "SEC041")]),
    case("verify-false", "import requests\nrequests.get('https://x.io', verify=False)\n", [(2, 0, "SEC041")]),
    case("verify-ca-bundle", "import requests\nrequests.get('https://x.io', verify='/etc/ca.pem')\n", []),
    case("verify-constant", "import requests\nVERIFY = False\nrequests.get('https://x.io', verify=VERIFY)\n",
         [(3, 0, "SEC041")]),
    case("verify-kwargs-dict", """
        import requests
        def f():
            opts = {"verify": False, "timeout": 5}
            return requests.get("https://x.io", **opts)
        """, [(4, 11, "SEC041")]),
    case("verify-from-config", "import requests\ndef f(cfg):\n    requests.get('https://x.io', verify=cfg.verify)\n",
         []),
    case("session-verify-attribute", "import requests\ns = requests.Session()\ns.verify = False\n", [(3, 0, "SEC041")]),
    case("httpx-client", "import httpx\nhttpx.AsyncClient(verify=False)\n", [(2, 0, "SEC041")]),
    case("aiohttp-connector", "import aiohttp\naiohttp.TCPConnector(ssl=False)\n", [(2, 0, "SEC041")]),
    case("urllib3-cert-none", "import urllib3\nurllib3.PoolManager(cert_reqs='CERT_NONE')\n", [(2, 0, "SEC041")]),
    case("urllib3-cert-required", "import urllib3\nurllib3.PoolManager(cert_reqs='CERT_REQUIRED')\n", []),
    case("unverified-context", "import ssl\nssl._create_default_https_context = ssl._create_unverified_context\n",
         [(2, 36, "SEC041")]),
    case("weakened-context", """
        import ssl
        ctx = ssl.create_default_context()
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        """, [(3, 0, "SEC041"), (4, 0, "SEC041")]),
    case("cert-none-compared", "import ssl\ndef f(ctx):\n    return ctx.verify_mode == ssl.CERT_NONE\n", []),
    case("disable-warnings", """
        import urllib3
        urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
        """, [(2, 0, "SEC041")]),
    case("pythonhttpsverify", "import os\nos.environ['PYTHONHTTPSVERIFY'] = '0'\n", [(2, 0, "SEC041")]),
]

SEC042_CASES = [
    case("protocol-tlsv1", "import ssl\nssl.SSLContext(ssl.PROTOCOL_TLSv1)\n", [(2, 0, "SEC042")]),
    case("protocol-tls-client", "import ssl\nssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)\n", []),
    case("minimum-version-tlsv1-1", """
        import ssl
        ctx = ssl.create_default_context()
        ctx.minimum_version = ssl.TLSVersion.TLSv1_1
        """, [(3, 0, "SEC042")]),
    case("minimum-version-1-2", """
        import ssl
        ctx = ssl.create_default_context()
        ctx.minimum_version = ssl.TLSVersion.TLSv1_2
        """, []),
    case("wrap-socket", "import ssl, socket\nssl.wrap_socket(socket.socket())\n", [(2, 0, "SEC042")]),
    case("pyopenssl-method", "from OpenSSL import SSL\nSSL.Context(SSL.TLSv1_METHOD)\n", [(2, 0, "SEC042")]),
    case("protocol-as-dict-key", "import ssl\nNAMES = {ssl.PROTOCOL_TLSv1: 'TLSv1'}\n", []),
]

SEC043_CASES = [
    case("flask-make-response", """
        from flask import make_response
        def login(token):
            resp = make_response("ok")
            resp.set_cookie("session", token)
            return resp
        """, [(4, 4, "SEC043")]),
    case("flask-flags-set", """
        from flask import make_response
        def login(token):
            resp = make_response("ok")
            resp.set_cookie("session", token, secure=True, httponly=True)
            return resp
        """, []),
    case("django-httpresponse-missing-httponly", """
        from django.http import HttpResponse
        def view(request):
            r = HttpResponse("ok")
            r.set_signed_cookie("uid", "42", secure=True)
            return r
        """, [(4, 4, "SEC043")]),
    case("fastapi-annotated-parameter", """
        from fastapi import Response
        async def login(response: Response, token: str):
            response.set_cookie("sid", token, httponly=True)
        """, [(3, 4, "SEC043")]),
    case("name-resp-but-not-a-response", "def f(resp, t):\n    resp.set_cookie('sid', t)\n", []),
    case("flags-from-config", """
        from flask import current_app, make_response
        def login(t):
            r = make_response("ok")
            secure = current_app.config["SESSION_COOKIE_SECURE"]
            r.set_cookie("sid", t, secure=secure, httponly=True)
        """, []),
    case("deleting-cookie", """
        from flask import make_response
        def logout():
            r = make_response("bye")
            r.set_cookie("sid", "", max_age=0)
        """, []),
    case("csrf-cookie-readable-by-script", """
        from starlette.responses import JSONResponse
        def f(t):
            r = JSONResponse({})
            r.set_cookie("XSRF-TOKEN", t, secure=True)
        """, []),
    case("settings-module", "SESSION_COOKIE_SECURE = False\nCSRF_COOKIE_SECURE = True\n", [(1, 0, "SEC043")]),
    case("flask-config", """
        from flask import Flask
        app = Flask(__name__)
        app.config["SESSION_COOKIE_HTTPONLY"] = False
        app.config.update(REMEMBER_COOKIE_SECURE=False)
        """, [(3, 0, "SEC043"), (4, 0, "SEC043")]),
    case("dev-config-class", "class DevelopmentConfig:\n    SESSION_COOKIE_SECURE = False\n", []),
    case("setting-from-environment", "import os\nSESSION_COOKIE_SECURE = os.environ.get('SECURE') == '1'\n", []),
]

SEC044_CASES = [
    case("ftp", "import ftplib\nftp = ftplib.FTP('files.partner.io')\n", [(2, 6, "SEC044")]),
    case("ftp-tls", "import ftplib\nftp = ftplib.FTP_TLS('files.partner.io')\n", []),
    case("telnet", "import telnetlib\ntelnetlib.Telnet('switch.corp')\n", [(2, 0, "SEC044")]),
    case("smtp-login-without-starttls", """
        import smtplib
        def send(pw):
            s = smtplib.SMTP("mail.corp.io", 587)
            s.login("app", pw)
        """, [(4, 4, "SEC044")]),
    case("smtp-starttls-then-login", """
        import smtplib
        def send(pw):
            with smtplib.SMTP("mail.corp.io", 587) as s:
                s.starttls()
                s.login("app", pw)
        """, []),
    case("smtp-without-login", "import smtplib\ndef f(m):\n    smtplib.SMTP('relay.corp').send_message(m)\n", []),
    case("smtp-localhost", "import smtplib\ndef f(pw):\n    s = smtplib.SMTP('localhost')\n    s.login('a', pw)\n",
         []),
    case("imap-starttls", "import imaplib\ndef f():\n    m = imaplib.IMAP4('imap.corp')\n    m.starttls()\n", []),
    case("pop3", "import poplib\ndef f():\n    m = poplib.POP3('pop.corp')\n", [(3, 8, "SEC044")]),
]

SEC045_CASES = [
    case("auto-add", "import paramiko\nc = paramiko.SSHClient()\nc.set_missing_host_key_policy(paramiko.AutoAddPolicy())\n",
         [(3, 0, "SEC045")]),
    case("warning-class", """
        from paramiko import SSHClient, WarningPolicy
        c = SSHClient()
        c.set_missing_host_key_policy(WarningPolicy)
        """, [(3, 0, "SEC045")]),
    case("reject", "import paramiko\nc = paramiko.SSHClient()\nc.set_missing_host_key_policy(paramiko.RejectPolicy())\n",
         []),
    case("unknown-policy", "def f(c, policy):\n    c.set_missing_host_key_policy(policy)\n", []),
]

SEC046_CASES = [
    case("flask-cors-default-origins", "from flask_cors import CORS\ndef f(app):\n    CORS(app, supports_credentials=True)\n",
         [(3, 4, "SEC046")]),
    case("flask-cors-explicit", """
        from flask_cors import CORS
        def f(app):
            CORS(app, origins=["https://app.shop.io"], supports_credentials=True)
        """, []),
    case("flask-cors-no-credentials", "from flask_cors import CORS\ndef f(app):\n    CORS(app)\n", []),
    case("starlette-add-middleware", """
        from fastapi import FastAPI
        from fastapi.middleware.cors import CORSMiddleware
        app = FastAPI()
        app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=True)
        """, [(4, 0, "SEC046")]),
    case("starlette-any-origin-no-credentials", """
        from starlette.middleware import Middleware
        from starlette.middleware.cors import CORSMiddleware
        m = Middleware(CORSMiddleware, allow_origins=["*"])
        """, []),
    case("django-settings", "CORS_ALLOW_ALL_ORIGINS = True\nCORS_ALLOW_CREDENTIALS = True\n", [(1, 0, "SEC046")]),
    case("django-settings-no-credentials", "CORS_ALLOW_ALL_ORIGINS = True\n", []),
]

CASES = {"SEC040": SEC040_CASES, "SEC041": SEC041_CASES, "SEC042": SEC042_CASES, "SEC043": SEC043_CASES,
         "SEC044": SEC044_CASES, "SEC045": SEC045_CASES, "SEC046": SEC046_CASES}
ALL = [(code, c) for code, cases in CASES.items() for c in cases]


@pytest.mark.parametrize(("code", "c"), ALL, ids=[f"{code}-{c.id}" for code, c in ALL])
def test_transport(code: str, c: Case) -> None:
    assert lint(c.source, select=code) == c.expected


def test_sec040_names_credentials_sent_over_http() -> None:
    source = "import requests\ndef f(t):\n    requests.get('http://api.shop.io/me', headers={'Authorization': t})\n"
    [(_, _, text)] = run_checker(source, select="SEC040")
    assert "http://api.shop.io over plain HTTP, sending an Authorization header in clear text" in text
    source = "import requests\nrequests.get('http://bob:pw@api.shop.io/me')\n"
    [(_, _, text)] = run_checker(source, select="SEC040")
    assert "http://***@api.shop.io" in text and "pw" not in text


def test_sec040_base_url_imported_from_a_sibling_is_reported_at_its_definition(tmp_path: Path) -> None:
    pkg = tmp_path / "vendor_client"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    constants = pkg / "constants.py"
    constants.write_text('API_URL = "http://api.vendor.io/v2/"\nSTATUS_PAGE = "http://status.vendor.io/ping"\n')
    client = pkg / "client.py"
    client.write_text(
        "import requests\n"
        "from .constants import API_URL, STATUS_PAGE\n"
        "def users():\n"
        '    return requests.get(f"{API_URL}users")\n'  # reported once, in constants.py
        "def ping():\n"
        "    return requests.get(STATUS_PAGE)\n"  # not a base URL: reported where it is requested
    )
    assert lint(constants.read_text(), select="SEC040", filename=str(constants)) == [(1, 0, "SEC040")]
    assert lint(client.read_text(), select="SEC040", filename=str(client)) == [(6, 11, "SEC040")]


def test_sec040_allowed_hosts_option() -> None:
    from flake8_secure.plugin import Checker
    from flake8_secure.settings import Settings
    import ast

    source = "import requests\nrequests.get('http://cache.build.internal/x')\n"
    assert lint(source, select="SEC040") == [(2, 0, "SEC040")]
    settings = Settings(enabled_codes=frozenset({"SEC040"}), strict=True, allowed_hosts=("*.internal",))
    original, Checker.settings = Checker.settings, settings
    try:
        assert list(Checker(ast.parse(source), source.splitlines(True), "x.py").run()) == []
    finally:
        Checker.settings = original


def test_sec041_learns_nothing_of_a_client_call_passing_no_tls_keyword(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every check of a client call reads ``verify``, ``ssl``, ``verify_ssl``
    or ``cert_reqs`` (or ``**kwargs``): without one, what made the client is
    not asked (that can take the function's flow)."""
    import ast

    from flake8_secure.analysis.context import ModuleContext

    asked: list[str] = []
    original = ModuleContext.value

    def recording(self: ModuleContext, expr: ast.AST, *args: object, **kwargs: object) -> object:
        asked.append(ast.unparse(expr))
        return original(self, expr, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ModuleContext, "value", recording)
    source = "import requests\n\n\ndef fetch(url):\n    session = requests.Session()\n    return session.get(url, timeout=5)\n"
    assert lint(source, select="SEC041") == []
    assert asked == []
    assert lint(source.replace("timeout=5", "verify=False"), select="SEC041") == [(6, 11, "SEC041")]
    assert lint(source.replace("timeout=5", "**{'verify': False}"), select="SEC041") == [(6, 11, "SEC041")]
