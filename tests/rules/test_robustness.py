"""SEC023 (silent broad excepts) and SEC024 (asserts guarding security), both default off."""

from __future__ import annotations

import pytest

from tests.helpers import Case, case, lint

SEC023_CASES = [
    case("except-exception-pass", "try:\n    work()\nexcept Exception:\n    pass\n", [(3, 0, "SEC023")]),
    case("bare-except-return-none", "def f():\n    try:\n        work()\n    except:\n        return None\n",
         [(4, 4, "SEC023")]),
    case("base-exception-in-tuple-continue",
         "for x in xs:\n    try:\n        work(x)\n    except (ValueError, BaseException):\n        continue\n",
         [(4, 4, "SEC023")]),
    case("narrow-exception", "try:\n    work()\nexcept FileNotFoundError:\n    pass\n", []),
    case("logged", "import logging\ntry:\n    work()\nexcept Exception:\n    logging.exception('failed')\n", []),
    case("re-raised", "try:\n    work()\nexcept Exception:\n    cleanup()\n    raise\n", []),
    case("returns-computed-value", "def f():\n    try:\n        return work()\n    except Exception as e:\n"
         "        return fallback(e)\n", []),
]

FLASK = "from flask import Flask, request\nfrom flask_login import current_user\napp = Flask(__name__)\n"

SEC024_CASES = [
    case("assert-on-request-data", FLASK + "@app.route('/x')\ndef view():\n    assert request.form['confirm'] == 'yes'\n",
         [(6, 4, "SEC024")]),
    case("if-on-request-data", FLASK + "@app.route('/x')\ndef view():\n    if request.form['confirm'] != 'yes':\n"
         "        return 'no', 400\n", []),
    case("assert-on-request-through-local", FLASK + "@app.route('/x')\ndef view():\n    n = request.args.get('n')\n"
         "    assert n is not None\n", [(7, 4, "SEC024")]),
    case("assert-permission", FLASK + "def delete(user):\n    assert user.is_superuser\n", [(5, 4, "SEC024")]),
    case("assert-has-perm", "def delete(user, obj):\n    assert user.has_perm('app.delete', obj)\n", [(2, 4, "SEC024")]),
    case("assert-authenticated", FLASK + "@app.route('/x')\ndef view():\n    assert current_user.is_authenticated\n",
         [(6, 4, "SEC024")]),
    case("type-narrowing", "def f(value: object) -> int:\n    assert isinstance(value, int)\n    return value\n", []),
    case("invariant", "def f(items):\n    assert len(items) > 0\n    return items[0]\n", []),
]

CASES = {"SEC023": SEC023_CASES, "SEC024": SEC024_CASES}


@pytest.mark.parametrize("c", SEC023_CASES, ids=lambda c: c.id)
def test_sec023(c: Case) -> None:
    assert lint(c.source, select="SEC023") == c.expected


@pytest.mark.parametrize("c", SEC024_CASES, ids=lambda c: c.id)
def test_sec024(c: Case) -> None:
    assert lint(c.source, select="SEC024") == c.expected


@pytest.mark.parametrize("filename", ["tests/test_views.py", "app/tests/views.py", "test_app.py", "app_test.py",
                                      "conftest.py"])
def test_sec024_is_quiet_in_tests(filename: str) -> None:
    assert lint(SEC024_CASES[0].source, select="SEC024", filename=filename) == []
