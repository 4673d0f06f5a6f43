"""Plain-HTTP URLs: the scheme and host a URL is proven to have, and the
built-in allow-list of hosts where plain HTTP is harmless."""

from __future__ import annotations

import fnmatch
import ipaddress
import re
from collections.abc import Iterable
from typing import NamedTuple

from flake8_secure.analysis.frameworks.http import ALLOWED_HOST_PATTERNS, PLAINTEXT_SCHEMES
from flake8_secure.analysis.strings import Prefix

_URL = re.compile(r"(?P<scheme>[a-zA-Z][a-zA-Z0-9+.-]*)://(?P<authority>[^/?#]*)(?P<end>[/?#]|$)")


class PlainUrl(NamedTuple):
    scheme: str
    host: str
    has_userinfo: bool
    shown: str  # the URL as shown in a message (credentials masked, shortened)


def plaintext_url(prefix: Prefix) -> PlainUrl | None:
    """The ``http://``/``ws://`` URL ``prefix`` starts with, when its host is known."""
    match = _URL.match(prefix.text)
    if match is None or match.group("scheme").lower() not in PLAINTEXT_SCHEMES:
        return None
    if not match.group("end") and not prefix.complete:
        return None  # f"http://{host}" or "http://api" + suffix: the host is not known
    authority = match.group("authority")
    userinfo, _, hostport = authority.rpartition("@")
    host = hostport
    if host.startswith("["):
        host = host[1:].split("]", 1)[0]
    elif host.count(":") == 1:
        host = host.split(":", 1)[0]
    if not host:
        return None
    scheme = match.group("scheme").lower()
    shown = f"{scheme}://{'***@' if userinfo else ''}{hostport}"
    return PlainUrl(scheme, host.lower().rstrip("."), bool(userinfo), shown)


def host_is_allowed(host: str, extra: Iterable[str] = ()) -> bool:
    """Loopback, reserved test/documentation names, XML namespace hosts, user globs."""
    host = host.lower().rstrip(".")
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        return address.is_loopback or address.is_unspecified
    patterns = (*ALLOWED_HOST_PATTERNS, *(p.strip().lower() for p in extra if p.strip()))
    return any(fnmatch.fnmatchcase(host, p) for p in patterns)
