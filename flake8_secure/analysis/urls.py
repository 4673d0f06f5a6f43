"""What the constant start of a URL proves about where it points.

Rules about URLs built from request data (SSRF, open redirect) stay quiet
when the scheme and host are fixed text and the request only supplies the
path or query: ``f"https://api.example.com/items/{item_id}"``.  The host is
only fixed once the constant text runs past the end of the authority, so
``"https://api.example.com" + user`` is not (``user = "@evil.example"``
moves the request to another host).
"""

from __future__ import annotations

import re
from collections.abc import Callable

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
