"""The ssl module and pyOpenSSL: what weakens a TLS connection."""

from __future__ import annotations

SSL_CONTEXT_FACTORIES = frozenset(
    {"ssl.create_default_context", "ssl.SSLContext", "ssl._create_unverified_context",
     "ssl._create_default_https_context"}
)
UNVERIFIED_CONTEXT = frozenset({"ssl._create_unverified_context"})
CERT_NONE = frozenset({"ssl.CERT_NONE", "ssl.VerifyMode.CERT_NONE"})

# Protocol constants that pin a broken protocol version.
OBSOLETE_PROTOCOLS: dict[str, str] = {
    "ssl.PROTOCOL_SSLv2": "SSLv2",
    "ssl.PROTOCOL_SSLv3": "SSLv3",
    "ssl.PROTOCOL_TLSv1": "TLS 1.0",
    "ssl.PROTOCOL_TLSv1_1": "TLS 1.1",
    "OpenSSL.SSL.SSLv2_METHOD": "SSLv2",
    "OpenSSL.SSL.SSLv3_METHOD": "SSLv3",
    "OpenSSL.SSL.TLSv1_METHOD": "TLS 1.0",
    "OpenSSL.SSL.TLSv1_1_METHOD": "TLS 1.1",
}
# ``minimum_version`` values below TLS 1.2.
WEAK_TLS_VERSIONS: dict[str, str] = {
    "ssl.TLSVersion.SSLv3": "SSLv3",
    "ssl.TLSVersion.TLSv1": "TLS 1.0",
    "ssl.TLSVersion.TLSv1_1": "TLS 1.1",
    "ssl.TLSVersion.MINIMUM_SUPPORTED": "the oldest version OpenSSL supports",
}
WRAP_SOCKET = frozenset({"ssl.wrap_socket"})
