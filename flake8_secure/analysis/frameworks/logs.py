"""Logs: which calls write a log line, and which names hold secrets (SEC022).

A name is *sensitive* when, split into parts, a run of its parts matches the
sensitive-names pattern and nothing but value words follow that run (see
``sensitive_part``).  The pattern is configurable (``--secure-sensitive-names``).
"""

from __future__ import annotations

import re
from functools import lru_cache

# Matched (in full) against a run of consecutive lower-case name parts joined
# by "_": ``api_?key`` matches ``api_key``, ``apiKey``, ``APIKEY``, ``X-Api-Key``.
DEFAULT_SENSITIVE_NAMES = (
    r"passw(or)?d|pass_?phrase|pwd|secret|token|api_?key|private_?key|access_?key|"
    r"credit_?card|card_?number|cvv|ssn|otp|authorization|cookie|session_?id|credentials?"
)
# Words after the sensitive run that still name the value itself:
# ``password_value``, ``token_str``, ``api_key_b64``.
VALUE_WORDS = frozenset(
    {"value", "val", "str", "string", "text", "raw", "plain", "plaintext", "clear", "cleartext",
     "b64", "base64", "hex", "bytes", "encoded", "data"}
)
# First words saying the name holds a fact about the value, not the value:
# ``is_secret``, ``has_password``, ``num_tokens``, ``max_token``.
VALUE_FREE_PREFIXES = frozenset(
    {"is", "has", "num", "n", "count", "len", "length", "max", "min", "total", "no", "use",
     "should", "require", "requires", "validate", "check", "show", "allow", "enable"}
)

_PARTS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")


def name_parts(name: str) -> list[str]:
    """``DB_PASSWORD`` -> [db, password]; ``apiKey2`` -> [api, key]; ``HTTP_AUTHORIZATION``."""
    return [p.lower() for p in _PARTS.findall(name) if not p.isdigit()]


@lru_cache(maxsize=4096)
def sensitive_part(name: str, pattern: str = DEFAULT_SENSITIVE_NAMES) -> str | None:
    """The run of ``name``'s parts that makes it sensitive, or None.

    The run must match ``pattern`` in full, be followed only by VALUE_WORDS,
    and the name must not start with a VALUE_FREE_PREFIXES word: so
    ``user_password``, ``apiKey`` and ``HTTP_AUTHORIZATION`` are sensitive;
    ``password_policy``, ``token_count``, ``secret_name``, ``password_hash``,
    ``tokenizer`` and ``is_secret`` are not.
    """
    parts = name_parts(name)
    if not parts or parts[0] in VALUE_FREE_PREFIXES:
        return None
    compiled = _compiled(pattern)
    for end in range(len(parts), 0, -1):
        if any(p not in VALUE_WORDS for p in parts[end:]):
            break
        for start in range(end):
            run = "_".join(parts[start:end])
            if compiled.fullmatch(run):
                return run
    return None


@lru_cache(maxsize=16)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


# Module-level logging functions and logger methods that write a record.
LOG_METHODS = frozenset(
    {"debug", "info", "warning", "warn", "error", "exception", "critical", "fatal", "log", "msg", "trace",
     "success"}
)
LOGGING_FUNCTIONS = frozenset(f"logging.{m}" for m in LOG_METHODS if m not in ("msg", "trace", "success"))
# Calls returning a logger object; receivers made by them are loggers.
LOGGER_FACTORIES = frozenset(
    {"logging.getLogger", "logging.LoggerAdapter", "logging.Logger", "structlog.get_logger",
     "structlog.getLogger", "structlog.stdlib.get_logger", "loguru.logger.bind"}
)
# Loggers imported as objects.
LOGGER_OBJECTS = frozenset({"loguru.logger", "logging.root"})
# Receivers named like a logger (``log``, ``logger``, ``self.log``, ``app.logger``,
# ``_LOGGER``) are loggers too: the method names make the call unambiguous.
LOGGER_NAME = re.compile(r"_*(log|logger)_*", re.IGNORECASE)
# Other calls that write their arguments where operators read them.
OUTPUT_FUNCTIONS: dict[str, tuple[int, ...]] = {"print": (), "warnings.warn": (0,)}
# Keyword arguments of logging calls that are not logged values.
NON_VALUE_KEYWORDS = frozenset({"exc_info", "stack_info", "stacklevel", "file", "sep", "end", "flush",
                                "category"})

# Calls that pass their arguments' text on unchanged (the result shows the value).
TRANSPARENT_CALLS = frozenset(
    {"str", "repr", "format", "ascii", "bytes", "json.dumps", "list", "tuple", "pprint.pformat"}
)
TRANSPARENT_METHODS = frozenset(
    {"format", "join", "strip", "lstrip", "rstrip", "lower", "upper", "encode", "decode", "title",
     "casefold"}
)
# Value types that print masked (``SecretStr('**********')``).
SECRET_TYPES = frozenset({"SecretStr", "SecretBytes", "Secret"})
# Words in a call name saying it hides the value: ``mask()``, ``redact()``, ``sha256``.
MASKING_CALL = re.compile(
    r"mask|redact|hash|digest|sha\d*|md5|blake|obfuscat|censor|anonymi|scrub|encrypt|hmac|sign|"
    r"truncat|fingerprint|sanitiz|hide|elide",
    re.IGNORECASE,
)
# Request attributes (and methods) holding a whole request payload or all headers.
PAYLOAD_ATTRS = frozenset(
    {"json", "form", "data", "values", "get_json", "get_data", "POST", "body", "headers", "cookies",
     "META", "COOKIES"}
)
# Calls that keep a whole payload whole: ``request.form.to_dict()``, ``json.loads(request.body)``.
PAYLOAD_PRESERVING_METHODS = frozenset({"to_dict", "dict", "copy"})
PAYLOAD_PRESERVING_CALLS = frozenset({"json.loads", "dict"})
