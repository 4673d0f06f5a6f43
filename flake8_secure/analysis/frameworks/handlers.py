"""Handlers: where a request payload is merged into objects (SEC010) and
which stores the application trusts (SEC011).  Tables, not code."""

from __future__ import annotations

# Methods that merge a mapping into an object or a record (the whole
# payload as their argument is mass assignment).  ``populate_obj`` is
# WTForms' own, after validation, and is not listed.
MERGE_METHODS = frozenset({"update", "insert_one", "insert_many", "values", "bulk_create", "from_dict"})
# Mongo update methods: the update document is their second argument.
UPDATE_DOCUMENT_METHODS = frozenset({"update_one", "update_many", "find_one_and_update", "replace_one"})
UPDATE_OPERATORS = frozenset({"$set", "$setOnInsert"})
# Callees that take ``**payload`` harmlessly (a copy, an echo).
PAYLOAD_PASSTHROUGH = frozenset({"dict", "flask.jsonify", "jsonify", "print", "collections.OrderedDict"})

# A callee validates what it is given when it is one of these (by the last
# part of its name, or a base class of a class of the module) ...
VALIDATOR_SUFFIXES = ("Schema", "Form", "Serializer", "BaseModel", "Validator", "ModelForm", "FlaskForm")
# ... or is imported from a module path with one of these parts.
VALIDATOR_MODULE_PARTS = frozenset(
    {"schemas", "schema", "serializers", "forms", "validators", "pydantic", "marshmallow", "dtos", "wtforms"}
)

# --secure-strict-validation: calls that write a single field into a
# record (ORM managers, Mongo, SQLAlchemy), besides model constructors.
RECORD_WRITE_METHODS = frozenset(
    {"create", "get_or_create", "update_or_create", "update", "insert_one", "values", "update_one",
     "update_many", "bulk_create", "add"}
)
# Classes whose keyword arguments are not record fields.
NOT_RECORDS = frozenset(
    {"HttpResponse", "JsonResponse", "Response", "JSONResponse", "HTMLResponse", "PlainTextResponse",
     "RedirectResponse", "StreamingResponse", "HTTPException", "Markup", "Path", "Exception", "ValueError",
     "TemplateResponse", "Template", "Q", "F", "Decimal", "UUID", "Request"}
)

# SEC011: stores the application trusts afterwards.
SESSION_OBJECTS = frozenset({"flask.session", "quart.session", "flask.globals.session"})
APP_GLOBALS = frozenset({"flask.g", "quart.g", "flask.globals.g"})
# ``request.session`` (Django, Starlette) by attribute of a request object.
REQUEST_SESSION_ATTR = "session"
SESSION_WRITE_METHODS = frozenset({"update", "setdefault"})
# Signed cookies: (method, argument position, keyword) of the signed value.
SIGNED_COOKIE_METHODS: dict[str, tuple[int, str]] = {"set_signed_cookie": (1, "value")}
# itsdangerous serializers and signers: what they sign is vouched for.
SIGNING_MODULES = ("itsdangerous",)
SIGNING_METHODS: dict[str, tuple[int, str]] = {"dumps": (0, "obj"), "sign": (0, "value")}
