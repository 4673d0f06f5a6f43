"""SEC056: request data compared with a secret using == or !=."""

from __future__ import annotations

import pytest

from tests.helpers import Case, case, lint

HEAD = "import hmac, hashlib\nfrom flask import Flask, request, abort\napp = Flask(__name__)\nKEY = b'k'\n"

SEC056_CASES = [
    case("signature-ne-hexdigest", HEAD + """
@app.post("/hook")
def hook():
    expected = hmac.new(KEY, request.get_data(), hashlib.sha256).hexdigest()
    if request.headers["X-Signature"] != expected:
        abort(403)
""", [(9, 7, "SEC056")]),
    case("compare-digest", HEAD + """
@app.post("/hook")
def hook():
    expected = hmac.new(KEY, request.get_data(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(request.headers["X-Signature"], expected):
        abort(403)
""", []),
    case("token-eq-stored", HEAD + """
@app.get("/reset")
def reset():
    token = request.args["token"]
    if token == current_user_reset_token():
        return "ok"
""", [(9, 7, "SEC056")]),
    case("stored-token-named", HEAD + """
@app.get("/reset")
def reset(user):
    if request.args["token"] == user.reset_token:
        return "ok"
""", [(8, 7, "SEC056")]),
    case("constant-comparison", HEAD + """
@app.get("/x")
def x():
    if request.args["mode"] == "token":
        return "ok"
""", []),
    case("no-request-data", HEAD + """
def check(a_token, b_token):
    return a_token == b_token
""", []),
    case("int-converted", HEAD + """
@app.get("/x")
def x(user):
    if int(request.args["otp"]) == user.otp:
        return "ok"
""", []),
]

CASES = {"SEC056": SEC056_CASES}


@pytest.mark.parametrize("c", SEC056_CASES, ids=lambda c: c.id)
def test_sec056(c: Case) -> None:
    assert lint(c.source, select="SEC056") == c.expected
