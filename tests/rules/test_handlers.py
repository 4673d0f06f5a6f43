"""SEC010-SEC011: unvalidated payloads and request data in trusted stores, each with a safe twin."""

from __future__ import annotations

import pytest

from tests.helpers import Case, case, lint, run_checker

FLASK = ("from flask import Flask, request, session, g, abort\nfrom app.models import User, db\n"
         "app = Flask(__name__)\n")


def flask(body: str, expected: list[tuple[int, int, str]], id: str) -> Case:
    """A Flask handler; expected lines count from the handler's first body line (line 6)."""
    lines = "".join(f"    {ln}\n" for ln in body.strip("\n").splitlines())
    src = FLASK + "@app.route('/x', methods=['POST'])\ndef view():\n" + lines
    return Case(id, src, [(line + 5, col + 4, code) for line, col, code in expected])


SEC010_CASES = [
    flask("User(**request.json)", [(1, 0, "SEC010")], "json-unpacked-into-model"),
    flask("data = request.get_json(silent=True) or {}\nuser = User(**data)", [(2, 7, "SEC010")],
          "payload-or-empty-unpacked"),
    flask("User.query.filter_by(id=1).update(request.form)", [(1, 0, "SEC010")], "form-merged-by-update"),
    flask("User(**request.form.to_dict())", [(1, 0, "SEC010")], "form-copy-unpacked"),
    flask("User(**{**request.json, 'owner': 1})", [(1, 0, "SEC010")], "payload-spread-into-dict"),
    flask("User(name=request.json['name'])", [], "single-field-default-mode"),
    flask("User(**request.args)", [], "query-string-is-not-a-payload"),
    flask("from app.schemas import UserSchema\nUser(**UserSchema().load(request.json))", [], "marshmallow-load"),
    flask("from app.schemas import UserIn\nUser(**UserIn(**request.json).model_dump())", [], "imported-schema"),
    flask("from flask import jsonify\nreturn jsonify(**request.json)", [], "echo-is-not-assignment"),
    flask("user = User.query.get(1)\nfor key, value in request.json.items():\n    setattr(user, key, value)",
          [(3, 4, "SEC010")], "setattr-loop-over-payload"),
    flask("user = User.query.get(1)\nfor key, value in request.json.items():\n    if key in ('name', 'bio'):\n"
          "        setattr(user, key, value)", [], "setattr-loop-allow-listed"),
    flask("db.users.update_one({'_id': 1}, {'$set': request.get_json()})", [(1, 0, "SEC010")], "mongo-set-payload"),
    flask("db.users.update_one({'_id': 1}, {'$set': {'name': str(request.json['name'])}})", [],
          "mongo-set-typed-field"),
    flask("db.users.insert_one(request.json)", [(1, 0, "SEC010")], "mongo-insert-payload"),
    case("pydantic-model-of-module", """
from flask import Flask, request
from pydantic import BaseModel
app = Flask(__name__)
class NewUser(BaseModel):
    name: str
@app.post('/u')
def view():
    fields = NewUser(**request.json)
    NewUser.model_validate(request.json)
    return fields
""", []),
    case("module-model-is-not-a-validator", """
from flask import Flask, request
from app.db import Model
app = Flask(__name__)
class User(Model):
    pass
@app.post('/u')
def view():
    return User(**request.json)
""", [(8, 11, "SEC010")]),
    case("django-create-from-post", """
from django.http import JsonResponse
from app.models import Profile
def update(request):
    Profile.objects.create(**request.POST.dict())
    return JsonResponse({})
""", [(4, 4, "SEC010")]),
    case("django-form-cleaned-data", """
from django.http import JsonResponse
from app.forms import ProfileForm
from app.models import Profile
def update(request):
    form = ProfileForm(request.POST)
    if form.is_valid():
        Profile.objects.create(**form.cleaned_data)
    return JsonResponse({})
""", []),
    case("django-json-body-unpacked", """
import json
from django.http import JsonResponse
from app.models import Profile
def update(request):
    Profile.objects.create(**json.loads(request.body))
    return JsonResponse({})
""", [(5, 4, "SEC010")]),
    case("django-json-body-fields-picked", """
import json
from django.http import JsonResponse
from app.models import Profile
def update(request):
    body = json.loads(request.body)
    Profile.objects.create(name=str(body["name"]))
    return JsonResponse({})
""", []),
    case("drf-data-unpacked", """
from rest_framework.decorators import api_view
from rest_framework.response import Response
from app.models import Order
@api_view(['POST'])
def create(request):
    Order.objects.create(**request.data)
    return Response(status=201)
""", [(6, 4, "SEC010")]),
    case("drf-serializer-validated-data", """
from rest_framework.decorators import api_view
from rest_framework.response import Response
from app.models import Order
from app.serializers import OrderSerializer
@api_view(['POST'])
def create(request):
    s = OrderSerializer(data=request.data)
    s.is_valid(raise_exception=True)
    Order.objects.create(**s.validated_data)
    return Response(status=201)
""", []),
    case("fastapi-dict-body", """
from fastapi import FastAPI
from app.models import Item, session
app = FastAPI()
@app.post('/items')
def create(item: dict):
    session.add(Item(**item))
""", [(6, 16, "SEC010")]),
    case("fastapi-pydantic-body", """
from fastapi import FastAPI
from pydantic import BaseModel
from app.models import Item, session
app = FastAPI()
class ItemIn(BaseModel):
    name: str
@app.post('/items')
def create(item: ItemIn):
    session.add(Item(**item.model_dump()))
""", []),
    case("not-a-handler", "from app.models import User\ndef make(data):\n    return User(**data)\n", []),
]

STRICT_CASES = [
    flask("User(name=request.json['name'])", [(1, 0, "SEC010")], "strict-field-into-model"),
    flask("User(age=int(request.json['age']))", [], "strict-converted-field"),
    flask("user = User.query.get(1)\nuser.email = request.form['email']", [(2, 0, "SEC010")],
          "strict-attribute-store"),
    flask("import re\nemail = request.form['email']\nif not re.fullmatch(r'[^@]+@[^@]+', email):\n    abort(400)\n"
          "user = User.query.get(1)\nuser.email = email", [], "strict-fullmatch-guard"),
    flask("from app.checks import validate_email\nUser(email=validate_email(request.form['email']))", [],
          "strict-validator-call"),
    flask("from app.checks import is_valid_email\nemail = request.form['email']\nif not is_valid_email(email):\n"
          "    abort(400)\nUser(email=email)", [], "strict-validator-guard"),
    flask("User.objects.create(name=request.form['name'])", [(1, 0, "SEC010")], "strict-orm-create"),
    flask("from flask import jsonify\nreturn jsonify(name=request.form['name'])", [], "strict-response-is-not-record"),
    flask("user = User(name='x')\nuser.owner = User.query.get(request.form['id'])", [], "strict-derived-object"),
]

SEC011_CASES = [
    flask("session['role'] = request.form['role']", [(1, 0, "SEC011")], "flask-session-item"),
    flask("role = request.form['role']\nif role not in ('reader', 'editor'):\n    abort(400)\nsession['role'] = role",
          [], "allow-list-guard"),
    flask("session['page_size'] = int(request.args['n'])", [], "int-conversion"),
    flask("session['next'] = request.args.get('next', '/')", [(1, 0, "SEC011")], "get-with-default"),
    flask("session['name'] = request.form['name'].strip()", [(1, 0, "SEC011")], "str-method-keeps-data"),
    flask("user = User.query.filter_by(name=request.form['name']).first()\nsession['user_id'] = user.id", [],
          "database-row-derived-from-request"),
    flask("g.tenant = request.headers['X-Tenant']", [(1, 0, "SEC011")], "flask-g-attribute"),
    flask("setattr(g, 'tenant', request.headers['X-Tenant'])", [(1, 0, "SEC011")], "flask-g-setattr"),
    flask("g.started = 1", [], "flask-g-constant"),
    flask("import json\nsession['prefs'] = json.loads(request.form['prefs'])", [(2, 0, "SEC011")],
          "json-document-from-request"),
    flask("import json\nsession['count'] = len(json.loads(request.form['prefs']))", [],
          "json-document-length"),
    flask("session.update(request.form)", [(1, 0, "SEC011")], "session-update"),
    flask("session.update(theme='dark')", [], "session-update-constant"),
    flask("for key, value in request.form.items():\n    session[key] = value", [(2, 4, "SEC011")],
          "unpacked-items-loop"),
    flask("cart = {}\nfor key, value in request.form.items():\n    cart['x'] = 1\nsession['cart'] = cart", [],
          "loop-without-request-values-stored"),
    flask("from itsdangerous import URLSafeSerializer\ns = URLSafeSerializer('k')\n"
          "token = s.dumps({'user': request.form['user']})", [(3, 8, "SEC011")], "itsdangerous-dumps"),
    flask("from itsdangerous import URLSafeSerializer\ns = URLSafeSerializer('k')\n"
          "token = s.dumps({'user': 1})", [], "itsdangerous-constant"),
    flask("import json\ns = json.dumps(request.form['x'])", [], "json-dumps-is-not-signing"),
    case("django-request-session", """
from django.http import HttpResponse
def pick(request):
    request.session['currency'] = request.GET['currency']
    return HttpResponse('ok')
""", [(3, 4, "SEC011")]),
    case("django-signed-cookie", """
from django.http import HttpResponse
def pick(request):
    resp = HttpResponse('ok')
    resp.set_signed_cookie('plan', request.POST['plan'])
    resp.set_signed_cookie('visits', str(1))
    return resp
""", [(4, 4, "SEC011")]),
    case("django-class-view-session", """
from django.views import View
from django.http import HttpResponse
class Pick(View):
    def post(self, request):
        self.request.session['lang'] = request.POST['lang']
        return HttpResponse('ok')
""", [(5, 8, "SEC011")]),
    case("fastapi-pydantic-field", """
from fastapi import FastAPI, Request
from pydantic import BaseModel
app = FastAPI()
class Prefs(BaseModel):
    theme: str
@app.post('/prefs')
def prefs(request: Request, body: Prefs, lang: str):
    request.session['theme'] = body.theme
    request.session['lang'] = lang
""", [(9, 4, "SEC011")]),
    case("session-outside-request", "from flask import session\ndef remember(x):\n    session['x'] = x\n", []),
]

CASES = {"SEC010": SEC010_CASES, "SEC011": SEC011_CASES}


@pytest.mark.parametrize(("code", "c"), [(code, c) for code, cases in CASES.items() for c in cases],
                         ids=lambda v: v if isinstance(v, str) else v.id)
def test_handlers(code: str, c: Case) -> None:
    assert lint(c.source, select=code) == c.expected


@pytest.mark.parametrize("c", STRICT_CASES, ids=lambda c: c.id)
def test_strict_validation(c: Case) -> None:
    assert lint(c.source, select="SEC010", strict_validation=True) == c.expected


@pytest.mark.parametrize("c", [c for c in STRICT_CASES if c.expected], ids=lambda c: c.id)
def test_single_fields_are_quiet_by_default(c: Case) -> None:
    assert lint(c.source, select="SEC010") == []


def test_strict_mode_keeps_payload_findings() -> None:
    c = SEC010_CASES[0]
    assert lint(c.source, select="SEC010", strict_validation=True) == c.expected


def test_payload_message() -> None:
    [(_, _, message)] = run_checker(SEC010_CASES[0].source, select="SEC010")
    assert message == (
        "SEC010 request.json (line 6) reaches User(**...) without validation; validate it with a Pydantic "
        "model, schema, form or serializer and use only its fields (CWE-915)"
    )


def test_trust_message() -> None:
    [(_, _, message)] = run_checker(SEC011_CASES[0].source, select="SEC011")
    assert message == (
        "SEC011 request.form['role'] (line 6) reaches session['role']; validate it (an allow-list, int(), "
        "a schema) before storing it (CWE-501)"
    )


def test_sink_label_drops_call_arguments() -> None:
    src = ("from django.http import HttpResponse\nfrom app.models import Address\ndef save(request):\n"
           "    Address.objects.filter(user=request.user, active=True).update(**request.POST)\n")
    [(_, _, message)] = run_checker(src, select="SEC010")
    assert "reaches Address.objects.filter(...).update(**...) without validation" in message
