"""Plain-HTTP URLs: the scheme and host a URL is proven to have, and the
built-in allow-list of hosts where plain HTTP is harmless."""

from __future__ import annotations

import fnmatch
import ipaddress
import re
from collections.abc import Callable, Iterable
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


# -- URLs built from request data (SEC016, SEC018) --------------------------
# What the constant start of a URL proves about where it points.
#
# Rules about URLs built from request data (SSRF, open redirect) stay quiet
# when the scheme and host are fixed text and the request only supplies the
# path or query: ``f"https://api.example.com/items/{item_id}"``.  The host is
# only fixed once the constant text runs past the end of the authority, so
# ``"https://api.example.com" + user`` is not (``user = "@evil.example"``
# moves the request to another host).

# scheme://authority followed by the first character that ends the authority.
_PINNED_ABSOLUTE = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*://[^/?#\\@{%\s]+[/?#]")
# A path on this site: one slash then a character that is not a slash or a
# backslash ("//evil.example" and "/\evil.example" are other sites to a browser).
_PINNED_RELATIVE = re.compile(r"/[^/\\]")
# Hosts that Python's URL functions understand (urlparse/urlsplit results).
URL_PARSERS = frozenset({"urllib.parse.urlparse", "urllib.parse.urlsplit", "urlparse.urlparse", "urlparse.urlsplit"})
HOST_ATTRIBUTES = frozenset({"hostname", "netloc"})


def pins_host(prefix: str) -> bool:
    """Whether every URL starting with ``prefix`` has this fixed scheme and host."""
    return _PINNED_ABSOLUTE.match(prefix) is not None


def pins_site(prefix: str) -> bool:
    """Whether every redirect target starting with ``prefix`` stays on a fixed
    site: a fixed absolute host, or a path of this site."""
    return pins_host(prefix) or _PINNED_RELATIVE.match(prefix) is not None


# Sink categories whose harm a fixed start of the URL rules out.
PINNED_BY_PREFIX: dict[str, Callable[[str], bool]] = {"ssrf": pins_host, "redirect": pins_site}
