"""Value tracking inside a function: how a string was built, and from what."""

from __future__ import annotations

import ast
import textwrap

import pytest

from flake8_secure.analysis.context import ModuleContext
from flake8_secure.analysis.values import Val, provenance
from tests.helpers import lint


def value_of_last_call_arg(source: str) -> Val:
    source = textwrap.dedent(source).lstrip("\n")
    tree = ast.parse(source)
    func = tree.body[-1]
    assert isinstance(func, ast.FunctionDef)
    ctx = ModuleContext(tree, source.splitlines(keepends=True), "example.py")
    last = func.body[-1]
    ctx.scopes, ctx.statement = (func,), last
    call = last.value  # type: ignore[attr-defined]
    return ctx.value(call.args[0])


def labels(val: Val) -> list[str]:
    return [p.label for p in val.unsafe]


def test_parts_and_step_through_several_statements() -> None:
    val = value_of_last_call_arg(
        """
        def f(cur, name, table):
            q = "SELECT * FROM " + table
            q += " WHERE name = '%s'" % name
            cur.execute(q)
        """
    )
    assert labels(val) == ["table", "name"]
    assert val.step is not None and (val.step.op, val.step.line) == ("+ concatenation", 2)


def test_loop_reaches_fixed_point() -> None:
    val = value_of_last_call_arg(
        """
        def f(cur, cols):
            sql = "SELECT "
            for c in cols:
                sql = sql + c + ", "
            cur.execute(sql)
        """
    )
    assert labels(val) == ["c"]


def test_strings_are_values_not_references() -> None:
    val = value_of_last_call_arg(
        """
        def f(cur, name):
            a = "SELECT 1"
            b = a
            a += name
            cur.execute(b)
        """
    )
    assert val.consts == ("SELECT 1",) and not val.unsafe


def test_dict_entries_by_constant_key() -> None:
    val = value_of_last_call_arg(
        """
        def f(cur, name, qn):
            d = {"safe": "users"}
            d["other"] = name
            cur.execute("SELECT * FROM " + d["safe"])
        """
    )
    assert val.consts == ("SELECT * FROM users",)


def test_branches_join() -> None:
    val = value_of_last_call_arg(
        """
        def f(cur, name, flag):
            if flag:
                q = "SELECT 1"
            else:
                q = "SELECT " + name
            cur.execute(q)
        """
    )
    assert labels(val) == ["name"] and val.consts is None


def test_try_except_and_with_paths() -> None:
    val = value_of_last_call_arg(
        """
        def f(cur, name):
            q = "SELECT 1"
            try:
                q = "SELECT 2"
            except ValueError:
                q = f"SELECT {name}"
            cur.execute(q)
        """
    )
    assert labels(val) == ["name"]


def test_at_statement_answers_before_the_statement_itself() -> None:
    source = "import requests\ndef f():\n    s = requests.Session()\n    s.verify = False\n"
    tree = ast.parse(source)
    func = tree.body[1]
    assert isinstance(func, ast.FunctionDef)
    ctx = ModuleContext(tree, source.splitlines(True), "x.py")
    ctx.scopes, ctx.statement = (func,), func  # what the walk sets for a statement node
    assign = func.body[1]
    assert isinstance(assign, ast.Assign) and isinstance(assign.targets[0], ast.Attribute)
    receiver = assign.targets[0].value
    assert ctx.value(receiver).origin is None
    with ctx.at_statement(assign):
        assert ctx.value(receiver).origin == "requests.Session"
    assert ctx.statement is func


def value_of_return(source: str) -> Val:
    source = textwrap.dedent(source).lstrip("\n")
    tree = ast.parse(source)
    func = tree.body[-1]
    assert isinstance(func, ast.FunctionDef)
    ctx = ModuleContext(tree, source.splitlines(keepends=True), "example.py")
    last = func.body[-1]
    assert isinstance(last, ast.Return) and last.value is not None
    ctx.scopes = (func,)
    return ctx.value(last.value, at=last)


def test_derived_through_numeric_format_and_string_building() -> None:
    val = value_of_return(
        """
        import random
        def otp():
            n = random.randint(0, 999999)
            code = f"{n:06d}"
            return "OTP-" + code
        """
    )
    assert "random.randint" in provenance(val)


def test_derived_through_join_conversions_methods_and_branches() -> None:
    sources = {
        "''.join(random.choice(chars) for _ in range(8))": "random.choice",
        "str(int(random.random() * 10 ** 6))": "random.random",
        "base64.b64encode(random.randbytes(16))": "random.randbytes",
        "random.getrandbits(64).to_bytes(8, 'big').hex()": "random.getrandbits",
        "'%d' % random.randrange(10 ** 6)": "random.randrange",
        "'{:x}'.format(random.getrandbits(32))": "random.getrandbits",
        "random.random() if flag else secrets.token_hex()": "random.random",
    }
    for expr, origin in sources.items():
        val = value_of_return(
            f"""
            import base64, random, secrets
            def make(chars, flag):
                x = {expr}
                return x
            """
        )
        assert origin in provenance(val), expr


def test_derived_through_method_on_local_receiver() -> None:
    val = value_of_return(
        """
        import random
        def make():
            rng = random.Random()
            n = rng.getrandbits(64)
            return n.to_bytes(8, "big").hex()
        """
    )
    assert "random.Random" in provenance(val)


def test_constant_values_carry_no_derivation() -> None:
    val = value_of_return(
        """
        def make(name):
            return f"{name}-{3:02d}"
        """
    )
    assert provenance(val) == ()


def test_derived_through_container_elements() -> None:
    val = value_of_return(
        """
        import random
        def make():
            return bytes(random.getrandbits(8) for _ in range(16))
        """
    )
    assert "random.getrandbits" in provenance(val)


def test_method_chains_are_evaluated_once_per_link() -> None:
    """``s.replace(..).replace(..)`` x 40 on a parameter: linear, not 2**40."""
    chain = "text" + ".replace('a', 'b')" * 40
    val = value_of_last_call_arg(f"def f(text):\n    print({chain})\n")
    assert val.consts is None


def test_evaluation_stops_at_the_deadline() -> None:
    import time

    import pytest

    from flake8_secure.analysis.flow import AnalysisLimit

    terms = " + ".join(["x"] * 2000)
    source = f"def f(x):\n    print({terms}, {terms}, {terms})\n"
    tree = ast.parse(source)
    func = tree.body[-1]
    ctx = ModuleContext(tree, source.splitlines(keepends=True), "example.py")
    ctx.deadline = time.monotonic() - 1.0
    evaluator = ctx._evaluator((func,), frozenset({"x"}))  # no flow: only the expression's own check
    call = func.body[-1].value  # type: ignore[attr-defined]
    with pytest.raises(AnalysisLimit):
        for arg in call.args:
            evaluator.eval(arg, {})


CHAIN = """
from django.db import connection


def e(s):
    return int(s)


def d(s):
    return e(s)


def c(s):
    return d(s)


def b(s):
    return c(s)


def a(s):
    return b(s)


def view(request):
    first = {first}(request.GET["x"])
    q = {second}(request.GET["y"])
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM t WHERE id = " + q + first)
"""


@pytest.mark.parametrize("first, second", [("a", "d"), ("d", "a"), ("e", "a"), ("a", "a")])
def test_a_helper_chains_summary_does_not_depend_on_which_call_asked_first(first: str, second: str) -> None:
    """Five helpers deep, the value is still a number, whichever call is
    summarised first (a summary cut short by depth was once remembered)."""
    assert lint(CHAIN.format(first=first, second=second), select="SEC002") == []
    numbers = CHAIN.format(first=first, second=second).replace("return int(s)", "return s")
    assert lint(numbers, select="SEC002") == [(29, 8, "SEC002")]
