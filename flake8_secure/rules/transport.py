"""SEC040-SEC042: plaintext HTTP, disabled certificate checks, obsolete TLS."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from flake8_secure.analysis.context import ModuleContext
from flake8_secure.analysis.frameworks import http, tls
from flake8_secure.analysis.receivers import origin_of
from flake8_secure.analysis.strings import known_prefix, single_binding
from flake8_secure.analysis.urls import PlainUrl, host_is_allowed, plaintext_url
from flake8_secure.analysis.values import MAP
from flake8_secure.registry import Finding, Rule, Severity, last_names, register
from flake8_secure.rules.privileges import argument

_BASE_URL_NAME = re.compile(http.BASE_URL_NAME)


def allowed_hosts(ctx: ModuleContext) -> tuple[str, ...]:
    return tuple(getattr(ctx.settings, "allowed_hosts", ()) or ())


# Callees ``client_call`` recognises, by last name.
CLIENT_CALL_NAMES = last_names(http.URL_FUNCTIONS, http.CLIENT_FACTORIES) | frozenset(http.CLIENT_METHODS)
_VERIFY_ENV_SETTERS = frozenset({"os.environ.setdefault", "os.putenv"})


def client_call(node: ast.Call, ctx: ModuleContext) -> tuple[str, str | None, ast.expr | None]:
    """(label, origin, URL argument) of an HTTP/WebSocket/XML-RPC client call."""
    func = node.func
    call = ctx.qualified(func) or ""
    if call in http.URL_FUNCTIONS:
        url = argument(node, http.URL_FUNCTIONS[call], "url")
        return call, call, url if url is not None else argument(node, -1, "uri")
    if call in http.CLIENT_FACTORIES:
        return call, call, argument(node, -1, "base_url")
    if isinstance(func, ast.Attribute) and func.attr in http.CLIENT_METHODS:
        origin = origin_of(func.value, ctx, among=http.CLIENT_FACTORIES)
        if origin in http.CLIENT_FACTORIES:
            return f"{origin}.{func.attr}", origin, argument(node, http.CLIENT_METHODS[func.attr], "url")
    return call, None, None


def sent_credentials(node: ast.Call, url: PlainUrl, ctx: ModuleContext) -> str:
    """Words for the credentials a request sends, or ''."""
    if url.has_userinfo:
        return "credentials in the URL"
    for kw in node.keywords:
        if kw.arg == "auth" and ctx.const_value(kw.value) is not None:
            return "credentials (auth=)"
        if kw.arg == "headers":
            val = ctx.value(kw.value)
            keys = [k for k, _ in val.items] if val.kind == MAP else []
            named = [k for k in keys if isinstance(k, str) and k.lower() in http.CREDENTIAL_HEADERS]
            if named:
                return f"an {named[0]} header" if named[0][0] in "AEIOUaeiou" else f"a {named[0]} header"
    return ""


def _leading_name(expr: ast.AST | None, ctx: ModuleContext, depth: int = 0) -> ast.Name | None:
    """The name a URL expression starts with: ``f"{BASE}/x"`` -> ``BASE``."""
    if expr is None or depth > 6:
        return None
    if isinstance(expr, ast.JoinedStr) and expr.values and isinstance(expr.values[0], ast.FormattedValue):
        return _leading_name(expr.values[0].value, ctx, depth + 1)
    if isinstance(expr, ast.BinOp):
        return _leading_name(expr.left, ctx, depth + 1)
    if isinstance(expr, ast.Call) and expr.args:
        return _leading_name(expr.args[0], ctx, depth + 1)
    if isinstance(expr, ast.Name):
        func = ctx.function()
        if func is not None and expr.id in ctx.constants.locals_of(func):
            return _leading_name(single_binding(expr.id, ctx), ctx, depth + 1)
        return expr
    return None


def is_base_url_constant(name: str) -> bool:
    return name.isupper() and bool(_BASE_URL_NAME.search(name))


def _reported_at_definition(lead: ast.Name, ctx: ModuleContext) -> bool:
    """A base-URL constant of this module, or imported from the module that
    defines it (``from .constants import API_URL``): reported once, there."""
    qualified = ctx.qualified(lead) or lead.id
    if qualified != lead.id:
        return is_base_url_constant(qualified.rsplit(".", 1)[-1])
    func = ctx.function()
    return func is not None and is_base_url_constant(lead.id) \
        and lead.id not in ctx.constants.locals_of(func) and single_binding(lead.id, ctx) is not None


@register
class PlaintextHttpUrl(Rule):
    """## What it does
    Flags an `http://` (or `ws://`) URL requested with `requests`, `httpx`,
    `urllib`, `urllib3`, `aiohttp`, `xmlrpc`, `websockets`/`websocket`, a
    client's `base_url`, a `http.client.HTTPConnection` to a remote host,
    and module-level base-URL constants (`API_URL = "http://..."`).  The
    URL may be a literal, a constant, an f-string, `+` or `urljoin` result;
    what matters is that its scheme and host are known.  The message says
    when the request also sends credentials or an `Authorization` header.

    ## Why is this bad?
    Anyone on the network path (public Wi-Fi, a compromised router, a cloud
    neighbour) can read and change plain HTTP traffic: steal tokens and
    passwords, or inject content into responses the program trusts.

    ## Example
    ```python
    import requests

    def fetch_orders(token: str):
        return requests.get("http://api.shop.io/orders", headers={"Authorization": f"Bearer {token}"})
    ```

    ## Use instead
    ```python
    import requests

    def fetch_orders(token: str):
        return requests.get("https://api.shop.io/orders", headers={"Authorization": f"Bearer {token}"})
    ```

    Hosts where plain HTTP does not leave the machine or is never fetched
    are accepted: loopback addresses, `localhost`, `*.localhost`, `*.local`,
    `*.test`, `*.example`, `example.com/org/net`, and XML namespace and
    schema URIs (`www.w3.org`, `schemas.xmlsoap.org`, ...).  URLs whose host
    is not known (`f"http://{host}/"`) are not reported.

    ## Options
    `--secure-allowed-hosts`: comma-separated host globs where plain HTTP is
    acceptable (`*.internal,build-cache`), added to the built-in list.

    ## Known limitations
    URLs passed in by a caller, and client objects stored on other objects
    than `self`, are not followed.

    ## References
    - [CWE-319: Cleartext Transmission of Sensitive Information](https://cwe.mitre.org/data/definitions/319.html)
    - [OWASP Transport Layer Security Cheat Sheet](https://cheatsheetseries.owasp.org/cheatsheets/Transport_Layer_Security_Cheat_Sheet.html)
    """

    code = "SEC040"
    name = "plaintext-http-url"
    message = "{what}{creds}; use https:// (or wss://), or allow the host with --secure-allowed-hosts"
    cwe = (319,)
    severity = Severity.MEDIUM
    node_types = (ast.Call, ast.Assign)
    call_names = CLIENT_CALL_NAMES | last_names(http.PLAINTEXT_CONNECTIONS)
    options = ("--secure-allowed-hosts",)

    prefiltered = frozenset({ast.Assign})
    target_driven = True

    def wants(self, node: ast.Assign, ctx: ModuleContext) -> bool:
        """A module-level constant named like a base URL."""
        return not ctx.scopes and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name) \
            and is_base_url_constant(node.targets[0].id)

    def wants_target(self, kind: str, name: str) -> bool:
        return kind == "name" and is_base_url_constant(name)

    def check(self, node: ast.Call | ast.Assign, ctx: ModuleContext) -> Iterator[Finding]:
        if isinstance(node, ast.Assign):
            yield from self._base_url_constant(node, ctx)
            return
        call, origin, arg = client_call(node, ctx)
        if call in http.PLAINTEXT_CONNECTIONS:
            host = ctx.str_value(argument(node, http.PLAINTEXT_CONNECTIONS[call], "host") or node)
            if isinstance(host, str) and host and not host_is_allowed(host, allowed_hosts(ctx)):
                yield self.finding(node, what=f"{call}() connects to {host} over plain HTTP", creds="")
            return
        if origin is None or arg is None:
            return
        url = plaintext_url(known_prefix(arg, ctx))
        if url is None or host_is_allowed(url.host, allowed_hosts(ctx)):
            return
        lead = _leading_name(arg, ctx)
        if lead is not None and _reported_at_definition(lead, ctx):
            return
        creds = sent_credentials(node, url, ctx)
        yield self.finding(node, what=f"{call}() requests {url.shown} over plain {url.scheme.upper()}",
                           creds=f", sending {creds} in clear text" if creds else "")

    def _base_url_constant(self, node: ast.Assign, ctx: ModuleContext) -> Iterator[Finding]:
        if ctx.scopes or len(node.targets) != 1 or not isinstance(node.targets[0], ast.Name):
            return
        name = node.targets[0].id
        if not is_base_url_constant(name):
            return
        url = plaintext_url(known_prefix(node.value, ctx))
        if url is not None and not host_is_allowed(url.host, allowed_hosts(ctx)):
            creds = ", with credentials in it" if url.has_userinfo else ""
            yield self.finding(node, what=f"base URL {name} = {url.shown} is plain {url.scheme.upper()}", creds=creds)


# The keywords that turn certificate checks off (``_call``), directly or in ``**{...}``.
_TLS_KEYWORDS = frozenset({"verify", "ssl", "verify_ssl", "cert_reqs"})


def _is_false(expr: ast.expr, ctx: ModuleContext) -> bool:
    return ctx.const_value(expr) is False


def _keyword_value(node: ast.Call, name: str, ctx: ModuleContext) -> tuple[bool, ast.expr | None]:
    """(found, value) of keyword ``name``, also inside a ``**{...}`` dict."""
    for kw in node.keywords:
        if kw.arg == name:
            return True, kw.value
        if kw.arg is None:
            val = ctx.value(kw.value)
            if val.kind == MAP and any(k == name for k, _ in val.items):
                item = val.item(name)
                if item.consts and len(item.consts) == 1 and isinstance(item.consts[0], (bool, str, int)):
                    return True, ast.Constant(item.consts[0])
                return True, None
    return False, None


@register
class CertificateVerificationDisabled(Rule):
    """## What it does
    Flags code that turns off TLS certificate or host name checks:
    `verify=False` on `requests`/`httpx` calls, sessions and clients
    (directly, from a constant, or in a `**kwargs` dict literal),
    `session.verify = False`, aiohttp `ssl=False`/`verify_ssl=False`
    (`TCPConnector`, session requests), urllib3 `cert_reqs="CERT_NONE"`,
    `ssl._create_unverified_context`, `context.verify_mode = ssl.CERT_NONE`,
    `context.check_hostname = False`, `urllib3.disable_warnings()` for
    `InsecureRequestWarning`, and `PYTHONHTTPSVERIFY=0` set in `os.environ`.

    ## Why is this bad?
    Without certificate checks, anyone who can intercept the connection can
    present their own certificate and read or change the traffic: HTTPS
    then protects against nothing but passive sniffing.

    ## Example
    ```python
    import requests

    def fetch_invoices(session: requests.Session):
        return requests.get("https://billing.internal.corp/invoices", verify=False)
    ```

    ## Use instead
    ```python
    import requests

    def fetch_invoices(session: requests.Session):
        return requests.get("https://billing.internal.corp/invoices", verify="/etc/ssl/corp-ca.pem")
    ```

    `verify=` with a CA bundle path, and values read from configuration
    (not inferable), are not reported.

    ## Options
    None.

    ## References
    - [CWE-295: Improper Certificate Validation](https://cwe.mitre.org/data/definitions/295.html)
    - [Requests: SSL cert verification](https://requests.readthedocs.io/en/latest/user/advanced/#ssl-cert-verification)
    - [Python: ssl security considerations](https://docs.python.org/3/library/ssl.html#security-considerations)
    """

    code = "SEC041"
    name = "certificate-verification-disabled"
    message = "{what}; {fix}"
    cwe = (295,)
    severity = Severity.HIGH
    node_types = (ast.Call, ast.Assign, ast.Attribute, ast.Name)
    call_names = CLIENT_CALL_NAMES | last_names(http.DISABLE_WARNINGS, _VERIFY_ENV_SETTERS, http.VERIFY_CALLS,
                                                http.AIOHTTP_SSL_CALLS, http.CERT_REQS_CALLS)
    name_ids = last_names(tls.UNVERIFIED_CONTEXT)

    fix = "keep it on, and pass a CA bundle path for private certificates"

    prefiltered = frozenset({ast.Assign})
    target_driven = True
    _SWITCHES = frozenset({"check_hostname", "verify_mode", "verify"})

    def wants(self, node: ast.Assign, ctx: ModuleContext) -> bool:
        """A verification switch set on an object, or an item of ``os.environ``."""
        return any(isinstance(t, ast.Attribute) and t.attr in self._SWITCHES
                   or isinstance(t, ast.Subscript) and ctx.names.may_end_in(t.value, ("environ",))
                   for t in node.targets)

    def wants_target(self, kind: str, name: str) -> bool:
        return kind == "attr" and name in self._SWITCHES or kind == "base" and name == "environ"

    def check(self, node: ast.AST, ctx: ModuleContext) -> Iterator[Finding]:
        what = None
        if isinstance(node, (ast.Attribute, ast.Name)):
            if isinstance(node.ctx, ast.Load) and ctx.qualified(node) in tls.UNVERIFIED_CONTEXT:
                what = "ssl._create_unverified_context"
        elif isinstance(node, ast.Call):
            what = self._call(node, ctx)
        elif isinstance(node, ast.Assign):
            with ctx.at_statement(node):
                what = self._assign(node, ctx)
        if what and what.startswith("!"):
            yield self.finding(node, what=f"{what[1:]} hides warnings about unverified HTTPS requests",
                               fix="verify certificates instead of silencing the warning")
        elif what:
            yield self.finding(node, what=f"{what} turns off TLS certificate verification", fix=self.fix)

    def _call(self, node: ast.Call, ctx: ModuleContext) -> str | None:
        func = node.func
        call = ctx.qualified(func) or ""
        if call in http.DISABLE_WARNINGS:
            args = [ctx.names.chain(a) or "" for a in node.args]
            if not args or any(a.endswith(("InsecureRequestWarning", "HTTPWarning", "SecurityWarning")) for a in args):
                return f"!{call}()"
            return None
        if call in _VERIFY_ENV_SETTERS and len(node.args) == 2:
            if ctx.const_value(node.args[0]) == "PYTHONHTTPSVERIFY" and ctx.const_value(node.args[1]) == "0":
                return "PYTHONHTTPSVERIFY=0"
            return None
        if not any(kw.arg is None or kw.arg in _TLS_KEYWORDS for kw in node.keywords):
            return None  # each check below reads one of these keywords: no need to learn what the client is
        label, origin, _ = client_call(node, ctx)
        is_method = isinstance(func, ast.Attribute) and func.attr in http.CLIENT_METHODS
        if call in http.VERIFY_CALLS or origin in http.CLIENT_FACTORIES or is_method:
            found, value = _keyword_value(node, "verify", ctx)
            if found and value is not None and _is_false(value, ctx):
                return f"verify=False in {label if origin else call}()"
        if call in http.AIOHTTP_SSL_CALLS or origin in http.AIOHTTP_SESSIONS:
            for key in ("ssl", "verify_ssl"):
                found, value = _keyword_value(node, key, ctx)
                if found and value is not None and _is_false(value, ctx):
                    return f"{key}=False in {label if origin else call}()"
        if call in http.CERT_REQS_CALLS:
            found, value = _keyword_value(node, "cert_reqs", ctx)
            if found and value is not None and (
                ctx.qualified(value) in tls.CERT_NONE or ctx.const_value(value) in ("CERT_NONE", "NONE")
            ):
                return f"cert_reqs=CERT_NONE in {call}()"
        return None

    def _assign(self, node: ast.Assign, ctx: ModuleContext) -> str | None:
        for target in node.targets:
            if isinstance(target, ast.Attribute):
                receiver = ctx.names.chain(target.value) or ""
                if target.attr == "check_hostname" and _is_false(node.value, ctx):
                    return f"{receiver}.check_hostname = False"
                if target.attr == "verify_mode" and ctx.qualified(node.value) in tls.CERT_NONE:
                    return f"{receiver}.verify_mode = CERT_NONE"
                if target.attr == "verify" and _is_false(node.value, ctx):
                    origin = origin_of(target.value, ctx) or ""
                    if origin in http.CLIENT_FACTORIES or re.search(r"(?i)(session|client)$", receiver):
                        return f"{receiver}.verify = False"
            elif isinstance(target, ast.Subscript) and ctx.qualified(target.value) == "os.environ":
                if ctx.const_value(target.slice) == "PYTHONHTTPSVERIFY" and ctx.const_value(node.value) == "0":
                    return "PYTHONHTTPSVERIFY=0"
        return None


@register
class ObsoleteTlsProtocol(Rule):
    """## What it does
    Flags connections pinned to a broken protocol version:
    `ssl.PROTOCOL_SSLv2`/`SSLv3`/`TLSv1`/`TLSv1_1` and pyOpenSSL
    `SSLv2_METHOD`/`SSLv3_METHOD`/`TLSv1_METHOD`/`TLSv1_1_METHOD` passed to
    a call or assigned; `minimum_version` (or `maximum_version`) set below
    TLS 1.2; and `ssl.wrap_socket()`.

    ## Why is this bad?
    SSL 3.0, TLS 1.0 and TLS 1.1 have practical attacks (POODLE, BEAST) and
    are disabled by current browsers and servers.  `ssl.wrap_socket()`
    (removed in Python 3.12) checks neither the certificate nor the host
    name by default.

    ## Example
    ```python
    import ssl

    def client_context() -> ssl.SSLContext:
        ctx = ssl.create_default_context()
        ctx.minimum_version = ssl.TLSVersion.TLSv1
        return ctx
    ```

    ## Use instead
    ```python
    import ssl

    def client_context() -> ssl.SSLContext:
        ctx = ssl.create_default_context()
        ctx.minimum_version = ssl.TLSVersion.TLSv1_2
        return ctx
    ```

    `ssl.PROTOCOL_TLS_CLIENT`, `ssl.PROTOCOL_TLS_SERVER`,
    `create_default_context()`, and protocol constants only compared or used
    as dictionary keys are not reported.

    ## Options
    None.

    ## References
    - [CWE-326: Inadequate Encryption Strength](https://cwe.mitre.org/data/definitions/326.html)
    - [CWE-327: Use of a Broken or Risky Cryptographic Algorithm](https://cwe.mitre.org/data/definitions/327.html)
    - [RFC 8996: Deprecating TLS 1.0 and TLS 1.1](https://www.rfc-editor.org/rfc/rfc8996)
    """

    code = "SEC042"
    name = "obsolete-tls-protocol"
    message = "{what}; {fix}"
    cwe = (326, 327)
    severity = Severity.HIGH
    node_types = (ast.Call, ast.Assign)

    fix = "use ssl.create_default_context() (TLS 1.2 or newer)"
    prefiltered = frozenset({ast.Call, ast.Assign})
    _WRAP_SOCKET = last_names(tls.WRAP_SOCKET)
    _PROTOCOLS = last_names(tls.OBSOLETE_PROTOCOLS)
    _ASSIGNED = _PROTOCOLS | last_names(tls.WEAK_TLS_VERSIONS)
    # Every finding is a qualified name of these tables, which resolves
    # imports only: the file writes its last name (or imports it by it).
    source_hints = tuple(sorted(_WRAP_SOCKET | _ASSIGNED))

    def wants(self, node: ast.Call | ast.Assign, ctx: ModuleContext) -> bool:
        """Only names decide: the callee, a protocol constant passed or assigned."""
        may_end_in = ctx.names.may_end_in
        if isinstance(node, ast.Assign):
            return may_end_in(node.value, self._ASSIGNED)
        return may_end_in(node.func, self._WRAP_SOCKET) or any(
            may_end_in(value, self._PROTOCOLS) for value in [*node.args, *(kw.value for kw in node.keywords)])

    def check(self, node: ast.Call | ast.Assign, ctx: ModuleContext) -> Iterator[Finding]:
        if isinstance(node, ast.Call):
            if ctx.qualified(node.func) in tls.WRAP_SOCKET:
                yield self.finding(node, what="ssl.wrap_socket() checks neither certificate nor host name "
                                   "and may negotiate old protocols", fix="use SSLContext.wrap_socket() "
                                   "on ssl.create_default_context()")
                return
            for value in [*node.args, *(kw.value for kw in node.keywords)]:
                if not isinstance(value, (ast.Name, ast.Attribute)):
                    continue  # a protocol constant is passed by name (SEC042 runs on every call)
                version = tls.OBSOLETE_PROTOCOLS.get(ctx.qualified(value) or "")
                if version:
                    call = ctx.names.chain(node.func) or "call"
                    yield self.finding(node, what=f"{call}() uses {version}, a broken protocol", fix=self.fix)
                    return
            return
        value_name = ctx.qualified(node.value) or ""
        for target in node.targets:
            attr = target.attr if isinstance(target, ast.Attribute) else None
            if attr in ("minimum_version", "maximum_version") and value_name in tls.WEAK_TLS_VERSIONS:
                yield self.finding(node, what=f"{attr} = {value_name.rsplit('.', 1)[-1]} allows "
                                   f"{tls.WEAK_TLS_VERSIONS[value_name]}", fix="set it to ssl.TLSVersion.TLSv1_2")
                return
            if value_name in tls.OBSOLETE_PROTOCOLS and isinstance(target, (ast.Name, ast.Attribute)):
                yield self.finding(node, what=f"{value_name.rsplit('.', 1)[-1]} selects "
                                   f"{tls.OBSOLETE_PROTOCOLS[value_name]}, a broken protocol", fix=self.fix)
                return
