"""Value tracking inside one function (or the module body).

Statements are interpreted in order over an environment that maps local
names (and ``self.attr`` chains) to abstract values (``values.Val``): a query
built over several statements (``+=``, list appends then ``join``,
reassignment) is known at the line where it is executed.  Branches are
joined, ``if`` over a constant test keeps only the live branch, loops run to
a (bounded) fixed point, and paths ending in ``return``/``raise`` stop.

The environment before every statement is kept, so a rule can ask for the
value of any expression at the statement where it sits.
"""

from __future__ import annotations

import ast
import re
import string
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

from flake8_secure.analysis.constants import UNKNOWN, Constants
from flake8_secure.analysis.frameworks import sql as sqlfw
from flake8_secure.analysis.names import Names, child_blocks, dotted_name
from flake8_secure.analysis.nodes import descendants
from flake8_secure.analysis import payload
from flake8_secure.analysis.frameworks import errors, web
from flake8_secure.analysis.taint import (
    PYDANTIC,
    REQUEST,
    REQUEST_VAL,
    Summaries,
    TaintModel,
    call_args,
    exception_source,
    relabel,
    source,
    tainted,
)
from flake8_secure.analysis.values import (
    ALL,
    MAP,
    NUM,
    NUM_VAL,
    OPAQUE,
    OPAQUE_VAL,
    QUOTER,
    SAFE_OBJ,
    SAFE_STR,
    SEQ,
    STR,
    Source,
    Val,
    concat,
    label_of,
    const_val,
    derived_from,
    inserted,
    join,
    join_all,
    merge_taint,
)

Env = dict[str, Val]
FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef

MAX_LOOP_PASSES = 2
# Calls that never return.
PATH_ENDERS = frozenset(
    {"flask.abort", "werkzeug.exceptions.abort", "quart.abort", "sys.exit", "os._exit", "exit", "quit"}
)
MAX_DEPTH = 60

NUMBER_CALLS = frozenset(
    {"int", "float", "len", "abs", "round", "bool", "hash", "ord", "id", "complex",
     "decimal.Decimal", "uuid.UUID", "math.floor", "math.ceil"}
)
NUMBER_TYPES = frozenset({"int", "float", "bool", "complex", "Decimal", "UUID", "uuid.UUID"})
# Builtins whose result iterates over the same elements as their argument.
ELEMENT_PRESERVING = frozenset({"list", "tuple", "set", "frozenset", "sorted", "reversed", "iter", "filter"})
# Calls whose result re-encodes their argument (the value is still the argument's).
CONVERSIONS = frozenset(
    {"repr", "bytes", "bytearray", "hex", "oct", "format", "base64.b64encode", "base64.urlsafe_b64encode",
     "base64.b32encode", "base64.b16encode", "base64.b85encode", "binascii.hexlify", "binascii.b2a_hex"}
)
STR_METHODS = frozenset(
    {"upper", "lower", "strip", "lstrip", "rstrip", "title", "capitalize", "casefold",
     "replace", "removeprefix", "removesuffix", "ljust", "rjust", "center", "zfill",
     "expandtabs", "swapcase", "decode", "encode"}
)
_NUMERIC_SPEC = re.compile(r"[bcdeEfFgGnoxX%]$")
_PERCENT_SPEC = re.compile(
    r"%(?:\((?P<key>[^)]*)\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?(?P<conv>[diouxXeEfFgGcrsa%])"
)


def local_names(func: ast.AST) -> frozenset[str]:
    """Names local to a function: parameters and every name it binds."""
    from flake8_secure.analysis.names import scope_statements

    names: set[str] = set()
    globals_: set[str] = set()
    args = getattr(func, "args", None)
    if isinstance(args, ast.arguments):
        for a in args.posonlyargs + args.args + args.kwonlyargs:
            names.add(a.arg)
        for extra in (args.vararg, args.kwarg):
            if extra is not None:
                names.add(extra.arg)
    body = getattr(func, "body", [])
    for stmt in scope_statements(body if isinstance(body, list) else []):
        if isinstance(stmt, (ast.Global, ast.Nonlocal)):
            globals_.update(stmt.names)
        for target in _bound_targets(stmt):
            for node in descendants(target):
                if isinstance(node, ast.Name):
                    names.add(node.id)
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(stmt.name)
        elif isinstance(stmt, (ast.Import, ast.ImportFrom)):
            for alias in stmt.names:
                names.add((alias.asname or alias.name).split(".")[0])
        elif isinstance(stmt, ast.Try):
            names.update(h.name for h in stmt.handlers if h.name)
    return frozenset(names - globals_)


def _bound_targets(stmt: ast.stmt) -> list[ast.AST]:
    if isinstance(stmt, ast.Assign):
        return list(stmt.targets)
    if isinstance(stmt, (ast.AugAssign, ast.AnnAssign)):
        return [stmt.target]
    if isinstance(stmt, (ast.For, ast.AsyncFor)):
        return [stmt.target]
    if isinstance(stmt, (ast.With, ast.AsyncWith)):
        return [i.optional_vars for i in stmt.items if i.optional_vars is not None]
    return []


# More names than this read and bound in one body: give up on the file
# rather than copy a huge environment at every statement.
MAX_ENV_NAMES = 2_000


class AnalysisLimit(Exception):
    """The per-file analysis budget ran out (checked per interpreted
    statement and every few thousand evaluations)."""


class Evaluator:
    """Abstract evaluation of expressions against an environment."""

    def __init__(
        self,
        names: Names,
        constants: Constants,
        scopes: Sequence[ast.AST],
        locals_: frozenset[str],
        model: TaintModel | None = None,
        summarise: Callable[[ast.AST, Env], FunctionFlow] | None = None,
    ) -> None:
        self.names = names
        self.constants = constants
        self.scopes = scopes
        self.locals = locals_
        self.model = model
        self.summarise = summarise
        # time.monotonic() deadline, checked every 4096 evaluations: one
        # expression must not run past the per-file time guard either.
        self.deadline: float | None = None
        self._steps = 0

    # -- entry point ------------------------------------------------------
    def eval(self, node: ast.AST, env: Env, depth: int = 0) -> Val:
        if depth > MAX_DEPTH:
            return OPAQUE_VAL
        self._steps += 1
        if not self._steps & 4095 and self.deadline is not None and time.monotonic() > self.deadline:
            raise AnalysisLimit("time limit")
        method: Callable[[ast.AST, Env, int], Val] | None = getattr(
            self, "_eval_" + type(node).__name__, None
        )
        if method is None:
            return OPAQUE_VAL
        return method(node, env, depth + 1)

    # -- leaves -----------------------------------------------------------
    def _eval_Constant(self, node: ast.Constant, env: Env, depth: int) -> Val:
        return const_val(node.value)

    def _eval_Name(self, node: ast.Name, env: Env, depth: int) -> Val:
        if node.id in env:
            return env[node.id]
        if self.model is not None:
            # before the locals check: ``from flask import request`` inside a handler
            qualified = self.names.resolve_name(node.id, self.scopes)
            if self.model.is_request_proxy(qualified):
                return REQUEST_VAL
            if self.model.is_extra_source(qualified):
                return tainted(node)
        if node.id in self.locals:
            return OPAQUE_VAL
        return self._folded(node)

    def _eval_Attribute(self, node: ast.Attribute, env: Env, depth: int, base_val: Val | None = None) -> Val:
        """``base_val``: the value of ``node.value`` when the caller has it
        already (a method call's receiver): evaluating it again at every link
        of ``s.replace(..).replace(..)...`` would be exponential."""
        dotted = dotted_name(node)
        if dotted is not None and dotted in env:
            return env[dotted]
        if node.attr in sqlfw.QUOTERS:
            return Val(QUOTER)
        if self.model is not None:
            found = self._taint_attribute(node, env, depth, base_val)
            if found is not None:
                return found
        base = node.value
        if isinstance(base, ast.Name) and base.id in self.locals and base.id not in ("self", "cls"):
            return OPAQUE_VAL
        return self._folded(node)

    def _taint_attribute(self, node: ast.Attribute, env: Env, depth: int, base_val: Val | None = None) -> Val | None:
        """Request data read from a request object, a model, or a tainted value."""
        assert self.model is not None
        base = base_val if base_val is not None else self.eval(node.value, env, depth)
        if base.origin == REQUEST:
            if node.attr not in web.REQUEST_SOURCE_ATTRS:
                return OPAQUE_VAL
            kind = web.PAYLOAD_ATTRS.get(node.attr)
            if kind == "json" and node.attr == "data" and self.model.is_request_proxy(
                    self.names.qualified(node.value, self.scopes)):
                kind = None  # Flask's request.data is the raw body (bytes), DRF's the parsed one
            if kind is not None:
                origin = payload.PAYLOAD_JSON if kind == "json" else payload.PAYLOAD_FORM
                return Val(OPAQUE, origin=origin, taint=(source(node),))
            return tainted(node)
        if node.attr in web.VALIDATED_ATTRS and base.all_taint():
            return Val(OPAQUE, taint=base.cleaned(web.VALIDATION_CATEGORIES).all_taint())
        if base.origin and base.origin.startswith(PYDANTIC):
            return self.model.model_field(base.origin[len(PYDANTIC):], node.attr, node, base)
        cls = self.model.instance_class(base)
        member = self._instance_member(cls, base, node.attr) if cls is not None else None
        if member is not None:
            return member
        if base.all_taint():
            if node.attr == "__class__":
                return base.cleaned(frozenset({ALL}))  # a type carries no data
            return relabel(base, node.value, node)
        qualified = self.names.qualified(node, self.scopes)
        if self.model.is_request_proxy(qualified):
            return REQUEST_VAL
        if self.model.is_extra_source(qualified):
            return tainted(node)
        return None

    def _folded(self, node: ast.expr) -> Val:
        return self.constants.val(node, self.scopes)

    # -- string building --------------------------------------------------
    def _eval_JoinedStr(self, node: ast.JoinedStr, env: Env, depth: int) -> Val:
        pieces: list[Val] = []
        for value in node.values:
            if isinstance(value, ast.FormattedValue):
                spec = value.format_spec
                spec_text = ""
                if isinstance(spec, ast.JoinedStr) and all(isinstance(v, ast.Constant) for v in spec.values):
                    spec_text = "".join(str(v.value) for v in spec.values)  # type: ignore[attr-defined]
                val = self.eval(value.value, env, depth)
                if spec_text and _NUMERIC_SPEC.search(spec_text):
                    pieces.append(derived_from(SAFE_STR, val))
                    continue
                if val.consts and len(val.consts) == 1 and value.conversion == -1 and not spec_text:
                    pieces.append(const_val(str(val.consts[0])))
                else:
                    pieces.append(replace(inserted(val, value.value), consts=None))
            else:
                pieces.append(self.eval(value, env, depth))
        return concat(pieces, "an f-string", node.lineno)

    def _eval_BinOp(self, node: ast.BinOp, env: Env, depth: int) -> Val:
        if isinstance(node.op, ast.Add) and isinstance(node.left, ast.BinOp) and isinstance(node.left.op, ast.Add):
            return self._add_chain(node, env, depth)
        left = self.eval(node.left, env, depth)
        if isinstance(node.op, ast.Mod) and left.kind in (STR, OPAQUE) and left.kind != NUM:
            return self._percent(node, left, env, depth)
        right = self.eval(node.right, env, depth)
        return self._binop(node, left, right)

    def _add_chain(self, node: ast.BinOp, env: Env, depth: int) -> Val:
        """``a + b + c + ...`` left to right in a loop: a query of hundreds of
        ``+`` terms is neither too deep to follow nor a Python recursion."""
        spine = [node]
        while isinstance(spine[-1].left, ast.BinOp) and isinstance(spine[-1].left.op, ast.Add):
            spine.append(spine[-1].left)
        val = self.eval(spine[-1].left, env, depth)
        for link in reversed(spine):
            val = self._binop(link, val, self.eval(link.right, env, depth))
        return val

    def _binop(self, node: ast.BinOp, left: Val, right: Val) -> Val:
        folded = self._folded_binop(node, left, right)
        if folded is not None:
            return folded
        if left.kind == NUM and right.kind == NUM:
            return derived_from(NUM_VAL, left, right)
        if isinstance(node.op, ast.Div) and left.kind == OPAQUE:
            # pathlib: base / user_part keeps the Path and the request data
            return Val(OPAQUE, origin=left.origin, taint=merge_taint(left.all_taint(), right.all_taint()))
        if isinstance(node.op, ast.Add):
            if left.kind == SEQ and right.kind == SEQ:
                return join(left, right)
            if STR in (left.kind, right.kind) or (left.unsafe or right.unsafe):
                return concat([inserted(left, node.left), inserted(right, node.right)],
                              "+ concatenation", node.lineno)
        if isinstance(node.op, ast.Mult):
            # "?" * n and ["%s"] * n repeat constant text: safe, shape unknown.
            for seq, count in ((left, right), (right, left)):
                if count.kind == NUM and seq.kind == STR:
                    return replace(seq, consts=None)
                if count.kind == NUM and seq.kind == SEQ:
                    return replace(seq, consts=None)
        return derived_from(Val(OPAQUE, taint=merge_taint(left.all_taint(), right.all_taint())), left, right)

    def _folded_binop(self, node: ast.BinOp, left: Val, right: Val) -> Val | None:
        if not (left.consts and right.consts and len(left.consts) == 1 and len(right.consts) == 1):
            return None
        values = self.constants.fold_binop(node.op, left.consts[0], right.consts[0])
        return None if values is UNKNOWN else const_val(values)

    def _percent(self, node: ast.BinOp, template: Val, env: Env, depth: int) -> Val:
        args = node.right
        fmt = template.consts[0] if template.consts and len(template.consts) == 1 else None
        specs = list(_PERCENT_SPEC.finditer(fmt)) if isinstance(fmt, str) else []
        specs = [m for m in specs if m.group("conv") != "%"]
        pieces: list[Val] = [
            replace(template, consts=None, prefix=template.known_prefix().split("%")[0]) if template.kind == STR
            else Val(STR)
        ]
        if isinstance(args, ast.Dict):
            by_key = {m.group("key"): m.group("conv") for m in specs}
            for key, value in zip(args.keys, args.values):
                conv = by_key.get(key.value) if isinstance(key, ast.Constant) else None
                pieces.append(self._insert_conv(value, conv, env, depth))
        elif isinstance(args, ast.Tuple):
            for i, value in enumerate(args.elts):
                conv = specs[i].group("conv") if i < len(specs) else None
                pieces.append(self._insert_conv(value, conv, env, depth))
        else:
            val = self.eval(args, env, depth)
            keyed = [m for m in specs if m.group("key") is not None]
            if val.kind == MAP and keyed and val.items:
                # "... %(name)s" % params: only the keys the template uses.
                for m in keyed:
                    conv = m.group("conv")
                    item = val.item(m.group("key"))
                    pieces.append(derived_from(SAFE_STR, item) if conv not in "rsa" else inserted(item, args))
            else:
                conv = specs[0].group("conv") if len(specs) == 1 else None
                if val.kind in (SEQ, MAP) and val.elem is not None:
                    val = val.elem
                pieces.append(derived_from(SAFE_STR, val) if conv and conv not in "rsa" else inserted(val, args))
        result = concat(pieces, "%-formatting", node.lineno)
        exact = self._folded_binop(node, template, self.eval(args, env, depth))
        return exact if exact is not None and exact.kind == STR else result

    def _insert_conv(self, value: ast.expr, conv: str | None, env: Env, depth: int) -> Val:
        val = self.eval(value, env, depth)
        if conv and conv not in "rsa":
            return derived_from(SAFE_STR, val)  # %d, %f, ... can only produce numbers
        return inserted(val, value)

    def _eval_Call(self, node: ast.Call, env: Env, depth: int) -> Val:
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
        if name is None:
            return OPAQUE_VAL
        local_quoter = isinstance(func, ast.Name) and func.id in env and env[func.id].kind == QUOTER
        if isinstance(func, ast.Name) and func.id in env and not local_quoter:
            return OPAQUE_VAL
        qualified = self.names.qualified(func, self.scopes) or name
        if local_quoter or name in sqlfw.QUOTERS:
            # Quoted for SQL: safe to splice into a query; request data stays
            # tainted for every other use (shlex.quote is also named "quote").
            cats = (self.model.sanitizer(qualified) if self.model else frozenset()) | {"sql"}
            arg = self.eval(node.args[0], env, depth) if node.args else OPAQUE_VAL
            return Val(STR, taint=arg.cleaned(frozenset(cats)).all_taint())
        if qualified in NUMBER_CALLS or qualified in web.NON_STRING_CALLS:
            return derived_from(NUM_VAL, *(self.eval(a, env, depth) for a in node.args[:1]))
        if self.model is not None:
            found = self._taint_call(node, qualified, env, depth)
            if found is not None:
                return found
        if qualified in sqlfw.SAFE_CONSTRUCTORS:
            return Val(SAFE_OBJ)
        if qualified in ELEMENT_PRESERVING and node.args:
            return Val(SEQ, elem=self._element(node.args[0], env, depth))
        if qualified == "enumerate" and node.args:
            pair = Val(SEQ, items=((0, NUM_VAL), (1, self._element(node.args[0], env, depth))))
            return Val(SEQ, elem=pair)
        if qualified == "zip" and node.args:
            elems = [self._element(a, env, depth) for a in node.args]
            return Val(SEQ, elem=Val(SEQ, items=tuple(enumerate(elems)), elem=join_all(elems)))
        if qualified == "str" and len(node.args) == 1:
            val = self.eval(node.args[0], env, depth)
            if val.kind == NUM:
                return derived_from(SAFE_STR, val) if val.consts is None else const_val(str(val.consts[0]))
            return val if val.kind == STR else inserted(val, node.args[0])
        if qualified in CONVERSIONS and (isinstance(func, ast.Name) or "." in qualified):
            args = [self.eval(a, env, depth) for a in node.args[:1]]
            converted = args[0].all_taint() if args else ()
            return derived_from(Val(OPAQUE, origin=qualified, taint=converted), *args)
        receiver: Val | None = None
        if isinstance(func, ast.Attribute):
            receiver = self.eval(func.value, env, depth)
            if name == "join" and receiver.kind == STR and len(node.args) == 1:
                return self._join(node, receiver, env, depth)
            if name == "format" and receiver.kind in (STR, SAFE_OBJ):
                return self._format(node, receiver, env, depth)
            if name in STR_METHODS and receiver.kind == STR:
                folded = self.constants.fold_method(receiver.consts, name, node, self.scopes)
                return folded if folded is not None else replace(receiver, consts=None, prefix="")
            if receiver.kind == SAFE_OBJ and name in ("format", "join"):
                return receiver
            if receiver.kind == MAP and name in ("values", "keys", "items", "get", "copy", "pop", "setdefault"):
                return self._map_method(node, receiver, name)
            method = self._object_method(receiver, name)
            if method is not None and self.model is not None and _fixed_arity(method, node):
                mapped = call_args(node, method.args.posonlyargs + method.args.args + method.args.kwonlyargs, True)
                args = [receiver] + [OPAQUE_VAL if a is None else self.eval(a, env, depth) for a in mapped[1:]]
                found = self._summarised(method, self.model, self.model.make_flow, args)
                if found is not None:
                    return found
        if self.model is not None:
            # Unknown code: request data in any argument (or the receiver)
            # reaches the result.
            known = self._payload_call(node, env, depth, receiver)
            if known is not None:
                return known
            taint: tuple[Source, ...] = ()
            if isinstance(func, ast.Attribute) and depth <= MAX_DEPTH:  # as self.eval(func) would
                taint = self._eval_Attribute(func, env, depth + 1, receiver).all_taint()
            for argument in [*node.args, *(kw.value for kw in node.keywords)]:
                # What a call makes from its arguments (a database row, a
                # parsed object) is not the request data itself.
                taint = merge_taint(taint, tuple(
                    s.clean(web.VALIDATION_CATEGORIES) for s in self.eval(argument, env, depth).all_taint()))
            if name in web.VALIDATING_METHODS or name.startswith(web.VALIDATOR_PREFIXES):
                taint = tuple(s.clean(web.VALIDATION_CATEGORIES) for s in taint)
            if taint:
                if isinstance(func, ast.Attribute) and len(taint) == 1:
                    return Val(OPAQUE, origin=self.names.chain(func, self.scopes) or name,
                               taint=relabel(Val(taint=taint), func.value, node).taint)
                return Val(OPAQUE, origin=self.names.chain(func, self.scopes) or name, taint=taint)
        result = Val(OPAQUE, origin=self.names.chain(func, self.scopes) or name)
        if receiver is not None:
            # ``n.to_bytes(8, "big").hex()``: a method result comes from its receiver.
            result = derived_from(result, receiver)
        return result

    def _object_method(self, receiver: Val, name: str) -> FunctionNode | None:
        """The method ``name`` of a module object's class, when it can be summarised."""
        if self.model is None or self.model.make_flow is None:
            return None
        cls = self.model.instance_class(receiver)
        return self.model.method_of(cls, name) if cls is not None else None

    def _payload_call(self, node: ast.Call, env: Env, depth: int, receiver: Val | None) -> Val | None:
        """``request.get_json()``, ``await request.json()``, ``payload.copy()``:
        still the whole payload; ``data.get("k")``: a value read out of it.
        ``receiver`` is the already evaluated ``func.value`` (no re-evaluation:
        method chains would be exponential)."""
        func = node.func
        if not isinstance(func, ast.Attribute) or receiver is None or depth > MAX_DEPTH:
            return None
        method = self._eval_Attribute(func, env, depth + 1, receiver)
        if method.origin in payload.PAYLOADS:
            return Val(OPAQUE, origin=method.origin, taint=(source(node),))
        if func.attr in payload.PAYLOAD_COPIES and payload.is_payload(receiver):
            return receiver
        origin = payload.read_from(receiver)
        if func.attr in payload.JSON_READS and origin is not None and receiver.all_taint():
            return Val(OPAQUE, origin=origin, taint=relabel(receiver, func.value, node).taint)
        return None

    def _taint_call(self, node: ast.Call, qualified: str, env: Env, depth: int) -> Val | None:
        """Sanitizers, exception details and calls to functions of this module (through summaries)."""
        assert self.model is not None
        if qualified in errors.EXCEPTION_SOURCES:
            return exception_source(node, f"{qualified}()")
        if qualified in web.JSON_PARSERS and node.args:
            document = self.eval(node.args[0], env, depth).all_taint()
            if document:
                return Val(OPAQUE, origin=payload.PAYLOAD_JSON, taint=document)  # a JSON body the client wrote
        categories = self.model.sanitizer(qualified)
        if categories:
            if not node.args:
                return OPAQUE_VAL
            return self.eval(node.args[0], env, depth).cleaned(categories)
        cls = self.model.local_class(node.func, self.scopes)
        if cls is not None:
            return self._construct(cls, node, env, depth)
        callee = self.model.callee(node.func, self.scopes)
        if callee is None:
            return None
        params = callee.func.args.posonlyargs + callee.func.args.args + callee.func.args.kwonlyargs
        args = [OPAQUE_VAL if a is None else self.eval(a, env, depth)
                for a in call_args(node, params, callee.is_method)]
        if callee.is_method and args and isinstance(node.func, ast.Attribute):
            args[0] = self.eval(node.func.value, env, depth)  # self.helper(): the same instance
        return self._summarised(callee.func, callee.model, callee.make_flow, args)

    def _summarised(self, func: FunctionNode, model: Summaries, make_flow: object, args: list[Val]) -> Val | None:
        """What a call of a summarised function returns for these arguments.
        Objects (a request, a model instance) are bound into the callee's flow,
        the other arguments stand for placeholders."""
        assert self.model is not None
        params = func.args.posonlyargs + func.args.args + func.args.kwonlyargs
        bound = tuple((p.arg, v) for p, v in zip(params, args) if self.model.is_object(v))
        if bound:
            flow = model.bound_flow(func, make_flow, bound)
            summary = None if flow is None else flow.returned or OPAQUE_VAL  # type: ignore[attr-defined]
        else:
            summary = model.summary(func, make_flow)
        return None if summary is None else self.model.apply(summary, args)

    def _construct(self, cls: ast.ClassDef, node: ast.Call, env: Env, depth: int) -> Val:
        """An instance of a module class: what ``__init__`` stores in ``self``
        attributes (with the arguments' taint), for its methods to return.
        Attributes it does not set carry the taint of every argument."""
        assert self.model is not None
        init = self.model.method_of(cls, "__init__")
        params = (init.args.posonlyargs + init.args.args + init.args.kwonlyargs) if init is not None else []
        mapped = call_args(node, params, True)
        vals = {id(a): self.eval(a, env, depth) for a in [*node.args, *(kw.value for kw in node.keywords)]}
        taint: tuple[Source, ...] = ()
        for val in vals.values():
            taint = merge_taint(taint, tuple(s.clean(web.VALIDATION_CATEGORIES) for s in val.all_taint()))
        args = [OPAQUE_VAL if a is None else vals.get(id(a), OPAQUE_VAL) for a in mapped]
        flow = None
        if init is not None and self.model.make_flow is not None and _fixed_arity(init, node):
            bound = tuple((p.arg, v) for p, v in zip(params, args) if self.model.is_object(v))
            flow = self.model.bound_flow(init, self.model.make_flow, bound)
        exit_env: Env = getattr(flow, "exit_env", None) or {}
        items = tuple(
            (key[5:], self.model.apply(val, args))
            for key, val in sorted(exit_env.items()) if key.startswith("self.") and "." not in key[5:]
        )
        return Val(OPAQUE, origin=cls.name, taint=taint, items=items)

    def _instance_member(self, cls: ast.ClassDef, instance: Val, attr: str) -> Val | None:
        """``obj.attr`` of a module object: what ``__init__`` stored, or what a property returns."""
        assert self.model is not None
        for key, val in instance.items:
            if key == attr:
                return val
        method = self.model.method_of(cls, attr)
        if method is None or self.model.make_flow is None:
            return None
        if not any(label_of(d) == "property" for d in method.decorator_list):
            return None
        return self._summarised(method, self.model, self.model.make_flow, [instance])

    def _map_method(self, node: ast.Call, mapping: Val, name: str) -> Val:
        values = mapping.elem or OPAQUE_VAL
        if name == "values":
            return Val(SEQ, elem=values)
        if name == "keys":
            return Val(SEQ, elem=OPAQUE_VAL)
        if name == "items":
            return Val(SEQ, elem=Val(SEQ, items=((0, OPAQUE_VAL), (1, values))))
        if name == "copy":
            return mapping
        if node.args and isinstance(node.args[0], ast.Constant) and name != "setdefault":
            found = mapping.item(node.args[0].value)
            return found if len(node.args) == 1 else join(found, OPAQUE_VAL)
        return join(values, OPAQUE_VAL) if len(node.args) > 1 else values

    def _join(self, node: ast.Call, sep: Val, env: Env, depth: int) -> Val:
        arg = node.args[0]
        items = self._element(arg, env, depth)
        if items.kind == OPAQUE and not items.unsafe:
            piece = inserted(items, arg)
        else:
            piece = inserted(items, arg) if not items.is_safe else replace(items, kind=STR, consts=None)
        whole = self.eval(arg, env, depth)
        if sep.consts and whole.consts:
            exact = self.constants.fold_join(sep.consts, whole.consts)
            if exact is not UNKNOWN:
                return const_val(exact)
        result = concat([replace(sep, consts=None, prefix=""), piece], "str.join()", node.lineno)
        return replace(result, consts=None)

    def _element(self, node: ast.expr, env: Env, depth: int) -> Val:
        """The value of one element of an iterable expression."""
        if isinstance(node, (ast.ListComp, ast.GeneratorExp, ast.SetComp)):
            inner = dict(env)
            for gen in node.generators:
                self._bind(gen.target, self._element(gen.iter, inner, depth), inner)
            return self.eval(node.elt, inner, depth)
        val = self.eval(node, env, depth)
        if val.kind in (SEQ, MAP):
            elem = val.elem or Val(STR)
            if val.consts is not None and len(val.consts) == 1:
                return replace(elem, consts=None) if elem.consts is None else elem
            return elem
        if val.kind == STR:
            return replace(val, consts=None, prefix="")  # iterating a string yields its characters
        return val

    def _format(self, node: ast.Call, template: Val, env: Env, depth: int) -> Val:
        if template.kind == SAFE_OBJ:
            return template  # psycopg sql.SQL(...).format(...) composes safely
        fmt = template.consts[0] if template.consts and len(template.consts) == 1 else None
        numeric: set[object] = set()
        if isinstance(fmt, str):
            try:
                auto = 0
                for _, field, spec, _ in string.Formatter().parse(fmt):
                    if field is None:
                        continue
                    key: object = field.split(".")[0].split("[")[0]
                    if key == "":
                        key, auto = auto, auto + 1
                    elif isinstance(key, str) and key.isdigit():
                        key = int(key)
                    if spec and _NUMERIC_SPEC.search(spec):
                        numeric.add(key)
            except ValueError:
                pass
        # The result starts with the template's text up to its first field.
        pieces: list[Val] = [replace(template, consts=None, prefix=template.known_prefix().split("{")[0])]
        for i, arg in enumerate(node.args):
            val = self.eval(arg, env, depth)
            pieces.append(derived_from(SAFE_STR, val) if i in numeric else inserted(val, arg))
        for kw in node.keywords:
            val = self.eval(kw.value, env, depth)
            if kw.arg is not None and kw.arg in numeric:
                pieces.append(derived_from(SAFE_STR, val))
            else:
                if kw.arg is None and val.kind == MAP:
                    val = val.elem or OPAQUE_VAL
                pieces.append(inserted(val, kw.value))
        result = concat(pieces, ".format()", node.lineno)
        if isinstance(fmt, str) and not result.unsafe:
            exact = self.constants.fold_format(fmt, [self.eval(a, env, depth) for a in node.args],
                                               {kw.arg: self.eval(kw.value, env, depth)
                                                for kw in node.keywords if kw.arg is not None})
            if exact is not UNKNOWN and len(node.keywords) == len([k for k in node.keywords if k.arg]):
                return const_val(exact)
        return replace(result, consts=None)

    # -- containers and control -------------------------------------------
    def _eval_List(self, node: ast.List | ast.Tuple | ast.Set, env: Env, depth: int) -> Val:
        elems = [self.eval(e.value if isinstance(e, ast.Starred) else e, env, depth) for e in node.elts]
        if not elems:
            return Val(SEQ, consts=((),))
        elem = join_all([e.elem if e.kind == SEQ and e.elem else e for e in elems])
        consts = None
        if all(e.consts is not None and len(e.consts) == 1 for e in elems) and not any(
            isinstance(e, ast.Starred) for e in node.elts
        ):
            consts = (tuple(e.consts[0] for e in elems if e.consts),)
        items = tuple(enumerate(elems)) if isinstance(node, ast.Tuple) and len(elems) <= 16 else ()
        return Val(SEQ, consts=consts, elem=elem, items=items)

    _eval_Tuple = _eval_List
    _eval_Set = _eval_List

    def _eval_Dict(self, node: ast.Dict, env: Env, depth: int) -> Val:
        items: list[tuple[object, Val]] = []
        vals: list[Val] = []
        origin = None
        for key, value in zip(node.keys, node.values):
            val = self.eval(value, env, depth)
            vals.append(val)
            if isinstance(key, ast.Constant):
                items.append((key.value, val))
            elif key is None and payload.is_payload(val):
                origin = val.origin  # {**request.json, "owner": me}: every client key is in it
        return Val(MAP, elem=join_all(vals) if vals else None, items=tuple(items), origin=origin)

    def _eval_DictComp(self, node: ast.DictComp, env: Env, depth: int) -> Val:
        inner = dict(env)
        for gen in node.generators:
            self._bind(gen.target, self._element(gen.iter, inner, depth), inner)
        return Val(MAP, elem=self.eval(node.value, inner, depth))

    def _eval_ListComp(self, node: ast.ListComp, env: Env, depth: int) -> Val:
        return Val(SEQ, elem=self._element(node, env, depth))

    _eval_GeneratorExp = _eval_ListComp
    _eval_SetComp = _eval_ListComp

    def _eval_Subscript(self, node: ast.Subscript, env: Env, depth: int) -> Val:
        base = self.eval(node.value, env, depth)
        if isinstance(node.slice, ast.Slice):
            return replace(base, consts=None, prefix="") if base.kind in (STR, SEQ) else OPAQUE_VAL
        if base.kind in (MAP, SEQ) and base.items and isinstance(node.slice, ast.Constant):
            return base.item(node.slice.value)
        if base.kind == OPAQUE and base.all_taint():
            return replace(relabel(base, node.value, node), origin=payload.read_from(base))
        if base.kind == OPAQUE and not base.unsafe:
            return self._folded(node)
        if base.kind in (SEQ, MAP):
            return base.elem or OPAQUE_VAL
        if base.kind == STR:
            return replace(base, consts=None, prefix="")
        return OPAQUE_VAL

    def _eval_IfExp(self, node: ast.IfExp, env: Env, depth: int) -> Val:
        truth = self.truth(node.test, env)
        if truth is True:
            return self.eval(node.body, env, depth)
        if truth is False:
            return self.eval(node.orelse, env, depth)
        return join(self.eval(node.body, env, depth), self.eval(node.orelse, env, depth))

    def _eval_BoolOp(self, node: ast.BoolOp, env: Env, depth: int) -> Val:
        vals = [self.eval(v, env, depth) for v in node.values]
        result = join_all(vals)
        payloads = {v.origin for v in vals if payload.is_payload(v)}
        if len(payloads) == 1 and all(v.origin in payloads or not v.all_taint() for v in vals):
            # ``request.get_json() or {}``: still the whole payload
            result = replace(result, origin=payloads.pop())
        return result

    def _eval_Await(self, node: ast.Await, env: Env, depth: int) -> Val:
        # ``await request.json()`` / ``await upload.read()``: the awaited result.
        return self.eval(node.value, env, depth)

    def _eval_NamedExpr(self, node: ast.NamedExpr, env: Env, depth: int) -> Val:
        return self.eval(node.value, env, depth)

    def _eval_Starred(self, node: ast.Starred, env: Env, depth: int) -> Val:
        return self.eval(node.value, env, depth)

    def _eval_UnaryOp(self, node: ast.UnaryOp, env: Env, depth: int) -> Val:
        val = self.eval(node.operand, env, depth)
        if val.consts and len(val.consts) == 1:
            folded = self.constants.fold_unary(node.op, val.consts[0])
            if folded is not UNKNOWN:
                return const_val(folded)
        if isinstance(node.op, ast.Not):
            return NUM_VAL
        return NUM_VAL if val.kind == NUM else OPAQUE_VAL

    def _eval_Compare(self, node: ast.Compare, env: Env, depth: int) -> Val:
        return NUM_VAL

    def truth(self, test: ast.expr, env: Env) -> bool | None:
        """The truth of a test when it folds to a constant, else None."""
        val = self.eval(test, env)
        if val.consts is None or not val.consts:
            return None
        truths = {bool(v) for v in val.consts}
        return truths.pop() if len(truths) == 1 else None

    # -- binding ----------------------------------------------------------
    def _bind(self, target: ast.AST, val: Val, env: Env) -> None:
        if isinstance(target, ast.Name):
            env[target.id] = val
        elif isinstance(target, (ast.Tuple, ast.List)):
            consts = val.consts[0] if val.consts and len(val.consts) == 1 else None
            for i, elt in enumerate(target.elts):
                if isinstance(consts, (tuple, list)) and len(consts) == len(target.elts):
                    self._bind(elt, const_val(consts[i]), env)
                elif val.kind == SEQ and val.items:
                    self._bind(elt, val.item(i), env)
                elif val.kind == SEQ and val.elem:
                    self._bind(elt, val.elem, env)
                else:
                    # unpacking an unknown value: its parts carry its taint
                    # (``for key, value in request.form.items()``)
                    taint = val.all_taint() if val.kind == OPAQUE else ()
                    self._bind(elt, Val(OPAQUE, taint=taint) if taint else OPAQUE_VAL, env)
        elif isinstance(target, ast.Starred):
            self._bind(target.value, Val(SEQ, elem=val), env)
        elif isinstance(target, ast.Attribute):
            dotted = dotted_name(target)
            if dotted is not None:
                env[dotted] = val
        elif isinstance(target, ast.Subscript):
            container = dotted_name(target.value)
            if container is not None and container in env:
                old = env[container]
                if old.kind == MAP and isinstance(target.slice, ast.Constant):
                    items = tuple((k, v) for k, v in old.items if k != target.slice.value)
                    env[container] = replace(
                        old, items=items + ((target.slice.value, val),),
                        elem=join(old.elem, val) if old.elem else val,
                    )
                else:
                    env[container] = _with_element(old, val)


def _with_element(container: Val, val: Val) -> Val:
    """A container after an element write: the element joins what it held."""
    if container.kind not in (SEQ, MAP):
        # What an unknown container already held is unknown.
        return Val(SEQ, elem=join(OPAQUE_VAL, val))
    elem = val if container.elem is None else join(container.elem, val)
    kind = container.kind
    return Val(kind, elem=elem, items=container.items if kind == MAP else ())


def read_names(body: Sequence[ast.stmt]) -> frozenset[str]:
    """Names this body reads in its own scope (lambdas and comprehensions
    included; nested function and class bodies excluded: they have their
    own flows)."""
    names: set[str] = set()
    stack: list[ast.AST] = list(body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Name):
            if not isinstance(node.ctx, ast.Store):
                names.add(node.id)
            continue
        if isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        for field, value in ast.iter_fields(node):
            if field == "body" and isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                continue
            if isinstance(value, list):
                stack.extend(v for v in value if isinstance(v, ast.AST))
            elif isinstance(value, ast.AST):
                stack.append(value)
    return frozenset(names)


class Dependencies:
    """What the values of one body's names are computed from, read once per
    body: a flow asked about a few names interprets only the assignments
    that can change them (``FunctionFlow``'s ``wanted``).

    A name depends on every name its assignments (and the mutating method
    calls on it, ``parts.append(x)``) read, the assignment's target included
    (``d[k] = v``, ``n += 1``).  Names read by ``if`` tests are always
    followed: a test that folds to a constant decides which branches run,
    and a guard cleans the names it checks.
    """

    def __init__(self, body: Sequence[ast.stmt]) -> None:
        from flake8_secure.analysis.names import scope_statements

        self.on: dict[str, set[str]] = {}
        # By the id of an assignment (a for loop, a with item's target):
        # the names it binds (the first name of a dotted or subscripted target).
        self.binds: dict[int, frozenset[str]] = {}
        self.tests: set[str] = set()
        # Every name a flow of the body can hold (its parameters aside).
        self.bound: set[str] = set()
        for stmt in scope_statements(body):
            if isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
                if stmt.value is not None:
                    self._depend(id(stmt), stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target],
                                 stmt.value)
            elif isinstance(stmt, (ast.For, ast.AsyncFor)):
                self._depend(id(stmt), [stmt.target], stmt.iter)
            elif isinstance(stmt, (ast.With, ast.AsyncWith)):
                for item in stmt.items:
                    if item.optional_vars is not None:
                        self._depend(id(item.optional_vars), [item.optional_vars], item.context_expr)
            elif isinstance(stmt, ast.Expr):
                call = stmt.value
                if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute):
                    base = _first_name(call.func.value)
                    if base is not None:
                        self.on.setdefault(base, set()).update(names_in(call))
            elif isinstance(stmt, ast.If):
                self.tests.update(names_in(stmt.test))
            elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                self.bound.add(stmt.name)
            elif isinstance(stmt, _TRY_TYPES):
                self.bound.update(h.name for h in stmt.handlers if h.name)  # type: ignore[attr-defined]

    def _depend(self, key: int, targets: Sequence[ast.expr], value: ast.expr) -> None:
        read = names_in(value)
        bases: set[str] = set()
        for target in targets:
            read |= names_in(target)
            _target_names(target, bases)
        for base in bases:
            self.on.setdefault(base, set()).update(read)
        self.binds[key] = frozenset(bases)
        self.bound |= bases

    def closure(self, names: Iterable[str]) -> frozenset[str]:
        """``names``, the names of the ``if`` tests, and all they depend on."""
        found = set(names) | self.tests
        stack = list(found)
        on = self.on
        while stack:
            for name in on.get(stack.pop(), ()):
                if name not in found:
                    found.add(name)
                    stack.append(name)
        return frozenset(found)


def names_in(node: ast.AST) -> set[str]:
    """Every name read or written in ``node`` (lambdas and comprehensions included)."""
    name_type = ast.Name
    return {n.id for n in descendants(node) if type(n) is name_type}


def _first_name(node: ast.AST) -> str | None:
    """``self`` of ``self.parts[0].items``: the name a dotted or subscripted target starts from."""
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _target_names(target: ast.AST, into: set[str]) -> None:
    if isinstance(target, (ast.Tuple, ast.List)):
        for elt in target.elts:
            _target_names(elt, into)
    elif isinstance(target, ast.Starred):
        _target_names(target.value, into)
    else:
        first = _first_name(target)
        if first is not None:
            into.add(first)


_TRY_TYPES: tuple[type[ast.stmt], ...] = (ast.Try, ast.TryStar) if hasattr(ast, "TryStar") else (ast.Try,)


class FunctionFlow:
    """Environments before each statement of one function or module body.

    Only names the body reads are kept in its environments: a module of
    50,000 assignments read nowhere would otherwise copy an ever larger
    environment at every statement (quadratic time and memory).  Given
    ``wanted`` names (those a question reads), only they and what they
    depend on (``Dependencies``) are kept, and assignments to other names
    are not evaluated at all: their values could not change the answer.
    Such a slice leaves ``returned`` unset: what a body returns (a summary)
    takes a flow of every name.
    """

    def __init__(
        self, evaluator: Evaluator, body: Sequence[ast.stmt], initial: Env, deadline: float | None = None,
        wanted: frozenset[str] | None = None, deps: Dependencies | None = None,
    ) -> None:
        self.evaluator = evaluator
        self.before: dict[int, Env] = {}
        self.returned: Val | None = None
        self.deadline = deadline
        self.wanted = wanted
        self._binds: dict[int, frozenset[str]] | None = None
        self._bindable: set[str] | None = None
        if wanted is None:
            self.read = read_names(body)
        else:
            deps = deps if deps is not None else Dependencies(body)
            self.read = deps.closure(wanted)
            self._binds = deps.binds
            self._bindable = deps.bound | {key.partition(".")[0] for key in initial}
        self.exit_env = self._block(body, self._pruned(dict(initial)))

    def tracks(self, names: Iterable[str]) -> bool:
        """Whether the environments hold every name of ``names`` the body can bind."""
        bindable = self._bindable
        return bindable is None or all(name in self.read or name not in bindable for name in names)

    def _skips(self, key: int) -> bool:
        """Whether the assignment ``key`` binds only names nobody asked for."""
        binds = self._binds
        if binds is None:
            return False
        targets = binds.get(key)
        return targets is not None and targets.isdisjoint(self.read)

    def _pruned(self, env: Env) -> Env:
        read = self.read
        for key in [k for k in env if k.partition(".")[0] not in read]:
            del env[key]
        if len(env) > MAX_ENV_NAMES:
            raise AnalysisLimit(f"more than {MAX_ENV_NAMES} names tracked in one body")
        return env

    def env_before(self, stmt: ast.stmt | None) -> Env:
        if stmt is None:
            return {}
        return self.before.get(id(stmt), {})

    # Each method returns the environment after the statements, or None when
    # every path through them ended (return, raise, break, continue).
    def _block(self, body: Iterable[ast.stmt], env: Env | None) -> Env | None:
        for stmt in body:
            if env is None:
                return None
            self._check_deadline()
            prev = self.before.get(id(stmt))
            self.before[id(stmt)] = env if prev is None else _join_env(prev, env)
            env = self._stmt(stmt, dict(env))
            if env is not None:
                self._pruned(env)
        return env

    def _stmt(self, stmt: ast.stmt, env: Env) -> Env | None:
        ev = self.evaluator
        if isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.AugAssign)) and self._skips(id(stmt)):
            return env
        if isinstance(stmt, ast.Assign):
            val = ev.eval(stmt.value, env)
            for target in stmt.targets:
                ev._bind(target, val, env)
        elif isinstance(stmt, ast.AnnAssign):
            if stmt.value is not None:
                ev._bind(stmt.target, ev.eval(stmt.value, env), env)
        elif isinstance(stmt, ast.AugAssign):
            synthetic = ast.BinOp(left=_load(stmt.target), op=stmt.op, right=stmt.value)
            ast.copy_location(synthetic, stmt)
            ev._bind(stmt.target, ev.eval(synthetic, env), env)
        elif isinstance(stmt, ast.Expr):
            if self._ends_path(stmt.value):
                return None
            self._mutation(stmt.value, env)
        elif isinstance(stmt, ast.If):
            return self._if(stmt, env)
        elif isinstance(stmt, ast.Return):
            if stmt.value is not None and self.wanted is None:
                val = ev.eval(stmt.value, env)
                self.returned = val if self.returned is None else join(self.returned, val)
            return None
        elif isinstance(stmt, (ast.For, ast.AsyncFor, ast.While)):
            return self._loop(stmt, env)
        elif isinstance(stmt, (ast.With, ast.AsyncWith)):
            for item in stmt.items:
                if item.optional_vars is not None and not self._skips(id(item.optional_vars)):
                    ev._bind(item.optional_vars, ev.eval(item.context_expr, env), env)
            return self._block(stmt.body, env)
        elif isinstance(stmt, (ast.Raise, ast.Break, ast.Continue)):
            return None
        elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            env[stmt.name] = OPAQUE_VAL
        elif isinstance(stmt, ast.Delete):
            for target in stmt.targets:
                if isinstance(target, ast.Name):
                    env.pop(target.id, None)
        elif isinstance(stmt, (ast.Import, ast.ImportFrom)):
            for alias in stmt.names:
                env.pop((alias.asname or alias.name).split(".")[0], None)
        elif isinstance(stmt, (ast.Try,) + ((ast.TryStar,) if hasattr(ast, "TryStar") else ())):
            return self._try(stmt, env)
        elif type(stmt).__name__ == "Match":
            results = [self._block(case.body, dict(env)) for case in stmt.cases]  # type: ignore[attr-defined]
            results.append(env)  # no case may match
            return _join_list(results)
        return env

    def _if(self, stmt: ast.If, env: Env) -> Env | None:
        """An ``if``/``elif`` chain, in a loop (a chain of thousands of ``elif``
        would otherwise be as deep a Python recursion); branch results are
        joined from the last one back, as nested ``if``/``else`` would be."""
        ev = self.evaluator
        results: list[Env | None] = []
        while True:
            truth = ev.truth(stmt.test, env)
            then_env, other_env = dict(env), dict(env)
            if ev.model is not None:
                ev.model.refine(stmt.test, then_env, True, ev)
                ev.model.refine(stmt.test, other_env, False, ev)
            results.append(self._block(stmt.body, then_env) if truth is not False else None)
            if truth is True:
                results.append(None)
                break
            orelse = stmt.orelse
            if len(orelse) == 1 and isinstance(orelse[0], ast.If):
                stmt = orelse[0]  # elif: what _block would do for the single statement
                self._check_deadline()
                prev = self.before.get(id(stmt))
                self.before[id(stmt)] = other_env if prev is None else _join_env(prev, other_env)
                env = dict(other_env)
                continue
            results.append(self._block(orelse, other_env))
            break
        joined = results.pop()
        while results:
            joined = _join_opt(results.pop(), joined)
        return joined

    def _check_deadline(self) -> None:
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise AnalysisLimit("time limit")

    def _ends_path(self, expr: ast.expr) -> bool:
        """``abort(400)``, ``sys.exit()``: nothing after them runs."""
        if not isinstance(expr, ast.Call):
            return False
        qualified = self.evaluator.names.qualified(expr.func, self.evaluator.scopes) or ""
        return qualified in PATH_ENDERS

    def _mutation(self, expr: ast.expr, env: Env) -> None:
        """``parts.append(x)``, ``parts.extend(xs)``, ``d.update(...)`` and friends."""
        if not (isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute)):
            return
        container = dotted_name(expr.func.value)
        if container is None or container not in env:
            return
        method = expr.func.attr
        old = env[container]
        ev = self.evaluator
        if method in ("append", "add") and expr.args:
            env[container] = _with_element(old, ev.eval(expr.args[0], env))
        elif method == "insert" and len(expr.args) == 2:
            env[container] = _with_element(old, ev.eval(expr.args[1], env))
        elif method == "extend" and expr.args:
            env[container] = _with_element(old, ev._element(expr.args[0], env, 0))
        elif method == "update":
            for arg in expr.args:
                env[container] = _with_element(env[container], ev._element(arg, env, 0))
            for kw in expr.keywords:
                env[container] = _with_element(env[container], ev.eval(kw.value, env))
        elif method in ("clear",):
            env[container] = replace(old, elem=None, items=())

    def _loop(self, stmt: ast.For | ast.AsyncFor | ast.While, env: Env) -> Env | None:
        ev = self.evaluator
        entry = env
        current: Env | None = env
        for _ in range(MAX_LOOP_PASSES):
            body_env = dict(current or entry)
            if isinstance(stmt, (ast.For, ast.AsyncFor)) and not self._skips(id(stmt)):
                ev._bind(stmt.target, ev._element(stmt.iter, body_env, 0), body_env)
            after = self._block(stmt.body, body_env)
            # break/continue end the body early: what they saw is conservatively
            # approximated by the environment at the start of the pass.
            after = _join_opt(after, body_env) if _has_jump(stmt.body) else after
            current = _join_opt(entry, after)
        exit_env = _join_opt(entry, current)
        return self._block(stmt.orelse, exit_env) if stmt.orelse else exit_env

    def _try(self, stmt: ast.stmt, env: Env) -> Env | None:
        body = self._block(stmt.body, dict(env))  # type: ignore[attr-defined]
        # A handler may start after any statement of the body: start it from
        # the join of the entry and the body's end.
        start = _join_opt(env, body) or env
        results = [self._block(stmt.orelse, dict(body)) if body is not None else None]  # type: ignore[attr-defined]
        for handler in stmt.handlers:  # type: ignore[attr-defined]
            h_env = dict(start)
            if handler.name:
                model = self.evaluator.model
                h_env[handler.name] = model.caught(handler) if model is not None else OPAQUE_VAL
            results.append(self._block(handler.body, h_env))
        after = _join_list(results)
        if stmt.finalbody:  # type: ignore[attr-defined]
            final = self._block(stmt.finalbody, dict(after or start))  # type: ignore[attr-defined]
            return final if after is not None else None
        return after


def _fixed_arity(func: FunctionNode, call: ast.Call) -> bool:
    """Every argument of ``call`` lands on a named parameter of ``func`` (no
    ``*args``/``**kwargs`` on either side), so a summary sees all of them."""
    return (func.args.vararg is None and func.args.kwarg is None
            and not any(isinstance(a, ast.Starred) for a in call.args)
            and all(kw.arg is not None for kw in call.keywords))


def _has_jump(body: Sequence[ast.stmt]) -> bool:
    from flake8_secure.analysis.names import scope_statements

    return any(isinstance(s, (ast.Break, ast.Continue)) for s in scope_statements(body))


def _load(target: ast.expr) -> ast.expr:
    if isinstance(target, ast.Name):
        return ast.copy_location(ast.Name(id=target.id, ctx=ast.Load()), target)
    if isinstance(target, ast.Attribute):
        return ast.copy_location(ast.Attribute(value=target.value, attr=target.attr, ctx=ast.Load()), target)
    if isinstance(target, ast.Subscript):
        return ast.copy_location(ast.Subscript(value=target.value, slice=target.slice, ctx=ast.Load()), target)
    return target


def _join_env(a: Env, b: Env) -> Env:
    if a is b:
        return a
    out: Env = {}
    for key, val in a.items():
        other = b.get(key)
        # Bound on one path only: unknown on the other.  A name no branch
        # rebinds holds the very same value on both (most of them).
        out[key] = val if other is val else join(val, OPAQUE_VAL if other is None else other)
    for key, other in b.items():
        if key not in a:
            out[key] = join(OPAQUE_VAL, other)
    return out


def _join_opt(a: Env | None, b: Env | None) -> Env | None:
    if a is None:
        return b
    if b is None:
        return a
    return _join_env(a, b)


def _join_list(envs: list[Env | None]) -> Env | None:
    result: Env | None = None
    for env in envs:
        result = _join_opt(result, env)
    return result


def parameter_env(func: ast.AST) -> Env:
    """Initial environment: parameters annotated with number types are numbers."""
    env: Env = {}
    args = getattr(func, "args", None)
    if not isinstance(args, ast.arguments):
        return env
    for a in args.posonlyargs + args.args + args.kwonlyargs:
        ann = a.annotation
        name = dotted_name(ann) if ann is not None else None
        if name in NUMBER_TYPES:
            env[a.arg] = NUM_VAL
    return env


__all__ = [
    "AnalysisLimit", "Dependencies", "Evaluator", "FunctionFlow", "child_blocks", "local_names", "names_in",
    "parameter_env",
]
