"""Secrets: where a literal becomes a credential, and credential formats."""

from __future__ import annotations

import re

# Calls whose argument is a secret key or password: (positional index, what it is).
SECRET_ARGUMENTS = {
    "jwt.encode": (1, "key"),
    "jwt.decode": (1, "key"),
    "jose.jwt.encode": (1, "key"),
    "jose.jwt.decode": (1, "key"),
    "cryptography.fernet.Fernet": (0, "key"),
    "hmac.new": (0, "key"),
    "hmac.digest": (0, "key"),
    "itsdangerous.URLSafeTimedSerializer": (0, "secret key"),
    "itsdangerous.URLSafeSerializer": (0, "secret key"),
    "itsdangerous.Signer": (0, "secret key"),
    "itsdangerous.TimestampSigner": (0, "secret key"),
    "requests.auth.HTTPBasicAuth": (1, "password"),
    "requests.auth.HTTPDigestAuth": (1, "password"),
    "requests.auth.HTTPProxyAuth": (1, "password"),
    "httpx.BasicAuth": (1, "password"),
    "httpx.DigestAuth": (1, "password"),
    "aiohttp.BasicAuth": (1, "password"),
}

# Words that make a literal a label rather than a secret ("Bearer",
# "X-Auth-Token", "password" used as a field name).
LABEL_WORDS = frozenset(
    {"bearer", "basic", "digest", "jwt", "oauth", "oauth2", "none", "null", "true", "false", "token", "tokens",
     "password", "passwd", "pwd", "passphrase", "apikey", "authorization", "csrf", "xsrf", "sessionid",
     "hidden", "redacted", "masked"}
)

# Words marking a value as deliberately fake.
FAKE_WORDS = frozenset({"example", "dummy", "fake", "mock", "mocked", "placeholder"})

# Credential formats with a fixed, recognisable shape.
_FORMATS = [
    ("an AWS access key id", re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b")),
    ("a GitHub token", re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36,}\b|\bgithub_pat_[A-Za-z0-9_]{60,}\b")),
    ("a Slack token", re.compile(r"\bxox[abposr]-[0-9A-Za-z-]{10,}")),
    ("a Stripe live key", re.compile(r"\b[sr]k_live_[0-9A-Za-z]{20,}\b")),
    # The header alone is a marker constant of a parser, not a key: require key material.
    ("a private key", re.compile(
        r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----\s*[A-Za-z0-9+/=]{32}")),
]
_HINTS = ("AKIA", "ASIA", "gh", "xox", "_live_", "PRIVATE KEY")
# What the source of a file holding such a literal must contain (a literal
# is written out, at worst split over lines by implicit concatenation).
FORMAT_SOURCE_HINTS = ("AKIA", "ASIA", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "xox", "_live_",
                       "PRIVATE KEY")


def known_format(value: str | bytes) -> str | None:
    """The kind of credential a literal is, by its format; documentation
    examples (``AKIAIOSFODNN7EXAMPLE``) are not credentials."""
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    if len(text) < 20 or not any(h in text for h in _HINTS) or "EXAMPLE" in text.upper():
        return None
    for kind, pattern in _FORMATS:
        if pattern.search(text):
            return kind
    return None
