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
    # (or of a string run without a shell); "html": a response body unless a
    # content type other than HTML is given; "weights": torch.load() unless
    # weights_only=True; "parser": lxml parsing unless the parser argument is
    # proven safe or unknown (decided by ``TaintModel.sinks_for``);
    # "always": no condition.
    requires: str = "always"


def _rows(category: str, names: str, **kwargs: object) -> dict[str, Sink]:
    sink = Sink(category, **kwargs)  # type: ignore[arg-type]
    return {name: sink for name in names.split()}


_HTTP_VERBS = ("get", "post", "put", "patch", "delete", "head", "options")
_HTTP_MODULES = ("requests", "requests.api", "httpx")
_XML_STDLIB = (
    "xml.etree.ElementTree.fromstring xml.etree.ElementTree.parse xml.etree.ElementTree.XML "
    "xml.etree.ElementTree.iterparse xml.etree.cElementTree.fromstring xml.etree.cElementTree.parse "
    "xml.etree.cElementTree.XML xml.etree.cElementTree.iterparse xml.dom.minidom.parseString "
    "xml.dom.minidom.parse xml.dom.pulldom.parseString xml.dom.pulldom.parse xml.sax.parseString xml.sax.parse"
)
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
    # SEC015 cross-site scripting (CWE-79): text marked safe, templates, HTML bodies
    **_rows("xss", "markupsafe.Markup flask.Markup jinja2.Markup django.utils.safestring.mark_safe "
            "django.utils.safestring.SafeString django.utils.html.format_html"),
    **_rows("xss", "flask.render_template_string quart.render_template_string", args=(0, "source")),
    **_rows("xss", "django.utils.html.format_html_join", args=(1, "format_string")),
    **_rows("xss", "flask.make_response quart.make_response", requires="html"),
    **_rows("xss", "flask.Response werkzeug.Response werkzeug.wrappers.Response", args=(0, "response"),
            requires="html"),
    **_rows("xss", "django.http.HttpResponse django.http.response.HttpResponse starlette.responses.HTMLResponse "
            "fastapi.responses.HTMLResponse", args=(0, "content"), requires="html"),
    # SEC016 open redirect (CWE-601)
    **_rows("redirect", "flask.redirect werkzeug.redirect werkzeug.utils.redirect quart.redirect",
            args=(0, "location")),
    **_rows("redirect", "django.shortcuts.redirect", args=(0, "to")),
    **_rows("redirect", "django.http.HttpResponseRedirect django.http.HttpResponsePermanentRedirect "
            "django.http.response.HttpResponseRedirect django.http.response.HttpResponsePermanentRedirect",
            args=(0, "redirect_to")),
    **_rows("redirect", "starlette.responses.RedirectResponse fastapi.responses.RedirectResponse",
            args=(0, "url")),
    # SEC017 unsafe deserialization (CWE-502); yaml.load is checked without taint
    **_rows("deserialization", "pickle.loads pickle.load pickle.Unpickler _pickle.loads _pickle.load "
            "cPickle.loads cPickle.load marshal.loads marshal.load shelve.open dill.loads dill.load "
            "cloudpickle.loads cloudpickle.load jsonpickle.decode jsonpickle.loads pandas.read_pickle "
            "joblib.load"),
    **_rows("deserialization", "torch.load", args=(0, "f"), requires="weights"),
    # SEC018 server-side request forgery (CWE-918): the URL of an outgoing request
    **_rows("ssrf", " ".join(f"{m}.{v}" for m in _HTTP_MODULES for v in _HTTP_VERBS), args=(0, "url")),
    **_rows("ssrf", "requests.request requests.api.request httpx.request httpx.stream aiohttp.request "
            "urllib3.request", args=(1, "url")),
    **_rows("ssrf", "urllib.request.urlopen urllib.request.Request", args=(0, "url")),
    # SEC019 XML external entities (CWE-611)
    **_rows("xxe", _XML_STDLIB, args=(0, "source", "text", "string")),
    **_rows("xxe", "lxml.etree.fromstring lxml.etree.XML lxml.etree.parse", args=(0, "text", "source"),
            requires="parser"),
}

# Methods of client objects, by the factory that made the receiver
# (``s = requests.Session(); s.get(url)``): (receiver origin, method) -> sink.
_CLIENTS = ("requests.Session", "requests.session", "requests.sessions.Session", "httpx.Client",
            "httpx.AsyncClient", "aiohttp.ClientSession", "urllib3.PoolManager")
CLIENT_SINKS: dict[tuple[str, str], Sink] = {
    **{(c, v): Sink("ssrf", (0, "url")) for c in _CLIENTS for v in _HTTP_VERBS + ("ws_connect",)},
    **{(c, v): Sink("ssrf", (1, "url")) for c in _CLIENTS for v in ("request", "stream")},
}
CLIENT_METHODS = frozenset(method for _, method in CLIENT_SINKS)
# Keywords naming a response's content type, and the header that carries it.
_CONTENT_TYPE_KEYWORDS = ("content_type", "mimetype", "media_type")

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
    if sink.requires == "html" and _declares_other_content(node, keywords):
        return
    if sink.requires == "weights" and _is_true(keywords.get("weights_only")):
        return
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


def _is_true(node: ast.expr | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is True


def _declares_other_content(node: ast.Call, keywords: dict[str, ast.expr]) -> bool:
    """A response whose content type is set to something that is not (or not
    known to be) HTML: ``HttpResponse(data, content_type="application/json")``."""
    declared = [keywords[k] for k in _CONTENT_TYPE_KEYWORDS if k in keywords]
    for headers in [*node.args[1:], keywords.get("headers")]:
        if isinstance(headers, ast.Dict):
            declared.extend(v for k, v in zip(headers.keys, headers.values)
                            if isinstance(k, ast.Constant) and str(k.value).lower() == "content-type")
    return any(not (isinstance(d, ast.Constant) and isinstance(d.value, str) and "html" in d.value.lower())
               for d in declared)


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
