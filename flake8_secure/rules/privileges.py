"""SEC030-SEC034: least privilege on the file system and the network."""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator

from flake8_secure.analysis.constants import UNKNOWN
from flake8_secure.analysis.context import ModuleContext
from flake8_secure.analysis.frameworks import fs
from flake8_secure.analysis.permissions import mode_risk, umask_risk
from flake8_secure.analysis.receivers import constructor_call, origin_of
from flake8_secure.analysis.strings import known_prefix, single_binding
from flake8_secure.registry import Finding, Rule, Severity, last_names, register


_UMASK = "os.umask"
_OS_OPEN = "os.open"
_PATH_OPEN = "open"  # Path.open(mode)
_APP_RUN = "run"  # app.run(host=...)
_SOCKET_BIND = "bind"  # sock.bind((host, port))
_EXTRACT_METHODS = frozenset({"extractall", "extract"})


def argument(node: ast.Call, position: int, keyword: str) -> ast.expr | None:
    """The argument at ``position`` (-1: keyword only) or passed as ``keyword``."""
    for kw in node.keywords:
        if kw.arg == keyword:
            return kw.value
    if 0 <= position < len(node.args) and not any(isinstance(a, ast.Starred) for a in node.args[: position + 1]):
        return node.args[position]
    return None


def octal(value: int) -> str:
    return f"0o{value:03o}"


def mode_fix(risk: str) -> str:
    if "write" in risk:
        return "grant write to the owner only (0o644, 0o600, 0o755)"
    return "drop the setuid/setgid bits"


def is_path(receiver: ast.expr, ctx: ModuleContext, depth: int = 0) -> bool:
    """A ``pathlib`` object: built by ``Path(...)``, ``Path.home()``, ``/`` on
    one (also through a local: ``path = self.root / name``)."""
    if isinstance(receiver, ast.BinOp) and isinstance(receiver.op, ast.Div):
        return is_path(receiver.left, ctx, depth)
    origin = origin_of(receiver, ctx, among=("pathlib",)) or ""
    if not origin and isinstance(receiver, ast.Name) and depth < 3 and ctx.imports_package(("pathlib",)):
        bound = single_binding(receiver.id, ctx)
        return isinstance(bound, ast.BinOp) and is_path(bound, ctx, depth + 1)
    return origin.startswith("pathlib.")


@register
class OverPermissiveFileMode(Rule):
    """## What it does
    Flags a file mode that lets the group or others write, or sets setuid or
    setgid: in `os.chmod`/`fchmod`/`lchmod`, `os.open`, `os.mkdir`/`makedirs`,
    `os.mkfifo`/`mknod`, `Path.chmod`/`mkdir`/`touch`, and in the mode of a
    member written to a tar (`TarInfo.mode`) or zip (`ZipInfo.external_attr`)
    archive.  The mode may be a literal, a module or class constant, a
    `stat.S_*` combination (`|`, `&`, `~`) or a constant astroid resolves;
    the message says in words what it grants (`0o666 lets the group and
    others write`).

    ## Why is this bad?
    A file any local user can write can be replaced: a writable config,
    script or key lets another account (a compromised service, a shared
    host's tenant) run code as this program or read its secrets.  Setuid
    and setgid bits make a file run with its owner's privileges.

    ## Example
    ```python
    import os

    def save_key(path: str, key: bytes) -> None:
        with open(path, "wb") as f:
            f.write(key)
        os.chmod(path, 0o666)
    ```

    ## Use instead
    ```python
    import os

    def save_key(path: str, key: bytes) -> None:
        with open(path, "wb") as f:
            f.write(key)
        os.chmod(path, 0o600)
    ```

    Modes that grant write to the owner only (`0o644`, `0o600`, `0o755`,
    `0o700`) and modes that cannot be inferred are not reported.  Setgid on
    a directory only makes new entries inherit its group and is accepted.

    ## Options
    None.

    ## Known limitations
    A mode passed in by a caller is not followed.  The mode of `os.open`,
    `os.mkdir` and `Path.mkdir`/`touch` is still reduced by the process
    umask; it is reported because the code asks for the permissive mode.

    ## References
    - [CWE-732: Incorrect Permission Assignment for Critical Resource](https://cwe.mitre.org/data/definitions/732.html)
    - [CWE-276: Incorrect Default Permissions](https://cwe.mitre.org/data/definitions/276.html)
    - [Python: os.chmod](https://docs.python.org/3/library/os.html#os.chmod)
    """

    code = "SEC030"
    name = "over-permissive-file-mode"
    message = "{call} sets mode {mode}, which {risk}; {fix}"
    cwe = (732, 276)
    severity = Severity.HIGH
    node_types = (ast.Call, ast.Assign)
    call_names = last_names(fs.MODE_FUNCTIONS) | frozenset(fs.PATH_MODE_METHODS)

    prefiltered = frozenset({ast.Assign})
    target_driven = True

    def wants(self, node: ast.Assign, ctx: ModuleContext) -> bool:
        """An archive member's mode written: ``info.external_attr = ...``, ``info.mode = ...``."""
        return any(isinstance(t, ast.Attribute) and t.attr in ("external_attr", "mode") for t in node.targets)

    def wants_target(self, kind: str, name: str) -> bool:
        return kind == "attr" and name in ("external_attr", "mode")

    def check(self, node: ast.Call | ast.Assign, ctx: ModuleContext) -> Iterator[Finding]:
        if isinstance(node, ast.Assign):
            with ctx.at_statement(node):
                found = list(self._archive_member(node, ctx))
            yield from found
            return
        func = node.func
        call = ctx.qualified(func)
        spec = fs.MODE_FUNCTIONS.get(call or "")
        directory = call in fs.DIRECTORY_CREATORS
        if spec is None and isinstance(func, ast.Attribute) and func.attr in fs.PATH_MODE_METHODS:
            # Path.chmod(mode) is the only common one-argument chmod; the
            # other methods need a receiver proven to be a pathlib object.
            lone_chmod = func.attr in ("chmod", "lchmod") and len(node.args) == 1 and not node.keywords
            if not (lone_chmod or is_path(func.value, ctx)):
                return
            spec, call, directory = fs.PATH_MODE_METHODS[func.attr], f"Path.{func.attr}", func.attr == "mkdir"
        if spec is None:
            return
        arg = argument(node, *spec)
        mode = ctx.int_value(arg) if arg is not None else UNKNOWN
        if isinstance(mode, int) and 0 <= mode <= 0o7777:
            risk = mode_risk(mode, directory)
            if risk:
                yield self.finding(node, call=f"{call}()", mode=octal(mode), risk=risk, fix=mode_fix(risk))

    def _archive_member(self, node: ast.Assign, ctx: ModuleContext) -> Iterator[Finding]:
        for target in node.targets:
            if not isinstance(target, ast.Attribute) or target.attr not in ("external_attr", "mode"):
                continue
            value = ctx.int_value(node.value)
            if not isinstance(value, int):
                return
            if target.attr == "external_attr":
                mode, call = (value >> 16) & 0o7777, "ZipInfo.external_attr ="
            elif target.attr == "mode" and (origin_of(target.value, ctx) or "") in fs.TARINFO_TYPES:
                mode, call = value & 0o7777, "TarInfo.mode ="
            else:
                continue
            risk = mode_risk(mode)
            if risk:
                yield self.finding(node, call=call, mode=octal(mode), risk=risk, fix=mode_fix(risk))


@register
class PermissiveUmask(Rule):
    """## What it does
    Flags `os.umask(mask)` when the mask leaves the group's or others' write
    bit allowed (`0`, `0o002`, `0o020`).

    ## Why is this bad?
    The umask removes permissions from every file and directory the process
    creates afterwards, including those made by libraries.  A mask of `0`
    makes them world-writable: any local user can change them.

    ## Example
    ```python
    import os

    def daemonize() -> None:
        os.setsid()
        os.umask(0)
    ```

    ## Use instead
    ```python
    import os

    def daemonize() -> None:
        os.setsid()
        os.umask(0o027)
    ```

    `0o022`, `0o027` and `0o077` are accepted, as are masks that cannot be
    inferred.

    ## Options
    None.

    ## References
    - [CWE-732: Incorrect Permission Assignment for Critical Resource](https://cwe.mitre.org/data/definitions/732.html)
    - [Python: os.umask](https://docs.python.org/3/library/os.html#os.umask)
    """

    code = "SEC031"
    name = "permissive-umask"
    message = "os.umask({mask}) lets {who} write the files this process creates; use 0o022 or 0o077"
    cwe = (732,)
    severity = Severity.MEDIUM
    node_types = (ast.Call,)
    call_names = last_names((_UMASK,))

    def check(self, node: ast.Call, ctx: ModuleContext) -> Iterator[Finding]:
        if ctx.qualified(node.func) != _UMASK:
            return
        arg = argument(node, 0, "mask")
        mask = ctx.int_value(arg) if arg is not None else UNKNOWN
        if isinstance(mask, int) and 0 <= mask <= 0o777 and not _reads_umask(node, ctx):
            who = umask_risk(mask)
            if who:
                yield self.finding(node, mask=octal(mask), who=who)


def _reads_umask(node: ast.Call, ctx: ModuleContext) -> bool:
    """``old = os.umask(0); os.umask(old)``: the idiom that reads the current umask.

    The mask is restored by the very next statement; restoring it later
    (``try: ... finally: os.umask(old)``) leaves it in force in between.
    """
    stmt = ctx.statement
    if not (isinstance(stmt, ast.Assign) and stmt.value is node and isinstance(stmt.targets[0], ast.Name)):
        return False
    return _restores_umask(_next_statement(stmt, ctx.function() or ctx.tree), stmt.targets[0].id, ctx)


def _restores_umask(stmt: ast.stmt | None, saved: str, ctx: ModuleContext) -> bool:
    """``os.umask(saved)``, also as the first statement of an ``if`` branch."""
    if isinstance(stmt, ast.If):
        return any(_restores_umask(block[0], saved, ctx) for block in (stmt.body, stmt.orelse) if block)
    call = stmt.value if isinstance(stmt, ast.Expr) else None
    return (isinstance(call, ast.Call) and ctx.qualified(call.func) == _UMASK and len(call.args) == 1
            and isinstance(call.args[0], ast.Name) and call.args[0].id == saved)


def _next_statement(stmt: ast.stmt, scope: ast.AST) -> ast.stmt | None:
    """The statement right after ``stmt`` in the block that holds it."""
    for sub in ast.walk(scope):
        for block in (getattr(sub, "body", None), getattr(sub, "orelse", None), getattr(sub, "finalbody", None)):
            if isinstance(block, list) and stmt in block:
                index = block.index(stmt)
                return block[index + 1] if index + 1 < len(block) else None
    return None


def _write_mode(node: ast.Call, position: int, ctx: ModuleContext) -> bool:
    """open()-style mode that writes, without exclusive creation (``"x"``)."""
    arg = argument(node, position, "mode")
    if arg is None:
        return False
    mode = ctx.str_value(arg)
    return isinstance(mode, str) and any(c in mode for c in "wa+") and "x" not in mode


def _os_open_writes(node: ast.Call) -> bool:
    flags = argument(node, 1, "flags")
    names = {n.attr if isinstance(n, ast.Attribute) else n.id
             for n in ast.walk(flags) if isinstance(n, (ast.Attribute, ast.Name))} if flags else set()
    return bool(names & set(fs.OS_WRITE_FLAGS)) and "O_EXCL" not in names


@register
class InsecureTemporaryFile(Rule):
    """## What it does
    Flags `tempfile.mktemp()`, `os.tempnam()`/`os.tmpnam()`, and files opened
    for writing at a hard-coded path under `/tmp`, `/var/tmp` or `/dev/shm`
    (`open(...)`, `os.open(...)`, `Path(...).write_text/write_bytes/touch`,
    including paths built with f-strings, `+`, `os.path.join` and `/`).

    ## Why is this bad?
    Every user can create files in these directories.  Another user who
    knows (or guesses) the name can create it first, or plant a symlink
    there, and make the program write into a file of their choosing or read
    what it writes.

    ## Example
    ```python
    def write_report(data: str) -> None:
        with open("/tmp/report.csv", "w") as f:
            f.write(data)
    ```

    ## Use instead
    ```python
    import tempfile

    def write_report(data: str) -> None:
        with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as f:
            f.write(data)
    ```

    `tempfile.mkstemp()`, `NamedTemporaryFile()`, `TemporaryDirectory()`,
    reads from these directories, and exclusive creation (`"x"` mode,
    `O_EXCL`) are not reported.

    ## Options
    None.

    ## References
    - [CWE-377: Insecure Temporary File](https://cwe.mitre.org/data/definitions/377.html)
    - [CWE-379: Creation of Temporary File in Directory with Incorrect Permissions](https://cwe.mitre.org/data/definitions/379.html)
    - [Python: tempfile](https://docs.python.org/3/library/tempfile.html)
    """

    code = "SEC032"
    name = "insecure-temporary-file"
    message = "{what}, which another local user can create or link first; use tempfile.mkstemp() or NamedTemporaryFile()"
    cwe = (377, 379)
    severity = Severity.MEDIUM
    node_types = (ast.Call,)
    call_names = last_names(fs.MKTEMP, fs.OPENERS, (_OS_OPEN,)) | fs.PATH_WRITERS | {_PATH_OPEN}

    def check(self, node: ast.Call, ctx: ModuleContext) -> Iterator[Finding]:
        func = node.func
        call = ctx.qualified(func)
        if call in fs.MKTEMP:
            yield self.finding(node, what=f"{call}() returns a predictable name")
            return
        # A literal (or absent) mode decides first; the path, which may take
        # the function's flow, after; a mode only a flow can tell, last.
        path: ast.expr | None = None
        writes: Callable[[], bool]
        mode: ast.expr | None = None
        if call in fs.OPENERS:
            path, mode, writes = argument(node, 0, "file"), argument(node, 1, "mode"), lambda: _write_mode(node, 1, ctx)
        elif call == _OS_OPEN:
            path, writes = argument(node, 0, "path"), lambda: _os_open_writes(node)
        elif isinstance(func, ast.Attribute) and (func.attr in fs.PATH_WRITERS or func.attr == _PATH_OPEN):
            path, call = func.value, f"Path.{func.attr}"
            if func.attr in fs.PATH_WRITERS:
                writes = lambda: True  # noqa: E731
            else:
                mode, writes = argument(node, 0, "mode"), lambda: _write_mode(node, 0, ctx)
        if path is None:
            return
        if (mode is None or isinstance(mode, ast.Constant)) and not writes():
            return
        with ctx.without_inference():  # a path in /tmp is written out, not held in a far-away constant
            text = known_prefix(path, ctx).text
        # A fixed name (or fixed start of one) in the shared directory; a
        # directory followed only by a variable part is left alone.
        shared = next((d for d in fs.SHARED_TMP_DIRS if text.startswith(d) and len(text) > len(d)), None)
        if shared is not None and writes():
            yield self.finding(node, what=f"{call}() writes a fixed path in {shared.rstrip('/')}")


@register
class ServerBoundToAllInterfaces(Rule):
    """## What it does
    Flags a server bound to every network interface: `"0.0.0.0"`, `"::"` or
    `""` as the host of `app.run()`, `uvicorn.run()`, `socket.bind()`,
    `HTTPServer`/`socketserver` servers, `run_simple()`, `make_server()` or
    `aiohttp.web.run_app()`.  Off by default: containers must bind all
    interfaces, so this is for code that should only serve locally.

    ## Why is this bad?
    A development server or an internal admin endpoint bound to all
    interfaces is reachable from every network the machine is on, often
    without the authentication or TLS a public service would have.

    ## Example
    ```python
    from flask import Flask

    app = Flask(__name__)

    if __name__ == "__main__":
        app.run(host="0.0.0.0", port=8000)
    ```

    ## Use instead
    ```python
    import os

    from flask import Flask

    app = Flask(__name__)

    if __name__ == "__main__":
        app.run(host=os.environ.get("HOST", "127.0.0.1"), port=8000)
    ```

    A host read from configuration or the environment is not reported, nor
    is `bind(("", 0))`, which picks a free port (usually in tests).

    ## Options
    None.  Select it by code: `--select SEC,SEC033`.

    ## References
    - [CWE-1327: Binding to an Unrestricted IP Address](https://cwe.mitre.org/data/definitions/1327.html)
    - [Python: socket.bind](https://docs.python.org/3/library/socket.html#socket.socket.bind)
    """

    code = "SEC033"
    name = "server-bound-to-all-interfaces"
    message = "{call}() binds {host!r}, every network interface; bind 127.0.0.1 or read the host from configuration"
    cwe = (1327,)
    severity = Severity.LOW
    node_types = (ast.Call,)
    default_on = False
    call_names = last_names(fs.SERVER_HOSTS) | {_APP_RUN, _SOCKET_BIND}

    def check(self, node: ast.Call, ctx: ModuleContext) -> Iterator[Finding]:
        func = node.func
        call = ctx.qualified(func) or ""
        host: ast.expr | None = None
        spec = fs.SERVER_HOSTS.get(call)
        if spec is not None:
            host = argument(node, *spec)
            if spec[1] in ("server_address", "addr"):
                host = _address_host(host, ctx)
        elif isinstance(func, ast.Attribute) and func.attr == _APP_RUN:
            host = argument(node, -1, "host")
            if host is None and (origin_of(func.value, ctx) or "") in fs.APP_TYPES:
                host = argument(node, 0, "host")
            call = "app.run" if call.count(".") != 1 else call
        elif isinstance(func, ast.Attribute) and func.attr == _SOCKET_BIND and len(node.args) == 1:
            address = node.args[0]
            port = ctx.const_value(address.elts[1]) if isinstance(address, ast.Tuple) and len(address.elts) > 1 else None
            if port == 0:
                return
            host, call = _address_host(address, ctx), "socket.bind"
        value = ctx.str_value(host) if host is not None else UNKNOWN
        if isinstance(value, str) and value in fs.ALL_INTERFACES:
            yield self.finding(node, call=call, host=value)


def _address_host(address: ast.expr | None, ctx: ModuleContext) -> ast.expr | None:
    if isinstance(address, ast.Tuple) and len(address.elts) in (2, 4):
        return address.elts[0]
    if address is not None:
        value = ctx.const_value(address)
        if isinstance(value, tuple) and len(value) in (2, 4) and isinstance(value[0], str):
            return ast.Constant(value[0])
    return None


@register
class UnsafeArchiveExtraction(Rule):
    """## What it does
    Flags `tarfile` `extractall()`/`extract()` without `filter="data"` (or
    `"tar"`), `shutil.unpack_archive()` without `filter=`, and `zipfile`
    extraction of an archive taken from request data (an uploaded file or
    the request body).

    ## Why is this bad?
    A tar member named `../../home/app/.ssh/authorized_keys`, an absolute
    path or a symlink pointing outside the destination is written wherever
    it says ("tar slip"), overwriting code or keys.  The `data` filter
    (Python 3.12, backported to 3.8+ security releases) rejects such
    members.  Uploaded zip archives can still overwrite files inside the
    destination or exhaust the disk.

    ## Example
    ```python
    import tarfile

    def install(bundle: str, dest: str) -> None:
        with tarfile.open(bundle) as tar:
            tar.extractall(dest)
    ```

    ## Use instead
    ```python
    import tarfile

    def install(bundle: str, dest: str) -> None:
        with tarfile.open(bundle) as tar:
            tar.extractall(dest, filter="data")
    ```

    Also accepted: an explicit `members=` selection, and code that checks
    member paths against the destination (`os.path.realpath`,
    `os.path.commonpath`, `Path.resolve`/`is_relative_to`) in the same
    function, or sets `TarFile.extraction_filter`.

    ## Options
    None.

    ## Known limitations
    Python 3.14 makes `filter="data"` the default; the rule still reports a
    missing filter, since the same code may run on older versions.

    ## References
    - [CWE-22: Path Traversal](https://cwe.mitre.org/data/definitions/22.html)
    - [Python: tarfile extraction filters](https://docs.python.org/3/library/tarfile.html#tarfile-extraction-filter)
    """

    code = "SEC034"
    name = "unsafe-archive-extraction"
    message = "{call}() {what}; {fix}"
    cwe = (22,)
    severity = Severity.HIGH
    node_types = (ast.Call,)
    call_names = last_names(fs.UNPACK_ARCHIVE) | _EXTRACT_METHODS

    def check(self, node: ast.Call, ctx: ModuleContext) -> Iterator[Finding]:
        func = node.func
        tar_fix = 'pass filter="data" so members cannot escape the destination'
        if ctx.qualified(func) in fs.UNPACK_ARCHIVE:
            if _unfiltered(node, ctx) and not _guarded(ctx):
                yield self.finding(node, call="shutil.unpack_archive", what="extracts without a filter", fix=tar_fix)
            return
        if not (isinstance(func, ast.Attribute) and func.attr in _EXTRACT_METHODS):
            return
        origin = origin_of(func.value, ctx) or ""
        if origin.startswith(fs.TAR_OPENERS):
            if _unfiltered(node, ctx) and not any(kw.arg == "members" for kw in node.keywords) \
                    and not _guarded(ctx):
                yield self.finding(node, call=f"TarFile.{func.attr}", what="extracts without a filter", fix=tar_fix)
        elif origin.startswith(fs.ZIP_OPENERS) and _from_request(func.value, ctx):
            yield self.finding(node, call=f"ZipFile.{func.attr}", what="extracts an uploaded archive",
                               fix="check each member's name and size against the destination first")


def _unfiltered(node: ast.Call, ctx: ModuleContext) -> bool:
    for kw in node.keywords:
        if kw.arg == "filter":
            return ctx.const_value(kw.value) == "fully_trusted"
        if kw.arg is None:
            return False
    return True


def _guarded(ctx: ModuleContext) -> bool:
    """Member paths checked in the function, or a module-wide extraction filter."""
    scope = ctx.function() or ctx.tree
    for sub in ast.walk(scope):
        if isinstance(sub, ast.Call):
            name = ctx.qualified(sub.func) or ""
            if name in fs.PATH_GUARDS or name.rsplit(".", 1)[-1] in fs.PATH_GUARDS:
                return True
    for sub in ast.walk(ctx.tree):
        if isinstance(sub, ast.Attribute) and sub.attr == "extraction_filter" and isinstance(sub.ctx, ast.Store):
            return True
    return False


def _from_request(receiver: ast.expr, ctx: ModuleContext) -> bool:
    """The ZipFile was opened on an uploaded file or the request body."""
    opened = receiver if isinstance(receiver, ast.Call) else None
    if isinstance(receiver, ast.Name):
        opened = constructor_call(receiver, ctx)
    if opened is None or not opened.args:
        return False
    source = opened.args[0]
    if isinstance(source, ast.Name):
        source = single_binding(source.id, ctx) or source
    if isinstance(source, ast.Call) and ctx.qualified(source.func) == "io.BytesIO" and source.args:
        source = source.args[0]
    chain = ctx.names.chain(source) or ""
    return chain.startswith(fs.REQUEST_FILE_SOURCES)
