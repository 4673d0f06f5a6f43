"""SEC012-SEC014 and the taint engine's propagation, each with a safe twin."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import Case, case, lint, run_checker

FLASK = "import os, subprocess, shlex\nfrom flask import Flask, request, abort\napp = Flask(__name__)\n"
DJANGO = "import os, subprocess\nfrom django.http import HttpResponse\n"
FASTAPI = "import subprocess\nfrom fastapi import FastAPI, Depends, Query\napp = FastAPI()\n"


def flask(body: str, expected: list[tuple[int, int, str]], id: str) -> Case:
    """A Flask handler; expected lines count from the handler's first body line (line 6)."""
    lines = "".join(f"    {ln}\n" for ln in body.strip("\n").splitlines())
    src = FLASK + "@app.route('/x')\ndef view():\n" + lines
    return Case(id, src, [(line + 5, col + 4, code) for line, col, code in expected])


SEC012_CASES = [
    flask("host = request.args['host']\nsubprocess.run(f'ping {host}', shell=True)", [(2, 0, "SEC012")],
          "fstring-shell"),
    flask("host = request.args['host']\nsubprocess.run(['ping', host])", [], "argv-list-constant-program"),
    flask("prog = request.args['p']\nsubprocess.run([prog, '-v'])", [(2, 0, "SEC012")], "argv-program-from-request"),
    flask("os.system('ping ' + shlex.quote(request.args['h']))", [], "shlex-quote"),
    flask("os.system('ping ' + request.args.get('h', ''))", [(1, 0, "SEC012")], "get-with-default"),
    flask("data = request.get_json()\nos.popen('x ' + data['cmd'])", [(2, 0, "SEC012")], "json-payload-key"),
    flask("h = request.args['h']\nparts = ['ping']\nparts.append(h)\nos.system(' '.join(parts))",
          [(4, 0, "SEC012")], "list-append-join"),
    flask("h = request.args['h']\nd = {'safe': 'localhost', 'user': h}\nos.system('ping ' + d['safe'])",
          [], "dict-constant-key-read"),
    flask("h = request.args['h']\nd = {'safe': 'localhost', 'user': h}\nos.system('ping ' + d['user'])",
          [(3, 0, "SEC012")], "dict-tainted-key-read"),
    flask("h = request.args['h']\ncopy = h\nh = 'localhost'\nos.system('ping ' + h)", [], "reassigned-clean"),
    flask("h = request.args['h']\nif h not in {'a', 'b'}:\n    abort(400)\nos.system('ping ' + h)", [],
          "allow-list-guard-aborts"),
    flask("h = request.args['h']\nif h not in {'a', 'b'}:\n    print('bad')\nos.system('ping ' + h)",
          [(4, 0, "SEC012")], "guard-that-does-not-end"),
    flask("import re\nh = request.args['h']\nif not re.fullmatch(r'[a-z]+', h):\n    return 'no'\nos.system('ping ' + h)",
          [], "fullmatch-guard"),
    flask("n = int(request.args['n'])\nos.system(f'seq {n}')", [], "int-conversion"),
    flask("h = request.args['h'] if request.args else 'x'\nos.system('ping ' + h)", [(2, 0, "SEC012")],
          "ternary-joins-branches"),
    flask("if False:\n    h = request.args['h']\nelse:\n    h = 'x'\nos.system('ping ' + h)", [],
          "constant-test-dead-branch"),
    flask("h = request.args['h'].strip().lower()\nos.system('ping %s' % h)", [(2, 0, "SEC012")],
          "str-methods-and-percent"),
    flask("for h in request.args.getlist('h'):\n    os.system('ping ' + h)", [(2, 4, "SEC012")], "loop-target"),
    flask("with open('/etc/hosts') as fh:\n    os.system('cat ' + fh.name)", [], "no-request-data"),
    case("helper-returns-param", FLASK + """
def build(host):
    return "ping " + host

@app.route('/x')
def view():
    os.system(build(request.args['h']))
""", [(10, 4, "SEC012")]),
    case("helper-sanitises", FLASK + """
def build(host):
    return "ping " + shlex.quote(host)

@app.route('/x')
def view():
    os.system(build(request.args['h']))
""", []),
    case("wrapper-reaches-shell", FLASK + """
def run(cmd):
    return subprocess.Popen(cmd, shell=True)

@app.route('/x')
def view():
    run('ping ' + request.args['h'])
    run('uptime')
""", [(10, 4, "SEC012")]),
    case("mutual-recursion-terminates", FLASK + """
def a(x, n):
    return b(x, n - 1) if n else x

def b(x, n):
    return a(x, n)

@app.route('/x')
def view():
    os.system(a(request.args['h'], 3))
""", [(13, 4, "SEC012")]),
    case("django-function-view", DJANGO + """
def ping(request):
    host = request.GET["host"]
    subprocess.call("ping " + host, shell=True)
    return HttpResponse("ok")
""", [(6, 4, "SEC012")]),
    case("django-class-view", DJANGO + """
from django.views import View

class Ping(View):
    def get(self, request):
        subprocess.call("ping " + self.request.GET["h"], shell=True)
        subprocess.call("ping " + request.POST["h"], shell=True)
""", [(8, 8, "SEC012"), (9, 8, "SEC012")]),
    case("not-a-view-request-name", "import subprocess\ndef f(request):\n    subprocess.call(request.x, shell=True)\n", []),
    case("fastapi-str-parameter", FASTAPI + """
@app.get("/ping")
def ping(host: str, count: int = 1):
    subprocess.run(f"ping -c {count} {host}", shell=True)
""", [(7, 4, "SEC012")]),
    case("fastapi-int-and-literal-parameters", FASTAPI + """
from typing import Literal

@app.get("/ping")
def ping(count: int, mode: Literal["a", "b"], db=Depends(object)):
    subprocess.run(f"ping -c {count} -{mode} {db}", shell=True)
""", []),
    case("fastapi-pydantic-fields", FASTAPI + """
from pydantic import BaseModel

class Job(BaseModel):
    host: str
    count: int

@app.post("/job")
async def job(body: Job):
    subprocess.run(f"ping -c {body.count} localhost", shell=True)
    subprocess.run(f"ping {body.host}", shell=True)
""", [(14, 4, "SEC012")]),
    case("not-a-handler", "import subprocess\ndef ping(host):\n    subprocess.run('ping ' + host, shell=True)\n", []),
    case("imports-inside-handler", """
from flask import Flask
app = Flask(__name__)

@app.route('/x')
def view():
    from flask import request
    import subprocess as sp
    sp.run("ping " + request.args["h"], shell=True)
""", [(8, 4, "SEC012")]),
]

# Module objects: what methods return is summarised with the instance's attributes.
OBJECTS = FLASK + """
class Args:
    def __init__(self, req):
        self.q = req.args.get("q")
        self.safe = shlex.quote(req.args.get("s", ""))
        self.raw = req

    def query(self):
        return self.q

    def table(self):
        return "users"

    def quoted(self):
        return self.safe

    def first(self):
        return self._field("first")

    def _field(self, key):
        return self.raw.args[key]

    @property
    def name(self):
        return self.raw.args["name"]

    @property
    def count(self):
        return int(self.raw.args["n"])


class Pinned(Args):
    def host(self):
        return "localhost"


class Holder:
    def __init__(self, value, label="fixed"):
        self.value = value
        self.label = label

    def get(self):
        return self.value

    def kind(self):
        return "holder"


class Packed:
    def __init__(self, *values):
        self.first = values[0]

    def get(self):
        return self.first


def query_of(req):
    return req.args["q"]


def count_of(req):
    return int(req.args["n"])


@app.route('/x')
def view():
"""
OBJECTS_BODY = OBJECTS.count("\n") + 1  # the handler body's first line

OBJECT_CASES = [
    ("object-method-returns-constructor-argument", "os.system(Args(request).query())", True),
    ("object-method-returns-constant", "os.system('ls ' + Args(request).table())", False),
    ("object-attribute-set-in-init", "args = Args(request)\nos.system(args.q)", True),
    ("object-attribute-sanitised-in-init", "os.system('ls ' + Args(request).quoted())", False),
    ("object-property-reads-request", "os.system(Args(request).name)", True),
    ("object-property-converts-to-int", "os.system(f'seq {Args(request).count}')", False),
    ("object-method-calls-own-helper", "os.system(Args(request).first())", True),
    ("object-inherited-method", "os.system(Pinned(request).query())", True),
    ("object-own-constant-method", "os.system('ping ' + Pinned(request).host())", False),
    ("object-of-constant-argument", "os.system(Holder('ls').get())", False),
    ("object-of-request-value", "os.system(Holder(request.args['c']).get())", True),
    ("object-keyword-argument", "os.system(Holder(value=request.args['c']).get())", True),
    ("object-constant-method-ignores-argument", "os.system('ls ' + Holder(request.args['c']).kind())", False),
    ("object-constant-attribute", "os.system('ls ' + Holder(request.args['c']).label)", False),
    ("object-star-args-stay-conservative", "os.system(Packed(request.args['c']).get())", True),
    ("object-star-args-constant", "os.system(Packed('ls').get())", False),
    ("helper-reads-request-object", "os.system(query_of(request))", True),
    ("helper-converts-request-field", "os.system(f'seq {count_of(request)}')", False),
]
SEC012_CASES += [
    case(id, OBJECTS + "".join(f"    {line}\n" for line in body.splitlines()),
         [(OBJECTS_BODY + body.count("\n"), 4, "SEC012")] if fires else [])
    for id, body, fires in OBJECT_CASES
]

SEC013_CASES = [
    flask("eval(request.args['expr'])", [(1, 0, "SEC013")], "eval"),
    flask("import ast\nast.literal_eval(request.args['expr'])", [], "literal-eval"),
    flask("import importlib\nimportlib.import_module('plugins.' + request.args['p'])", [(2, 0, "SEC013")],
          "import-module"),
    flask("getattr(os, request.args['fn'])()", [(1, 0, "SEC013")], "getattr-dispatch"),
    flask("fn = request.args['fn']\nif fn in ('getcwd', 'getpid'):\n    getattr(os, fn)()", [], "getattr-allow-list"),
    flask("exec(compile('x = 1', 'f', 'exec'))", [], "constant-code"),
]

SEC014_CASES = [
    case("django-class-view-url-parameters", DJANGO + """
from django.views import View

class Export(View):
    def get(self, request, name, page: int, fmt="csv"):
        open(os.path.join("/srv/exports", name))
        open(f"/srv/exports/{page}.{fmt}")
""", [(8, 8, "SEC014")]),
    case("drf-viewset-pk-url-parameter", DJANGO + """
from rest_framework import viewsets

class Files(viewsets.ViewSet):
    def retrieve(self, request, pk=None):
        return open("/srv/files/" + pk).read()

    def get_object(self, queryset=None):
        return open("/srv/files/" + queryset).read()
""", [(8, 15, "SEC014")]),
    flask("open('files/' + request.args['name'])", [(1, 0, "SEC014")], "open-concat"),
    flask("from werkzeug.utils import secure_filename\nopen('files/' + secure_filename(request.args['name']))",
          [], "secure-filename"),
    flask("open(os.path.join('files', os.path.basename(request.args['n'])))", [], "basename"),
    flask("from pathlib import Path\np = Path('files') / request.args['n']\np.read_text()", [(3, 0, "SEC014")],
          "pathlib-method"),
    flask("from pathlib import Path\nbase = Path('files').resolve()\np = (base / request.args['n']).resolve()\n"
          "if not p.is_relative_to(base):\n    abort(404)\np.read_text()", [], "resolve-is-relative-to-guard"),
    flask("n = request.args['n']\nif '..' in n:\n    abort(400)\nopen('files/' + n)", [], "dotdot-guard"),
    flask("import shutil\nshutil.rmtree('/srv/' + request.form['dir'])", [(2, 0, "SEC014")], "rmtree"),
    flask("from flask import send_file\nreturn send_file(request.args['f'])", [(2, 7, "SEC014")], "send-file"),
    flask("import html\nopen('files/' + html.escape(request.args['n']))", [(2, 0, "SEC014")],
          "xss-escape-does-not-clean-paths"),
    flask("open('files/report.txt')", [], "constant-path"),
]

CASES = {"SEC012": SEC012_CASES, "SEC013": SEC013_CASES, "SEC014": SEC014_CASES}


@pytest.mark.parametrize(("code", "c"), [(code, c) for code, cases in CASES.items() for c in cases],
                         ids=lambda v: v if isinstance(v, str) else v.id)
def test_taint_rules(code: str, c: Case) -> None:
    assert lint(c.source, select=code) == c.expected


def test_message_names_source_line_and_sink() -> None:
    src = FLASK + "@app.route('/x')\ndef view():\n    h = request.args['host']\n    os.system('ping ' + h)\n"
    [(_, _, message)] = run_checker(src, select="SEC012")
    assert message == (
        "SEC012 request.args['host'] (line 6) reaches os.system(); "
        "pass an argument list without a shell (CWE-78)"
    )


def test_generated_large_handler_is_fast() -> None:
    """A 2,000-line handler with hundreds of branches and containers."""
    import time

    lines = ["h = request.args['h']", "acc = []", "d = {}"]
    for i in range(400):
        lines += [f"if request.args.get('k{i}'):", f"    acc.append(h + '{i}')", f"    d['k{i}'] = acc[-1]",
                  "else:", f"    h = h.strip() + str({i})"]
    lines.append("os.system(' '.join(acc))")
    src = flask("\n".join(lines), [], "big").source
    start = time.perf_counter()
    found = lint(src, select="SEC012")
    assert time.perf_counter() - start < 5.0  # generous on a loaded CI machine; the benchmark reports it
    assert [code for _, _, code in found] == ["SEC012"]


def test_string_methods_named_like_path_methods_are_not_sinks() -> None:
    src = flask("p = request.path\nq = p.replace('/', '-')\nfrom pathlib import Path\nPath('x').replace('y')", [],
                "str-replace").source
    assert lint(src, select="SEC014") == []


def test_helpers_imported_from_the_project(tmp_path: Path) -> None:
    pkg = tmp_path / "shop"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "utils.py").write_text(
        "import os, shlex\n"
        "def clean(x):\n    return shlex.quote(x)\n"
        "def command_for(host):\n    return 'ping ' + host\n"
        "def run(cmd):\n    os.system(cmd)\n"
    )
    views = pkg / "views.py"
    views.write_text(
        FLASK
        + "from .utils import clean, command_for, run\n"
        + "@app.route('/x')\ndef view():\n"
        + "    h = request.args['h']\n"
        + "    os.system(command_for(h))\n"  # line 8: helper passes request data on
        + "    os.system('ping ' + clean(h))\n"  # line 9: helper sanitises
        + "    run('ping ' + h)\n"  # line 10: helper reaches a shell
    )
    found = lint(views.read_text(), select="SEC012", filename=str(views))
    assert found == [(8, 4, "SEC012"), (10, 4, "SEC012")]
    [_, (_, _, message)] = run_checker(views.read_text(), select="SEC012", filename=str(views))
    assert "run() -> os.system()" in message
