"""SEC003-SEC005: NoSQL, XPath and LDAP injection, each case with a safe twin."""

from __future__ import annotations

import pytest

from tests.helpers import Case, case, lint, run_checker

MONGO = "from flask import Flask, request\nfrom pymongo import MongoClient\napp = Flask(__name__)\ndb = MongoClient().app\n"
LXML = "from flask import Flask, request\nfrom lxml import etree\napp = Flask(__name__)\ndoc = etree.parse('u.xml')\n"
LDAP3 = "from flask import Flask, request\nimport ldap3\nfrom ldap3.utils.conv import escape_filter_chars\n" \
    "app = Flask(__name__)\nconn = ldap3.Connection('ldap://d')\n"
PYLDAP = "from flask import Flask, request\nimport ldap\nfrom ldap.filter import escape_filter_chars, filter_format\n" \
    "from ldap.dn import escape_dn_chars\napp = Flask(__name__)\nl = ldap.initialize('ldap://d')\n"


def handler(header: str, body: str, expected: list[tuple[int, int, str]], id: str) -> Case:
    """A Flask handler after ``header``; expected lines count from its first body line."""
    lines = "".join(f"    {ln}\n" for ln in body.strip("\n").splitlines())
    first = header.count("\n") + 3
    src = header + "@app.route('/x', methods=['POST'])\ndef view():\n" + lines
    return Case(id, src, [(line + first - 1, col + 4, code) for line, col, code in expected])


def mongo(body: str, expected: list[tuple[int, int, str]], id: str) -> Case:
    return handler(MONGO, body, expected, id)


SEC003_CASES = [
    mongo("db.users.find_one(request.json)", [(1, 0, "SEC003")], "whole-json-payload-as-filter"),
    mongo("db.users.find(request.form)", [(1, 0, "SEC003")], "whole-form-payload-as-filter"),
    mongo("body = request.get_json()\ndb.users.find_one({'name': body['name'], 'pw': body['pw']})",
          [(2, 0, "SEC003")], "json-field-may-be-operator-object"),
    mongo("body = request.get_json()\ndb.users.find_one({'name': str(body['name']), 'pw': str(body['pw'])})",
          [], "json-fields-coerced-to-str"),
    mongo("db.users.find_one({'name': request.args['name']})", [], "query-string-value-is-always-a-string"),
    mongo("db.users.find_one({'name': request.form['name']})", [], "form-value-is-always-a-string"),
    mongo("db.users.delete_many({'age': int(request.json['age'])})", [], "int-coercion"),
    mongo("from bson import ObjectId\ndb.users.find_one({'_id': ObjectId(request.json['id'])})", [], "objectid"),
    mongo("q = {}\nq['owner'] = request.json.get('owner')\ndb.items.count_documents(q)", [(3, 0, "SEC003")],
          "filter-built-over-statements"),
    mongo("q = {}\nq['owner'] = request.json.get('owner')\nq['owner'] = 'me'\ndb.items.count_documents(q)", [],
          "filter-value-overwritten"),
    mongo("db.items.aggregate([{'$match': {'owner': request.json['owner']}}])", [(1, 0, "SEC003")],
          "aggregate-pipeline"),
    mongo("db.items.aggregate([{'$match': {'owner': request.args['owner']}}])", [], "aggregate-string-value"),
    mongo("db.users.find({'$where': f\"this.name == '{request.args['n']}'\"})", [(1, 0, "SEC003")],
          "where-javascript-from-query-string"),
    mongo("db.users.find({'$where': 'this.a > this.b'})", [], "where-constant"),
    mongo("n = request.args['n']\nif n not in ('a', 'b'):\n    return ''\n"
          "db.users.find({'$where': 'this.kind == \"' + n + '\"'})", [], "where-allow-listed"),
    mongo("db.users.find({'$expr': {'$function': {'body': request.json['js'], 'args': [], 'lang': 'js'}}})",
          [(1, 0, "SEC003")], "function-body-nested"),
    mongo("data = request.get_json() or {}\ndb.users.update_one(data, {'$set': {'seen': True}})",
          [(2, 0, "SEC003")], "payload-or-empty-dict"),
    mongo("'abc'.find(request.json['x'])", [], "str-find"),
    mongo("import json\ndb.users.find(json.loads(request.get_data()))", [(2, 0, "SEC003")],
          "json-loads-of-the-body-is-a-payload"),
    mongo("import json\nspec = json.loads(request.args['filter'])\ndb.users.find({'name': spec['name']})",
          [(3, 0, "SEC003")], "json-loads-of-a-field-may-hold-operators"),
    mongo("import json\nspec = json.loads(request.args['filter'])\ndb.users.find({'name': str(spec['name'])})",
          [], "json-loads-field-coerced"),
    mongo("import json\ndb.users.find(json.loads('{\"active\": true}'))", [], "json-loads-of-a-constant"),
    case("find-without-mongo-evidence", """
from flask import Flask, request
app = Flask(__name__)
@app.post('/x')
def view():
    return str(tree.find(request.json['path']))
""", []),
    case("collection-named-receiver-without-import", """
from flask import Flask, request
app = Flask(__name__)
@app.post('/x')
def view():
    return str(app.users_collection.find(request.json))
""", [(5, 15, "SEC003")]),
    case("fastapi-dict-body", """
from fastapi import FastAPI
from motor.motor_asyncio import AsyncIOMotorClient
app = FastAPI()
db = AsyncIOMotorClient().app
@app.post('/search')
async def search(query: dict):
    return await db.items.find_one(query)
""", [(7, 17, "SEC003")]),
    case("fastapi-pydantic-fields", """
from fastapi import FastAPI
from pydantic import BaseModel
from motor.motor_asyncio import AsyncIOMotorClient
app = FastAPI()
db = AsyncIOMotorClient().app
class Login(BaseModel):
    name: str
    age: int
    extra: dict
@app.post('/login')
async def login(body: Login):
    await db.users.find_one({'name': body.name, 'age': body.age})
    await db.users.find_one({'name': body.name, 'extra': body.extra})
""", [(13, 10, "SEC003")]),
    case("starlette-await-json", """
from starlette.applications import Starlette
from starlette.requests import Request
import pymongo
app = Starlette()
col = pymongo.MongoClient().app.items
@app.route('/x')
async def view(request: Request):
    data = await request.json()
    return col.find_one({'sku': data['sku']})
""", [(9, 11, "SEC003")]),
    case("not-request-data", MONGO + "def load(name):\n    return db.users.find_one({'name': name})\n", []),
]

SEC004_CASES = [
    handler(LXML, "name = request.args['name']\ndoc.xpath(f\"//user[@name='{name}']\")", [(2, 0, "SEC004")],
            "lxml-xpath-fstring"),
    handler(LXML, "doc.xpath('//user[@name=$name]', name=request.args['name'])", [], "xpath-variable"),
    handler(LXML, "find = etree.XPath('//user[@name=' + request.args['n'] + ']')", [(1, 7, "SEC004")],
            "etree-xpath-class"),
    handler(LXML, "find = etree.XPath('//user[@name=$n]')\nfind(doc, n=request.args['n'])", [],
            "etree-xpath-class-variable"),
    handler(LXML, "n = int(request.args['n'])\ndoc.xpath(f'//user[{n}]')", [], "number"),
    handler(LXML, "doc.xpath('//user')", [], "constant-expression"),
    case("elementtree-findall", """
import xml.etree.ElementTree as ET
from flask import Flask, request
app = Flask(__name__)
@app.route('/x')
def view():
    root = ET.parse('users.xml').getroot()
    return str(root.findall(".//user[@name='" + request.args['n'] + "']"))
""", [(7, 15, "SEC004")]),
    case("elementtree-find-constant-path", """
import xml.etree.ElementTree as ET
from flask import Flask, request
app = Flask(__name__)
@app.route('/x')
def view():
    root = ET.fromstring(request.data)
    return root.findtext('name')
""", []),
    case("str-find-in-xml-module", """
import xml.etree.ElementTree as ET
from flask import Flask, request
app = Flask(__name__)
@app.route('/x')
def view():
    return str('abc'.find(request.args['n']))
""", []),
]

SEC005_CASES = [
    handler(LDAP3, "uid = request.args['uid']\nconn.search('dc=example', f'(uid={uid})')", [(2, 0, "SEC005")],
            "ldap3-filter-fstring"),
    handler(LDAP3, "uid = escape_filter_chars(request.args['uid'])\nconn.search('dc=example', f'(uid={uid})')",
            [], "ldap3-escaped"),
    handler(LDAP3, "conn.search(search_base='ou=' + request.args['ou'], search_filter='(objectClass=*)')",
            [(1, 0, "SEC005")], "ldap3-base-keyword"),
    handler(LDAP3, "conn.search('dc=example', '(uid=admin)')", [], "constant-filter"),
    handler(PYLDAP, "l.search_s('dc=example', ldap.SCOPE_SUBTREE, '(uid=%s)' % request.form['u'])",
            [(1, 0, "SEC005")], "python-ldap-search-s"),
    handler(PYLDAP, "l.search_s('dc=example', ldap.SCOPE_SUBTREE, filter_format('(uid=%s)', [request.form['u']]))",
            [], "python-ldap-filter-format"),
    handler(PYLDAP, "l.search_ext_s('uid=' + escape_dn_chars(request.form['u']) + ',dc=example', "
                    "ldap.SCOPE_BASE)", [], "python-ldap-escaped-dn"),
    handler(PYLDAP, "l.search_ext_s('uid=' + request.form['u'] + ',dc=example', ldap.SCOPE_BASE)",
            [(1, 0, "SEC005")], "python-ldap-dn"),
    handler(PYLDAP, "import html\nl.search_s('dc=x', 2, '(cn=%s)' % html.escape(request.form['u']))",
            [(2, 0, "SEC005")], "html-escape-does-not-clean-ldap"),
    case("re-search-in-ldap-module", """
import re
import ldap3
from flask import Flask, request
app = Flask(__name__)
PAT = re.compile('x')
@app.route('/x')
def view():
    re.search(request.args['p'], 'abc')
    return str(PAT.search(request.args['p']))
""", []),
    case("search-without-ldap-import", """
from flask import Flask, request
app = Flask(__name__)
@app.route('/x')
def view():
    return es.search('idx', request.args['q'])
""", []),
]

CASES = {"SEC003": SEC003_CASES, "SEC004": SEC004_CASES, "SEC005": SEC005_CASES}


@pytest.mark.parametrize(("code", "c"), [(code, c) for code, cases in CASES.items() for c in cases],
                         ids=lambda v: v if isinstance(v, str) else v.id)
def test_query_injection(code: str, c: Case) -> None:
    assert lint(c.source, select=code) == c.expected


def test_nosql_message_names_source_and_filter() -> None:
    [(_, _, message)] = run_checker(SEC003_CASES[2].source, select="SEC003")
    assert message == (
        "SEC003 request.get_json() (line 7) reaches the filter of db.users.find_one(); "
        "pass only typed values (str(), int(), ObjectId(), a validated model) in filters (CWE-943)"
    )


def test_where_message_names_the_operator() -> None:
    [(_, _, message)] = run_checker(SEC003_CASES[12].source, select="SEC003")
    assert "reaches $where in db.users.find(); never put request data in server-side JavaScript" in message
