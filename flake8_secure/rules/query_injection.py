"""SEC003-SEC005: request data in NoSQL filters, XPath expressions and LDAP searches."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator

from flake8_secure.analysis import payload
from flake8_secure.analysis.context import ModuleContext
from flake8_secure.analysis.frameworks import queries as q
from flake8_secure.analysis.frameworks.sinks import Sink, arguments
from flake8_secure.analysis.values import MAP, SEQ, STR, Source, Val, label_of
from flake8_secure.registry import Finding, Severity, last_names, register
from flake8_secure.rules.taint_base import TaintRule

_OPTIONS = ("--secure-extra-sources", "--secure-extra-sanitizers", "--secure-extra-sinks")
MAX_NESTING = 6


def imports_any(ctx: ModuleContext, modules: Iterable[str]) -> bool:
    """Whether the module imports one of ``modules`` (by top-level package or dotted prefix)."""
    wanted = tuple(modules)
    return any(
        name.split(".")[0] in wanted or name.startswith(tuple(m + "." for m in wanted))
        for name in ctx.names.module_imports().values()
    )


def spec_arguments(node: ast.Call, spec: tuple[int | str, ...]) -> Iterator[ast.expr]:
    return arguments(node, Sink("", spec))


def code_operator_taint(val: Val, category: str, depth: int = 0) -> tuple[str, Source] | None:
    """Request text anywhere under ``$where``/``$function``/... of a filter."""
    if depth > MAX_NESTING:
        return None
    for key, item in val.items:
        if key in q.MONGO_CODE_OPERATORS:
            live = item.live_taint(category)
            if live:
                return str(key), live[0]
        found = code_operator_taint(item, category, depth + 1)
        if found:
            return found
    if val.elem is not None and val.kind in (MAP, SEQ):
        return code_operator_taint(val.elem, category, depth + 1)
    return None


def structured_value(val: Val, category: str, depth: int = 0) -> Source | None:
    """A value inside a filter that the client may have sent as an object
    (``{"$ne": null}``): a JSON value or a whole payload, still live."""
    if depth > MAX_NESTING:
        return None
    if payload.may_be_structured(val) or payload.is_payload(val):
        live = val.live_taint(category)
        return live[0] if live else None
    for _, item in val.items:
        found = structured_value(item, category, depth + 1)
        if found:
            return found
    if val.elem is not None and val.kind in (MAP, SEQ):
        return structured_value(val.elem, category, depth + 1)
    return None


@register
class NoSqlInjection(TaintRule):
    """## What it does
    Flags request data that shapes a MongoDB query (pymongo, motor,
    Flask-PyMongo): a whole request payload, or a value read from a JSON
    body, used as the filter of `find`, `find_one`, `update_one`,
    `delete_many`, `count_documents`, `aggregate`... or as a value inside
    it; and request text anywhere under `$where`, `$function`,
    `$accumulator` or `$expr`.

    ## Why is this bad?
    A JSON body can hold objects, not only strings: `{"password": {"$ne":
    null}}` turns an equality test into "any password" and logs the
    attacker in; a filter taken whole from the request lets the client
    query any field.  `$where` and `$function` run JavaScript on the
    server, so text from the request there is code injection.

    ## Example
    ```python
    from flask import Flask, request
    from pymongo import MongoClient

    app = Flask(__name__)
    users = MongoClient().app.users

    @app.post("/login")
    def login():
        body = request.get_json()
        user = users.find_one({"name": body["name"], "password": body["password"]})
        return {"ok": user is not None}
    ```

    ## Use instead
    ```python
    from flask import Flask, request
    from pymongo import MongoClient

    app = Flask(__name__)
    users = MongoClient().app.users

    @app.post("/login")
    def login():
        body = request.get_json()
        user = users.find_one({"name": str(body["name"]), "password": str(body["password"])})
        return {"ok": user is not None}
    ```

    Values the client cannot send as objects are accepted: query-string and
    form fields (always strings), `str()`, `int()`, `bool()`, `ObjectId()`,
    fields of a Pydantic model typed `str`/`int`/..., and allow-list
    checks.  Under `$where` and friends only constants are accepted.

    ## Options
    `--secure-extra-sources`, `--secure-extra-sanitizers`, `--secure-extra-sinks`.

    ## Known limitations
    `find`, `find_one`, `distinct` and `aggregate` with a filter that is not
    a dict literal count only when the module imports a MongoDB library or
    the receiver is named like a collection (`db.users_collection`,
    `mongo.db.users` does not qualify by name alone); ODMs (MongoEngine
    `objects(__raw__=...)`, Beanie) are not modelled.

    ## References
    - [CWE-943: Improper Neutralization of Special Elements in Data Query Logic](https://cwe.mitre.org/data/definitions/943.html)
    - [OWASP: Testing for NoSQL Injection](https://owasp.org/www-project-web-security-testing-guide/latest/4-Web_Application_Security_Testing/07-Input_Validation_Testing/05.6-Testing_for_NoSQL_Injection)
    - [MongoDB: $where](https://www.mongodb.com/docs/manual/reference/operator/query/where/)
    """

    code = "SEC003"
    call_names = frozenset(q.MONGO_FILTER_ARGS)  # its own filter checks; sinks pass the taint gate
    name = "nosql-injection"
    category = "nosql"
    fix = "pass only typed values (str(), int(), ObjectId(), a validated model) in filters"
    cwe = (943,)
    severity = Severity.HIGH
    options = _OPTIONS

    def check(self, node: ast.Call, ctx: ModuleContext) -> Iterator[Finding]:
        func = node.func
        if not isinstance(func, ast.Attribute) or func.attr not in q.MONGO_FILTER_ARGS:
            return
        if not ctx.may_taint(self.category):
            return
        position, keyword = q.MONGO_FILTER_ARGS[func.attr]
        arg = next(spec_arguments(node, (position, keyword)), None)
        if arg is None or ctx.value(func.value).kind == STR:
            return
        val = ctx.value(arg)
        if not val.live_taint(self.category):
            return
        sink = f"{label_of(func)}()"
        code = code_operator_taint(val, self.category)
        if code is not None:
            key, src = code
            yield self.finding(node, source=src.label, line=src.line, sink=f"{key} in {sink}", where="",
                               fix="never put request data in server-side JavaScript; use query operators")
            return
        found = structured_value(val, self.category)
        if found is None:
            return
        literal = val.kind == MAP
        if not literal and func.attr in q.MONGO_AMBIGUOUS and not self._mongo_receiver(func.value, ctx):
            return
        yield self.finding(node, source=found.label, line=found.line, sink=f"the filter of {sink}", where="",
                           fix=self.fix)

    @staticmethod
    def _mongo_receiver(receiver: ast.expr, ctx: ModuleContext) -> bool:
        if imports_any(ctx, q.MONGO_MODULES):
            return True
        chain = ctx.names.chain(receiver) or ""
        return bool(q.MONGO_RECEIVER.search(chain.rsplit(".", 1)[-1]))


@register
class XPathInjection(TaintRule):
    """## What it does
    Flags XPath expressions built from request data: the expression of
    lxml `xpath()`, `etree.XPath()`/`ETXPath()`, and of ElementTree
    `find`/`findall`/`findtext`/`iterfind` on a tree or element.

    ## Why is this bad?
    Text spliced into an XPath expression can change it:
    `' or '1'='1` selects every node, which turns a lookup of one user's
    record into a dump of all of them, or an authentication check into a
    pass.

    ## Example
    ```python
    from flask import Flask, request
    from lxml import etree

    app = Flask(__name__)
    DOC = etree.parse("users.xml")

    @app.route("/user")
    def user():
        name = request.args["name"]
        return str(DOC.xpath(f"//user[@name='{name}']/email/text()"))
    ```

    ## Use instead
    ```python
    from flask import Flask, request
    from lxml import etree

    app = Flask(__name__)
    DOC = etree.parse("users.xml")

    @app.route("/user")
    def user():
        return str(DOC.xpath("//user[@name=$name]/email/text()", name=request.args["name"]))
    ```

    XPath variables (`xpath(expr, name=value)`, `XPath(expr)(doc,
    name=value)`) are never parsed as XPath.  Allow-list checks and
    conversions to numbers are accepted too.

    ## Options
    `--secure-extra-sources`, `--secure-extra-sanitizers`, `--secure-extra-sinks`.

    ## Known limitations
    ElementTree's `find*` methods count only on receivers made by an XML
    library (`ET.parse()`, `ET.fromstring()`, `getroot()`), or in modules
    that import one and no MongoDB library.

    ## References
    - [CWE-643: XPath Injection](https://cwe.mitre.org/data/definitions/643.html)
    - [lxml: XPath variables](https://lxml.de/xpathxslt.html#the-xpath-method)
    - [OWASP: XPath Injection](https://owasp.org/www-community/attacks/XPATH_Injection)
    """

    code = "SEC004"
    call_names = frozenset(q.XPATH_METHODS) | frozenset(q.ETREE_FIND_METHODS) | last_names(q.XPATH_CALLS)
    name = "xpath-injection"
    category = "xpath"
    fix = "pass values as XPath variables (xpath('//a[@x=$v]', v=value))"
    cwe = (643,)
    severity = Severity.HIGH
    options = _OPTIONS

    def check(self, node: ast.Call, ctx: ModuleContext) -> Iterator[Finding]:
        func = node.func
        spec: tuple[int | str, ...] | None = None
        if isinstance(func, ast.Attribute) and func.attr in q.XPATH_METHODS:
            spec = q.XPATH_METHODS[func.attr]
        elif isinstance(func, ast.Attribute) and func.attr in q.ETREE_FIND_METHODS:
            if ctx.may_taint(self.category) and self._xml_receiver(func.value, ctx):
                spec = q.ETREE_FIND_METHODS[func.attr]
        else:
            spec = q.XPATH_CALLS.get(ctx.qualified(func) or "")
        if spec is None:
            yield from super().check(node, ctx)  # wrappers around XPath calls, --secure-extra-sinks
            return
        if not ctx.may_taint(self.category):
            return
        if isinstance(func, ast.Attribute) and ctx.value(func.value).kind == STR:
            return
        for arg in spec_arguments(node, spec):
            live = ctx.value(arg).live_taint(self.category)
            if live:
                yield self.finding(node, source=live[0].label, line=live[0].line,
                                   sink=f"{label_of(func)}()", where="", fix=self.fix)
                return

    @staticmethod
    def _xml_receiver(receiver: ast.expr, ctx: ModuleContext) -> bool:
        if not ctx.imports_package(q.XML_MODULES):
            return False  # no XML library imported anywhere here: an object's find() is a str or list method
        val = ctx.value(receiver)
        if val.kind == STR:
            return False
        made_by = " ".join(filter(None, (val.origin, ctx.names.chain(receiver))))
        if any(module in made_by for module in q.XML_MODULES):
            return True
        return imports_any(ctx, q.XML_MODULES) and not imports_any(ctx, q.MONGO_MODULES | {"bs4"})


@register
class LdapInjection(TaintRule):
    """## What it does
    Flags LDAP search filters and base DNs built from request data: ldap3
    `Connection.search()`/`paged_search()` and python-ldap
    `search`/`search_s`/`search_st`/`search_ext`/`search_ext_s`.

    ## Why is this bad?
    `*)(uid=*))(|(uid=*` in a user name rewrites the filter: a login that
    searches `(&(uid={user})(userPassword={pw}))` then matches any entry,
    and a directory lookup returns every record.

    ## Example
    ```python
    from flask import Flask, request
    from ldap3 import Connection

    app = Flask(__name__)
    conn = Connection("ldap://directory", auto_bind=True)

    @app.route("/people")
    def people():
        uid = request.args["uid"]
        conn.search("ou=people,dc=example,dc=org", f"(uid={uid})")
        return str(conn.entries)
    ```

    ## Use instead
    ```python
    from flask import Flask, request
    from ldap3 import Connection
    from ldap3.utils.conv import escape_filter_chars

    app = Flask(__name__)
    conn = Connection("ldap://directory", auto_bind=True)

    @app.route("/people")
    def people():
        uid = escape_filter_chars(request.args["uid"])
        conn.search("ou=people,dc=example,dc=org", f"(uid={uid})")
        return str(conn.entries)
    ```

    `escape_filter_chars` (ldap3, python-ldap), `escape_dn_chars`,
    `escape_rdn` and `ldap.filter.filter_format` make a value safe;
    allow-list checks and numbers are accepted too.

    ## Options
    `--secure-extra-sources`, `--secure-extra-sanitizers`, `--secure-extra-sinks`.

    ## Known limitations
    `search()` counts only in modules importing an LDAP library (it is
    also `re.search`, Elasticsearch's and many others').

    ## References
    - [CWE-90: LDAP Injection](https://cwe.mitre.org/data/definitions/90.html)
    - [OWASP LDAP Injection Prevention Cheat Sheet](https://cheatsheetseries.owasp.org/cheatsheets/LDAP_Injection_Prevention_Cheat_Sheet.html)
    - [ldap3: escape_filter_chars](https://ldap3.readthedocs.io/en/latest/searches.html)
    """

    code = "SEC005"
    call_names = frozenset(q.LDAP_SEARCH_ARGS)
    name = "ldap-injection"
    category = "ldap"
    fix = "escape values with escape_filter_chars()/escape_dn_chars()"
    cwe = (90,)
    severity = Severity.HIGH
    options = _OPTIONS

    def check(self, node: ast.Call, ctx: ModuleContext) -> Iterator[Finding]:
        func = node.func
        if not isinstance(func, ast.Attribute) or func.attr not in q.LDAP_SEARCH_ARGS:
            yield from super().check(node, ctx)
            return
        if not ctx.may_taint(self.category):
            return
        if func.attr in q.LDAP_AMBIGUOUS and not imports_any(ctx, q.LDAP_MODULES):
            return
        qualified = ctx.qualified(func) or ""
        receiver = ctx.value(func.value)
        if qualified.startswith(("re.", "regex.")) or receiver.kind == STR \
                or (receiver.origin or "").startswith(("re.", "regex.")):
            return
        for arg in spec_arguments(node, q.LDAP_SEARCH_ARGS[func.attr]):
            live = ctx.value(arg).live_taint(self.category)
            if live:
                yield self.finding(node, source=live[0].label, line=live[0].line,
                                   sink=f"{label_of(func)}()", where="", fix=self.fix)
                return
