"""Where tainted data does harm, by category, as data.

A sink names the argument that must not carry request data; ``requires``
narrows it to dangerous call shapes (``shell=True``).  Rules of the taint
family look their category up here; ``--secure-extra-sinks`` adds rows.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Sink:
    category: str
    # Positions or keyword names of the dangerous arguments; "receiver" for
    # the object a method is called on (``Path(user).read_text()``); "*" for
    # every argument (``jsonify(error=...)``).
    args: tuple[int | str, ...] = (0,)
    # "shell": only with shell=True; "program": the program of an argv list
    # (or of a string run without a shell); "always": no condition.
    requires: str = "always"


def _rows(category: str, names: str, **kwargs: object) -> dict[str, Sink]:
    sink = Sink(category, **kwargs)  # type: ignore[arg-type]
    return {name: sink for name in names.split()}


_SUBPROCESS = "subprocess.run subprocess.call subprocess.check_call subprocess.check_output subprocess.Popen"

SINKS: dict[str, Sink] = {
    # SEC012 command injection (CWE-78)
    **_rows("command", "os.system os.popen subprocess.getoutput subprocess.getstatusoutput commands.getoutput "
            "commands.getstatusoutput asyncio.create_subprocess_shell pty.spawn"),
    **_rows("command", _SUBPROCESS, args=(0, "args"), requires="shell"),
    **_rows("command", "os.execl os.execle os.execlp os.execlpe os.execv os.execve os.execvp os.execvpe "
            "os.spawnl os.spawnle os.spawnlp os.spawnlpe os.spawnv os.spawnve os.spawnvp os.spawnvpe "
            "os.posix_spawn os.posix_spawnp asyncio.create_subprocess_exec", requires="program"),
    # SEC013 code injection (CWE-94)
    **_rows("code", "eval exec compile __import__ importlib.import_module builtins.eval builtins.exec"),
    # SEC014 path traversal (CWE-22)
    **_rows("path", "open io.open codecs.open os.open os.remove os.unlink os.rmdir os.removedirs os.mkdir "
            "os.makedirs os.listdir os.scandir os.stat os.lstat os.chmod os.chown os.truncate os.walk "
            "os.utime os.access os.readlink shutil.rmtree tarfile.open zipfile.ZipFile "
            "flask.send_file flask.send_from_directory werkzeug.utils.send_file "
            "werkzeug.utils.send_from_directory django.http.FileResponse starlette.responses.FileResponse "
            "fastapi.responses.FileResponse aiofiles.open"),
    **_rows("path", "os.rename os.replace os.link os.symlink shutil.copy shutil.copy2 shutil.copyfile "
            "shutil.copytree shutil.move shutil.copymode shutil.copystat", args=(0, 1)),
}

# Methods that are sinks on any receiver whose value is tainted and was made
# by one of ``origins`` (``pathlib.Path(user) / x``).
METHOD_SINKS: dict[str, tuple[Sink, frozenset[str]]] = {
    name: (Sink("path", ("receiver",)), frozenset({"pathlib.Path", "pathlib.PurePath", "Path"}))
    for name in ("open", "read_text", "read_bytes", "write_text", "write_bytes", "unlink", "rmdir",
                 "mkdir", "touch", "iterdir", "rename", "replace", "chmod", "glob", "rglob", "symlink_to")
}


def arguments(node: ast.Call, sink: Sink) -> Iterator[ast.expr]:
    """The argument expressions a sink checks, when the call has the dangerous shape."""
    keywords = {kw.arg: kw.value for kw in node.keywords if kw.arg}
    if sink.requires == "shell":
        shell = keywords.get("shell")
        if not (isinstance(shell, ast.Constant) and shell.value is True):
            # Without a shell only the program name matters.
            yield from _program(node, keywords)
            return
    if sink.requires == "program":
        yield from _program(node, keywords)
        return
    for spec in sink.args:
        if spec == "*":
            yield from (a for a in node.args if not isinstance(a, ast.Starred))
            yield from (kw.value for kw in node.keywords if kw.arg is not None)
        elif spec == "receiver":
            if isinstance(node.func, ast.Attribute):
                yield node.func.value
        elif isinstance(spec, int):
            if spec < len(node.args) and not isinstance(node.args[spec], ast.Starred):
                yield node.args[spec]
        elif spec in keywords:
            yield keywords[spec]


def _program(node: ast.Call, keywords: dict[str, ast.expr]) -> Iterator[ast.expr]:
    first = node.args[0] if node.args else keywords.get("args")
    if first is None or isinstance(first, ast.Starred):
        return
    if isinstance(first, (ast.List, ast.Tuple)):
        if first.elts and not isinstance(first.elts[0], ast.Starred):
            yield first.elts[0]  # argv[0]: the program; other items are plain arguments
    else:
        yield first  # a string run without a shell is the program itself


def shape(node: ast.Call, name: str, sink: Sink) -> str:
    """How the sink is named in messages: ``subprocess.run(shell=True)``."""
    return f"{name}(shell=True)" if sink.requires == "shell" and any(
        kw.arg == "shell" for kw in node.keywords) else f"{name}()"
