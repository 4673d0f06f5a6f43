"""SEC015-SEC019: each sink with a vulnerable case and its safe twin."""

from __future__ import annotations

import pytest

from tests.helpers import Case, case, lint, run_checker

FLASK = (
    "import html, pickle, requests, yaml\n"
    "from flask import Flask, request, redirect, url_for, abort, make_response, render_template, jsonify\n"
    "app = Flask(__name__)\n"
)
DJANGO = "from django.http import HttpResponse, HttpResponseRedirect\nfrom django.shortcuts import redirect\n"
FASTAPI = "import httpx\nfrom fastapi import FastAPI\nfrom fastapi.responses import HTMLResponse, RedirectResponse\napp = FastAPI()\n"


def flask(body: str, expected: list[tuple[int, int, str]], id: str) -> Case:
    """A Flask handler; expected lines count from the handler's first body line (line 6)."""
    lines = "".join(f"    {ln}\n" for ln in body.strip("\n").splitlines())
    src = FLASK + "@app.route('/x')\ndef view():\n" + lines
    return Case(id, src, [(line + 5, col + 4, code) for line, col, code in expected])


SEC015_CASES = [
    flask("name = request.args['name']\nreturn f'<h1>Hello {name}</h1>'", [(2, 0, "SEC015")], "returned-fstring-markup"),
    flask("name = request.args['name']\nreturn f'<h1>Hello {html.escape(name)}</h1>'", [], "returned-html-escape"),
    flask("from markupsafe import escape\nreturn '<p>' + escape(request.args['q']) + '</p>'", [],
          "returned-markupsafe-escape"),
    flask("return '<p>' + request.args['q'] + '</p>', 200", [(1, 0, "SEC015")], "returned-tuple-body"),
    flask("return f\"Hello {request.args['name']}\"", [], "returned-text-without-markup"),
    flask("return render_template('hello.html', name=request.args['name'])", [], "render-template-file"),
    flask("page = render_template('a.html', n=request.args['n'])\nreturn page + '<hr>'", [],
          "render-template-result-is-escaped"),
    flask("page = str(request.args['n'])\nreturn page + '<hr>'", [(2, 0, "SEC015")], "unknown-call-keeps-taint"),
    flask("from flask import render_template_string\nreturn render_template_string(request.args['t'])",
          [(2, 7, "SEC015")], "render-template-string-source"),
    flask("from flask import render_template_string\nreturn render_template_string('<p>{{ n }}</p>', "
          "n=request.args['n'])", [], "render-template-string-context"),
    flask("from markupsafe import Markup\nm = Markup('<b>' + request.args['n'] + '</b>')\nreturn make_response(m)",
          [(2, 4, "SEC015")], "markup-reported-once"),
    flask("from markupsafe import Markup\nreturn Markup('<b>%s</b>') % request.args['n']", [],
          "markup-percent-escapes"),
    flask("return make_response('<p>' + request.args['q'])", [(1, 7, "SEC015")], "make-response-html"),
    flask("return make_response(request.args['q'], 200, {'Content-Type': 'text/plain'})", [],
          "make-response-text-plain-header"),
    flask("return make_response({'q': request.args['q']})", [], "make-response-dict-is-json"),
    flask("return make_response(jsonify(q=request.args['q']))", [], "make-response-jsonify"),
    flask("import jinja2\nenv = jinja2.Environment(autoescape=False)", [(2, 6, "SEC015")], "jinja-autoescape-false"),
    flask("import jinja2\nenv = jinja2.Environment(autoescape=jinja2.select_autoescape())", [],
          "jinja-select-autoescape"),
    flask("import jinja2\nenv = jinja2.Environment(autoescape=True)", [], "jinja-autoescape-true"),
    flask("import jinja2\nenv = jinja2.Environment()", [], "jinja-default-not-flagged"),
    case("django-httpresponse", DJANGO + """
def search(request):
    q = request.GET["q"]
    return HttpResponse("<p>Results for " + q + "</p>")
""", [(6, 11, "SEC015")]),
    case("django-httpresponse-json-content-type", DJANGO + """
import json

def search(request):
    q = request.GET["q"]
    return HttpResponse(json.dumps({"q": q}), content_type="application/json")
""", []),
    case("django-mark-safe", DJANGO + """
from django.utils.safestring import mark_safe

def bio(request):
    return HttpResponse(mark_safe(request.POST["bio"]))
""", [(7, 24, "SEC015")]),
    case("django-format-html-format-string", DJANGO + """
from django.utils.html import format_html

def bio(request):
    bad = format_html(f"<b>{request.GET['n']}</b>")
    good = format_html("<b>{}</b>", request.GET["n"])
    return HttpResponse(bad + good)
""", [(7, 10, "SEC015")]),
    case("django-conditional-escape", DJANGO + """
from django.utils.html import conditional_escape

def bio(request):
    return HttpResponse("<p>" + conditional_escape(request.GET["n"]) + "</p>")
""", []),
    case("fastapi-returned-str-is-json", FASTAPI + """
@app.get("/hello")
def hello(name: str):
    return f"<h1>{name}</h1>"
""", []),
    case("fastapi-html-response-class", FASTAPI + """
@app.get("/hello", response_class=HTMLResponse)
def hello(name: str):
    return f"<h1>{name}</h1>"
""", [(8, 4, "SEC015")]),
    case("fastapi-html-response", FASTAPI + """
@app.get("/hello")
def hello(name: str):
    return HTMLResponse(content=f"<h1>{name}</h1>")
""", [(8, 11, "SEC015")]),
    case("not-a-handler", "def page(name):\n    return f'<h1>{name}</h1>'\n", []),
    case("helper-builds-html", FLASK + """
def card(title):
    return "<div>" + title + "</div>"

@app.route('/x')
def view():
    return card(request.args['t'])
""", []),
]

SEC016_CASES = [
    flask("return redirect(request.args['next'])", [(1, 7, "SEC016")], "redirect-next"),
    flask("return redirect(url_for('profile', user=request.args['u']))", [], "redirect-url-for"),
    flask("nxt = request.args.get('next', '/')\nif nxt not in {'/', '/home'}:\n    abort(400)\nreturn redirect(nxt)",
          [], "allow-list-guard"),
    flask("from django.utils.http import url_has_allowed_host_and_scheme\nnxt = request.args['next']\n"
          "if not url_has_allowed_host_and_scheme(nxt, allowed_hosts={'a.example'}):\n    nxt = '/'\n"
          "return redirect(nxt)", [], "url-has-allowed-host-guard"),
    flask("from django.utils.http import url_has_allowed_host_and_scheme\nnxt = request.args['next']\n"
          "if not url_has_allowed_host_and_scheme(url=nxt, allowed_hosts={'a.example'}):\n    nxt = '/'\n"
          "return redirect(nxt)", [], "url-has-allowed-host-guard-keyword"),
    flask("from django.utils.http import url_has_allowed_host_and_scheme\nnxt = request.args['next']\n"
          "other = request.args['o']\n"
          "if not url_has_allowed_host_and_scheme(url=other, allowed_hosts={'a.example'}):\n    abort(400)\n"
          "return redirect(nxt)", [(6, 7, "SEC016")], "url-guard-on-another-value"),
    flask("nxt = request.args['next']\nif not nxt.startswith('https://example.com/'):\n    abort(400)\n"
          "return redirect(nxt)", [], "startswith-fixed-host-guard"),
    flask("nxt = request.args['next']\nif not nxt.startswith('https://example.com'):\n    abort(400)\n"
          "return redirect(nxt)", [(4, 7, "SEC016")], "startswith-host-without-slash"),
    flask("nxt = request.args['next']\nif not nxt.startswith('/'):\n    abort(400)\nreturn redirect(nxt)",
          [(4, 7, "SEC016")], "startswith-slash-allows-protocol-relative"),
    flask("from urllib.parse import urlparse\nnxt = request.args['next']\n"
          "if urlparse(nxt).netloc not in ('', 'example.com'):\n    abort(400)\nreturn redirect(nxt)",
          [], "urlparse-netloc-allow-list"),
    flask("return redirect('/profile/' + request.args['u'])", [], "constant-path-prefix"),
    flask("return redirect('/' + request.args['u'])", [(1, 7, "SEC016")], "slash-prefix-protocol-relative"),
    flask("return redirect(f\"https://example.com/{request.args['p']}\")", [], "constant-host-prefix"),
    flask("resp = make_response('', 302)\nresp.headers['Location'] = request.args['next']\nreturn resp",
          [(2, 0, "SEC016")], "location-header-item"),
    flask("resp = make_response('', 302)\nresp.headers['Location'] = url_for('index')\nreturn resp",
          [], "location-header-url-for"),
    flask("resp = make_response('', 302)\nresp.headers.set('Location', request.args['next'])\nreturn resp",
          [(2, 0, "SEC016")], "location-header-set"),
    flask("data = {}\ndata['location'] = request.args['city']\nreturn jsonify(data)", [],
          "location-key-of-plain-dict"),
    case("django-redirects", DJANGO + """
def login(request):
    if request.GET.get("a"):
        return HttpResponseRedirect(request.GET["next"])
    return redirect(request.POST["next"])
""", [(6, 15, "SEC016"), (7, 11, "SEC016")]),
    case("django-location-item", DJANGO + """
def login(request):
    response = HttpResponse(status=302)
    response["Location"] = request.GET["next"]
    return response
""", [(6, 4, "SEC016")]),
    case("fastapi-redirect-response", FASTAPI + """
@app.get("/go")
def go(url: str):
    return RedirectResponse(url)
""", [(8, 11, "SEC016")]),
    case("wrapper-with-fixed-site", FLASK + """
def to_profile(user):
    return redirect("/users/" + user)

@app.route('/x')
def view():
    return to_profile(request.args['u'])
""", []),
    case("wrapper-passing-target", FLASK + """
def go(target):
    return redirect(target)

@app.route('/x')
def view():
    return go(request.args['next'])
""", [(10, 11, "SEC016")]),
]

SEC017_CASES = [
    flask("return str(pickle.loads(request.get_data()))", [(1, 11, "SEC017")], "pickle-loads"),
    flask("import json\nreturn str(json.loads(request.get_data()))", [], "json-loads"),
    flask("import marshal\nmarshal.loads(request.files['f'].read())", [(2, 0, "SEC017")], "marshal-file-upload"),
    flask("import jsonpickle\njsonpickle.decode(request.form['state'])", [(2, 0, "SEC017")], "jsonpickle"),
    flask("import torch\ntorch.load(request.files['model'])", [(2, 0, "SEC017")], "torch-load"),
    flask("import torch\ntorch.load(request.files['model'], weights_only=True)", [], "torch-load-weights-only"),
    flask("pickle.loads(open('cache.pkl', 'rb').read())", [], "pickle-of-local-file"),
    case("fastapi-awaited-upload", FASTAPI + """
import json, pickle
from fastapi import UploadFile

@app.post("/restore")
async def restore(blob: UploadFile):
    data = await blob.read()
    json.loads(data)
    return pickle.loads(data)
""", [(13, 11, "SEC017")]),
    case("yaml-load-no-loader", "import yaml\ndef f(s):\n    return yaml.load(s)\n", [(3, 11, "SEC017")]),
    case("yaml-load-unsafe-loader", "import yaml\ndef f(s):\n    return yaml.load(s, yaml.Loader)\n",
         [(3, 11, "SEC017")]),
    case("yaml-unsafe-load", "import yaml\ndef f(s):\n    return yaml.unsafe_load(s)\n", [(3, 11, "SEC017")]),
    case("yaml-safe-loaders", """
import yaml
from yaml import CSafeLoader

def f(s):
    a = yaml.safe_load(s)
    b = yaml.load(s, Loader=yaml.SafeLoader)
    c = yaml.load(s, Loader=CSafeLoader)
    d = yaml.load_all(s, Loader=yaml.BaseLoader)
    return a, b, c, d, yaml.full_load(s)
""", []),
    case("yaml-local-loader-classes", """
import yaml

class Strict(yaml.SafeLoader):
    pass

class Loose(yaml.UnsafeLoader):
    pass

def f(s):
    return yaml.load(s, Loader=Strict), yaml.load(s, Loader=Loose)
""", [(10, 40, "SEC017")]),
    case("yaml-unknown-loader", "import yaml\ndef f(s, loader):\n    return yaml.load(s, Loader=loader)\n", []),
]

SEC018_CASES = [
    flask("return requests.get(request.args['url'], timeout=5).text", [(1, 7, "SEC018")], "requests-get-url"),
    flask("item = request.args['id']\nreturn requests.get(f'https://api.example.com/items/{item}').text", [],
          "constant-host-fstring"),
    flask("item = request.args['id']\nreturn requests.get('https://api.example.com' + item).text",
          [(2, 7, "SEC018")], "host-not-terminated"),
    flask("return requests.get('https://api.example.com/search', params={'q': request.args['q']}).text", [],
          "tainted-params-only"),
    flask("host = request.args['host']\nreturn requests.get(f'https://{host}/status').text", [(2, 7, "SEC018")],
          "tainted-host"),
    flask("return requests.request('GET', request.args['url']).text", [(1, 7, "SEC018")], "requests-request"),
    flask("s = requests.Session()\nreturn s.post(request.form['hook'], json={}).text", [(2, 7, "SEC018")],
          "session-method"),
    flask("d = {}\nreturn str(d.get(request.args['k']))", [], "dict-get-is-not-a-client"),
    flask("import urllib.request\nurllib.request.urlopen(request.args['u'])", [(2, 0, "SEC018")], "urlopen"),
    flask("from urllib.parse import urlparse\nurl = request.args['u']\n"
          "if urlparse(url).hostname not in {'a.example', 'b.example'}:\n    abort(400)\nrequests.get(url)",
          [], "hostname-allow-list"),
    flask("url = request.args['u']\nif url not in ('https://a.example/x', 'https://b.example/y'):\n    abort(400)\n"
          "requests.get(url)", [], "url-allow-list"),
    flask("BASE = 'https://api.example.com/v1/'\nrequests.get(BASE + request.args['p'])", [], "local-base-constant"),
    case("httpx-and-aiohttp-clients", FASTAPI + """
import aiohttp

@app.get("/proxy")
async def proxy(url: str, path: str):
    async with httpx.AsyncClient() as client:
        await client.get(url)
        await client.get(f"https://api.example.com/{path}")
    async with aiohttp.ClientSession() as session:
        await session.get(url)
    httpx.get(url)
""", [(11, 14, "SEC018"), (14, 14, "SEC018"), (15, 4, "SEC018")]),
    case("wrapper-with-constant-base", FLASK + """
API = "https://api.example.com/"

def fetch(path):
    return requests.get(API + path, timeout=5)

@app.route('/x')
def view():
    return fetch(request.args['p']).text
""", []),
    case("not-a-handler", "import requests\ndef fetch(url):\n    return requests.get(url)\n", []),
]

SEC019_CASES = [
    flask("from lxml import etree\netree.fromstring(request.get_data())", [(2, 0, "SEC019")], "lxml-default-parser"),
    flask("from lxml import etree\np = etree.XMLParser(resolve_entities=False, no_network=True)\n"
          "etree.fromstring(request.get_data(), parser=p)", [], "lxml-safe-parser-name"),
    flask("from lxml import etree\netree.fromstring(request.get_data(), etree.XMLParser(resolve_entities=False))",
          [], "lxml-safe-parser-inline"),
    flask("from lxml import etree\np = etree.XMLParser(remove_blank_text=True)\n"
          "etree.fromstring(request.get_data(), parser=p)", [(3, 0, "SEC019")], "lxml-parser-resolving"),
    flask("from lxml import etree\np = etree.XMLParser(resolve_entities=False, no_network=False)\n"
          "etree.fromstring(request.get_data(), parser=p)", [(3, 0, "SEC019")], "lxml-parser-network-on"),
    flask("import xml.etree.ElementTree as ET\nET.fromstring(request.data)", [(2, 0, "SEC019")], "stdlib-etree"),
    flask("from xml.dom import minidom\nminidom.parseString(request.data)", [(2, 0, "SEC019")], "stdlib-minidom"),
    flask("import xml.sax\nxml.sax.parseString(request.data, None)", [(2, 0, "SEC019")], "stdlib-sax"),
    flask("import defusedxml.ElementTree as ET\nET.fromstring(request.data)", [], "defusedxml"),
    flask("import xml.etree.ElementTree as ET\nET.parse('config.xml')", [], "local-file"),
    case("module-parser-in-wrapper", FLASK + """
from lxml import etree

PARSER = etree.XMLParser(resolve_entities=False)

def parse(data):
    return etree.fromstring(data, PARSER)

@app.route('/x')
def view():
    return parse(request.data).tag
""", []),
    case("unknown-parser-parameter", FLASK + """
from lxml import etree

@app.route('/x')
def view(parser=None):
    return etree.fromstring(request.data, parser).tag
""", []),
]

CASES = {"SEC015": SEC015_CASES, "SEC016": SEC016_CASES, "SEC017": SEC017_CASES, "SEC018": SEC018_CASES,
         "SEC019": SEC019_CASES}


@pytest.mark.parametrize(("code", "c"), [(code, c) for code, cases in CASES.items() for c in cases],
                         ids=lambda v: v if isinstance(v, str) else v.id)
def test_web_injection_rules(code: str, c: Case) -> None:
    assert lint(c.source, select=code) == c.expected


def test_taint_message_names_source_line_and_sink() -> None:
    src = FLASK + "@app.route('/x')\ndef view():\n    url = request.args['url']\n    return requests.get(url)\n"
    [(_, _, message)] = run_checker(src, select="SEC018")
    assert message == (
        "SEC018 request.args['url'] (line 6) reaches requests.get(); "
        "fix the scheme and host in the code, or check the host against an allow-list (CWE-918)"
    )


def test_configuration_messages() -> None:
    src = "import yaml, jinja2\nyaml.load(s)\nenv = jinja2.Environment(autoescape=False)\n"
    assert [m for _, _, m in run_checker(src, select="SEC015,SEC017")] == [
        "SEC017 yaml.load() without a Loader can build arbitrary Python objects; "
        "use yaml.safe_load() or Loader=yaml.SafeLoader (CWE-502)",
        "SEC015 jinja2.Environment(autoescape=False) renders variables without HTML escaping; "
        "use autoescape=select_autoescape() (CWE-79)",
    ]
