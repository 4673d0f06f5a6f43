"""HTTP, WebSocket and XML-RPC clients: where a URL is requested, and where
certificate verification is switched off."""

from __future__ import annotations

PLAINTEXT_SCHEMES = frozenset({"http", "ws"})

# Hosts where plain HTTP does not cross an untrusted network, or that are
# never fetched: loopback names, RFC 2606/6761 reserved names, and the
# hosts of XML namespace and schema URIs (identifiers, not endpoints).
ALLOWED_HOST_PATTERNS = (
    "localhost", "*.localhost", "*.local", "*.test", "*.example", "*.invalid",
    "example.com", "*.example.com", "example.org", "*.example.org", "example.net", "*.example.net",
    "www.w3.org", "w3.org", "schemas.xmlsoap.org", "schemas.openxmlformats.org",
    "schemas.microsoft.com", "schemas.android.com", "purl.org", "xmlns.com", "json-schema.org",
    "ns.adobe.com", "docs.oasis-open.org", "java.sun.com", "xml.org", "www.opengis.net",
    "relaxng.org", "www.springframework.org", "maven.apache.org",
)

# Module-level functions taking a URL: qualified name -> position of the URL.
URL_FUNCTIONS: dict[str, int] = {
    **{f"requests.{m}": 0 for m in ("get", "post", "put", "patch", "delete", "head", "options")},
    "requests.request": 1,
    **{f"httpx.{m}": 0 for m in ("get", "post", "put", "patch", "delete", "head", "options")},
    "httpx.request": 1,
    "httpx.stream": 1,
    "urllib.request.urlopen": 0,
    "urllib.request.Request": 0,
    "urllib.request.urlretrieve": 0,
    "urllib3.request": 1,
    "aiohttp.request": 1,
    "xmlrpc.client.ServerProxy": 0,
    "xmlrpclib.ServerProxy": 0,
    "websockets.connect": 0,
    "websockets.client.connect": 0,
    "websockets.sync.client.connect": 0,
    "websocket.create_connection": 0,
    "websocket.WebSocketApp": 0,
}
URL_KEYWORDS = ("url", "uri", "ws_uri")

# Calls producing a client object; its methods below take a URL.
CLIENT_FACTORIES = frozenset(
    {
        "requests.Session", "requests.session", "requests.sessions.Session",
        "httpx.Client", "httpx.AsyncClient",
        "aiohttp.ClientSession", "aiohttp.client.ClientSession",
        "urllib3.PoolManager", "urllib3.ProxyManager", "urllib3.poolmanager.PoolManager",
    }
)
# Client method -> position of the URL.
CLIENT_METHODS: dict[str, int] = {
    **{m: 0 for m in ("get", "post", "put", "patch", "delete", "head", "options", "ws_connect")},
    "request": 1,
    "stream": 1,
    "urlopen": 1,
}
# Client constructors whose base URL prefixes every request.
BASE_URL_KEYWORDS = ("base_url",)

# Host-based plaintext connections: qualified name -> position of the host.
PLAINTEXT_CONNECTIONS: dict[str, int] = {
    "http.client.HTTPConnection": 0,
    "httplib.HTTPConnection": 0,
    "urllib3.HTTPConnectionPool": 0,
    "urllib3.connectionpool.HTTPConnectionPool": 0,
}

# Names of module-level constants holding a base URL.
BASE_URL_NAME = r"(?:^|_)(?:URL|URI|ENDPOINT|BASE|API|HOST|SERVER)(?:$|_)"

# Request headers whose value is a credential.
CREDENTIAL_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "cookie", "x-api-key", "x-auth-token", "api-key"}
)

# Where ``verify=False`` disables certificate checks: module functions and
# client constructors; plus every client method above.
VERIFY_CALLS = frozenset(
    {f"requests.{m}" for m in ("get", "post", "put", "patch", "delete", "head", "options", "request")}
    | {f"httpx.{m}" for m in ("get", "post", "put", "patch", "delete", "head", "options", "request", "stream")}
    | {"httpx.Client", "httpx.AsyncClient", "httpx.HTTPTransport", "httpx.AsyncHTTPTransport"}
)
# aiohttp spells it ``ssl=False`` (or the deprecated ``verify_ssl=False``).
AIOHTTP_SSL_CALLS = frozenset(
    {"aiohttp.TCPConnector", "aiohttp.connector.TCPConnector", "aiohttp.request", "aiohttp.ClientSession"}
)
AIOHTTP_SESSIONS = frozenset({"aiohttp.ClientSession", "aiohttp.client.ClientSession"})
# urllib3 spells it ``cert_reqs="CERT_NONE"``.
CERT_REQS_CALLS = frozenset(
    {
        "urllib3.PoolManager", "urllib3.ProxyManager", "urllib3.HTTPSConnectionPool",
        "urllib3.connection_from_url", "urllib3.poolmanager.PoolManager",
        "urllib3.connectionpool.HTTPSConnectionPool", "ssl.wrap_socket",
    }
)
DISABLE_WARNINGS = frozenset(
    {"urllib3.disable_warnings", "requests.packages.urllib3.disable_warnings"}
)
