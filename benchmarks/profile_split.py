#!/usr/bin/env python3
"""Where flake8-secure spends its time: the checker run in-process on a tree.

For every ``.py`` file of the tree: ``ast.parse`` (what flake8 itself does
before any plugin runs), then the plugin's ``Checker`` with the chosen rules.
The plugin's time is split into

* astroid tree building (``analysis.inference.STATS["build_seconds"]``,
  the linted file and the sibling modules astroid follows),
* astroid inference (``STATS["infer_seconds"]``),
* taint (request data to sinks, ``ModuleContext.tainted_sinks``; astroid
  time spent inside it is counted under astroid, not here),
* the rest: the one walk over the tree, name resolution, constant folding
  and value flow of the syntax-level checks.

It also counts the files whose astroid tree was built at all, the calls in
the tree, and the calls whose check asked astroid something.

Usage: ``python benchmarks/profile_split.py TREE [--select SEC] [--all]
[--cprofile OUT] [--limit N] [--findings PATH]``. Runs in the current
interpreter, which must have flake8-secure installed.
"""

from __future__ import annotations

import argparse
import ast
import cProfile
import json
import sys
import time
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence


@dataclass
class Split:
    files: int = 0
    lines: int = 0
    syntax_errors: int = 0
    parse_seconds: float = 0.0
    plugin_seconds: float = 0.0
    build_seconds: float = 0.0
    infer_seconds: float = 0.0
    taint_seconds: float = 0.0
    files_with_astroid: int = 0
    astroid_trees: int = 0
    inferences: int = 0
    calls: int = 0
    calls_with_astroid: int = 0
    findings: int = 0
    slowest: list[tuple[float, str]] = field(default_factory=list)

    @property
    def walk_seconds(self) -> float:
        return self.plugin_seconds - self.build_seconds - self.infer_seconds - self.taint_seconds


def python_files(tree: Path) -> list[Path]:
    return sorted(p for p in tree.rglob("*.py") if p.is_file())


def select_codes(select: str, include_default_off: bool) -> frozenset[str]:
    from flake8_secure.registry import RULES, load_rules

    load_rules()
    prefixes = tuple(s.strip() for s in select.split(",") if s.strip())
    return frozenset(
        r.code for r in RULES
        if r.code.startswith(prefixes) and (r.default_on or include_default_off)
    )


class Instruments:
    """Counters around the checker, installed for the run and removed after."""

    def __init__(self, split: Split) -> None:
        self.split = split
        self._undo: list[tuple[Any, str, Any]] = []

    def __enter__(self) -> Instruments:
        from flake8_secure import plugin
        from flake8_secure.analysis import context, inference

        stats = inference.STATS
        split = self.split
        original_safely = plugin.safely
        original_tainted = context.ModuleContext.tainted_sinks

        def safely(rule: Any, node: ast.AST, ctx: Any, strict: bool) -> Iterable[Any]:
            before = stats["inferences"] + stats["trees"]
            result = original_safely(rule, node, ctx, strict)
            if isinstance(node, ast.Call) and stats["inferences"] + stats["trees"] != before:
                asked = getattr(ctx, "_profile_asked", None)
                if asked is None:
                    asked = ctx._profile_asked = set()
                if id(node) not in asked:
                    asked.add(id(node))
                    split.calls_with_astroid += 1
            return result

        def tainted_sinks(self: Any, node: ast.Call, category: str) -> Any:
            astroid_before = stats["build_seconds"] + stats["infer_seconds"]
            start = time.perf_counter()
            try:
                return original_tainted(self, node, category)
            finally:
                elapsed = time.perf_counter() - start
                split.taint_seconds += elapsed - (stats["build_seconds"] + stats["infer_seconds"] - astroid_before)

        self._undo = [(plugin, "safely", original_safely),
                      (context.ModuleContext, "tainted_sinks", original_tainted)]
        plugin.safely = safely  # type: ignore[assignment]
        context.ModuleContext.tainted_sinks = tainted_sinks  # type: ignore[method-assign]
        return self

    def __exit__(self, *exc: object) -> None:
        for owner, name, original in self._undo:
            setattr(owner, name, original)


def lint_tree(files: Sequence[Path], codes: frozenset[str]) -> Iterator[tuple[Path, list[tuple[int, int, str]]]]:
    """Yield each file's findings; fills the module-level SPLIT as it goes."""
    from flake8_secure.analysis import inference
    from flake8_secure.plugin import Checker
    from flake8_secure.settings import Settings

    split = SPLIT
    stats = inference.STATS
    settings = Settings(enabled_codes=codes)
    original = Checker.settings
    Checker.settings = settings
    try:
        for path in files:
            source = path.read_text(encoding="utf-8", errors="replace")
            start = time.perf_counter()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                try:
                    tree = ast.parse(source)
                except SyntaxError:
                    split.syntax_errors += 1
                    continue
            split.parse_seconds += time.perf_counter() - start
            split.files += 1
            split.lines += source.count("\n")
            split.calls += sum(isinstance(n, ast.Call) for n in ast.walk(tree))
            trees_before = stats["trees"]
            start = time.perf_counter()
            found = [(line, col, text) for line, col, text, _ in
                     Checker(tree, source.splitlines(True), str(path)).run()]
            elapsed = time.perf_counter() - start
            split.plugin_seconds += elapsed
            split.slowest.append((elapsed, str(path)))
            if stats["trees"] != trees_before:
                split.files_with_astroid += 1
            split.findings += len(found)
            yield path, found
    finally:
        Checker.settings = original
        split.build_seconds = stats["build_seconds"]
        split.infer_seconds = stats["infer_seconds"]
        split.astroid_trees = int(stats["trees"])
        split.inferences = int(stats["inferences"])
        split.slowest = sorted(split.slowest, reverse=True)[:10]


SPLIT = Split()


def report(split: Split, out: Any = sys.stdout) -> None:
    total = split.plugin_seconds or float("nan")

    def row(name: str, seconds: float) -> str:
        return f"  {name:<34} {seconds:8.2f} s  {100 * seconds / total:5.1f}%"

    print(f"files: {split.files} ({split.lines} lines, {split.syntax_errors} skipped: syntax errors)", file=out)
    print(f"ast.parse (flake8 does this anyway): {split.parse_seconds:.2f} s", file=out)
    print(f"plugin, in-process:                  {split.plugin_seconds:.2f} s "
          f"({100 * split.plugin_seconds / (split.parse_seconds or float('nan')):.0f}% of ast.parse)", file=out)
    print(row("one walk + syntax-level analysis", split.walk_seconds), file=out)
    print(row("taint (without its astroid time)", split.taint_seconds), file=out)
    print(row("astroid tree building", split.build_seconds), file=out)
    print(row("astroid inference", split.infer_seconds), file=out)
    print(f"files that built an astroid tree: {split.files_with_astroid} of {split.files}", file=out)
    print(f"calls: {split.calls}; calls whose check asked astroid: {split.calls_with_astroid} "
          f"({100 * split.calls_with_astroid / max(split.calls, 1):.2f}%); inferences: {split.inferences}", file=out)
    print(f"findings: {split.findings}", file=out)
    print("slowest files:", file=out)
    for seconds, path in split.slowest[:5]:
        print(f"  {seconds:6.2f} s  {path}", file=out)


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("tree", type=Path)
    p.add_argument("--select", default="SEC", help="code prefixes to run (default: SEC, default-on rules)")
    p.add_argument("--all", action="store_true", help="also run the default-off rules the selection matches")
    p.add_argument("--limit", type=int, help="only the first N files")
    p.add_argument("--cprofile", type=Path, metavar="OUT", help="also write cProfile stats to OUT")
    p.add_argument("--findings", type=Path, metavar="PATH", help="write the findings as JSON (for diffing)")
    args = p.parse_args(argv)
    files = python_files(args.tree)[: args.limit]
    codes = select_codes(args.select, args.all)
    findings: dict[str, list[tuple[int, int, str]]] = {}
    profiler = cProfile.Profile() if args.cprofile else None
    with Instruments(SPLIT):
        if profiler is not None:
            profiler.enable()
        for path, found in lint_tree(files, codes):
            if found:
                findings[str(path.relative_to(args.tree))] = found
        if profiler is not None:
            profiler.disable()
            profiler.dump_stats(str(args.cprofile))
    print(f"tree: {args.tree}; rules: {', '.join(sorted(codes))}")
    report(SPLIT)
    if args.findings:
        args.findings.write_text(json.dumps(findings, indent=1, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
