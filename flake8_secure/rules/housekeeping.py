"""SEC099: security findings suppressed without a reason."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from flake8_secure.analysis.context import ModuleContext
from flake8_secure.registry import Finding, Rule, Severity, register

# flake8's own inline-noqa pattern (flake8.defaults.NOQA_INLINE_REGEXP), so
# we see exactly the comments flake8 honours.
NOQA = re.compile(r"# noqa(?::[\s]?(?P<codes>([A-Z]+[0-9]+(?:[,\s]+)?)+))?", re.IGNORECASE)
_SEPARATORS = " \t-\u2013\u2014:;,#"


def logical_ranges(tree: ast.Module) -> dict[int, tuple[int, int]]:
    """Line -> (first, last) line of the simple statement spanning it: flake8
    applies a ``# noqa`` anywhere in a multi-line statement to all its lines."""
    ranges: dict[int, tuple[int, int]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.stmt) and not hasattr(node, "body"):
            end = getattr(node, "end_lineno", None) or node.lineno
            if end > node.lineno:
                for line in range(node.lineno, end + 1):
                    ranges.setdefault(line, (node.lineno, end))
    return ranges


def suppresses(match: re.Match[str], code: str) -> bool:
    codes = match.group("codes")
    if codes is None:
        return True
    listed = tuple(c for c in re.split(r"[,\s]+", codes.strip().upper()) if c)
    return code in listed or code.startswith(listed)


# Other tools' pragmas that may follow the codes; they are not reasons.
_PRAGMAS = re.compile(r"#\s*(?:type:|pyright:|mypy:|pragma|nosec|pylint:|fmt:|isort:|noqa)[^#]*", re.IGNORECASE)


def has_reason(text: str) -> bool:
    """Anything with a letter after the codes (``-- table name is constant``),
    other than another tool's pragma (``# type: ignore``)."""
    return any(c.isalpha() for c in _PRAGMAS.sub("", text).lstrip(_SEPARATORS))


@register
class NoqaWithoutReason(Rule):
    """## What it does
    Flags a `# noqa` comment that silences a SEC finding without saying why:
    a bare `# noqa`, or `# noqa: SEC001` with nothing after the codes.  The
    accepted form is the codes followed by a reason:
    `# noqa: SEC001 -- table name comes from ALLOWED_TABLES`.  Precisely:
    any text containing a letter after the codes, on the same line, counts as
    a reason (`# noqa: SEC001 legacy checksum` is accepted too), except
    another tool's pragma (`# type: ignore`, `# pragma: no cover`,
    `# nosec`); the `--` separator is the documented convention.

    ## Why is this bad?
    A silenced security finding is a decision someone made; without the
    reason, the next reviewer cannot tell a checked false positive from a
    vulnerability hidden to get CI green.

    ## Example
    ```python
    import hashlib

    digest = hashlib.md5(b"payload").hexdigest()  # noqa: SEC051
    ```

    ## Use instead
    ```python
    import hashlib

    digest = hashlib.md5(b"payload").hexdigest()  # noqa: SEC051 -- legacy checksum format
    ```

    ## Options
    None.  This rule is off by default: name it (`--select SEC,SEC099` or
    `extend-select = SEC099`).  It reads the findings of the other SEC rules
    selected in the same run.

    ## Known limitations
    flake8 applies a bare `# noqa` (and `# noqa: SEC`, which flake8 reads as
    bare, and `# noqa: SEC0`) to every code on the line, this rule's finding
    included, so those are only shown in an audit run with
    `flake8 --select SEC,SEC099 --disable-noqa` (which also shows every
    suppressed finding).  A reason on another line is not seen.

    ## References
    - [flake8: in-line ignoring errors](https://flake8.pycqa.org/en/latest/user/violations.html#in-line-ignoring-errors)
    """

    code = "SEC099"
    name = "noqa-without-reason"
    message = "# noqa silences {codes} without a reason; add one after the codes (# noqa: {first} -- why)"
    cwe = ()
    severity = Severity.LOW
    node_types = ()
    default_on = False
    post_pass = True

    def finish(self, findings: list[Finding], ctx: ModuleContext) -> Iterator[Finding]:
        ranges: dict[int, tuple[int, int]] | None = None
        silenced: dict[tuple[int, int], list[str]] = {}
        for finding in findings:
            code = finding.text.split(" ", 1)[0]
            if code == self.code or not (0 < finding.line <= len(ctx.lines)):
                continue
            if ranges is None:
                ranges = logical_ranges(ctx.tree)
            first, last = ranges.get(finding.line, (finding.line, finding.line))
            for line in range(first, min(last, len(ctx.lines)) + 1):
                match = NOQA.search(ctx.lines[line - 1])
                if match is None:
                    continue
                if suppresses(match, code) and not has_reason(ctx.lines[line - 1][match.end():]):
                    codes = silenced.setdefault((line, match.start()), [])
                    if code not in codes:
                        codes.append(code)
                break
        for (line, col), codes in sorted(silenced.items()):
            yield Finding(line, col, f"{self.code} {self.message.format(codes=', '.join(codes), first=codes[0])}")
