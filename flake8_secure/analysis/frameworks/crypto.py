"""Cryptography and secrets: hash functions, random sources, ciphers, JWT
libraries, and what a name says about the value it holds."""

from __future__ import annotations

import ast
import re
from functools import lru_cache

# -- what names say -----------------------------------------------------------
_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")

PASSWORD_WORDS = frozenset({"password", "passwd", "pwd", "passphrase", "passwort", "pw"})
# Nouns that, as the last word of a name, say the value is a secret.
SECRET_NOUNS = PASSWORD_WORDS | frozenset(
    {"token", "secret", "salt", "nonce", "otp", "totp", "hotp", "csrf", "xsrf", "sid",
     "sessionid", "apikey", "pin", "iv", "credential", "credentials", "passcode"}
)
# ``key`` is a secret only when qualified: ``api_key``, not ``sort_key``.
KEY_QUALIFIERS = frozenset(
    {"api", "secret", "private", "access", "signing", "sign", "encryption", "encrypt", "crypto",
     "hmac", "aes", "master", "jwt", "fernet", "session", "auth", "client", "license", "webhook"}
)
# Generic last words that still name a secret after a security word:
# ``session_id``, ``reset_code``, ``token_value``.
SECRET_TAILS = frozenset({"id", "value", "val", "str", "string", "hex", "bytes", "code", "digits", "b64", "raw"})
SECRET_QUALIFIERS = SECRET_NOUNS | frozenset(
    {"session", "reset", "verification", "verify", "activation", "confirm", "confirmation", "invite",
     "invitation", "auth", "login", "magic", "recovery", "unlock", "access", "refresh", "bearer"}
)
# Words that make a password-named value a reference to one, not the password:
# ``password_reset_url``, ``password_field``, ``password_hash``.
_NOT_A_PASSWORD = frozenset(
    {"url", "uri", "link", "field", "label", "prompt", "help", "message", "msg", "text", "hint",
     "policy", "length", "len", "min", "max", "hash", "hashed", "hasher", "digest", "reset", "type",
     "name", "file", "path", "env", "var", "validator", "changed", "required", "expired", "expiry",
     "form", "view", "template", "widget", "error", "errors", "input", "manager", "store", "change"}
)


def name_words(name: str) -> list[str]:
    """``resetToken`` / ``RESET_TOKEN`` / ``reset_token`` -> ``["reset", "token"]``."""
    return [w.lower() for w in _WORD.findall(name)]


@lru_cache(maxsize=4096)  # asked of every keyword of every call
def is_secret_name(name: str) -> bool:
    """A name whose value is a secret: its last word is a secret noun
    (``reset_token``, ``DB_PASSWORD``, ``api_key``), or a generic word after a
    secret-bearing one (``session_id``, ``otp_code``)."""
    words = name_words(name)
    if not words:
        return False
    last = words[-1]
    if last in SECRET_NOUNS:
        return True
    if last == "key":
        return len(words) > 1 and words[-2] in KEY_QUALIFIERS | {"secret"}
    if last in SECRET_TAILS and len(words) > 1:
        qualifier = words[-2]
        return qualifier in SECRET_QUALIFIERS or (
            # ``api_key_value`` is the key; ``aws_access_key_id`` only names it.
            qualifier == "key" and last != "id" and len(words) > 2 and words[-3] in KEY_QUALIFIERS
        )
    return False


def has_secret_key(node: ast.Dict) -> bool:
    """A dictionary with a string key named like a secret (``{"api_key": ...}``)."""
    return any(isinstance(k, ast.Constant) and isinstance(k.value, str) and is_secret_name(k.value) for k in node.keys)


# Secret nouns that also name everyday things (a lexer's ``token``, an
# ``iv`` index): a literal given to them must look like a credential.
AMBIGUOUS_NOUNS = frozenset({"token", "pin", "iv", "sid", "nonce", "salt", "otp", "csrf", "xsrf"})
# ``<store>_key``: the key under which something is stored (SESSION_KEY =
# "_auth_user_id"), ambiguous like the nouns above, not a key that signs.
STORE_WORDS = frozenset({"session", "cache", "storage", "store", "dict", "lookup", "map", "index",
                         "field", "column", "context", "redis", "queue", "metadata", "registry"})


@lru_cache(maxsize=4096)
def is_password_name(name: str) -> bool:
    """A name that holds a password itself: ``password``, ``raw_pw``,
    ``new_password``, ``passwordConfirm``; not ``password_reset_url``."""
    words = name_words(name)
    if not any(w in PASSWORD_WORDS for w in words):
        return False
    return not any(w in _NOT_A_PASSWORD for w in words)


# -- hashing ------------------------------------------------------------------
# Fast, general-purpose digests: fine for integrity, far too fast for passwords.
FAST_HASHES = frozenset(
    {f"hashlib.{n}" for n in (
        "md5", "sha1", "sha224", "sha256", "sha384", "sha512", "sha3_224", "sha3_256",
        "sha3_384", "sha3_512", "blake2b", "blake2s", "new", "shake_128", "shake_256")}
    | {"hmac.new", "hmac.digest", "hmac.HMAC"}
    | {f"{pkg}.Hash.{n}.new" for pkg in ("Crypto", "Cryptodome")
       for n in ("MD5", "SHA", "SHA1", "SHA224", "SHA256", "SHA384", "SHA512", "SHA3_256", "SHA3_512", "BLAKE2b")}
)
BROKEN_HASH_NAMES = frozenset({"md5", "sha1", "sha", "sha-1", "md4", "md2"})
# Direct constructors of a broken hash.
BROKEN_HASH_CALLS = frozenset(
    {"hashlib.md5", "hashlib.sha1"}
    | {f"{pkg}.Hash.{n}.new" for pkg in ("Crypto", "Cryptodome") for n in ("MD5", "MD4", "MD2", "SHA", "SHA1")}
    | {f"{pkg}.Hash.{n}" for pkg in ("Crypto", "Cryptodome") for n in ("MD5", "MD4", "MD2", "SHA", "SHA1")}
    | {f"cryptography.hazmat.primitives.hashes.{n}" for n in ("MD5", "SHA1")}
)
# Calls taking the algorithm name as a string: (positional index, keyword).
HASH_BY_NAME = {"hashlib.new": (0, "name"), "hashlib.file_digest": (1, "digest")}
# Padding schemes where SHA-1 needs no collision resistance (OAEP, MGF1, PSS).
HASH_SAFE_WRAPPERS = frozenset(
    {f"cryptography.hazmat.primitives.asymmetric.padding.{n}" for n in ("OAEP", "MGF1", "PSS")}
)
# Names saying a digest is not used for security (cache keys, etags, checksums).
NON_SECURITY_WORDS = frozenset(
    {"cache", "cached", "etag", "checksum", "checksums", "fingerprint", "dedup", "dedupe", "shard",
     "bucket", "partition", "cachekey", "filename", "fname", "slug", "color", "colour", "gravatar", "name",
     "identifier"}
)

# Key derivation functions and their cost parameters.
PBKDF2_CALLS = {"hashlib.pbkdf2_hmac": (3, "iterations")}
PBKDF2_CLASS = "cryptography.hazmat.primitives.kdf.pbkdf2.PBKDF2HMAC"
# OWASP Password Storage Cheat Sheet minimums for PBKDF2-HMAC, by digest.
PBKDF2_MIN_ITERATIONS = {"sha1": 1_300_000, "sha256": 600_000, "sha512": 210_000}
PBKDF2_DEFAULT_MIN = 600_000
BCRYPT_GENSALT = "bcrypt.gensalt"
BCRYPT_MIN_ROUNDS = 12
SCRYPT_CALLS = {"hashlib.scrypt": ("n", "r", "p"), "cryptography.hazmat.primitives.kdf.scrypt.Scrypt": ("n", "r", "p")}
# scrypt's memory/CPU cost N*r*p: 2**14 * 8 is the scrypt paper's minimum for
# interactive logins (16 MiB); below it a GPU guesses cheaply.
SCRYPT_MIN_COST = 2**14 * 8
DJANGO_WEAK_HASHERS = frozenset(
    {f"django.contrib.auth.hashers.{n}" for n in (
        "MD5PasswordHasher", "SHA1PasswordHasher", "UnsaltedMD5PasswordHasher", "UnsaltedSHA1PasswordHasher",
        "CryptPasswordHasher")}
)

# -- randomness ---------------------------------------------------------------
# Origins that are not cryptographically secure.  ``random.SystemRandom``
# (and ``secrets``) read the OS CSPRNG and are excluded.
INSECURE_RANDOM_PREFIXES = ("random.", "numpy.random.")
INSECURE_RANDOM_EXACT = frozenset({"uuid.uuid1"})
SECURE_RANDOM_PREFIXES = ("random.SystemRandom", "numpy.random.SeedSequence")
RANDOM_NON_VALUES = frozenset({"random.seed", "random.getstate", "random.setstate", "random.shuffle"})


def insecure_random(origin: str) -> bool:
    if origin in INSECURE_RANDOM_EXACT:
        return True
    if origin.startswith(SECURE_RANDOM_PREFIXES) or origin in RANDOM_NON_VALUES:
        return False
    return origin.startswith(INSECURE_RANDOM_PREFIXES)


# -- ciphers ------------------------------------------------------------------
_CRYPTOGRAPHY_ALGS = (
    "cryptography.hazmat.primitives.ciphers.algorithms",
    "cryptography.hazmat.decrepit.ciphers.algorithms",
)
WEAK_CIPHER_CALLS = {
    **{f"{m}.{n}": n for m in _CRYPTOGRAPHY_ALGS
       for n in ("TripleDES", "Blowfish", "ARC4", "CAST5", "IDEA", "SEED", "RC2")},
    **{f"{pkg}.Cipher.{n}.new": n for pkg in ("Crypto", "Cryptodome")
       for n in ("DES", "DES3", "ARC4", "ARC2", "Blowfish", "CAST", "XOR")},
}
ECB_MODES = frozenset({"cryptography.hazmat.primitives.ciphers.modes.ECB"})
# Key generation: (qualified name, positional index, keyword, algorithm).
KEY_SIZE_CALLS = {
    "cryptography.hazmat.primitives.asymmetric.rsa.generate_private_key": (1, "key_size", "RSA"),
    "cryptography.hazmat.primitives.asymmetric.dsa.generate_private_key": (0, "key_size", "DSA"),
    "cryptography.hazmat.primitives.asymmetric.dsa.generate_parameters": (0, "key_size", "DSA"),
    "cryptography.hazmat.primitives.asymmetric.dh.generate_parameters": (1, "key_size", "DH"),
    **{f"{pkg}.PublicKey.{alg}.generate": (0, "bits", alg)
       for pkg in ("Crypto", "Cryptodome") for alg in ("RSA", "DSA")},
}
MIN_KEY_BITS = 2048
WEAK_CURVES = frozenset(
    {"SECP192R1", "SECT163K1", "SECT163R2", "SECP160R1", "P-192", "p192", "NIST P-192", "prime192v1", "secp192r1"}
)
EC_GENERATE = frozenset(
    {"cryptography.hazmat.primitives.asymmetric.ec.generate_private_key", "Crypto.PublicKey.ECC.generate",
     "Cryptodome.PublicKey.ECC.generate"}
)
# pyOpenSSL ``PKey().generate_key(TYPE_RSA, bits)``.
OPENSSL_KEY_TYPES = frozenset({"OpenSSL.crypto.TYPE_RSA", "OpenSSL.crypto.TYPE_DSA"})
# OpenSSL cipher-string entries that enable broken ciphers.
WEAK_CIPHER_STRING = re.compile(
    r"(?:^|[-+_])(RC4|DES|3DES|DES-CBC3|NULL|eNULL|aNULL|EXPORT|EXP|MD5|RC2|IDEA)(?:$|[-_])", re.I
)

# -- JWT ----------------------------------------------------------------------
JWT_DECODE = frozenset(
    {"jwt.decode", "jwt.decode_complete", "jwt.api_jwt.decode", "jwt.api_jwt.decode_complete",
     "jwt.PyJWT.decode", "jwt.PyJWT.decode_complete", "jwt.api_jws.decode", "jwt.PyJWS.decode",
     "jose.jwt.decode", "jose.jws.verify", "authlib.jose.jwt.decode", "authlib.jose.JsonWebToken.decode"}
)
JWT_DECODE_METHODS = frozenset(n.rsplit(".", 1)[-1] for n in JWT_DECODE)
# Constructors taking the list of accepted algorithms.
JWT_ALGORITHM_LISTS = {"authlib.jose.JsonWebToken": (0, "algorithms"), "jwt.PyJWT": (0, "algorithms"),
                       "jwt.PyJWS": (0, "algorithms")}

_MODES = "cryptography.hazmat.primitives.ciphers.modes"
_AEAD = "cryptography.hazmat.primitives.ciphers.aead"
# Calls taking key material, an IV or a nonce: (positional index, keyword, what it is).
KEY_MATERIAL_ARGUMENTS: dict[str, tuple[int, str, str]] = {
    **{f"{m}.{n}": (0, "key", "the key") for m in _CRYPTOGRAPHY_ALGS
       for n in ("AES", "AES128", "AES256", "ChaCha20", "Camellia", "SM4")},
    **{f"{_AEAD}.{n}": (0, "key", "the key") for n in ("AESGCM", "AESCCM", "AESOCB3", "AESSIV", "ChaCha20Poly1305")},
    **{f"{_MODES}.{n}": (0, "initialization_vector", "the IV") for n in ("CBC", "CFB", "CFB8", "OFB")},
    f"{_MODES}.CTR": (0, "nonce", "the nonce"),
    f"{_MODES}.GCM": (0, "initialization_vector", "the nonce"),
    **{f"{pkg}.Cipher.{n}.new": (0, "key", "the key") for pkg in ("Crypto", "Cryptodome")
       for n in ("AES", "ChaCha20", "ChaCha20_Poly1305", "Salsa20")},
    "cryptography.fernet.Fernet": (0, "key", "the key"),
    "hmac.new": (0, "key", "the key"),
    "hmac.digest": (0, "key", "the key"),
    "jwt.encode": (1, "key", "the signing key"),
}
