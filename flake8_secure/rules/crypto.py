"""SEC050-SEC052: password hashing, broken hash algorithms, insecure randomness."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import lru_cache

from flake8_secure.analysis.calls import (
    assigned_values,
    call_arg,
    is_false,
    is_test_path,
    target_name,
    value_names,
)
from flake8_secure.analysis.constants import UNKNOWN
from flake8_secure.analysis.context import ModuleContext
from flake8_secure.analysis.frameworks import crypto as cf
from flake8_secure.analysis.nodes import descendants
from flake8_secure.analysis.values import label_of, provenance
from flake8_secure.registry import Finding, Rule, Severity, last_names, register

# Where each fast hash takes the data to digest: (positional index, keyword).
_DATA_ARG = {"hashlib.new": (1, "data"), "hmac.new": (1, "msg"), "hmac.digest": (1, "msg"), "hmac.HMAC": (1, "msg")}
_STORED_HASH_WORDS = cf.PASSWORD_WORDS | {"hash", "hashed", "digest"}


def mentions_password(expr: ast.expr, ctx: ModuleContext) -> bool:
    """The expression reads a password: by name, or through a local variable
    assigned from one (``pw = form["password"]``)."""
    names = value_names(expr)
    if any(cf.is_password_name(n) for n in names):
        return True
    func = ctx.function()
    if func is None:
        return False
    local = {n.id for n in ast.walk(expr) if isinstance(n, ast.Name)}
    if not local or not _reads_password(func, ctx):
        return False
    return any(cf.is_password_name(n) for name in local for value in assigned_values(func, name)
               for n in value_names(value))


def _reads_password(func: ast.AST, ctx: ModuleContext) -> bool:
    """Whether a function mentions a password at all (remembered per module:
    the one-hop search through its assignments is only worth it then)."""
    key = ("reads password", id(func))
    cached = ctx.memo.get(key)
    if cached is not None:
        return bool(cached)
    found = any(cf.is_password_name(n.id if isinstance(n, ast.Name) else n.attr if isinstance(n, ast.Attribute)
                                    else str(n.value))
                for n in descendants(func)
                if isinstance(n, (ast.Name, ast.Attribute)) or isinstance(n, ast.Constant) and isinstance(n.value, str))
    ctx.memo[key] = found
    return found


def fast_hash(origin: str) -> str | None:
    """The fast hash a value came from: ``hashlib.sha256.hexdigest`` -> ``hashlib.sha256``."""
    parts = origin.split(".")
    for end in range(len(parts), 1, -1):
        prefix = ".".join(parts[:end])
        if prefix in cf.FAST_HASHES:
            return prefix
    return None


@lru_cache(maxsize=4096)  # asked of every keyword of every call
def is_password_store(name: str | None) -> bool:
    """``user.password``, ``password_hash``, ``row["hashed_password"]``."""
    words = cf.name_words(name or "")
    return any(w in cf.PASSWORD_WORDS for w in words) and words[-1] in _STORED_HASH_WORDS


@register
class WeakPasswordHash(Rule):
    """## What it does
    Flags passwords hashed with a fast digest (`hashlib.sha256(password)`,
    `hmac.new(key, password)`, even with `usedforsecurity=False`), a fast
    digest stored into a password field (`user.password = md5(...).hexdigest()`),
    `pbkdf2_hmac` below the OWASP iteration counts (600,000 for SHA-256,
    210,000 for SHA-512, 1,300,000 for SHA-1), `bcrypt.gensalt(rounds < 12)`,
    scrypt with `N*r*p` below `2**14 * 8`, and Django `PASSWORD_HASHERS` led by
    an MD5, SHA-1, unsalted or crypt hasher.

    ## Why is this bad?
    When a password database leaks, attackers guess passwords offline.  A GPU
    computes billions of SHA-256 digests per second, so a fast or weakly tuned
    hash turns most real passwords back into plain text within hours.
    Password hashes must be slow and memory-hard: argon2, bcrypt, scrypt.

    ## Example
    ```python
    import hashlib

    def store_password(user, password):
        user.password_hash = hashlib.sha256(password.encode()).hexdigest()
    ```

    ## Use instead
    ```python
    from argon2 import PasswordHasher

    def store_password(user, password):
        user.password_hash = PasswordHasher().hash(password)
    ```

    ## Options
    None.

    ## Known limitations
    A password is recognised by name (`password`, `passwd`, `pwd`,
    `passphrase`, also as attribute or dictionary key) directly in the hashed
    expression or one local assignment away.  Iteration counts and cost
    parameters are checked only when they are constants.

    ## References
    - [CWE-916: Use of Password Hash With Insufficient Computational Effort](https://cwe.mitre.org/data/definitions/916.html)
    - [OWASP Password Storage Cheat Sheet](https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html)
    - [hashlib: key derivation](https://docs.python.org/3/library/hashlib.html#key-derivation)
    """

    code = "SEC050"
    name = "weak-password-hash"
    message = "{problem}; use argon2, bcrypt or scrypt{fix}"
    cwe = (916,)
    severity = Severity.HIGH
    node_types = (ast.Call, ast.Assign, ast.AnnAssign)
    prefiltered = frozenset({ast.Call, ast.Assign, ast.AnnAssign})
    target_driven = True
    _CALLEES = last_names(cf.FAST_HASHES, cf.PBKDF2_CALLS, cf.SCRYPT_CALLS, (cf.PBKDF2_CLASS, cf.BCRYPT_GENSALT))
    call_names = _CALLEES | {"update"}
    keyword_driven = True

    def wants_keyword(self, name: str) -> bool:
        return is_password_store(name)

    def wants(self, node: ast.AST, ctx: ModuleContext) -> bool:
        """A hash or key-derivation callee, ``.update(...)``, or a password
        store written (a keyword, an assignment target)."""
        if isinstance(node, ast.Call):
            func = node.func
            return ctx.names.may_end_in(func, self._CALLEES) or (
                isinstance(func, ast.Attribute) and func.attr == "update" and bool(node.args)) or any(
                is_password_store(kw.arg) for kw in node.keywords)
        assert isinstance(node, (ast.Assign, ast.AnnAssign))
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        return node.value is not None and any(
            (name := target_name(t)) == "PASSWORD_HASHERS" or is_password_store(name) for t in targets)

    def wants_target(self, kind: str, name: str) -> bool:
        """``target_name``'s kinds."""
        return kind in ("name", "attr", "item") and (name == "PASSWORD_HASHERS" or is_password_store(name))

    def check(self, node: ast.AST, ctx: ModuleContext) -> Iterator[Finding]:
        if isinstance(node, ast.Call):
            yield from self._call(node, ctx)
            return
        assert isinstance(node, (ast.Assign, ast.AnnAssign))
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        if node.value is None:
            return
        names = [target_name(t) for t in targets]
        if "PASSWORD_HASHERS" in names and ctx.function() is None:
            hashers = ctx.value(node.value, infer=True, at=node).consts
            first = hashers[0] if hashers and len(hashers) == 1 else None
            if isinstance(first, (list, tuple)) and first and first[0] in cf.DJANGO_WEAK_HASHERS:
                hasher = str(first[0]).rsplit(".", 1)[-1]
                yield self.finding(node, problem=f"PASSWORD_HASHERS is led by {hasher}", fix="")
            return
        store = next((n for n in names if is_password_store(n)), None)
        if store is not None:
            yield from self._stored(node, node.value, store, ctx)

    def _stored(self, node: ast.AST, value: ast.expr, store: str, ctx: ModuleContext) -> Iterator[Finding]:
        if any(isinstance(n, ast.Call) and self._hashes_password(n, ctx) for n in ast.walk(value)):
            return  # the hash call itself is reported
        at = node if isinstance(node, ast.stmt) else None
        origin = next((h for o in provenance(ctx.value(value, at=at)) if (h := fast_hash(o))), None)
        if origin is not None:
            yield self.finding(node, problem=f"a fast {origin}() digest is stored into `{store}`", fix="")

    def _hashes_password(self, node: ast.Call, ctx: ModuleContext) -> str | None:
        """The fast hash given a password here, or None."""
        call = ctx.qualified(node.func)
        if call in cf.FAST_HASHES:
            index, keyword = _DATA_ARG.get(call, (0, "data"))
            data = call_arg(node, index, keyword) or call_arg(node, None, "string")
        elif isinstance(node.func, ast.Attribute) and node.func.attr == "update" and node.args:
            # dict.update() is everywhere: look at the receiver only for a password.
            data = node.args[0]
            if not mentions_password(data, ctx):
                return None
            receiver = node.func.value
            origin = ctx.names.chain(receiver.func) if isinstance(receiver, ast.Call) else ctx.value(receiver).origin
            return origin if origin in cf.FAST_HASHES else None
        else:
            return None
        return call if data is not None and mentions_password(data, ctx) else None

    def _call(self, node: ast.Call, ctx: ModuleContext) -> Iterator[Finding]:
        hashed = self._hashes_password(node, ctx)
        if hashed:
            yield self.finding(node, problem=f"password hashed with the fast hash {hashed}()", fix="")
            return
        call = ctx.qualified(node.func)
        if call in cf.PBKDF2_CALLS or call == cf.PBKDF2_CLASS:
            yield from self._pbkdf2(node, call, ctx)
        elif call == cf.BCRYPT_GENSALT:
            rounds = ctx.int_value(call_arg(node, 0, "rounds") or ast.Constant(12))
            if rounds is not UNKNOWN and rounds < cf.BCRYPT_MIN_ROUNDS:  # type: ignore[operator]
                yield self.finding(node, problem=f"bcrypt.gensalt() uses {rounds} rounds",
                                   fix=f" (bcrypt with at least {cf.BCRYPT_MIN_ROUNDS} rounds)")
        elif call in cf.SCRYPT_CALLS:
            positional = call != "hashlib.scrypt"
            costs = [ctx.int_value(call_arg(node, i + 2 if positional else None, k) or ast.Constant(None))
                     for i, k in enumerate(cf.SCRYPT_CALLS[call])]
            if all(isinstance(c, int) for c in costs):
                n, r, p = costs
                if n * r * p < cf.SCRYPT_MIN_COST:  # type: ignore[operator]
                    yield self.finding(node, problem=f"scrypt cost N*r*p = {n}*{r}*{p} is too low",
                                       fix=" (scrypt with N*r*p of at least 2**14*8)")
        for kw in node.keywords:
            if is_password_store(kw.arg):
                yield from self._stored(kw.value, kw.value, str(kw.arg), ctx)

    def _pbkdf2(self, node: ast.Call, call: str, ctx: ModuleContext) -> Iterator[Finding]:
        digest: object
        if call == cf.PBKDF2_CLASS:
            algorithm = call_arg(node, 0, "algorithm")
            digest = (ctx.names.chain(algorithm) or "").rsplit(".", 1)[-1] if algorithm is not None else ""
            iterations = call_arg(node, 3, "iterations")
        else:
            digest = ctx.str_value(call_arg(node, 0, "hash_name") or ast.Constant(None))
            iterations = call_arg(node, 3, "iterations")
        count = ctx.int_value(iterations) if iterations is not None else UNKNOWN
        name = digest.lower().replace("-", "") if isinstance(digest, str) else ""
        minimum = cf.PBKDF2_MIN_ITERATIONS.get(name, cf.PBKDF2_DEFAULT_MIN)
        if isinstance(count, int) and count < minimum:
            yield self.finding(node, problem=f"PBKDF2 with {count:,} iterations is below {minimum:,}",
                               fix=f" (or PBKDF2 with at least {minimum:,} iterations)")


@register
class BrokenHashAlgorithm(Rule):
    """## What it does
    Flags MD5 and SHA-1 in every spelling: `hashlib.md5()`, `hashlib.sha1()`,
    `hashlib.new("md5")`, `hashlib.file_digest(f, "sha1")`, pycryptodome
    `Crypto.Hash.MD5.new()`, cryptography `hashes.MD5()`/`hashes.SHA1()`.

    ## Why is this bad?
    Collisions for MD5 and SHA-1 are practical: two different documents,
    certificates or downloads with the same digest can be forged, so a
    signature or integrity check built on them can be bypassed.

    ## Example
    ```python
    import hashlib

    def sign_payload(payload: bytes) -> str:
        return hashlib.sha1(payload).hexdigest()
    ```

    ## Use instead
    ```python
    import hashlib

    def sign_payload(payload: bytes) -> str:
        return hashlib.sha256(payload).hexdigest()

    def cache_key(url: str) -> str:
        return hashlib.md5(url.encode(), usedforsecurity=False).hexdigest()
    ```

    Non-security uses are accepted when they say so: `usedforsecurity=False`,
    a digest assigned to a name, or computed in a function, named like a
    cache key, etag, checksum, fingerprint, name, shard/bucket or another
    lookup key (`template_key`, but not `signing_key`), and a
    truncated digest (`hexdigest()[:8]`, a short identifier).  SHA-1 inside
    RSA OAEP/MGF1/PSS padding is accepted (no collision resistance needed).

    ## Options
    None.

    ## References
    - [CWE-327: Use of a Broken or Risky Cryptographic Algorithm](https://cwe.mitre.org/data/definitions/327.html)
    - [CWE-328: Use of Weak Hash](https://cwe.mitre.org/data/definitions/328.html)
    - [hashlib: usedforsecurity](https://docs.python.org/3/library/hashlib.html#hash-algorithms)
    """

    code = "SEC051"
    name = "broken-hash-algorithm"
    message = "{algorithm} from {call}() is a broken hash; use SHA-256 or better, or pass usedforsecurity=False"
    cwe = (327, 328)
    severity = Severity.MEDIUM
    node_types = (ast.Call,)
    call_names = last_names(cf.BROKEN_HASH_CALLS, cf.HASH_BY_NAME)

    def check(self, node: ast.Call, ctx: ModuleContext) -> Iterator[Finding]:
        call = ctx.qualified(node.func)
        if call is None:
            return
        if call in cf.BROKEN_HASH_CALLS:
            algorithm = call.rsplit(".", 2)[-2 if call.endswith(".new") else -1]
        elif call in cf.HASH_BY_NAME:
            name = ctx.str_value(call_arg(node, *cf.HASH_BY_NAME[call]) or ast.Constant(None))
            if not isinstance(name, str) or name.lower() not in cf.BROKEN_HASH_NAMES:
                return
            algorithm = name
        else:
            return
        if is_false(call_arg(node, None, "usedforsecurity")) or self._non_security(node, ctx):
            return
        yield self.finding(node, algorithm=algorithm.upper().replace("SHA1", "SHA-1"), call=call)

    def _non_security(self, node: ast.Call, ctx: ModuleContext) -> bool:
        stmt = ctx.statement
        names: list[str | None] = []
        if isinstance(stmt, ast.Assign):
            names += [target_name(t) for t in stmt.targets]
        elif isinstance(stmt, (ast.AnnAssign, ast.AugAssign)):
            names.append(target_name(stmt.target))
        func = ctx.function()
        if func is not None:
            names.append(func.name)
        if any(w in cf.NON_SECURITY_WORDS for n in names if n for w in cf.name_words(n)):
            return True
        # A digest made into a lookup key (template_key, dedupe_key), unless a secret key.
        if any(n and cf.name_words(n)[-1:] == ["key"] and not cf.is_secret_name(n) for n in names):
            return True
        if stmt is None:
            return False
        for outer in ast.walk(stmt):
            # A truncated digest (``hexdigest()[:8]``) is a short identifier;
            # SHA-1 inside OAEP/MGF1/PSS padding needs no collision resistance.
            truncated = isinstance(outer, ast.Subscript) and isinstance(outer.slice, ast.Slice)
            if isinstance(outer, ast.Dict) and any(v is node for v in outer.values):
                return True  # a table of algorithms ({OID: hashes.SHA1()}) describes, not uses
            if (truncated or isinstance(outer, ast.Call) and ctx.qualified(outer.func) in cf.HASH_SAFE_WRAPPERS) \
                    and any(n is node for n in ast.walk(outer)):
                return True
        return False


@register
class InsecureRandomForSecret(Rule):
    """## What it does
    Flags values produced by the `random` module (module functions and
    `random.Random()` instances: `choice`, `choices`, `sample`, `randint`,
    `getrandbits`, `randbytes`, ...), numpy's random generators or
    `uuid.uuid1()` when they flow into a security value: a variable,
    attribute, keyword or dictionary key named like a token, password,
    secret, API key, salt, nonce, OTP, session id, CSRF or reset code; a
    cookie; a session entry; a header named like a token; the key, IV or
    nonce of a cipher, HMAC, Fernet or `jwt.encode`; or the return value of a
    function named like one.  The value is followed through local
    variables, f-strings, `%`, `format`, `join`, `str()`/`int()`/`hex()` and
    base64.

    ## Why is this bad?
    `random` is a Mersenne Twister: after 624 outputs its whole state is
    known, and seeds are often guessable.  Tokens, reset codes and session
    ids made with it can be predicted, letting an attacker take over
    accounts.

    ## Example
    ```python
    import random
    import string

    def new_reset_token() -> str:
        return "".join(random.choices(string.ascii_letters + string.digits, k=32))
    ```

    ## Use instead
    ```python
    import random
    import secrets

    def new_reset_token() -> str:
        return secrets.token_urlsafe(32)

    def shuffle_deck(deck: list[str]) -> None:
        random.shuffle(deck)
    ```

    `secrets`, `os.urandom` and `random.SystemRandom` are cryptographically
    secure; random values used for other things (retry jitter, sampling,
    games, test data) are not reported.  Test files (`tests/`, `test_*.py`,
    `conftest.py`) are not checked.

    ## Options
    None.

    ## Known limitations
    A `random.Random()` instance is followed inside the function that
    creates it, not through module globals or `self` attributes set
    elsewhere.  Values passed to helper functions are not followed yet.

    ## References
    - [CWE-330: Use of Insufficiently Random Values](https://cwe.mitre.org/data/definitions/330.html)
    - [CWE-338: Use of Cryptographically Weak PRNG](https://cwe.mitre.org/data/definitions/338.html)
    - [secrets — Generate secure random numbers](https://docs.python.org/3/library/secrets.html)
    """

    code = "SEC052"
    name = "insecure-random-for-secret"
    message = "value from {source}() reaches {sink}; use the secrets module for security values"
    cwe = (330, 338)
    severity = Severity.HIGH
    node_types = (ast.Assign, ast.AnnAssign, ast.Return, ast.Call, ast.Dict)
    prefiltered = frozenset({ast.Assign, ast.AnnAssign, ast.Call, ast.Return, ast.Dict})
    target_driven = True
    _KEY_MATERIAL = last_names(cf.KEY_MATERIAL_ARGUMENTS)
    call_names = _KEY_MATERIAL | {"set_cookie", "set_signed_cookie"}
    keyword_driven = True

    def wants_keyword(self, name: str) -> bool:
        return cf.is_secret_name(name)

    def wants(self, node: ast.AST, ctx: ModuleContext) -> bool:
        """A sink ``_sinks`` can yield: a secret-named target, keyword or
        dictionary key, an item of a store (session, cookies), a cookie, key material."""
        if isinstance(node, ast.Dict):
            return cf.has_secret_key(node)
        if isinstance(node, ast.Call):
            func = node.func
            return (isinstance(func, ast.Attribute) and func.attr in ("set_cookie", "set_signed_cookie")) or any(
                kw.arg and cf.is_secret_name(kw.arg) for kw in node.keywords) or ctx.names.may_end_in(
                func, self._KEY_MATERIAL)
        if isinstance(node, ast.Return):  # from a function named like a secret
            returned_by = ctx.function()
            return node.value is not None and returned_by is not None and cf.is_secret_name(returned_by.name)
        assert isinstance(node, (ast.Assign, ast.AnnAssign))
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        return node.value is not None and any(
            isinstance(t, ast.Subscript) or ((name := target_name(t)) is not None and cf.is_secret_name(name))
            for t in targets)

    def wants_target(self, kind: str, name: str) -> bool:
        return kind == "item" or kind in ("name", "attr") and cf.is_secret_name(name)

    def check(self, node: ast.AST, ctx: ModuleContext) -> Iterator[Finding]:
        if is_test_path(ctx.filename):
            return
        for sink, expr, at in self._sinks(node, ctx):
            source = self._random_source(expr, ctx, at)
            if source is not None:
                yield self.finding(node, source=source, sink=sink)
                return

    def _sinks(self, node: ast.AST, ctx: ModuleContext) -> Iterator[tuple[str, ast.expr, ast.stmt | None]]:
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
                sink = self._target_sink(target, ctx)
                if sink:
                    yield sink, node.value, node
        elif isinstance(node, ast.Return) and node.value is not None:
            func = ctx.function()
            if func is not None and cf.is_secret_name(func.name) and not _named_secret(node.value):
                yield f"the return value of {func.name}()", node.value, node
        elif isinstance(node, ast.Call):
            if isinstance(node.func, ast.Attribute) and node.func.attr in ("set_cookie", "set_signed_cookie"):
                value = call_arg(node, 1, "value")
                if value is not None and not _named_secret(value):
                    yield "a cookie", value, None
            for kw in node.keywords:
                if kw.arg and cf.is_secret_name(kw.arg) and not _named_secret(kw.value):
                    yield f"{kw.arg}=", kw.value, None
            call = ctx.qualified(node.func) or ""
            if call in cf.KEY_MATERIAL_ARGUMENTS:
                index, keyword, what = cf.KEY_MATERIAL_ARGUMENTS[call]
                material = call_arg(node, index, keyword)
                if material is not None and not _named_secret(material):
                    yield f"{what} of {'.'.join(call.rsplit('.', 2)[-2:])}()", material, None
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values):
                if isinstance(key, ast.Constant) and isinstance(key.value, str) \
                        and cf.is_secret_name(key.value) and not _named_secret(value):
                    yield f'the "{key.value}" entry', value, None

    def _target_sink(self, target: ast.expr, ctx: ModuleContext) -> str | None:
        name = target_name(target)
        if isinstance(target, ast.Subscript):
            container = (ctx.names.chain(target.value) or "").rsplit(".", 1)[-1]
            if container == "session":
                return "the session"
            if container == "cookies":
                return "a cookie"
        if name is not None and cf.is_secret_name(name):
            return f"`{label_of(target)}`"
        return None

    def _random_source(self, expr: ast.expr, ctx: ModuleContext, at: ast.stmt | None) -> str | None:
        for origin in provenance(ctx.value(expr, at=at)):
            if cf.insecure_random(origin):
                return origin
        return None


def _named_secret(expr: ast.expr) -> bool:
    """A value read from a variable already named like a secret: its assignment
    is where a random source is reported, not each place it is passed on."""
    return any(cf.is_secret_name(n) for n in value_names(expr))
