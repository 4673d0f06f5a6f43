"""Whole request payloads and the values read from them.

A rule about mass assignment (SEC010) must tell ``request.json`` (the whole
body, every key the client chose) from ``request.json["name"]`` (one field);
a NoSQL rule (SEC003) must tell a JSON value, which may be an object such as
``{"$ne": null}``, from a query-string value, which is always a string.

Both facts ride on ``Val.origin`` (kept by assignment, lost by any building
step that turns the value into something else):

- ``PAYLOAD_JSON`` / ``PAYLOAD_FORM``: the whole parsed body (``request.json``,
  ``get_json()``, ``await request.json()``, DRF ``request.data``, a FastAPI
  body typed ``dict``/``Any``; ``request.form``, ``request.POST``);
- ``JSON_VALUE``: a value read out of a JSON payload (``data["user"]``,
  ``data.get("user")``): a string, number, list or object, as the client sent.

String building, ``str()``, ``int()`` and validation drop the origin.
"""

from __future__ import annotations

from flake8_secure.analysis.values import Val

PAYLOAD_JSON = "<payload:json>"
PAYLOAD_FORM = "<payload:form>"
JSON_VALUE = "<json-value>"
PAYLOADS = frozenset({PAYLOAD_JSON, PAYLOAD_FORM})
# Methods of a payload that return the same keys and values.
PAYLOAD_COPIES = frozenset({"copy", "dict", "to_dict"})
# Methods of a JSON payload (or value) that read one value out of it.
JSON_READS = frozenset({"get", "pop", "setdefault"})


def is_payload(val: Val) -> bool:
    """The whole request payload: every key chosen by the client."""
    return val.origin in PAYLOADS and bool(val.all_taint())


def may_be_structured(val: Val) -> bool:
    """Request data that can be a dict or list, not only a string: a JSON
    payload, or a value read out of one."""
    return val.origin in (PAYLOAD_JSON, JSON_VALUE) and bool(val.all_taint())


def read_from(base: Val) -> str | None:
    """The origin of a value read out of ``base`` (subscript, ``.get()``)."""
    return JSON_VALUE if base.origin in (PAYLOAD_JSON, JSON_VALUE) else None
