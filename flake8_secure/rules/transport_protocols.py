"""SEC044, SEC045: plaintext protocol clients, SSH host keys not verified."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from flake8_secure.analysis.context import ModuleContext
from flake8_secure.analysis.frameworks import web
from flake8_secure.analysis.receivers import calls_method, constructor_call, origin_of
from flake8_secure.analysis.urls import host_is_allowed
from flake8_secure.registry import Finding, Rule, Severity, last_names, register
from flake8_secure.rules.privileges import argument
from flake8_secure.rules.transport import allowed_hosts


_SET_POLICY = "set_missing_host_key_policy"


def _local_host(call: ast.Call | None, ctx: ModuleContext) -> bool:
    """The client connects to a loopback or allowed host."""
    host_arg = argument(call, 0, "host") if call is not None else None
    host = ctx.str_value(host_arg) if host_arg is not None else None
    return isinstance(host, str) and bool(host) and host_is_allowed(host, allowed_hosts(ctx))


def _receiver_name(call: ast.Call, ctx: ModuleContext) -> str | None:
    """The name a client built by ``call`` is bound to in the current scope."""
    stmt = ctx.statement
    if isinstance(stmt, ast.Assign) and stmt.value is call and isinstance(stmt.targets[0], ast.Name):
        return stmt.targets[0].id
    if isinstance(stmt, (ast.With, ast.AsyncWith)):
        for item in stmt.items:
            if item.context_expr is call and isinstance(item.optional_vars, ast.Name):
                return item.optional_vars.id
    return None


@register
class PlaintextProtocolClient(Rule):
    """## What it does
    Flags clients of protocols that send passwords and data in clear text:
    `ftplib.FTP`, `telnetlib.Telnet`, `poplib.POP3` and `imaplib.IMAP4`
    (unless `stls()`/`starttls()` is called on them), and `smtplib.SMTP`
    logging in without `starttls()` first.

    ## Why is this bad?
    These protocols send the login and every message or file unencrypted:
    anyone on the network path can read the password and reuse it.

    ## Example
    ```python
    import ftplib

    def upload(path: str, password: str) -> None:
        ftp = ftplib.FTP("files.partner.io")
        ftp.login("shop", password)
        with open(path, "rb") as f:
            ftp.storbinary("STOR report.csv", f)
    ```

    ## Use instead
    ```python
    import ftplib

    def upload(path: str, password: str) -> None:
        ftp = ftplib.FTP_TLS("files.partner.io")
        ftp.login("shop", password)
        ftp.prot_p()
        with open(path, "rb") as f:
            ftp.storbinary("STOR report.csv", f)
    ```

    `FTP_TLS`, `SMTP_SSL`, `POP3_SSL`, `IMAP4_SSL`, `starttls()` before
    `login()`, SMTP without login, and connections to loopback or allowed
    hosts are not reported.

    ## Options
    `--secure-allowed-hosts`: host globs where clear text is acceptable.

    ## References
    - [CWE-319: Cleartext Transmission of Sensitive Information](https://cwe.mitre.org/data/definitions/319.html)
    - [Python: smtplib.SMTP.starttls](https://docs.python.org/3/library/smtplib.html#smtplib.SMTP.starttls)
    """

    code = "SEC044"
    name = "plaintext-protocol-client"
    message = "{what} sends credentials and data in clear text; use {fix}"
    cwe = (319,)
    severity = Severity.MEDIUM
    node_types = (ast.Call,)
    call_names = last_names(web.PLAINTEXT_CLIENTS) | web.SMTP_LOGINS
    options = ("--secure-allowed-hosts",)

    def check(self, node: ast.Call, ctx: ModuleContext) -> Iterator[Finding]:
        func = node.func
        call = ctx.qualified(func) or ""
        scope = ctx.function() or ctx.tree
        if call in web.PLAINTEXT_CLIENTS:
            if _local_host(node, ctx):
                return
            name = _receiver_name(node, ctx)
            if call in ("poplib.POP3", "imaplib.IMAP4") and name and calls_method(scope, name, web.STARTTLS):
                return
            yield self.finding(node, what=f"{call}()", fix=web.PLAINTEXT_CLIENTS[call])
        elif isinstance(func, ast.Attribute) and func.attr in web.SMTP_LOGINS:
            receiver = func.value
            if origin_of(receiver, ctx) not in web.SMTP_TYPES:
                return
            if isinstance(receiver, ast.Name) and calls_method(scope, receiver.id, web.STARTTLS):
                return
            if _local_host(constructor_call(receiver, ctx), ctx):
                return
            yield self.finding(node, what=f"smtplib.SMTP.{func.attr}() without starttls()",
                               fix="smtplib.SMTP_SSL, or call starttls() before logging in")


@register
class SshHostKeyNotVerified(Rule):
    """## What it does
    Flags paramiko `set_missing_host_key_policy()` with `AutoAddPolicy` or
    `WarningPolicy` (the class or an instance).

    ## Why is this bad?
    These policies accept whatever key a server presents the first time (or
    every time): an attacker who can redirect the connection impersonates
    the server and receives the password or the commands and files.

    ## Example
    ```python
    import paramiko

    def connect(host: str) -> paramiko.SSHClient:
        client = paramiko.SSHClient()
        client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
        client.connect(host, username="deploy")
        return client
    ```

    ## Use instead
    ```python
    import paramiko

    def connect(host: str) -> paramiko.SSHClient:
        client = paramiko.SSHClient()
        client.load_system_host_keys()
        client.set_missing_host_key_policy(paramiko.RejectPolicy())
        client.connect(host, username="deploy")
        return client
    ```

    `RejectPolicy` and known-hosts files only are not reported.

    ## Options
    None.

    ## References
    - [CWE-295: Improper Certificate Validation](https://cwe.mitre.org/data/definitions/295.html)
    - [paramiko: SSHClient.set_missing_host_key_policy](https://docs.paramiko.org/en/stable/api/client.html)
    """

    code = "SEC045"
    name = "ssh-host-key-not-verified"
    message = "set_missing_host_key_policy({policy}) accepts unknown SSH host keys; load known hosts and use RejectPolicy"
    cwe = (295,)
    severity = Severity.HIGH
    node_types = (ast.Call,)
    call_names = frozenset({_SET_POLICY})

    def check(self, node: ast.Call, ctx: ModuleContext) -> Iterator[Finding]:
        func = node.func
        if not (isinstance(func, ast.Attribute) and func.attr == _SET_POLICY and node.args):
            return
        policy = ctx.names.chain(node.args[0]) or origin_of(node.args[0], ctx) or ""
        if policy in web.TRUSTING_HOST_KEY_POLICIES:
            yield self.finding(node, policy=policy.rsplit(".", 1)[-1])
