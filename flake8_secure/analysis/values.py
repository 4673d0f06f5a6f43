"""Abstract values for tracking how strings are built.

A ``Val`` says what is known of an expression's value: its exact possible
values when it is constant, the constant text fragments it contains, and the
parts inserted into it that are not proven safe (``unsafe``), with the
building step that inserted the first of them.  Numbers, quoted identifiers
and placeholder lists are safe parts: they can never change the structure of
a query.  This is the seed of the taint engine: today a part is "unsafe"
when it is not proven constant; the taint engine will add where it came from.
"""

from __future__ import annotations

import ast
import os.path
from dataclasses import dataclass, field, replace

MAX_CONSTS = 8
MAX_TEXT = 4000
MAX_PARTS = 8

STR = "str"  # a string (constant, or built: see consts/unsafe)
NUM = "num"  # a number or bool: safe to insert anywhere
SEQ = "seq"  # list/tuple/set: ``elem`` joins the elements
MAP = "map"  # dict: ``items`` by constant key, ``elem`` joins all values
QUOTER = "quoter"  # a function that quotes identifiers/values (``qn = ops.quote_name``)
SAFE_OBJ = "safe"  # an object whose text is safe by construction (psycopg sql.SQL)
OPAQUE = "opaque"  # nothing known


@dataclass(frozen=True)
class Part:
    """A non-constant piece inserted into a string."""

    line: int
    col: int
    label: str  # the source text of the inserted expression
    # Set when only astroid could decide this part (inference was deferred
    # while tracking values): a rule about to report may still prove it constant.
    node: ast.AST | None = field(default=None, compare=False, hash=False)


ALL = "*"  # the sanitizer category of type conversions and allow-lists: cleans every rule
# The category of exception details (SEC020).  Sources of this kind are live
# only for it, and request data is never live for it: the two families of
# taint rules share the engine without seeing each other's sources.
EXCEPTION = "exception"


@dataclass(frozen=True)
class Source:
    """Where attacker-controlled data entered: ``request.args["host"]`` on line 41.

    ``cleaned`` holds the sanitizer categories already applied on the way
    (``shlex.quote`` -> ``command``); ``param`` marks the placeholder taint a
    function summary gives its parameters (live for every category, so that
    wrappers are found for both kinds).  ``exception`` marks the details of a
    caught exception (``except ... as e``, ``traceback.format_exc()``) rather
    than request data: live only for the ``EXCEPTION`` category.
    """

    label: str
    line: int
    cleaned: frozenset[str] = frozenset()
    param: int | None = None
    exception: bool = False

    def live_for(self, category: str) -> bool:
        if self.param is None and self.exception != (category == EXCEPTION):
            return False
        return ALL not in self.cleaned and category not in self.cleaned

    def clean(self, categories: frozenset[str]) -> Source:
        return replace(self, cleaned=self.cleaned | categories)


@dataclass(frozen=True)
class Step:
    """How a string was built: the operation and the line where it happened."""

    op: str
    line: int


@dataclass(frozen=True)
class Val:
    kind: str = OPAQUE
    consts: tuple[object, ...] | None = None
    text: str = ""
    unsafe: tuple[Part, ...] = ()
    step: Step | None = None
    elem: Val | None = None
    items: tuple[tuple[object, Val], ...] = field(default=())
    # For objects returned by a call: the qualified name of the callee
    # (``sqlite3.connect.cursor``), so rules can tell what a receiver is.
    origin: str | None = None
    # The origins of the call results this value was built from (through
    # string building, number conversion, arithmetic, branches, methods on
    # them): ``f"{random.randint(0, 9):d}"`` is derived from ``random.randint``.
    derived: tuple[str, ...] = ()
    # Unknown only because astroid inference was deferred (see Part.node).
    deferred: bool = False
    # Request data that reaches this value (the taint engine's sources).
    taint: tuple[Source, ...] = ()
    # Constant text a built (non-constant) string is known to start with:
    # ``f"https://api.example.com/{x}"`` starts with "https://api.example.com/".
    prefix: str = ""

    def all_taint(self) -> tuple[Source, ...]:
        """Taint of the value and of anything it contains."""
        found = list(self.taint)
        for inner in ([self.elem] if self.elem else []) + [v for _, v in self.items]:
            found.extend(s for s in inner.all_taint() if s not in found)
        return tuple(found[:MAX_PARTS])

    def known_prefix(self) -> str:
        """The constant text every possible value starts with ("" if unknown)."""
        if self.consts is not None and len(self.consts) == 1 and isinstance(self.consts[0], str):
            return self.consts[0]
        return self.prefix

    def live_taint(self, category: str) -> tuple[Source, ...]:
        return tuple(s for s in self.all_taint() if s.live_for(category))

    def cleaned(self, categories: frozenset[str]) -> Val:
        """This value after a sanitizer for ``categories``."""
        if not categories:
            return self
        return replace(
            self,
            taint=tuple(s.clean(categories) for s in self.taint),
            elem=self.elem.cleaned(categories) if self.elem else None,
            items=tuple((k, v.cleaned(categories)) for k, v in self.items),
        )

    @property
    def is_constant(self) -> bool:
        return self.consts is not None

    @property
    def is_safe(self) -> bool:
        """Proven not to carry arbitrary text: constant, number or quoted."""
        return self.kind in (NUM, SAFE_OBJ) or (self.kind == STR and not self.unsafe)

    def item(self, key: object) -> Val:
        for k, v in self.items:
            if k == key:
                return v
        return self.elem or OPAQUE_VAL


def provenance(val: Val) -> tuple[str, ...]:
    """Every call this value came from: its own origin, what it was built
    from, and for a container what its elements came from."""
    own = ((val.origin,) + val.derived)[:MAX_PARTS] if val.origin else val.derived
    if val.elem is not None and val.kind in (SEQ, MAP):
        return merge_derived(own, provenance(val.elem))
    return own


def merge_derived(*groups: tuple[str, ...]) -> tuple[str, ...]:
    out: list[str] = []
    for group in groups:
        out.extend(g for g in group if g not in out)
    return tuple(out[:MAX_PARTS])


def derived_from(val: Val, *sources: Val) -> Val:
    """``val`` marked as built from ``sources`` (a no-op when they carry nothing)."""
    extra = merge_derived(val.derived, *(provenance(s) for s in sources))
    return val if extra == val.derived else replace(val, derived=extra)


OPAQUE_VAL = Val()
DEFERRED_VAL = Val(deferred=True)
NUM_VAL = Val(NUM)
SAFE_STR = Val(STR)


def const_val(value: object) -> Val:
    """The abstract value of a Python constant."""
    if isinstance(value, (bool, int, float, complex)) or value is None:
        return Val(NUM, consts=(value,))
    if isinstance(value, (str, bytes)):
        text = value if isinstance(value, str) else value.decode("latin-1")
        return Val(STR, consts=(value,), text=text[:MAX_TEXT])
    if isinstance(value, (tuple, list, frozenset, set)):
        elems = [const_val(v) for v in value]
        return Val(SEQ, consts=(value,), elem=join_all(elems) if elems else None)
    return OPAQUE_VAL


def _union(a: tuple[object, ...] | None, b: tuple[object, ...] | None) -> tuple[object, ...] | None:
    if a is None or b is None:
        return None
    merged = a + tuple(v for v in b if v not in a)
    return merged if len(merged) <= MAX_CONSTS else None


def _parts(a: tuple[Part, ...], b: tuple[Part, ...]) -> tuple[Part, ...]:
    return (a + tuple(p for p in b if p not in a))[:MAX_PARTS]


def join(a: Val, b: Val) -> Val:
    """Either value may flow here (branches, loop iterations, list elements)."""
    if a is b or a == b:
        return a
    kind = a.kind if a.kind == b.kind else OPAQUE
    if kind == OPAQUE and a.is_safe and b.is_safe:
        kind = STR  # a number on one path, a constant string on the other: still safe
    text = a.text if a.text == b.text else (a.text + " " + b.text)[:MAX_TEXT]
    elem = a.elem if b.elem is None else b.elem if a.elem is None else join(a.elem, b.elem)
    items: tuple[tuple[object, Val], ...] = ()
    if a.items and b.items:
        keys = [k for k, _ in a.items if any(k == k2 for k2, _ in b.items)]
        items = tuple((k, join(a.item(k), b.item(k))) for k in keys)
    origin = a.origin if a.origin == b.origin else None
    # An origin lost to the join is still where the value may come from.
    derived = merge_derived(a.derived, b.derived, () if origin else provenance(a) + provenance(b))
    return Val(
        kind,
        consts=_union(a.consts, b.consts) if kind != OPAQUE else None,
        text=text,
        unsafe=_parts(a.unsafe, b.unsafe),
        step=a.step or b.step,
        elem=elem,
        items=items,
        origin=origin,
        derived=derived,
        taint=merge_taint(a.taint, b.taint),
        prefix=os.path.commonprefix([a.known_prefix(), b.known_prefix()]),
    )


def merge_taint(a: tuple[Source, ...], b: tuple[Source, ...]) -> tuple[Source, ...]:
    if not b:
        return a
    if not a:
        return b
    return (a + tuple(s for s in b if s not in a))[:MAX_PARTS]


def join_all(vals: list[Val]) -> Val:
    result = vals[0]
    for v in vals[1:]:
        result = join(result, v)
    return result


def label_of(node: ast.AST) -> str:
    try:
        text = ast.unparse(node)
    except Exception:  # unparse of odd synthetic nodes: a label is only cosmetic
        text = type(node).__name__
    return text if len(text) <= 40 else text[:37] + "..."


def inserted(val: Val, node: ast.AST) -> Val:
    """What inserting ``val`` into a string contributes: its text and unsafe parts.

    An opaque value that carries no parts of its own becomes an unsafe part
    at the place it is inserted.
    """
    taint = val.all_taint()
    derived = provenance(val)
    if val.is_safe:
        if val.kind == STR:
            return replace(val, kind=STR, taint=taint, derived=derived)
        return Val(STR, text="", taint=taint, derived=derived)
    if val.kind == SEQ and val.elem is not None:
        derived = merge_derived(derived, provenance(val.elem))
        if val.elem.is_safe:
            return Val(STR, text=val.elem.text, taint=taint, derived=derived)
    if val.unsafe:
        return Val(STR, text=val.text, unsafe=val.unsafe, step=val.step, taint=taint, prefix=val.known_prefix(),
                   derived=derived)
    part = Part(getattr(node, "lineno", 0), getattr(node, "col_offset", 0), label_of(node),
                node if val.deferred else None)
    return Val(STR, text=val.text, unsafe=(part,), taint=taint, derived=derived)


def concat(pieces: list[Val], op: str, line: int) -> Val:
    """Concatenate inserted pieces; record ``op`` as the step if it adds unsafe parts."""
    text = "".join(p.text for p in pieces)[:MAX_TEXT]
    unsafe: tuple[Part, ...] = ()
    taint: tuple[Source, ...] = ()
    step = None
    derived = merge_derived(*(p.derived for p in pieces))
    for p in pieces:
        unsafe = _parts(unsafe, p.unsafe)
        taint = merge_taint(taint, p.taint)
        step = step or p.step
    if unsafe and step is None:
        step = Step(op, line)
    consts = None
    if all(p.consts is not None and len(p.consts) == 1 and isinstance(p.consts[0], str) for p in pieces):
        consts = ("".join(str(p.consts[0]) for p in pieces if p.consts),)
    return Val(STR, consts=consts, text=text, unsafe=unsafe, step=step, taint=taint, prefix=_prefix(pieces),
               derived=derived)


def _prefix(pieces: list[Val]) -> str:
    """The constant text at the start of the concatenation of ``pieces``."""
    prefix = ""
    for p in pieces:
        if p.consts is not None and len(p.consts) == 1 and isinstance(p.consts[0], str):
            prefix += p.consts[0]
            if len(prefix) >= MAX_TEXT:
                break
            continue
        prefix += p.known_prefix()
        break
    return prefix[:MAX_TEXT]
