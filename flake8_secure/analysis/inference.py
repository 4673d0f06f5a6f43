"""Lazy, bounded astroid inference for what the plain ast cannot decide.

The astroid tree of a file is built on the first question that needs it and
reused for every later question about that file.  astroid never imports or
runs the analysed code: it parses source files, and C extensions are never
loaded (``always_load_extensions`` stays off).  Imports of the linted file's
own package are resolved on disk next to the file through a failed-import
hook, so constants defined in sibling modules can be followed.
"""

from __future__ import annotations

import ast
import logging
import os
import time
from typing import Any

from flake8_secure.analysis.constants import MAX_VALUES, UNKNOWN, Values, _Unknown

LOG = logging.getLogger("flake8_secure")

# How many values one inference may produce before it counts as unknown.
MAX_INFERRED = 20

# astroid keeps every module it built (the project's siblings, the stdlib
# modules inference went through) for the rest of the flake8 process: past
# this many, its cache is cleared after the file that grew it.
MAX_CACHED_MODULES = 64

# Process-wide counters, read by the benchmark script.
STATS: dict[str, float] = {
    "trees": 0, "inferences": 0, "build_seconds": 0.0, "infer_seconds": 0.0, "cache_clears": 0,
}

# The package root (directory holding the top-level package) of the file
# being linted, and the modules built from it: they are dropped from
# astroid's cache after the file, so another project's package of the same
# name (a monorepo, or files linted in another order) never sees them.
_ROOTS: set[str] = set()
_PROJECT_MODULES: set[str] = set()
_HOOK_INSTALLED = False


def _manager() -> Any:
    global _HOOK_INSTALLED
    from astroid.manager import AstroidManager

    manager = AstroidManager()
    manager.always_load_extensions = False
    if not _HOOK_INSTALLED:
        manager.register_failed_import_hook(_find_in_project)
        _HOOK_INSTALLED = True
    return manager


def _find_in_project(modname: str) -> Any:
    """Build a module of the linted project from its source next to the file."""
    from astroid.exceptions import AstroidBuildingError

    rel = modname.replace(".", os.sep)
    for root in sorted(_ROOTS):
        for candidate in (os.path.join(root, rel + ".py"), os.path.join(root, rel, "__init__.py")):
            if os.path.isfile(candidate):
                _PROJECT_MODULES.add(modname)
                return _manager().ast_from_file(candidate, modname, source=True)
    raise AstroidBuildingError(modname=modname)


class Inference:
    """astroid view of one file, built on first use."""

    def __init__(self, source: str, filename: str, modname: str) -> None:
        self._source = source
        self._filename = filename
        self._modname = modname or "__flake8_secure_module__"
        self._module: Any = None
        self._failed = False
        self._index: dict[tuple[str, int, int, int | None, int | None], Any] | None = None

    @property
    def built(self) -> bool:
        return self._module is not None

    def _build(self) -> Any:
        if self._module is None and not self._failed:
            start = time.perf_counter()
            try:
                from astroid.builder import AstroidBuilder

                manager = _manager()
                if self._modname != "__flake8_secure_module__" and os.path.isfile(self._filename):
                    depth = self._modname.count(".") + (
                        1 if os.path.basename(self._filename) == "__init__.py" else 0
                    )
                    root = os.path.dirname(os.path.abspath(self._filename))
                    for _ in range(depth):
                        root = os.path.dirname(root)
                    _ROOTS.clear()  # one file at a time: only its own project
                    _ROOTS.add(root)
                path = self._filename if os.path.isfile(self._filename) else None
                self._module = AstroidBuilder(manager).string_build(self._source, self._modname, path)
                STATS["trees"] += 1
            except Exception as exc:  # astroid cannot build it: every answer is "unknown"
                LOG.debug("flake8-secure: astroid could not build %s: %s", self._filename, exc)
                self._failed = True
            STATS["build_seconds"] += time.perf_counter() - start
        return self._module

    def release(self) -> None:
        """Drop this file's tree from astroid's cache once the file is done."""
        if self._module is not None:
            try:
                cache = _manager().astroid_cache
                if cache.get(self._modname) is self._module:
                    del cache[self._modname]
                for name in _PROJECT_MODULES:
                    cache.pop(name, None)
                _PROJECT_MODULES.clear()
                _ROOTS.clear()
                if len(cache) > MAX_CACHED_MODULES:
                    _manager().clear_cache()
                    STATS["cache_clears"] += 1
            except Exception:  # pragma: no cover - cache layout changed: nothing to drop
                pass
            self._module = None
            self._index = None

    def _node_for(self, node: ast.AST) -> Any:
        module = self._build()
        if module is None:
            return None
        if self._index is None:
            from astroid import nodes

            self._index = {}
            for anode in module.nodes_of_class((nodes.Name, nodes.Attribute, nodes.Subscript)):
                key = (type(anode).__name__, anode.lineno, anode.col_offset, anode.end_lineno, anode.end_col_offset)
                self._index[key] = anode
        key = (type(node).__name__, getattr(node, "lineno", 0), getattr(node, "col_offset", 0),
               getattr(node, "end_lineno", None), getattr(node, "end_col_offset", None))
        return self._index.get(key)

    def constant_values(self, node: ast.AST) -> Values | _Unknown:
        """Values astroid proves ``node`` can have, when all are constants."""
        anode = self._node_for(node)
        if anode is None:
            return UNKNOWN
        start = time.perf_counter()
        STATS["inferences"] += 1
        try:
            from astroid import nodes, util
            from astroid.context import InferenceContext

            # astroid bounds each inference itself (InferenceContext.max_inferred);
            # we stop earlier, at MAX_INFERRED results.
            found: list[object] = []
            for count, inferred in enumerate(anode.infer(context=InferenceContext())):
                if count >= MAX_INFERRED:
                    return UNKNOWN
                if inferred is util.Uninferable or not isinstance(inferred, nodes.Const):
                    return UNKNOWN
                if inferred.value not in found:
                    found.append(inferred.value)
                if len(found) > MAX_VALUES:
                    return UNKNOWN
            return tuple(found) if found else UNKNOWN
        except Exception as exc:  # InferenceError, RecursionError...: unknown
            LOG.debug("flake8-secure: inference failed in %s: %s", self._filename, exc)
            return UNKNOWN
        finally:
            STATS["infer_seconds"] += time.perf_counter() - start
