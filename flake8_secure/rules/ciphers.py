"""SEC054-SEC055: weak ciphers and key sizes, unverified JWTs."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from flake8_secure.analysis.calls import call_arg, is_false
from flake8_secure.analysis.context import ModuleContext
from flake8_secure.analysis.frameworks import crypto as cf
from flake8_secure.analysis.values import MAP
from flake8_secure.registry import Finding, Rule, Severity, last_names, register


_PYCRYPTO_NEW = "new"  # Crypto.Cipher.AES.new(key, mode)
_GENERATE_KEY = "generate_key"  # OpenSSL.crypto.PKey().generate_key(type, bits)
_CIPHER_LIST_METHODS = frozenset({"set_ciphers", "set_cipher_list"})


def weak_cipher_entries(spec: str) -> list[str]:
    """Entries of an OpenSSL cipher string that enable a broken cipher
    (``"!RC4"`` and ``"-DES"`` exclude them and are fine)."""
    entries = [e.strip() for e in spec.replace(",", ":").replace(" ", ":").split(":")]
    return [e for e in entries if e and e[0] not in "!-" and cf.WEAK_CIPHER_STRING.search(e)]


@register
class WeakCipherOrKey(Rule):
    """## What it does
    Flags broken ciphers (DES, 3DES, RC4, Blowfish, RC2/ARC2, CAST, IDEA,
    SEED, XOR), ECB mode, RSA/DSA/DH keys shorter than 2048 bits and
    elliptic curves under 224 bits, in cryptography, pycryptodome
    (`Crypto`/`Cryptodome`) and pyOpenSSL, and OpenSSL cipher strings
    (`set_ciphers`, `set_cipher_list`) that enable such ciphers.

    ## Why is this bad?
    64-bit block ciphers leak plaintext after a few gigabytes (Sweet32), RC4
    has exploitable biases, ECB encrypts equal blocks to equal ciphertext
    (the "ECB penguin"), and 1024-bit RSA or 192-bit curves are within reach
    of well-funded attackers.

    ## Example
    ```python
    from Crypto.Cipher import AES

    def encrypt(key: bytes, data: bytes) -> bytes:
        return AES.new(key, AES.MODE_ECB).encrypt(data)
    ```

    ## Use instead
    ```python
    from Crypto.Cipher import AES

    def encrypt(key: bytes, data: bytes) -> tuple[bytes, bytes, bytes]:
        cipher = AES.new(key, AES.MODE_GCM)
        return cipher.nonce, *cipher.encrypt_and_digest(data)
    ```

    ## Options
    None.

    ## Known limitations
    Key sizes and curve names are checked when they are constants.

    ## References
    - [CWE-327: Use of a Broken or Risky Cryptographic Algorithm](https://cwe.mitre.org/data/definitions/327.html)
    - [CWE-326: Inadequate Encryption Strength](https://cwe.mitre.org/data/definitions/326.html)
    - [cryptography: symmetric encryption](https://cryptography.io/en/latest/hazmat/primitives/symmetric-encryption/)
    - [NIST SP 800-131A Rev. 2](https://csrc.nist.gov/pubs/sp/800/131/a/r2/final)
    """

    code = "SEC054"
    name = "weak-cipher-or-key"
    message = "{problem} in {call}(); {fix}"
    cwe = (327, 326)
    severity = Severity.HIGH
    node_types = (ast.Call,)
    call_names = (last_names(cf.WEAK_CIPHER_CALLS, cf.ECB_MODES, cf.KEY_SIZE_CALLS, cf.EC_GENERATE)
                  | {_PYCRYPTO_NEW, _GENERATE_KEY} | _CIPHER_LIST_METHODS)

    def check(self, node: ast.Call, ctx: ModuleContext) -> Iterator[Finding]:
        call = ctx.qualified(node.func) or ""
        label = call or (ctx.names.chain(node.func) or "")
        problem, fix = self._problem(node, call, ctx)
        if problem:
            yield self.finding(node, problem=problem, call=label, fix=fix)

    def _problem(self, node: ast.Call, call: str, ctx: ModuleContext) -> tuple[str, str]:
        aead = "use AES-GCM or ChaCha20-Poly1305"
        if call in cf.WEAK_CIPHER_CALLS:
            return f"the broken cipher {cf.WEAK_CIPHER_CALLS[call]}", aead
        if call in cf.ECB_MODES:
            return "ECB mode", aead
        attr = node.func.attr if isinstance(node.func, ast.Attribute) else ""
        if attr == _PYCRYPTO_NEW and call.startswith(("Crypto.Cipher.", "Cryptodome.Cipher.")):
            mode = call_arg(node, 1, "mode")
            if mode is not None and (ctx.qualified(mode) or "").endswith(".MODE_ECB"):
                return "ECB mode", aead
        if call in cf.KEY_SIZE_CALLS:
            index, keyword, algorithm = cf.KEY_SIZE_CALLS[call]
            bits = ctx.int_value(call_arg(node, index, keyword) or ast.Constant(None))
            if isinstance(bits, int) and bits < cf.MIN_KEY_BITS:
                return f"a {bits}-bit {algorithm} key", f"use at least {cf.MIN_KEY_BITS} bits"
        if call in cf.EC_GENERATE:
            curve = call_arg(node, 0, "curve")
            name = ctx.str_value(curve) if curve is not None else None
            if curve is not None and not isinstance(name, str):
                name = (ctx.names.chain(curve) or "").rsplit(".", 1)[-1]
            if isinstance(name, str) and name in cf.WEAK_CURVES:
                return f"the {name} curve (under 224 bits)", "use P-256 or X25519/Ed25519"
        if attr == _GENERATE_KEY and len(node.args) == 2 and ctx.qualified(node.args[0]) in cf.OPENSSL_KEY_TYPES:
            bits = ctx.int_value(node.args[1])
            if isinstance(bits, int) and bits < cf.MIN_KEY_BITS:
                return f"a {bits}-bit key", f"use at least {cf.MIN_KEY_BITS} bits"
        if attr in _CIPHER_LIST_METHODS and node.args:
            spec = ctx.const_value(node.args[0])
            text = spec.decode("ascii", "replace") if isinstance(spec, bytes) else spec
            weak = weak_cipher_entries(text) if isinstance(text, str) else []
            if weak:
                return f"the cipher string entry {weak[0]!r}", "allow only AEAD suites (or keep OpenSSL's default)"
        return "", ""


@register
class UnverifiedJwt(Rule):
    """## What it does
    Flags JWT decoding that skips the signature check: PyJWT/python-jose
    `decode(..., options={"verify_signature": False})`, `verify=False`, an
    `algorithms` list accepting `"none"` (PyJWT, python-jose, authlib
    `JsonWebToken`).

    ## Why is this bad?
    Without the signature check anyone can write a token claiming to be any
    user or role; with `"none"` accepted, an attacker strips the signature
    and sets `alg` to `none`.

    ## Example
    ```python
    import jwt

    def current_user(token: str) -> str:
        claims = jwt.decode(token, options={"verify_signature": False})
        return claims["sub"]
    ```

    ## Use instead
    ```python
    import jwt

    def current_user(token: str, key: str) -> str:
        claims = jwt.decode(token, key, algorithms=["HS256"])
        return claims["sub"]
    ```

    ## Options
    None.

    ## Known limitations
    `options` are followed through local variables and module constants; an
    options dict built by a helper function is not.  Reading claims on
    purpose before verification (`jwt.get_unverified_header`,
    `get_unverified_claims`) is not reported.

    ## References
    - [CWE-347: Improper Verification of Cryptographic Signature](https://cwe.mitre.org/data/definitions/347.html)
    - [PyJWT: usage](https://pyjwt.readthedocs.io/en/stable/usage.html)
    - [OWASP JSON Web Token Cheat Sheet](https://cheatsheetseries.owasp.org/cheatsheets/JSON_Web_Token_for_Java_Cheat_Sheet.html)
    """

    code = "SEC055"
    name = "unverified-jwt"
    message = "{call}() {how}; verify the signature with a key and an explicit algorithm list"
    cwe = (347,)
    severity = Severity.CRITICAL
    node_types = (ast.Call,)
    call_names = last_names(cf.JWT_DECODE, cf.JWT_ALGORITHM_LISTS) | cf.JWT_DECODE_METHODS
    prefiltered = frozenset({ast.Call})
    _CONSTRUCTORS = last_names(cf.JWT_ALGORITHM_LISTS)

    def wants(self, node: ast.Call, ctx: ModuleContext) -> bool:
        """A decode call reports only through its options=, verify= or
        algorithms= keyword, a constructor through its algorithm list: a
        ``bytes.decode("utf-8")`` needs no look at its receiver."""
        return any(kw.arg in ("options", "verify", "algorithms") for kw in node.keywords) \
            or ctx.names.may_end_in(node.func, self._CONSTRUCTORS)

    def check(self, node: ast.Call, ctx: ModuleContext) -> Iterator[Finding]:
        call = ctx.qualified(node.func) or ""
        func = node.func
        if call not in cf.JWT_DECODE and isinstance(func, ast.Attribute) and func.attr in cf.JWT_DECODE_METHODS:
            origin = ctx.value(func.value).origin  # jwt.PyJWT().decode via a local
            call = f"{origin}.{func.attr}" if origin else call
        how = ""
        if call in cf.JWT_DECODE:
            options = call_arg(node, None, "options")
            val = ctx.value(options) if options is not None else None
            if val is not None and val.kind == MAP and val.item("verify_signature").consts == (False,):
                how = "skips signature verification (verify_signature=False)"
            elif is_false(call_arg(node, None, "verify")):
                how = "skips signature verification (verify=False)"
            elif self._accepts_none(call_arg(node, None, "algorithms"), ctx):
                how = 'accepts the "none" algorithm'
        elif call in cf.JWT_ALGORITHM_LISTS:
            if self._accepts_none(call_arg(node, *cf.JWT_ALGORITHM_LISTS[call]), ctx):
                how = 'accepts the "none" algorithm'
        if how:
            yield self.finding(node, call=call, how=how)

    def _accepts_none(self, arg: ast.expr | None, ctx: ModuleContext) -> bool:
        if arg is None:
            return False
        values = ctx.value(arg, infer=True).consts or ()
        for value in values:
            names = value if isinstance(value, (list, tuple, set, frozenset)) else (value,)
            if any(isinstance(n, str) and n.lower() == "none" for n in names):
                return True
        return False
