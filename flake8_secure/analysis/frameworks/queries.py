"""Query languages other than SQL: MongoDB filters, XPath, LDAP (SEC003-SEC005).

Tables, not code.  The method names are common words (``find``,
``search``), so each table says what else must hold before a call counts:
the rules read them together with the module's imports and the receiver.
"""

from __future__ import annotations

import re

# pymongo / motor Collection methods: where their filter (or aggregation
# pipeline) is, by position and keyword.
MONGO_FILTER_ARGS: dict[str, tuple[int, str]] = {
    "find": (0, "filter"),
    "find_one": (0, "filter"),
    "find_one_and_update": (0, "filter"),
    "find_one_and_replace": (0, "filter"),
    "find_one_and_delete": (0, "filter"),
    "update_one": (0, "filter"),
    "update_many": (0, "filter"),
    "replace_one": (0, "filter"),
    "delete_one": (0, "filter"),
    "delete_many": (0, "filter"),
    "count_documents": (0, "filter"),
    "distinct": (1, "filter"),
    "aggregate": (0, "pipeline"),
    "find_raw_batches": (0, "filter"),
    "aggregate_raw_batches": (0, "pipeline"),
}
# Method names other libraries use too (str.find, ElementTree find, Django
# distinct): a filter that is not a dict literal needs Mongo evidence.
MONGO_AMBIGUOUS = frozenset({"find", "find_one", "distinct", "aggregate"})
# Modules whose import says "this module talks to MongoDB".
MONGO_MODULES = frozenset({"pymongo", "motor", "flask_pymongo", "mongoengine", "bson", "mongomock", "beanie"})
# Receiver names that read as a collection (``db.users``, ``self.collection``).
MONGO_RECEIVER = re.compile(r"(?i)(coll|mongo|documents)")
# Operators whose string operand is JavaScript (or an expression) run by the
# server: any request text under them is code injection into the database.
MONGO_CODE_OPERATORS = frozenset({"$where", "$function", "$accumulator", "$expr"})

# XPath: functions whose first argument is compiled as an XPath expression.
XPATH_CALLS: dict[str, tuple[int | str, ...]] = {
    "lxml.etree.XPath": (0, "path"),
    "lxml.etree.ETXPath": (0, "path"),
}
# Methods taking an XPath expression first on an lxml tree/element (and
# parsel/scrapy selectors); variables passed as keywords are safe.
XPATH_METHODS: dict[str, tuple[int | str, ...]] = {"xpath": (0, "_path", "query")}
# ElementTree's limited XPath: only on receivers made by an XML library.
ETREE_FIND_METHODS: dict[str, tuple[int | str, ...]] = {
    name: (0, "path") for name in ("find", "findall", "findtext", "iterfind")
}
XML_MODULES = ("xml.etree", "lxml", "defusedxml", "xml.dom")

# LDAP searches: the arguments holding the search base (a DN) and filter.
# ldap3: Connection.search(search_base, search_filter, ...);
# python-ldap: LDAPObject.search*(base, scope, filterstr, ...).
LDAP_SEARCH_ARGS: dict[str, tuple[int | str, ...]] = {
    "search": (0, 1, 2, "search_base", "search_filter", "base", "filterstr"),
    "paged_search": (0, 1, "search_base", "search_filter"),
    "search_s": (0, 2, "base", "filterstr"),
    "search_st": (0, 2, "base", "filterstr"),
    "search_ext": (0, 2, "base", "filterstr"),
    "search_ext_s": (0, 2, "base", "filterstr"),
}
# ``search`` is also re.search, Elasticsearch, Django admin...: it counts
# only in modules importing an LDAP library.
LDAP_AMBIGUOUS = frozenset({"search"})
LDAP_MODULES = frozenset({"ldap3", "ldap", "django_auth_ldap", "flask_ldap3_login", "ldap_filter"})
