"""A module cut down to what one of its functions depends on.

To learn what a project helper may return (``seeds`` bits), its module used
to be parsed whole; on a large project that was a third of the plugin's
time, for one function of a module of hundreds.  ``Outline`` splits the
module's text at its top-level statements (lines that start in column 0)
without parsing it; ``Outline.skeleton(name)`` is the text with every
top-level ``def`` and ``class`` blanked out except ``name`` and the
definitions it may reach: any whose name appears, not as an attribute, in
the text of one kept (strings and comments count too: more is only
slower; for the seeds scan, which follows calls only, only names called)
or in the code outside definitions.  Blanking keeps line numbers.

Cutting at column 0 is a guess a module can defeat (a string or bracket
whose lines start in column 0); the parsed skeleton is accepted only if no
statement spans a blanked line, so a wrong cut fails to parse or is caught,
and the caller falls back to the whole module.
"""

from __future__ import annotations

import ast
import re
import warnings
from dataclasses import dataclass

_IDENT = r"[^\W\d]\w*"  # an identifier, non-ASCII ones too (PEP 3131)
_DEF = re.compile(rf"(?:async[ \t]+)?(def|class)[ \t]+({_IDENT})")
_WORD = re.compile(_IDENT)
# A name, not an attribute: ``self.get`` is not the module's ``get``.
_NAME = re.compile(rf"(?<![.\w]){_IDENT}")
# A name called (or closing a bracket, as in ``(helper)(x)``), comments
# and line breaks allowed before the bracket.
_CALLED = re.compile(rf"(?<![.\w])({_IDENT})(?=(?:\s|#[^\n]*\n)*[()\\])")  # one way to match: no backtracking blow-up
# A ``global`` statement: a function holding one rebinds module names.
_GLOBAL = re.compile(r"^[ \t]+global[ \t]", re.M)
# Lines as Python's tokenizer counts them (str.splitlines also splits at
# form feeds and Unicode separators, which may sit inside a string).
_LINE = re.compile(r"[^\r\n]*(?:\r\n?|\n)|[^\r\n]+")
DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


@dataclass(slots=True)  # outlines stay cached: no dict per chunk for the collector to visit
class _Chunk:
    start: int  # index of its first line
    end: int  # index after its last line
    name: str | None  # the def/class it defines, None for other code
    function: bool = False  # a def, not a class
    rebinds_globals: bool = False  # holds a ``global`` statement: always kept


class Outline:
    """The top-level statements of a module's text, by line (see the module docstring)."""

    def __init__(self, source: str) -> None:
        self.lines = _LINE.findall(source)
        self.chunks = _chunks(self.lines)
        for chunk in self.chunks:
            if chunk.name is not None:
                chunk.rebinds_globals = _GLOBAL.search("".join(self.lines[chunk.start:chunk.end])) is not None
        # Every column-0 ``def`` line, a chunk of its own or not (one inside a
        # string, or read as such): a name here but not in a chunk is unsure.
        self._def_lines = {m.group(2) for line in self.lines if (m := _DEF.match(line)) and m.group(1) == "def"}
        self._words: dict[tuple[int, bool], set[str]] = {}
        self._module_names: set[str] | None = None
        self._module_imports: tuple[ast.Import | ast.ImportFrom, ...] | None = None

    def defines_function(self, name: str) -> bool | None:
        """Whether a top-level ``def`` (not only a class) is named ``name``;
        None when unsure (a column-0 ``def name`` that is not a chunk of
        its own: the caller parses the whole module to know)."""
        if any(c.function and c.name == name for c in self.chunks):
            return True
        return None if name in self._def_lines else False

    def skeleton(self, name: str, calls_only: bool = False) -> tuple[ast.Module, list[str]] | None:
        """The parsed skeleton keeping ``name`` and its lines (blanked lines
        are empty), or None when the cut cannot be trusted.  With
        ``calls_only``, a definition is reached only by a call of its name
        (enough for what ``seeds`` asks, whose scan follows calls only);
        otherwise by any mention (a flow also follows a function passed or
        stored as a value)."""
        if not any(c.name == name for c in self.chunks):
            return None
        module_names = self._names_outside_definitions()
        if module_names is None:
            return None
        wanted = self._reached({name} | module_names, calls_only)
        keep = [c.name is None or c.name in wanted or c.rebinds_globals for c in self.chunks]
        return self._parse(keep)

    def definitions_reached(self, name: str) -> list[ast.stmt] | None:
        """The top-level definitions a call of the function ``name`` may run
        (``name`` and those whose names the kept ones call, as ``skeleton``
        with ``calls_only`` reaches them), each parsed on its own text; None
        when the cut cannot be trusted (a chunk is not one definition)."""
        wanted = self._reached({name}, True)
        kept = [c for c in self.chunks if c.name in wanted]
        if not kept:
            return None
        try:
            tree = parse_quietly("".join(line for c in kept for line in self.lines[c.start:c.end]))
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return None
        if len(tree.body) != len(kept) or any(
                not isinstance(stmt, DEFINITIONS) or stmt.name != chunk.name for stmt, chunk in zip(tree.body, kept)):
            return None
        return tree.body

    def _reached(self, names: set[str], calls_only: bool) -> set[str]:
        """The names of the definitions among ``names`` and those the kept ones reach (see ``skeleton``)."""
        defined = {c.name for c in self.chunks if c.name is not None}
        wanted = names & defined
        queue = list(wanted)
        while queue:
            current = queue.pop()
            for index, chunk in enumerate(self.chunks):
                if chunk.name == current:
                    for word in self._chunk_words(index, calls_only) & defined:
                        if word not in wanted:
                            wanted.add(word)
                            queue.append(word)
        return wanted

    def _chunk_words(self, index: int, calls_only: bool) -> set[str]:
        key = (index, calls_only)
        words = self._words.get(key)
        if words is None:
            chunk = self.chunks[index]
            pattern = _CALLED if calls_only else _NAME
            words = self._words[key] = set(pattern.findall("".join(self.lines[chunk.start:chunk.end])))
        return words

    def _names_outside_definitions(self) -> set[str] | None:
        """Names the code outside definitions reads (an app built by a
        factory of the module, a decorator): parsed, so strings such as
        ``__all__``'s do not count."""
        if self._module_names is None:
            self._read_module_code()
        return self._module_names

    def module_imports(self) -> tuple[ast.Import | ast.ImportFrom, ...] | None:
        """The import statements of the code outside definitions (in ``if``
        and ``try`` blocks too), parsed; None when the cut cannot be trusted."""
        if self._module_names is None:
            self._read_module_code()
        return self._module_imports

    def _read_module_code(self) -> None:
        parsed = self._parse([c.name is None for c in self.chunks])
        if parsed is None:
            return
        nodes = list(ast.walk(parsed[0]))
        self._module_names = {n.id for n in nodes if isinstance(n, ast.Name)}
        self._module_imports = tuple(n for n in nodes if isinstance(n, (ast.Import, ast.ImportFrom)))

    def _parse(self, keep: list[bool]) -> tuple[ast.Module, list[str]] | None:
        lines = list(self.lines)
        blank = [False] * (len(lines) + 2)  # by line number (1-based)
        for chunk, kept in zip(self.chunks, keep):
            if not kept:
                for index in range(chunk.start, chunk.end):
                    lines[index] = "\n"
                    blank[index + 1] = True
        try:
            tree = parse_quietly("".join(lines))
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return None
        # Prefix counts of blanked lines: a statement must not span one.
        counts = [0]
        for flag in blank:
            counts.append(counts[-1] + flag)
        # A kept definition must parse as one statement from its chunk's
        # first line (its decorators included).
        starts = {(c.start + 1, c.name) for c, kept in zip(self.chunks, keep) if kept and c.name is not None}
        for stmt in tree.body:
            end = stmt.end_lineno or stmt.lineno
            if counts[end + 1] - counts[stmt.lineno]:
                return None
            if isinstance(stmt, DEFINITIONS):
                first = min([stmt.lineno] + [d.lineno for d in stmt.decorator_list])
                if (first, stmt.name) not in starts:
                    return None
        return tree, lines


def parse_quietly(source: str, filename: str = "<unknown>") -> ast.Module:
    """``ast.parse`` of another module of the project, its warnings (invalid
    escapes: a SyntaxWarning on 3.12+) kept out of this lint's output."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ast.parse(source, filename)


def _chunks(lines: list[str]) -> list[_Chunk]:
    chunks: list[_Chunk] = []
    decorated: _Chunk | None = None  # decorators waiting for their def or class
    in_string = False  # inside a triple-quoted string, counted roughly (the parse check has the last word)
    for index, line in enumerate(lines):
        starts_inside = in_string
        if (line.count('"""') + line.count("'''")) % 2:
            in_string = not in_string
        if starts_inside or not line or line[0] in " \t\r\n\f#\\":
            continue
        if chunks and (line[0] in ")]}" or _keyword(line)):
            continue  # the end of a bracket, an else/except of an if/try
        match = _DEF.match(line)
        if decorated is not None:
            if match:
                decorated.name, decorated.function = match.group(2), match.group(1) != "class"
                decorated = None
                continue
            if line.startswith("@"):
                continue
            decorated = None  # not a definition we can cut: stays as other code
        elif line.startswith("@"):
            decorated = _Chunk(index, index, None)
            chunks.append(decorated)
            continue
        chunks.append(_Chunk(index, index, match.group(2), match.group(1) != "class") if match else _Chunk(
            index, index, None))
    if decorated is not None:
        decorated.name = None
    for before, after in zip(chunks, chunks[1:]):
        before.end = after.start
    if chunks:
        chunks[-1].end = len(lines)
    return chunks


def _keyword(line: str) -> bool:
    word = _WORD.match(line)
    return word is not None and word.group(0) in ("else", "elif", "except", "finally")
