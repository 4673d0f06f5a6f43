"""The single table of rules: one declaration per rule, read by the plugin,
the docs renderer, the tests and (later) the SARIF formatter."""

from __future__ import annotations

import ast
import enum
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from flake8_secure.analysis.context import ModuleContext

CODE_PREFIX = "SEC"

# A finding can name the place where the data it reports on came from (a
# taint rule's source).  flake8 carries only (line, col, text) from a plugin to
# its report formatters, so the location travels at the end of the text, in
# this one fixed form that ``Rule.finding_from`` writes and ``split_source`` reads
# back (the SARIF formatter turns it into relatedLocations/codeFlows).  The
# column is 1-based, as flake8 prints columns.
_SOURCE_MARKER = re.compile(r" \[source: line (?P<line>[1-9][0-9]*), col (?P<col>[1-9][0-9]*)\]$")


@dataclass(frozen=True)
class SourceLocation:
    """Where the data of a finding came from: 1-based line and column."""

    line: int
    column: int


def source_marker(node: ast.AST) -> str:
    """The text suffix naming ``node`` as the source of a finding."""
    line, col = getattr(node, "lineno", 1), getattr(node, "col_offset", 0) + 1
    return f" [source: line {line}, col {col}]"


# Taint rules name their source in the message itself:
# "SEC012 request.args['host'] (line 41) reaches os.system(); ...".
_TAINT_SOURCE = re.compile(r"^SEC\d{3} .+? \(line (?P<line>[1-9][0-9]*)\) reaches ")


def split_source(text: str) -> tuple[str, SourceLocation | None]:
    """A finding's text without its source marker, and the source it names."""
    match = _SOURCE_MARKER.search(text)
    if match is None:
        taint = _TAINT_SOURCE.match(text)
        return text, SourceLocation(int(taint["line"]), 1) if taint else None
    return text[: match.start()], SourceLocation(int(match["line"]), int(match["col"]))


class Severity(enum.Enum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


@dataclass(frozen=True, order=True)
class Finding:
    """One reported problem; ordered by position so output is deterministic."""

    line: int
    col: int
    text: str


class Rule:
    """Base class of every rule.  The class docstring is the rule's doc page."""

    code: ClassVar[str]
    name: ClassVar[str]
    message: ClassVar[str]
    cwe: ClassVar[tuple[int, ...]]
    severity: ClassVar[Severity]
    node_types: ClassVar[tuple[type[ast.AST], ...]]
    default_on: ClassVar[bool] = True
    added_in: ClassVar[str] = "0.1.0"
    options: ClassVar[tuple[str, ...]] = ()
    # Substrings of which at least one must occur in a file's source for the
    # rule to find anything there (a method name, a library name).  Files
    # without any skip the rule before the walk; empty means "always run".
    source_hints: ClassVar[tuple[str, ...]] = ()
    # The same per node type: in a file with none of the substrings given for
    # a type, the rule is not run on nodes of that type (a rule checking
    # every string literal for a credential format needs the format's prefix).
    node_type_hints: ClassVar[dict[type[ast.AST], tuple[str, ...]]] = {}
    # A post-pass rule checks no nodes: it reads the findings of the other
    # rules once the walk is over (``finish``).
    post_pass: ClassVar[bool] = False
    # The last names of the callees for which the rule's ``check`` can report
    # a Call: ``attr`` of ``x.attr(...)``, ``id`` of ``f(...)``, or the name
    # an import alias stands for (``chmod`` for ``from os import chmod as
    # ch``).  The checker skips the rule on every other call.  None: every
    # call (taint rules, and rules reporting on calls found by other means).
    # Derive it from the tables the check reads, with ``last_names``.
    call_names: ClassVar[frozenset[str] | None] = None
    # A rule that also reports calls by a keyword they pass (``password=``),
    # whatever the callee: it runs on the calls named in ``call_names`` and
    # on those with a keyword ``wants_keyword`` accepts.
    keyword_driven: ClassVar[bool] = False
    # The same for Name and Attribute nodes: their ``id``/``attr`` (or the
    # name an imported alias stands for).
    name_ids: ClassVar[frozenset[str] | None] = None
    # A taint rule: besides the calls named in ``call_names`` (its shapes of
    # its own), it runs only on the calls that may be a sink or run one
    # (``TaintModel.could_sink`` for any category), decided once per call for all of them.
    taint_gated: ClassVar[bool] = False
    # A taint rule that reports only request data (not exception details):
    # on a gated call where no value can carry request data (``Seeds``), the
    # checker skips it; its shapes named in ``call_names`` still run.
    needs_request_data: ClassVar[bool] = False

    # A rule whose ``wants`` on an assignment (``ast.Assign``) reads its
    # targets only: it runs only on assignments with a target whose kind and
    # name ``wants_target`` accepts (asked once per kind and name).
    target_driven: ClassVar[bool] = False

    # Node types for which ``wants`` is asked before ``check``.
    prefiltered: ClassVar[frozenset[type[ast.AST]]] = frozenset()

    def check(self, node: Any, ctx: ModuleContext) -> Iterator[Finding]:
        raise NotImplementedError

    def wants(self, node: Any, ctx: ModuleContext) -> bool:
        """A cheap syntax test, asked by the checker before ``check`` on nodes
        of the ``prefiltered`` types: False must mean ``check`` would report
        nothing on the node.  A rule run on every assignment or every call
        skips most of them here, without the cost of running ``check``."""
        return True

    def wants_keyword(self, name: str) -> bool:
        """For a ``keyword_driven`` rule: whether a call passing ``name=`` may
        be reported whatever its callee (asked once per keyword name)."""
        return False

    def wants_target(self, kind: str, name: str) -> bool:
        """For a ``target_driven`` rule: whether an assignment with a target of
        this kind and name may be reported (see ``target_keys``).  False must
        mean ``wants`` is False on every assignment whose targets all have
        keys it refuses."""
        return True

    def finish(self, findings: list[Finding], ctx: ModuleContext) -> Iterator[Finding]:
        """Post-pass rules: findings about the other rules' findings."""
        return iter(())

    def finding(self, node: ast.AST, **fields: object) -> Finding:
        """Format the message; prefix the code and append the first CWE."""
        text = f"{self.code} {self.message.format(**fields)}"
        if self.cwe:
            text += f" (CWE-{self.cwe[0]})"
        return Finding(getattr(node, "lineno", 1), getattr(node, "col_offset", 0), text)

    def finding_from(self, source: ast.AST, node: ast.AST, **fields: object) -> Finding:
        """A finding at ``node`` about data that entered at ``source`` (taint
        rules): the text ends with a source marker that ``split_source`` reads
        back, so report formatters can show where the data came from."""
        found = self.finding(node, **fields)
        return Finding(found.line, found.col, found.text + source_marker(source))


def last_names(*tables: Iterable[str]) -> frozenset[str]:
    """The last components of the dotted names in ``tables``: what a rule's
    ``call_names`` says for a table of qualified callees."""
    return frozenset(name.rsplit(".", 1)[-1] for table in tables for name in table)


# Node types a rule can be keyed on, and the attribute naming its keys.
KEYED_TYPES: dict[type[ast.AST], str] = {ast.Call: "call_names", ast.Name: "name_ids", ast.Attribute: "name_ids"}


class NodeRules:
    """The enabled rules for one keyed node type: those run on every node,
    and, by key (a callee's last name), those run only on nodes with it."""

    def __init__(self, every: tuple[Rule, ...], keyed: dict[str, tuple[Rule, ...]],
                 gated: tuple[Rule, ...] = (), by_keyword: tuple[Rule, ...] = ()) -> None:
        self.every = every
        # Keyword-driven rules (``Rule.keyword_driven``), also run on calls
        # passing a keyword they want (``with_keywords``); per (rules, codes
        # of those wanting a call's keywords), the merged tuple.
        self.by_keyword = by_keyword
        self._keyword_rules: dict[tuple[int, frozenset[str]], tuple[Rule, ...]] = {}
        self._keyword_codes: dict[str, frozenset[str]] = {}  # ``codes_wanting``'s, at hand
        # key -> ``every`` plus the rules keyed on it, in code order.
        self.by_key = {key: _in_code_order((*every, *rules)) for key, rules in keyed.items()}
        # Taint rules, run on the calls the taint gate lets through (``Rule.taint_gated``).
        self.gated = gated
        # The sink categories of the gated rules (``TaintRule.category``):
        # those reporting request data, and the others (exception details).
        self.request_categories = frozenset(_category(r) for r in gated if r.needs_request_data)
        self.exception_categories = frozenset(_category(r) for r in gated if not r.needs_request_data)
        self.gated_categories = self.request_categories | self.exception_categories
        self._merged: dict[tuple[str, ...], tuple[Rule, ...]] = {}
        self._with_gated: dict[tuple[int, bool, bool, frozenset[str] | None], tuple[Rule, ...]] = {}

    def with_gated(self, rules: tuple[Rule, ...], request_data: bool = True, exception_details: bool = True,
                   categories: frozenset[str] | None = None) -> tuple[Rule, ...]:
        """``rules`` (a tuple of this table) plus the gated taint rules that
        can find something at the call: those of the sink ``categories`` it
        may reach (None: any), reporting request data (``Rule.needs_request_data``)
        only if it can be there, the others (exception details) only if they can."""
        key = (id(rules), request_data, exception_details, categories)
        found = self._with_gated.get(key)
        if found is None:
            extra = [r for r in self.gated
                     if (request_data if r.needs_request_data else exception_details)
                     and (categories is None or _category(r) in categories)]
            found = self._with_gated[key] = _in_code_order((*rules, *extra))
        return found

    def with_keywords(self, rules: tuple[Rule, ...], keywords: tuple[str | None, ...]) -> tuple[Rule, ...]:
        """``rules`` (a tuple of this table) plus the keyword-driven rules that
        want one of the ``keywords`` a call passes (None: ``**kwargs``)."""
        codes: frozenset[str] = _NO_CODES
        known = self._keyword_codes
        for keyword in keywords:
            if keyword is not None:
                wanting = known.get(keyword)
                if wanting is None:
                    if len(known) >= MAX_ANSWERS:
                        known.clear()
                    wanting = known[keyword] = codes_wanting("keyword", (keyword,))
                if wanting:
                    codes = codes | wanting if codes else wanting
        if not codes:
            return rules
        key = (id(rules), codes)
        found = self._keyword_rules.get(key)
        if found is None:
            found = self._keyword_rules[key] = _in_code_order(
                (*rules, *(r for r in self.by_keyword if r.code in codes)))
        return found

    def select(self, keys: tuple[str, ...]) -> tuple[Rule, ...]:
        """The rules to run on a node with these keys (an aliased name has two)."""
        found = self._merged.get(keys)
        if found is None:
            found = self._merged[keys] = _in_code_order(
                (*self.every, *(r for key in keys for r in self.by_key.get(key, ()))))
        return found


def target_keys(target: ast.expr, aliases: dict[str, tuple[str, ...]]) -> list[tuple[str, str]]:
    """What a ``target_driven`` rule is told of an assignment target:
    ``("name", "x")`` for ``x = ...``; ``("attr", "x")`` for ``obj.x = ...``;
    ``("item", "k")`` for ``d["k"] = ...`` (``""``: the key is no string
    literal); for these two, ``("base", n)`` for each last name ``n`` the
    object's ``Names.chain`` may end in (calls and subscripts skipped; an
    import alias's name and the name it stands for, as ``aliases``, see
    ``Names.alias_targets``; ``""`` when no name ends it); ``("other", "")``
    for a tuple, list or starred target."""
    kind = type(target)
    if kind is ast.Name:
        return [("name", target.id)]  # type: ignore[attr-defined]
    if kind is ast.Attribute:
        keys = [("attr", target.attr)]  # type: ignore[attr-defined]
    elif kind is ast.Subscript:
        key = target.slice  # type: ignore[attr-defined]
        keys = [("item", key.value if type(key) is ast.Constant and type(key.value) is str else "")]
    else:
        return [("other", "")]
    base = target.value  # type: ignore[attr-defined]
    while True:
        kind = type(base)
        if kind is ast.Attribute:
            keys.append(("base", base.attr))
        elif kind is ast.Name:
            keys.extend(("base", name) for name in aliases.get(base.id, (base.id,)))
        elif kind is ast.Call:
            base = base.func
            continue
        elif kind is ast.Subscript:
            base = base.value
            continue
        else:
            keys.append(("base", ""))
        return keys


class TargetRules:
    """The enabled rules for assignments: those run on every one, and the
    ``target_driven`` ones, run on those with a target they want."""

    MAX_KEYS = 8192  # distinct target names remembered (an editor lints for days)

    def __init__(self, every: tuple[Rule, ...], driven: tuple[Rule, ...]) -> None:
        self.every = every
        self.driven = driven
        # Per set of codes wanting an assignment's targets, ``every`` and
        # those of ``driven`` in code order; per name, the rules for ``name = ...``.
        self._by_codes: dict[frozenset[str], tuple[Rule, ...]] = {}
        self._by_name: dict[str, tuple[Rule, ...]] = {}

    def for_targets(self, targets: list[ast.expr], aliases: dict[str, tuple[str, ...]]) -> tuple[Rule, ...]:
        """The rules to run on an assignment to ``targets``."""
        if len(targets) == 1 and type(targets[0]) is ast.Name:  # most assignments: x = ...
            name = targets[0].id
            found = self._by_name.get(name)
            if found is None:
                if len(self._by_name) >= self.MAX_KEYS:
                    self._by_name.clear()
                found = self._by_name[name] = self._for_codes(codes_wanting("target", ("name", name)))
            return found
        codes: frozenset[str] = _NO_CODES
        for target in targets:
            for key in target_keys(target, aliases):
                wanting = codes_wanting("target", key)
                if wanting:
                    codes = codes | wanting if codes else wanting
        return self._for_codes(codes)

    def _for_codes(self, codes: frozenset[str]) -> tuple[Rule, ...]:
        found = self._by_codes.get(codes)
        if found is None:
            extra = [r for r in self.driven if r.code in codes]
            found = self._by_codes[codes] = _in_code_order((*self.every, *extra)) if extra else self.every
        return found


# What rule classes answer about a name (``wants_target`` of a target key,
# ``wants_keyword`` of a keyword): by question and key, the codes of those
# accepting it.  Answers depend on the key alone and are shared by every
# table (the checker builds one per set of rules a file activates).
_NO_CODES: frozenset[str] = frozenset()
_ANSWERS: dict[tuple[str, tuple[str, ...]], frozenset[str]] = {}
_DISTINCT: dict[frozenset[str], frozenset[str]] = {}
MAX_ANSWERS = 16384
# Per question, an instance of each rule class answering it (defining the
# method), and how many rules were registered when they were listed.
_ASKED: dict[str, tuple[int, tuple[Rule, ...]]] = {}


def codes_wanting(question: str, key: tuple[str, ...]) -> frozenset[str]:
    """The codes of the ``target_driven`` rules whose ``wants_target(*key)``
    holds (``question`` "target"), or of the ``keyword_driven`` ones whose
    ``wants_keyword(*key)`` does ("keyword"), remembered per process."""
    found = _ANSWERS.get((question, key))
    if found is None:
        if len(_ANSWERS) >= MAX_ANSWERS:
            _ANSWERS.clear()
        listed = _ASKED.get(question)
        if listed is None or listed[0] != len(RULES):
            method = "wants_target" if question == "target" else "wants_keyword"
            listed = _ASKED[question] = (len(RULES), tuple(
                cls() for cls in RULES if getattr(cls, method) is not getattr(Rule, method)))
        if question == "target":
            found = frozenset(r.code for r in listed[1] if r.wants_target(*key))
        else:
            found = frozenset(r.code for r in listed[1] if r.wants_keyword(*key))
        # One object per distinct answer: thousands of names share a few,
        # and every frozenset kept is one more for each full collection.
        found = _ANSWERS[(question, key)] = _DISTINCT.setdefault(found, found)
    return found


def forget_answers() -> None:
    """Forget ``codes_wanting``'s answers and rules (a test changed a rule class)."""
    _ANSWERS.clear()
    _ASKED.clear()


def index_by_target(by_type: dict[type[ast.AST], tuple[Rule, ...]]) -> TargetRules | None:
    """The assignment rules of ``by_type`` split as ``TargetRules`` (None: no assignment rule)."""
    rules = by_type.get(ast.Assign)
    if rules is None:
        return None
    return TargetRules(tuple(r for r in rules if not r.target_driven), tuple(r for r in rules if r.target_driven))


def index_by_name(by_type: dict[type[ast.AST], tuple[Rule, ...]]) -> dict[type[ast.AST], NodeRules]:
    """The rules of each keyed node type (``KEYED_TYPES``) indexed by key."""
    table: dict[type[ast.AST], NodeRules] = {}
    for node_type, rules in by_type.items():
        attribute = KEYED_TYPES.get(node_type)
        if attribute is None:
            continue
        every: list[Rule] = []
        keyed: dict[str, list[Rule]] = {}
        gated: list[Rule] = []
        by_keyword: list[Rule] = []
        for rule in rules:
            names: frozenset[str] | None = getattr(rule, attribute)
            if node_type is ast.Call and rule.taint_gated:
                gated.append(rule)
                names = names or frozenset()
            if node_type is ast.Call and rule.keyword_driven:
                by_keyword.append(rule)
                names = names or frozenset()
            if names is None:
                every.append(rule)
            for name in names or ():
                keyed.setdefault(name, []).append(rule)
        table[node_type] = NodeRules(tuple(every), {k: tuple(v) for k, v in keyed.items()}, tuple(gated),
                                     tuple(by_keyword))
    return table


def _category(rule: Rule) -> str:
    """The sink category a gated taint rule reports on."""
    return str(getattr(rule, "category", ""))


def _in_code_order(rules: Iterable[Rule]) -> tuple[Rule, ...]:
    """The rules sorted by code, as one shared tuple per distinct set: the
    tables hold thousands of them (a key's rules, per table), and every
    one kept is one more object for each full collection to visit."""
    found = tuple(sorted(set(rules), key=lambda r: r.code))
    return _DISTINCT_RULES.setdefault(found, found)


_DISTINCT_RULES: dict[tuple[Rule, ...], tuple[Rule, ...]] = {}


class Registry:
    """Rules by code, in code order."""

    def __init__(self) -> None:
        self._rules: dict[str, type[Rule]] = {}

    def add(self, rule: type[Rule]) -> None:
        if rule.code in self._rules:
            raise ValueError(f"duplicate rule code {rule.code}")
        self._rules[rule.code] = rule

    def __iter__(self) -> Iterator[type[Rule]]:
        return iter(sorted(self._rules.values(), key=lambda r: r.code))

    def __len__(self) -> int:
        return len(self._rules)

    def __getitem__(self, code: str) -> type[Rule]:
        return self._rules[code]

    def codes(self) -> list[str]:
        return sorted(self._rules)

    def default_off_codes(self) -> list[str]:
        return [r.code for r in self if not r.default_on]

    def for_node_types(
        self, enabled: frozenset[str]
    ) -> dict[type[ast.AST], tuple[Rule, ...]]:
        """Instances of the enabled rules, grouped by the node types they check."""
        grouped: dict[type[ast.AST], list[Rule]] = {}
        for rule_cls in self:
            if rule_cls.code not in enabled:
                continue
            rule = rule_cls()
            for node_type in rule_cls.node_types:
                grouped.setdefault(node_type, []).append(rule)
        return {t: tuple(rules) for t, rules in grouped.items()}

    def post_passes(self, enabled: frozenset[str]) -> tuple[Rule, ...]:
        """Instances of the enabled post-pass rules, in code order."""
        return tuple(r() for r in self if r.post_pass and r.code in enabled)


RULES = Registry()


def register(rule: type[Rule]) -> type[Rule]:
    """Class decorator adding a rule to the registry."""
    RULES.add(rule)
    return rule


def load_rules() -> Registry:
    """Import every category module so that its rules register themselves."""
    import flake8_secure.rules  # noqa: F401  (import registers the rules)

    return RULES
