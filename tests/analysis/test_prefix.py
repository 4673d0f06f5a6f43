"""The constant prefix of a built string (``Val.known_prefix``), which URL rules
use to tell a fixed scheme and host from a request-controlled one."""

from __future__ import annotations

import pytest

from tests.analysis.test_flow import value_of_last_call_arg


@pytest.mark.parametrize(
    ("body", "prefix"),
    [
        ('u = f"https://api.example.com/items/{x}"', "https://api.example.com/items/"),
        ('u = "https://api.example.com/" + x', "https://api.example.com/"),
        ('u = x + "https://api.example.com/"', ""),
        ('u = f"{BASE}/items/{x}"', "https://api.example.com/items/"),
        ('u = "https://api.example.com/{}".format(x)', "https://api.example.com/"),
        ('u = "https://api.example.com/%s" % x', "https://api.example.com/"),
        ('u = "https://a.example.com/" + x\nu += "?q=1"', "https://a.example.com/"),
        ('u = "https://a.example.com/" + x\nu = u.strip()', ""),
        ('u = ("https://a.example.com/" + x)[8:]', ""),
        ('u = "/".join(["https://a.example.com", x])', ""),
        ('u = "https://a.example.com/x/" + x if x else "https://a.example.com/y/" + x', "https://a.example.com/"),
        ('u = "https://a.example.com/" + x\nu = helper(u)', ""),
        ('u = "https://a.example.com/" + x\nu = path_of(x)', "https://b.example.com/"),
        ('u = "https://%s/" % x', "https://"),
        ('u = "https://{}/".format(x)', "https://"),
        ('u = "https://a.example.com/x"', "https://a.example.com/x"),
    ],
    ids=["fstring", "concat", "concat-after", "fstring-module-constant", "format", "percent", "augmented",
         "str-method-forgets", "slice-forgets", "join-forgets", "ternary-common-prefix", "unknown-call",
         "module-function-summary", "percent-host", "format-host", "constant"],
)
def test_known_prefix(body: str, prefix: str) -> None:
    lines = "".join(f"    {ln}\n" for ln in body.splitlines())
    src = (
        'BASE = "https://api.example.com"\n'
        "def path_of(p):\n"
        '    return "https://b.example.com/" + p\n'
        f"def f(x, sink, helper):\n{lines}    sink(u)\n"
    )
    assert value_of_last_call_arg(src).known_prefix() == prefix
