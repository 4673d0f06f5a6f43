"""Whole request payloads vs fields read out of them (analysis.payload)."""

from __future__ import annotations

import pytest

from flake8_secure.analysis import payload
from flake8_secure.analysis.values import Val
from tests.analysis.test_flow import value_of_last_call_arg

FLASK = "from flask import Flask, request\napp = Flask(__name__)\n@app.route('/x')\n"


def last_arg(body: str, header: str = FLASK) -> Val:
    lines = "".join(f"    {ln}\n" for ln in body.strip("\n").splitlines())
    return value_of_last_call_arg(header + "def view():\n" + lines)


@pytest.mark.parametrize("body", [
    "use(request.json)",
    "use(request.get_json())",
    "data = request.get_json(silent=True) or {}\nuse(data)",
    "use(request.form)",
    "use(request.form.to_dict())",
    "use({**request.json, 'owner': 1})",
    "d = request.json\ne = d\nuse(e)",
])
def test_whole_payload(body: str) -> None:
    val = last_arg(body)
    assert payload.is_payload(val)


@pytest.mark.parametrize("body", [
    "use(request.json['user'])",
    "use(request.get_json().get('user'))",
    "use(request.args)",
    "use(request.data)",  # Flask: raw bytes, not the parsed payload
    "use(str(request.json))",
    "use(request.json or request.args)",
    "use({'user': request.json})",
])
def test_not_the_whole_payload(body: str) -> None:
    assert not payload.is_payload(last_arg(body))


@pytest.mark.parametrize(("body", "structured"), [
    ("use(request.json['user'])", True),
    ("data = request.get_json()\nuse(data['filter']['name'])", True),
    ("use(request.get_json().get('user'))", True),
    ("use(request.json)", True),
    ("use(request.args['user'])", False),
    ("use(request.form['user'])", False),
    ("use(f\"{request.json['user']}\")", False),
    ("use(request.json['user'].strip())", False),
    ("use(int(request.json['n']))", False),
])
def test_values_that_may_be_objects(body: str, structured: bool) -> None:
    assert payload.may_be_structured(last_arg(body)) is structured


def test_drf_data_and_starlette_await_are_payloads() -> None:
    drf = "from rest_framework.decorators import api_view\n@api_view(['POST'])\ndef view(request):\n    use(request.data)\n"
    assert payload.is_payload(value_of_last_call_arg(drf))
    star = ("from fastapi import FastAPI, Request\napp = FastAPI()\n@app.post('/x')\n"
            "async def view(request: Request):\n    data = await request.json()\n    use(data)\n")
    # value_of_last_call_arg wants a sync def: check the async one through the tree
    import ast

    from flake8_secure.analysis.context import ModuleContext

    tree = ast.parse(star)
    func = tree.body[-1]
    ctx = ModuleContext(tree, star.splitlines(keepends=True), "example.py")
    last = func.body[-1]
    ctx.scopes, ctx.statement = (func,), last
    assert payload.is_payload(ctx.value(last.value.args[0]))


@pytest.mark.parametrize(("annotation", "whole"), [("dict", True), ("Dict[str, Any]", True), ("Any", True),
                                                   ("str", False), ("Item", False)])
def test_fastapi_body_annotations(annotation: str, whole: bool) -> None:
    src = ("from typing import Any, Dict\nfrom fastapi import FastAPI\nfrom pydantic import BaseModel\n"
           "app = FastAPI()\nclass Item(BaseModel):\n    name: str\n"
           f"@app.post('/x')\ndef view(body: {annotation}):\n    use(body)\n")
    assert payload.is_payload(value_of_last_call_arg(src)) is whole


def test_unpacking_an_unknown_tainted_value_taints_its_parts() -> None:
    assert last_arg("key, value = request.form.items()\nuse(value)").all_taint()
    assert not last_arg("key, value = settings.items()\nuse(value)").all_taint()


def test_what_a_call_makes_from_request_data_is_derived() -> None:
    row = last_arg("user = User.query.get(request.args['id'])\nuse(user.id)")
    assert row.all_taint() and not row.live_taint("trust") and row.live_taint("sql")
    kept = last_arg("use(request.args.get('id').strip())")
    assert kept.live_taint("trust")
