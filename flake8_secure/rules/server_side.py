"""SEC017-SEC019: request data the server itself processes unsafely: deserialized,
fetched as a URL, parsed as XML; plus YAML loaders unsafe on their own."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from flake8_secure.analysis.context import ModuleContext
from flake8_secure.analysis.frameworks import unsafe_defaults as defaults
from flake8_secure.registry import Finding, Severity, last_names, register
from flake8_secure.rules.taint_base import TaintRule
from flake8_secure.rules.web_injection import TAINT_OPTIONS, keyword, plain_finding


@register
class UnsafeDeserialization(TaintRule):
    """## What it does
    Flags request data deserialized by a format that can build arbitrary
    objects: `pickle`/`cPickle`/`_pickle`, `marshal`, `shelve.open`, `dill`,
    `cloudpickle`, `jsonpickle.decode`, `pandas.read_pickle`, `joblib.load`,
    and `torch.load` without `weights_only=True`.  Flags `yaml.load` and
    `yaml.load_all` without a safe `Loader`, and `yaml.unsafe_load`, on their
    own: YAML files are data that often comes from outside.

    ## Why is this bad?
    Unpickling calls whatever callables the data names (`os.system` via
    `__reduce__`); PyYAML's default/unsafe loaders do the same with
    `!!python/object/apply`.  Deserializing attacker data is remote code
    execution.

    ## Example
    ```python
    import pickle
    from flask import Flask, request

    app = Flask(__name__)

    @app.route("/restore", methods=["POST"])
    def restore():
        state = pickle.loads(request.get_data())
        return str(state)
    ```

    ## Use instead
    ```python
    import json
    from flask import Flask, request

    app = Flask(__name__)

    @app.route("/restore", methods=["POST"])
    def restore():
        state = json.loads(request.get_data())
        return str(state)
    ```

    For YAML use `yaml.safe_load()` or `Loader=yaml.SafeLoader`
    (`CSafeLoader`, `BaseLoader`); `FullLoader`/`yaml.full_load` are not
    flagged, since PyYAML documents them as avoiding arbitrary code execution.

    ## Options
    `--secure-extra-sources`, `--secure-extra-sanitizers`, `--secure-extra-sinks`.

    ## Known limitations
    `torch.load` defaults to `weights_only=True` from PyTorch 2.6; the rule
    still asks for the argument, as older versions load any pickle.  A
    `Loader` that cannot be resolved (a parameter, a class from another
    module) is not flagged.

    ## References
    - [CWE-502: Deserialization of Untrusted Data](https://cwe.mitre.org/data/definitions/502.html)
    - [pickle: security warning](https://docs.python.org/3/library/pickle.html)
    - [PyYAML: yaml.load(input) deprecation](https://github.com/yaml/pyyaml/wiki/PyYAML-yaml.load(input)-Deprecation)
    - [OWASP Deserialization Cheat Sheet](https://cheatsheetseries.owasp.org/cheatsheets/Deserialization_Cheat_Sheet.html)
    """

    code = "SEC017"
    call_names = last_names(defaults.YAML_UNSAFE_LOADS, defaults.YAML_LOADS)
    name = "unsafe-deserialization"
    category = "deserialization"
    fix = "parse it as JSON (or yaml.safe_load) instead"
    cwe = (502,)
    severity = Severity.CRITICAL
    options = TAINT_OPTIONS

    def check(self, node: ast.Call, ctx: ModuleContext) -> Iterator[Finding]:
        call = ctx.qualified(node.func)
        if call in defaults.YAML_UNSAFE_LOADS:
            yield plain_finding(self, node, f"{call}() builds arbitrary Python objects; use yaml.safe_load()")
            return
        if call in defaults.YAML_LOADS:
            loader = keyword(node, "Loader", 1)
            if loader is None or self._unsafe_loader(loader, ctx):
                how = "without a Loader" if loader is None else f"with Loader={ast.unparse(loader)}"
                yield plain_finding(self, node, f"{call}() {how} can build arbitrary Python objects; "
                                    "use yaml.safe_load() or Loader=yaml.SafeLoader")
            return
        yield from super().check(node, ctx)

    @staticmethod
    def _unsafe_loader(loader: ast.expr, ctx: ModuleContext) -> bool:
        """A loader known to construct Python objects; unknown loaders are not."""
        name = ctx.qualified(loader) or ""
        if name in defaults.UNSAFE_YAML_LOADERS:
            return True
        local = ctx.taint.classes().get(name)
        if local is not None:  # class MyLoader(yaml.Loader): ...
            return any(ctx.qualified(base) in defaults.UNSAFE_YAML_LOADERS for base in local.bases)
        return False


@register
class ServerSideRequestForgery(TaintRule):
    """## What it does
    Flags request data used as the URL (or the scheme and host part of it)
    of an outgoing HTTP request: `requests.*`, `httpx.*`,
    `urllib.request.urlopen`/`Request`, `aiohttp.request`, `urllib3`, and the
    methods of `requests.Session()`, `httpx.Client()`/`AsyncClient()`,
    `aiohttp.ClientSession()` and `urllib3.PoolManager()` objects.

    ## Why is this bad?
    The server fetches whatever the client names: cloud metadata endpoints
    (`http://169.254.169.254/`), admin interfaces on localhost, internal
    services behind the firewall, or `file://` URLs with `urlopen`.

    ## Example
    ```python
    import requests
    from flask import Flask, request

    app = Flask(__name__)

    @app.route("/preview")
    def preview():
        return requests.get(request.args["url"], timeout=5).text
    ```

    ## Use instead
    ```python
    import requests
    from flask import Flask, request

    app = Flask(__name__)

    @app.route("/item")
    def item():
        item_id = request.args["id"]
        return requests.get(f"https://api.example.com/items/{item_id}", timeout=5).text
    ```

    A URL whose scheme and host are constant text, ending in `/`, `?` or `#`
    before the request data, cannot leave that host.  Also safe: an
    allow-list check of the host (`if urlparse(url).hostname not in
    ALLOWED_HOSTS: abort(400)`), of the whole URL, or a `startswith` check
    against a fixed `https://host/`.

    ## Options
    `--secure-extra-sources`, `--secure-extra-sanitizers`, `--secure-extra-sinks`.

    ## Known limitations
    A host check on a separate variable (`host = urlparse(url).hostname`,
    then `if host in ALLOWED`) does not clean `url`; test
    `urlparse(url).hostname in ALLOWED` directly.  Redirects followed by the
    client and DNS rebinding are out of scope.

    ## References
    - [CWE-918: Server-Side Request Forgery](https://cwe.mitre.org/data/definitions/918.html)
    - [OWASP Server-Side Request Forgery Prevention Cheat Sheet](https://cheatsheetseries.owasp.org/cheatsheets/Server_Side_Request_Forgery_Prevention_Cheat_Sheet.html)
    """

    code = "SEC018"
    name = "server-side-request-forgery"
    category = "ssrf"
    fix = "fix the scheme and host in the code, or check the host against an allow-list"
    cwe = (918,)
    severity = Severity.HIGH
    options = TAINT_OPTIONS


@register
class XmlExternalEntities(TaintRule):
    """## What it does
    Flags request data parsed as XML by `xml.etree.ElementTree`,
    `xml.dom.minidom`, `xml.dom.pulldom` or `xml.sax`, or by
    `lxml.etree.fromstring`/`XML`/`parse` with lxml's default parser or a
    parser built without `resolve_entities=False`.

    ## Why is this bad?
    A document with a DTD declares entities: external ones read local files
    (`file:///etc/passwd`) or fetch URLs from inside the network, and nested
    ones expand a few bytes into gigabytes ("billion laughs").  The standard
    library parsers are exposed to entity expansion, lxml (before 5.0) also
    resolves external entities by default.

    ## Example
    ```python
    from flask import Flask, request
    from lxml import etree

    app = Flask(__name__)

    @app.route("/import", methods=["POST"])
    def import_feed():
        root = etree.fromstring(request.get_data())
        return root.tag
    ```

    ## Use instead
    ```python
    import defusedxml.ElementTree as ET
    from flask import Flask, request

    app = Flask(__name__)

    @app.route("/import", methods=["POST"])
    def import_feed():
        root = ET.fromstring(request.get_data())
        return root.tag
    ```

    With lxml, pass a parser that resolves no entities:
    `etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False, no_network=True))`.

    ## Options
    `--secure-extra-sources`, `--secure-extra-sanitizers`, `--secure-extra-sinks`.

    ## Known limitations
    An lxml parser that is a function parameter or comes from another module
    is not judged (no finding).

    ## References
    - [CWE-611: Improper Restriction of XML External Entity Reference](https://cwe.mitre.org/data/definitions/611.html)
    - [Python: XML vulnerabilities](https://docs.python.org/3/library/xml.html#xml-vulnerabilities)
    - [defusedxml](https://pypi.org/project/defusedxml/)
    - [OWASP XML External Entity Prevention Cheat Sheet](https://cheatsheetseries.owasp.org/cheatsheets/XML_External_Entity_Prevention_Cheat_Sheet.html)
    """

    code = "SEC019"
    name = "xml-external-entities"
    category = "xxe"
    fix = "parse it with defusedxml, or an lxml parser with resolve_entities=False"
    cwe = (611,)
    severity = Severity.HIGH
    options = TAINT_OPTIONS
